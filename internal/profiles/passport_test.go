package profiles_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/profiles"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestPassportItem_ExpiredAndExpiresSoon(t *testing.T) {
	today := time.Date(2026, 3, 10, 23, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name          string
		expires       time.Time
		expired, soon bool
	}{
		{"never expires", time.Time{}, false, false},
		{"expired yesterday", date(2026, 3, 9), true, false},
		{"expires today: still good", date(2026, 3, 10), false, true},
		{"in 60 days", date(2026, 5, 9), false, true},
		{"in 61 days", date(2026, 5, 10), false, false},
		{"next year", date(2027, 1, 1), false, false},
	} {
		i := profiles.PassportItem{ExpiresOn: tc.expires}
		if got := i.Expired(today); got != tc.expired {
			t.Errorf("%s: Expired = %v", tc.name, got)
		}
		if got := i.ExpiresSoon(today); got != tc.soon {
			t.Errorf("%s: ExpiresSoon = %v", tc.name, got)
		}
	}
}

func TestPassportItem_Validate(t *testing.T) {
	today := date(2026, 3, 10)
	good := profiles.PassportItem{Kind: profiles.DBS, Title: "Enhanced with barred lists", Reference: "0012 3456 7890",
		CompletedOn: date(2025, 1, 5), ExpiresOn: date(2028, 1, 5)}
	if errs := good.Validate(today); len(errs) > 0 {
		t.Fatalf("a good DBS check is refused: %v", errs)
	}
	for _, tc := range []struct {
		name   string
		change func(*profiles.PassportItem)
		field  string
		want   string
	}{
		{"no title", func(i *profiles.PassportItem) { i.Title = " " }, "title", "level of the check"},
		{"unknown kind", func(i *profiles.PassportItem) { i.Kind = "vaccination" }, "kind", "Choose"},
		{"DBS number too short", func(i *profiles.PassportItem) { i.Reference = "12345" }, "reference", "12-digit"},
		{"DBS number with letters", func(i *profiles.PassportItem) { i.Reference = "00123456789X" }, "reference", "12-digit"},
		{"done in the future", func(i *profiles.PassportItem) { i.CompletedOn, i.ExpiresOn = date(2026, 3, 11), time.Time{} }, "completed_on", "today or in the past"},
		{"expires before done", func(i *profiles.PassportItem) { i.ExpiresOn = date(2024, 1, 1) }, "expires_on", "on or after"},
	} {
		i := good
		tc.change(&i)
		errs := i.Validate(today)
		if !strings.Contains(errs[tc.field], tc.want) || len(errs) != 1 {
			t.Errorf("%s: errors %v, want %s containing %q", tc.name, errs, tc.field, tc.want)
		}
	}
	training := profiles.PassportItem{Kind: profiles.Training, Title: "Manual handling", Reference: "MH-2025-001"}
	if errs := training.Validate(today); len(errs) > 0 {
		t.Errorf("a training reference is held to the DBS format: %v", errs)
	}
}

func TestStore_PassportIsOrderedByKindThenExpiry(t *testing.T) {
	e := setUp(t)
	ctx := context.Background()
	id := e.user(t, "jo@example.org")
	add := func(kind, title string, expires time.Time) {
		_, err := e.store.AddItem(ctx, id, profiles.PassportItem{Kind: kind, Title: title, ExpiresOn: expires})
		must(t, err)
	}
	add(profiles.OccupationalHealth, "Fit to work", time.Time{})
	add(profiles.Training, "Fire safety", date(2027, 6, 1))
	add(profiles.DBS, "Enhanced", time.Time{})
	add(profiles.Training, "Basic life support", date(2026, 9, 1))
	add(profiles.Training, "Equality and diversity", time.Time{})
	items, err := e.store.Passport(ctx, id)
	must(t, err)
	var got []string
	for _, i := range items {
		got = append(got, i.Title)
	}
	want := "Basic life support, Fire safety, Equality and diversity, Enhanced, Fit to work"
	if strings.Join(got, ", ") != want {
		t.Errorf("passport order %q, want %q", strings.Join(got, ", "), want)
	}
	if other, err := e.store.Passport(ctx, e.user(t, "sam@example.org")); err != nil || len(other) != 0 {
		t.Errorf("another user's passport: %v %v", other, err)
	}
}

func TestStore_UpdateKeepsKindAndTidiesTheItem(t *testing.T) {
	e := setUp(t)
	ctx := context.Background()
	id := e.user(t, "jo@example.org")
	itemID, err := e.store.AddItem(ctx, id, profiles.PassportItem{Kind: profiles.DBS, Title: "Enhanced", Reference: "001234567890", OnUpdateService: true})
	must(t, err)
	must(t, e.store.UpdateItem(ctx, id, profiles.PassportItem{ID: itemID, Kind: profiles.Training, Title: " Enhanced with barred lists ",
		Reference: "0012 3456 7891", OnUpdateService: true}))
	got, err := e.store.Item(ctx, id, itemID)
	must(t, err)
	if got.Kind != profiles.DBS || got.Title != "Enhanced with barred lists" || got.Reference != "001234567891" || !got.OnUpdateService {
		t.Errorf("updated item %+v", got)
	}
	trainingID, err := e.store.AddItem(ctx, id, profiles.PassportItem{Kind: profiles.Training, Title: "Fire", OnUpdateService: true})
	must(t, err)
	if training, _ := e.store.Item(ctx, id, trainingID); training.OnUpdateService {
		t.Error("a training record is on the DBS update service")
	}
	err = e.store.UpdateItem(ctx, id, profiles.PassportItem{ID: itemID, Title: "Enhanced", Reference: "123"})
	var verr profiles.ValidationError
	if !errors.As(err, &verr) || verr["reference"] == "" {
		t.Errorf("a bad DBS number on update: %v", err)
	}
}

func TestStore_AnotherUsersItemIsNotFound(t *testing.T) {
	e := setUp(t)
	ctx := context.Background()
	owner, other := e.user(t, "jo@example.org"), e.user(t, "sam@example.org")
	itemID, err := e.store.AddItem(ctx, owner, profiles.PassportItem{Kind: profiles.Training, Title: "Fire safety"})
	must(t, err)
	if _, err := e.store.Item(ctx, other, itemID); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("Item: %v", err)
	}
	if err := e.store.UpdateItem(ctx, other, profiles.PassportItem{ID: itemID, Title: "Stolen"}); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("UpdateItem: %v", err)
	}
	if err := e.store.DeleteItem(ctx, other, itemID); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("DeleteItem: %v", err)
	}
	if _, err := e.store.AddEvidence(ctx, other, itemID, "x.pdf", minimalPDF()); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("AddEvidence: %v", err)
	}
	got, err := e.store.Item(ctx, owner, itemID)
	must(t, err)
	if got.Title != "Fire safety" || len(got.Evidence) != 0 {
		t.Errorf("the owner's item changed: %+v", got)
	}
	must(t, e.store.DeleteItem(ctx, owner, itemID))
	if _, err := e.store.Item(ctx, owner, itemID); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("deleted item: %v", err)
	}
}
