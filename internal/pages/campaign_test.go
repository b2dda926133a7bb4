package pages_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/pages"
)

func TestCleanSource_KeepsOnlySafeCharacters(t *testing.T) {
	for in, want := range map[string]string{
		"  Facebook ":                      "facebook",
		"news<script>letter":               "newsscriptletter",
		"NHS_Jobs.co-uk":                   "nhs_jobs.co-uk",
		"e-mail ✉ 2026":                    "e-mail2026",
		"":                                 "",
		fmt.Sprintf("%070d", 0):            fmt.Sprintf("%060d", 0),
		"'; DROP TABLE campaign_events --": "droptablecampaign_events--",
	} {
		if got := pages.CleanSource(in); got != want {
			t.Errorf("CleanSource(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCampaignReport_AggregatesCountsBySource(t *testing.T) {
	e := setUp(t)
	e.save(t, newPage(pages.Campaign, "return-to-practice", func(p *pages.Page) { p.Title = "Return to practice" }), publish)
	e.save(t, newPage(pages.Campaign, "not-started"), draft)
	// 23:30 UTC on 15 June is 00:30 on 16 June in the UK.
	e.store.SetClock(func() time.Time { return time.Date(2026, 6, 15, 23, 30, 0, 0, time.UTC) })
	count := func(campaign, event, source string, times int) {
		t.Helper()
		for range times {
			if err := e.store.CountCampaign(e.ctx, campaign, event, source); err != nil {
				t.Fatal(err)
			}
		}
	}
	count("return-to-practice", pages.EventVisit, " Facebook ", 3)
	count("return-to-practice", pages.EventVisit, "face<>book", 1)
	count("return-to-practice", pages.EventVisit, "", 2)
	count("return-to-practice", pages.EventVacancyView, "facebook", 2)
	count("return-to-practice", pages.EventApplyClick, "", 1)
	count("bus-adverts", pages.EventVisit, "bus", 5) // events for a campaign with no page still show

	if err := e.store.CountCampaign(e.ctx, "Bad Campaign!", pages.EventVisit, ""); fieldErrors(t, err)["campaign"] == "" {
		t.Errorf("bad campaign: %v", err)
	}
	if err := e.store.CountCampaign(e.ctx, "bus-adverts", "purchase", ""); fieldErrors(t, err)["event"] == "" {
		t.Errorf("bad event: %v", err)
	}
	if n := e.count(t, `SELECT count(*) FROM campaign_events WHERE day <> '2026-06-16'`); n != 0 {
		t.Errorf("%d counts not on the UK day", n)
	}

	uk := func(day int) time.Time { return time.Date(2026, 6, day, 12, 0, 0, 0, time.UTC) }
	report, err := e.store.CampaignReport(e.ctx, uk(16), uk(16))
	if err != nil {
		t.Fatal(err)
	}
	want := []pages.CampaignRow{
		{Campaign: "return-to-practice", Title: "Return to practice", Visits: 6, VacancyViews: 2, ApplyClicks: 1,
			Sources: []pages.SourceCount{{"facebook", 4, 2, 0}, {"", 2, 0, 1}}},
		{Campaign: "bus-adverts", Visits: 5, Sources: []pages.SourceCount{{"bus", 5, 0, 0}}},
		{Campaign: "not-started", Title: "About not-started"},
	}
	if fmt.Sprintf("%+v", report) != fmt.Sprintf("%+v", want) {
		t.Errorf("report =\n%+v\nwant\n%+v", report, want)
	}
	report, _ = e.store.CampaignReport(e.ctx, uk(10), uk(15))
	for _, r := range report {
		if r.Visits+r.VacancyViews+r.ApplyClicks != 0 {
			t.Errorf("days before the counts: %+v", r)
		}
	}
	if len(report) != 2 {
		t.Errorf("%d rows, want the two campaign pages", len(report))
	}
}
