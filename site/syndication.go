package site

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/markdown"
	"github.com/regionalcareers/portal/internal/vacancies"
	"github.com/regionalcareers/portal/search"
)

// indeedJob is one <job> of the Indeed XML feed format.
type indeedJob struct {
	XMLName         xml.Name `xml:"job"`
	Title           cdata    `xml:"title"`
	Date            cdata    `xml:"date"`
	ReferenceNumber cdata    `xml:"referencenumber"`
	URL             cdata    `xml:"url"`
	Company         cdata    `xml:"company"`
	City            cdata    `xml:"city"`
	State           cdata    `xml:"state"`
	Country         cdata    `xml:"country"`
	PostalCode      cdata    `xml:"postalcode"`
	Description     cdata    `xml:"description"`
	Salary          cdata    `xml:"salary"`
	JobType         cdata    `xml:"jobtype"`
	Category        cdata    `xml:"category"`
	ExpirationDate  cdata    `xml:"expirationdate"`
}

type cdata struct {
	Text string `xml:",cdata"`
}

// indeedFeed streams every live vacancy as Indeed XML, so aggregators can
// take the region's roles. It reads PostgreSQL in batches: memory stays
// flat however many roles there are.
func (s *Server) indeedFeed(c echo.Context) error {
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "application/xml; charset=utf-8")
	res.Header().Set("Cache-Control", "public, max-age=900")
	res.WriteHeader(http.StatusOK)
	fmt.Fprintf(res, "%s<source>\n<publisher>%s</publisher>\n<publisherurl>%s</publisherurl>\n<lastBuildDate>%s</lastBuildDate>\n",
		xml.Header, xmlEscape(SiteName), xmlEscape(s.Config.BaseURL), s.Now().UTC().Format(time.RFC1123))
	enc := xml.NewEncoder(res)
	today := s.Now()
	err := s.Vacancies.EachSearchable(c.Request().Context(), 500, func(batch []vacancies.Vacancy) error {
		for _, v := range batch {
			if !v.Open(today) {
				continue
			}
			if err := enc.Encode(s.indeedJob(v)); err != nil {
				return err
			}
		}
		return enc.Flush()
	})
	if err != nil {
		// Headers are gone: all that can be done is to log and stop.
		s.logger.Error("indeed feed", "err", err)
		return nil
	}
	fmt.Fprint(res, "\n</source>\n")
	return nil
}

func (s *Server) indeedJob(v vacancies.Vacancy) indeedJob {
	j := indeedJob{
		Title:           cdata{v.Title},
		Date:            cdata{v.PostedOn.Format(time.RFC1123)},
		ReferenceNumber: cdata{fmt.Sprintf("%d", v.ID)},
		URL:             cdata{s.Config.BaseURL + v.Path()},
		Company:         cdata{v.Partner.Name},
		Country:         cdata{"GB"},
		State:           cdata{"Cambridgeshire"},
		Description:     cdata{string(markdown.ToHTML(v.Description))},
		Salary:          cdata{v.Pay.String()},
		JobType:         cdata{vacancies.Contracts.Label(v.Contract) + ", " + patternText(v.Patterns)},
		Category:        cdata{vacancies.StaffGroups.Label(v.StaffGroup)},
		ExpirationDate:  cdata{v.ClosingOn.Format(time.RFC1123)},
	}
	if len(v.Locations) > 0 {
		j.City, j.PostalCode = cdata{v.Locations[0].Name}, cdata{v.Locations[0].Postcode}
	}
	return j
}

func patternText(patterns []string) string {
	labels := make([]string, len(patterns))
	for i, p := range patterns {
		labels[i] = strings.ToLower(vacancies.Patterns.Label(p))
	}
	return strings.Join(labels, ", ")
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// rss is an RSS 2.0 document.
type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Self        atomLink  `xml:"atom:link"`
	Description string    `xml:"description"`
	Language    string    `xml:"language"`
	Items       []rssItem `xml:"item"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        string   `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Description string   `xml:"description"`
	Category    []string `xml:"category"`
}

// jobsRSS answers any /jobs search as RSS 2.0, with the same parameters.
func (s *Server) jobsRSS(c echo.Context) error {
	q, err := search.ParseVacancyQuery(c.QueryParams(), s.Gazetteer)
	if pe := search.FirstParamError(err); pe != nil {
		return &UserError{Status: http.StatusBadRequest, Message: pe.Message, Parameter: pe.Parameter}
	}
	if q.Sort == "" && q.Q == "" {
		q.Sort = search.SortNewest // a feed reader wants the newest first
	}
	res, err := s.Search.Vacancies(c.Request().Context(), q)
	if err != nil {
		return err
	}
	doc := rss{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Channel: rssChannel{
		Title:       resultsTitle(q, res) + " – " + SiteName,
		Link:        s.Config.BaseURL + "/jobs?" + q.Encode(),
		Self:        atomLink{Href: s.Config.BaseURL + "/jobs.rss?" + q.Encode(), Rel: "self", Type: "application/rss+xml"},
		Description: "Health and care jobs in Cambridgeshire and Peterborough matching this search.",
		Language:    "en-gb",
	}}
	for _, h := range res.Hits {
		posted, _ := time.Parse(time.DateOnly, h.PostedOn)
		doc.Channel.Items = append(doc.Channel.Items, rssItem{
			Title:       h.Title + " – " + h.PartnerName,
			Link:        s.Config.BaseURL + h.Path,
			GUID:        s.Config.BaseURL + h.Path,
			PubDate:     posted.Format(time.RFC1123Z),
			Description: h.Pay + ". Closes " + h.ClosingOn + ". " + h.Summary,
			Category:    []string{h.StaffGroupLabel},
		})
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/rss+xml; charset=utf-8", append([]byte(xml.Header), out...))
}
