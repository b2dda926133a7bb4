package applications

import (
	"context"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/regionalcareers/portal/internal/profiles"
)

// CSV writes partnerID's applications for vacancyID as a spreadsheet: one
// row per application with its status, dates, profile and answers (one
// column per screening question). Anonymised applications have blank
// names and contact details. Another partner's vacancy is ErrNotFound.
func (s *Store) CSV(ctx context.Context, partnerID, vacancyID int64, w io.Writer) (err error) {
	defer wrap(&err, "export applications for vacancy %d", vacancyID)
	var ours bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM vacancies WHERE id = $1 AND partner_id = $2)`,
		vacancyID, partnerID).Scan(&ours); err != nil {
		return err
	}
	if !ours {
		return ErrNotFound
	}
	rows, err := s.pool.Query(ctx, selectApplication+` WHERE a.partner_id = $1 AND a.vacancy_id = $2
		ORDER BY a.submitted_at, a.id`, partnerID, vacancyID)
	if err != nil {
		return err
	}
	var list []Application
	for rows.Next() {
		a, revealed, err := scanApplication(rows)
		if err != nil {
			rows.Close()
			return err
		}
		if !revealed || a.Redacted {
			a = anonymised(a)
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var questions []string // every question answered, in the order first met
	for _, a := range list {
		for _, ans := range a.Answers {
			if !slices.Contains(questions, ans.Question) {
				questions = append(questions, ans.Question)
			}
		}
	}
	out := csv.NewWriter(w)
	header := []string{"Candidate", "Status", "Submitted", "Last updated", "Name", "Email", "Phone", "Address", "Postcode",
		"Right to work", "Registration body", "Registration number", "Passport shared", "Statement for this job"}
	if err := out.Write(safeRow(append(header, questions...))); err != nil {
		return err
	}
	for _, a := range list {
		p := a.Profile
		row := []string{a.Candidate, a.Label(), spreadsheetTime(a.SubmittedAt), spreadsheetTime(a.UpdatedAt),
			a.Name, a.Email, p.Phone, p.Address, p.Postcode, rightToWork(p.RightToWork), p.RegistrationBody,
			p.RegistrationNumber, map[bool]string{true: "Yes", false: "No"}[a.PassportShared], a.Statement}
		for _, q := range questions {
			answer := ""
			for _, ans := range a.Answers {
				if ans.Question == q {
					answer = ans.Answer
				}
			}
			row = append(row, answer)
		}
		if err := out.Write(safeRow(row)); err != nil {
			return err
		}
	}
	out.Flush()
	return out.Error()
}

// safeRow defuses cells a spreadsheet would run as a formula (CSV
// injection): one starting with =, +, -, @, a tab or a carriage return
// gets a leading apostrophe, which spreadsheets show as text.
func safeRow(cells []string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}

func spreadsheetTime(t time.Time) string { return t.In(ukTime).Format("2006-01-02 15:04") }

func rightToWork(value string) string {
	for _, o := range profiles.RightToWork {
		if o.Value == value {
			return o.Label
		}
	}
	return value
}

// itoa is for the few numbers written into text.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }
