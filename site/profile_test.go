package site_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/profiles"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
)

// profilePDF is a minimal valid one-page PDF with a correct
// cross-reference table.
func profilePDF() []byte {
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

func profilePNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 30, 20))
	img.Set(3, 3, color.RGBA{0, 94, 184, 255})
	var buf bytes.Buffer
	must(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// ukDateForm fills an NHS.UK date input with t.
func ukDateForm(form url.Values, name string, t time.Time) {
	form.Set(name+"-day", fmt.Sprint(t.Day()))
	form.Set(name+"-month", fmt.Sprint(int(t.Month())))
	form.Set(name+"-year", fmt.Sprint(t.Year()))
}

func TestProfile_RefusesBadDetailsKeepingWhatWasTyped(t *testing.T) {
	f := setUp(t, "")
	jo := f.account(t, "jo@example.org", accounts.Jobseeker, nil, "").signIn()
	mustContain(t, jo.get("/account"), `href="/account/profile"`, `href="/account/passport"`, `href="/account/data"`, `href="/account/delete"`)
	r := jo.get("/account/profile")
	mustContain(t, r, "What is missing before you can apply", "a telephone number", "two referees", "jo@example.org")

	r = jo.post("/account/profile", url.Values{"phone": {"call me"}, "postcode": {"CB2 0QQ"}, "right_to_work": {"visa"},
		"registration_body": {"NMC"}, "registration_number": {"1234"}, "statement": {"I love <caring> for people."}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad details: status %d", r.status)
	}
	mustContain(t, r, "There is a problem", `href="#phone"`, "Enter a telephone number", `href="#registration_number"`,
		"Enter your NMC registration number as it is on the register, like 12A3456B",
		`value="call me"`, `value="CB2 0QQ"`, `value="1234"`, "I love &lt;caring&gt; for people.</textarea>",
		`value="visa" checked`, `value="NMC" checked`)

	r = jo.post("/account/profile", url.Values{"phone": {"07700 900982"}, "postcode": {"cb20qq"}, "right_to_work": {"visa"},
		"registration_body": {"NMC"}, "registration_number": {"12a3456b"}, "statement": {"I love caring for people."}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("good details: status %d\n%s", r.status, excerpt(r.body))
	}
	r = jo.get("/account/profile")
	mustContain(t, r, "Your profile is saved.", `value="07700 900982"`, `value="CB2 0QQ"`, `value="12A3456B"`)
	if strings.Contains(r.body, "a telephone number") {
		t.Error("the missing panel still asks for a telephone number")
	}
	p, err := f.deps.Profiles.Get(context.Background(), jo.user.ID)
	must(t, err)
	if p.Phone != "07700 900982" || p.RegistrationBody != "NMC" || p.Statement != "I love caring for people." {
		t.Errorf("saved %+v", p)
	}
}

func TestProfile_ListsAddChangeAndRemoveEntries(t *testing.T) {
	f := setUp(t, "")
	jo := f.account(t, "jo@example.org", accounts.Jobseeker, nil, "").signIn()

	r := jo.post("/account/profile/jobs/new", url.Values{"employer": {"Fen Valley Trust"}, "role": {"Staff nurse"},
		"from-month": {"13"}, "from-year": {"2019"}, "duties": {"Surgical ward"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad month: status %d", r.status)
	}
	mustContain(t, r, `href="#from"`, "The start must be a real month and year", `value="Fen Valley Trust"`, `value="13"`, "Surgical ward</textarea>")

	r = jo.post("/account/profile/jobs/new", url.Values{"employer": {"Fen Valley Trust"}, "role": {"Staff nurse"},
		"from-month": {"4"}, "from-year": {"2019"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("add job: status %d\n%s", r.status, excerpt(r.body))
	}
	jo.post("/account/profile/jobs/new", url.Values{"employer": {"Willow Care"}, "role": {"Carer"},
		"from-month": {"1"}, "from-year": {"2015"}, "to-month": {"3"}, "to-year": {"2019"}})
	r = jo.get("/account/profile")
	mustContain(t, r, "The job is added.", "Staff nurse", "Fen Valley Trust, April 2019 to now", "Willow Care, January 2015 to March 2019")
	if strings.Index(r.body, "Staff nurse") > strings.Index(r.body, "Willow Care") {
		t.Error("the current job is not listed first")
	}

	mustContain(t, jo.get("/account/profile/jobs/2"), `value="Willow Care"`, `value="2015"`, `value="3"`)
	if r := jo.post("/account/profile/jobs/2", url.Values{"employer": {"Willow Care Homes"}, "role": {"Senior carer"},
		"from-month": {"1"}, "from-year": {"2015"}, "to-month": {"3"}, "to-year": {"2019"}}); r.status != http.StatusSeeOther {
		t.Fatalf("change job: status %d", r.status)
	}
	if r := jo.get("/account/profile/jobs/3"); r.status != http.StatusNotFound {
		t.Errorf("a job that does not exist: status %d", r.status)
	}
	if r := jo.post("/account/profile/jobs/1/remove", nil); r.status != http.StatusSeeOther {
		t.Fatalf("remove job: status %d", r.status)
	}
	mustContain(t, jo.get("/account/profile"), "Staff nurse at Fen Valley Trust is removed.", "Senior carer")

	for _, name := range []string{"Sam Ward", "Ali Khan"} {
		r := jo.post("/account/profile/references/new", url.Values{"name": {name}, "relationship": {"Manager"}, "email": {"not an address"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Enter an e-mail address in the correct format") {
			t.Fatalf("referee with a bad address: status %d", r.status)
		}
		r = jo.post("/account/profile/references/new", url.Values{"name": {name}, "relationship": {"Manager"}, "email": {"ref@example.org"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("add referee: status %d\n%s", r.status, excerpt(r.body))
		}
	}
	r = jo.post("/account/profile/education/new", url.Values{"qualification": {"BSc Nursing"}, "institution": {"Anglia Ruskin University"}, "year": {"2019"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("add qualification: status %d\n%s", r.status, excerpt(r.body))
	}
	r = jo.get("/account/profile")
	mustContain(t, r, "Sam Ward", "Ali Khan", "BSc Nursing", "Anglia Ruskin University, 2019")
	if strings.Contains(r.body, "two referees") || strings.Contains(r.body, "one more referee") {
		t.Error("the missing panel still asks for referees")
	}
}

// passportItem adds an item through the form and returns its id.
func passportItem(t *testing.T, a *actor, form url.Values) int64 {
	t.Helper()
	r := a.post("/account/passport/new", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("add passport item: status %d\n%s", r.status, excerpt(r.body))
	}
	var id int64
	if _, err := fmt.Sscanf(r.header.Get("Location"), "/account/passport/%d", &id); err != nil {
		t.Fatalf("add passport item went to %q", r.header.Get("Location"))
	}
	return id
}

func TestPassport_TagsWhatHasExpiredOrExpiresSoon(t *testing.T) {
	f := setUp(t, "")
	jo := f.account(t, "jo@example.org", accounts.Jobseeker, nil, "").signIn()
	today := time.Now()
	for title, expires := range map[string]time.Time{
		"Basic life support": today.AddDate(0, 0, -2), "Fire safety": today.AddDate(0, 0, 30), "Manual handling": today.AddDate(1, 0, 0),
	} {
		form := url.Values{"kind": {"training"}, "title": {title}}
		ukDateForm(form, "expires_on", expires)
		passportItem(t, jo, form)
	}
	r := jo.get("/account/passport")
	mustContain(t, r, "Basic life support", "Fire safety", "Manual handling")
	rows := strings.Split(r.body, `<tr class="nhsuk-table__row">`)
	for _, row := range rows[1:] {
		expired := strings.Contains(row, `nhsuk-tag--red">Expired`)
		soon := strings.Contains(row, `nhsuk-tag--orange">Expires soon`)
		switch {
		case strings.Contains(row, "Basic life support") && (!expired || soon):
			t.Error("training that expired 2 days ago is not tagged Expired")
		case strings.Contains(row, "Fire safety") && (expired || !soon):
			t.Error("training that expires in 30 days is not tagged Expires soon")
		case strings.Contains(row, "Manual handling") && (expired || soon):
			t.Error("training good for a year is tagged")
		}
	}

	r = jo.post("/account/passport/new", url.Values{"kind": {"dbs"}, "title": {"Enhanced"}, "reference": {"12345"}, "on_update_service": {"yes"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad DBS number: status %d", r.status)
	}
	mustContain(t, r, `href="#reference"`, "Enter the 12-digit certificate number", `value="12345"`, `value="Enhanced"`, `value="yes" checked`)
	if r := jo.get("/account/passport/new?kind=vaccination"); r.status != http.StatusNotFound {
		t.Errorf("an unknown kind: status %d", r.status)
	}
}

func TestEvidence_TypeComesFromTheContent(t *testing.T) {
	f := setUp(t, "")
	jo := f.account(t, "jo@example.org", accounts.Jobseeker, nil, "").signIn()
	id := passportItem(t, jo, url.Values{"kind": {"dbs"}, "title": {"Enhanced"}, "reference": {"001234567890"}})
	path := "/account/passport/" + itoa(id) + "/evidence"

	r := jo.upload(path, "file", "dbs.pdf", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"))
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("HTML named .pdf: status %d", r.status)
	}
	mustContain(t, r, `href="#file"`, "The file must be a PDF, or a photo or scan saved as PNG or JPEG")

	for name, data := range map[string][]byte{"dbs certificate.pdf": profilePDF(), "photo.png": profilePNG(t)} {
		if r := jo.upload(path, "file", name, data); r.status != http.StatusSeeOther {
			t.Fatalf("%s: status %d\n%s", name, r.status, excerpt(r.body))
		}
	}
	mustContain(t, jo.get("/account/passport/"+itoa(id)), "dbs certificate.pdf", "photo.png")
	mustContain(t, jo.get("/account/passport"), "2 files")
}

// TestEvidence_ServedOnlyToItsOwnerAndPartnersTheyShared: the owner gets
// their file; another jobseeker and a recruiter of a partner the owner did
// not share with get 404, by id; a partner with a shared application gets it.
func TestEvidence_ServedOnlyToItsOwnerAndPartnersTheyShared(t *testing.T) {
	f := setUp(t, "")
	ctx := context.Background()
	jo := f.account(t, "jo@example.org", accounts.Jobseeker, nil, "").signIn()
	sam := f.account(t, "sam@example.org", accounts.Jobseeker, nil, "").signIn()
	recA := f.account(t, "rec.a@example.org", accounts.Jobseeker, &f.trust, accounts.Recruiter).signIn()
	recB := f.account(t, "rec.b@example.org", accounts.Jobseeker, &f.care, accounts.Recruiter).signIn()
	id := passportItem(t, jo, url.Values{"kind": {"dbs"}, "title": {"Enhanced"}})
	if r := jo.upload("/account/passport/"+itoa(id)+"/evidence", "file", "dbs.pdf", profilePDF()); r.status != http.StatusSeeOther {
		t.Fatalf("upload: status %d", r.status)
	}
	item, err := f.deps.Profiles.Item(ctx, jo.user.ID, id)
	must(t, err)
	evidence := itoa(item.Evidence[0].ID)

	r := jo.get("/account/passport/evidence/" + evidence)
	if r.status != http.StatusOK || r.body != string(profilePDF()) {
		t.Fatalf("owner: status %d", r.status)
	}
	for header, want := range map[string]string{"Content-Type": "application/pdf", "Content-Disposition": `attachment; filename=dbs.pdf`,
		"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"} {
		if got := r.header.Get(header); got != want {
			t.Errorf("%s: %q, want %q", header, got, want)
		}
	}

	if r := sam.get("/account/passport/evidence/" + evidence); r.status != http.StatusNotFound || strings.Contains(r.body, "%PDF") {
		t.Errorf("another jobseeker: status %d", r.status)
	}
	if r := sam.post("/account/passport/evidence/"+evidence+"/remove", nil); r.status != http.StatusNotFound {
		t.Errorf("another jobseeker removing: status %d", r.status)
	}
	if r := sam.get("/account/passport/" + itoa(id)); r.status != http.StatusNotFound || strings.Contains(r.body, "Enhanced") {
		t.Errorf("another jobseeker's view of the item: status %d", r.status)
	}
	if r := sam.upload("/account/passport/"+itoa(id)+"/evidence", "file", "x.pdf", profilePDF()); r.status != http.StatusNotFound {
		t.Errorf("another jobseeker uploading: status %d", r.status)
	}

	fromA := func() response { return recA.get("/recruiter/fen-valley-trust/evidence/" + evidence) }
	fromB := func() response { return recB.get("/recruiter/willow-care/evidence/" + evidence) }
	if r := fromA(); r.status != http.StatusNotFound {
		t.Errorf("a partner not applied to: status %d", r.status)
	}
	if r := recA.get("/recruiter/willow-care/evidence/" + evidence); r.status != http.StatusForbidden {
		t.Errorf("a recruiter using another partner's URL: status %d", r.status)
	}
	saved := f.save(t, vt.New(f.trust, vt.Title("Staff nurse")), vt.New(f.care, vt.Title("Nurse")))
	apply := func(vacancy int64, partner int64, shared bool) {
		_, err := f.deps.Pool.Exec(ctx, `INSERT INTO applications (vacancy_id, partner_id, user_id, name, email, profile, statement, passport_shared, status)
			VALUES ($1, $2, $3, 'Jo', 'jo@example.org', '{}', 'Hello', $4, 'shortlisted')`, vacancy, partner, jo.user.ID, shared)
		must(t, err)
	}
	apply(saved[0].ID, f.trust.ID, false)
	apply(saved[1].ID, f.care.ID, true)
	if r := fromA(); r.status != http.StatusNotFound {
		t.Errorf("a partner applied to without consent: status %d", r.status)
	}
	r = fromB()
	if r.status != http.StatusOK || r.body != string(profilePDF()) || !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("a partner applied to with consent: status %d", r.status)
	}
	var audited int
	must(t, f.deps.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'evidence.download' AND actor_id = $1
		AND partner_id = $2 AND target_id = $3`, recB.user.ID, f.care.ID, evidence).Scan(&audited))
	if audited != 1 {
		t.Errorf("%d audit entries for the partner's download, want 1", audited)
	}
}

func TestData_ExportHoldsTheProfileAndPassport(t *testing.T) {
	f := setUp(t, "")
	jo := f.account(t, "jo@example.org", accounts.Jobseeker, nil, "").signIn()
	jo.post("/account/profile", url.Values{"phone": {"07700 900982"}, "right_to_work": {"citizen"}, "statement": {"Ready to help."}})
	id := passportItem(t, jo, url.Values{"kind": {"occupational-health"}, "title": {"Fit to work with patients"}})
	jo.upload("/account/passport/"+itoa(id)+"/evidence", "file", "clearance.pdf", profilePDF())

	r := jo.get("/account/data")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	if got := r.header.Get("Content-Disposition"); got != `attachment; filename="my-data.json"` {
		t.Errorf("Content-Disposition %q", got)
	}
	var x profiles.Export
	if err := json.Unmarshal([]byte(r.body), &x); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if x.Account.Email != "jo@example.org" || x.Profile.Phone != "07700 900982" || x.Profile.Statement != "Ready to help." {
		t.Errorf("account and profile: %+v %+v", x.Account, x.Profile)
	}
	if len(x.Passport) != 1 || x.Passport[0].Title != "Fit to work with patients" || len(x.Passport[0].Evidence) != 1 ||
		x.Passport[0].Evidence[0].Name != "clearance.pdf" {
		t.Errorf("passport: %+v", x.Passport)
	}
	if strings.Contains(r.body, "%PDF") || strings.Contains(r.body, "argon2") || strings.Contains(r.body, "password_hash") {
		t.Error("the export holds file bytes or the password's hash")
	}
}

func TestDeleteAccount_SignsOutEverywhereAndRemovesTheProfile(t *testing.T) {
	f := setUp(t, "")
	ctx := context.Background()
	jo := f.account(t, "jo@example.org", accounts.Jobseeker, nil, "").signIn()
	phone := &actor{t: t, f: f, client: newBrowser(t), user: jo.user}
	phone.signIn()
	jo.post("/account/profile", url.Values{"phone": {"07700 900982"}})
	passportItem(t, jo, url.Values{"kind": {"training"}, "title": {"Fire safety"}})

	mustContain(t, jo.get("/account/delete"), "Delete your account", "jo@example.org")
	r := jo.post("/account/delete", url.Values{"password": {"not my password"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("wrong password: status %d", r.status)
	}
	mustContain(t, r, `href="#password"`, "Your password is not right")
	if r := phone.get("/account"); r.status != http.StatusOK {
		t.Fatalf("a wrong password signed someone out: status %d", r.status)
	}

	r = jo.post("/account/delete", url.Values{"password": {testPassword}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/account/deleted" {
		t.Fatalf("delete: status %d to %q", r.status, r.header.Get("Location"))
	}
	mustContain(t, jo.get("/account/deleted"), "Your account is deleted")
	for name, who := range map[string]*actor{"this browser": jo, "another device": phone} {
		if r := who.get("/account/profile"); !sentToSignIn(r) {
			t.Errorf("%s is still signed in: status %d", name, r.status)
		}
	}
	if _, err := f.deps.Profiles.Get(ctx, jo.user.ID); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("profile after deletion: %v", err)
	}
	var items int
	must(t, f.deps.Pool.QueryRow(ctx, `SELECT count(*) FROM passport_items WHERE user_id = $1`, jo.user.ID).Scan(&items))
	if items != 0 {
		t.Errorf("%d passport items left", items)
	}
	r = jo.post("/account/sign-in", url.Values{"email": {"jo@example.org"}, "password": {testPassword}})
	if r.status == http.StatusSeeOther {
		t.Error("the deleted account can still sign in")
	}
}
