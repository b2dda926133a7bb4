package normalise

import (
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestDate_ReadsFeedFormats(t *testing.T) {
	nov30 := day(2026, time.November, 30)
	tests := []struct {
		text string
		want time.Time
	}{
		{"2026-11-30T10:00:00Z", nov30},
		{"2026-11-30T10:00:00.123Z", nov30},
		{"2026-11-30T10:00:00.123456789Z", nov30},
		{"2026-11-30T10:00:00+00:00", nov30},
		{"2026-11-30T10:00:00.000+0000", nov30},
		{"2026-11-30T10:00:00", nov30},
		{"2026-11-30T10:00", nov30},
		{"2026-11-30 10:00:00", nov30},
		{"2026-11-30", nov30},
		{"30/11/2026", nov30},
		{"30-11-2026", nov30},
		{"30.11.2026", nov30},
		{"30/11/26", nov30},
		{"30/11/2026 23:59", nov30},
		{"30 Nov 2026", nov30},
		{"30 November 2026", nov30},
		{"30th November 2026", nov30},
		{"November 30, 2026", nov30},
		{"Mon, 30 Nov 2026 00:00:00 GMT", nov30},
		{"Mon, 30 Nov 2026 00:00:00 +0000", nov30},
		{"Monday, 30 November 2026", nov30},
		{"  30/11/2026 ", nov30},
		{"30 Sept 2026", day(2026, time.September, 30)},
		{"1/9/2026", day(2026, time.September, 1)},
	}
	for _, test := range tests {
		got, err := Date(test.text)
		if err != nil || !got.Equal(test.want) || got.Location() != time.UTC {
			t.Errorf("Date(%q) = %v, %v; want %v", test.text, got, err, test.want)
		}
	}
}

// A moment with a zone counts on London's calendar: late evening UTC in
// summer is already the next day in London.
func TestDate_TakesTheCalendarDayInLondon(t *testing.T) {
	tests := []struct {
		text string
		want time.Time
	}{
		{"2026-06-30T23:30:00Z", day(2026, time.July, 1)},
		{"2026-12-31T23:30:00Z", day(2026, time.December, 31)}, // GMT in winter
		{"2026-07-01T00:30:00+02:00", day(2026, time.June, 30)},
		{"2026-07-01T00:30:00+0200", day(2026, time.June, 30)},
		{"Tue, 30 Jun 2026 23:30:00 BST", day(2026, time.June, 30)},
		{"Tue, 30 Jun 2026 23:30:00 GMT", day(2026, time.July, 1)},
		{"2026-06-30T23:30:00", day(2026, time.June, 30)}, // no zone: London time as written
	}
	for _, test := range tests {
		got, err := Date(test.text)
		if err != nil || !got.Equal(test.want) {
			t.Errorf("Date(%q) = %v, %v; want %v", test.text, got, err, test.want)
		}
	}
}

// UK feeds write the day first; month first is read only when the day-first
// reading is impossible.
func TestDate_ReadsNumericDatesDayFirst(t *testing.T) {
	tests := []struct {
		text string
		want time.Time
	}{
		{"03/04/2026", day(2026, time.April, 3)},
		{"12/11/2026", day(2026, time.November, 12)},
		{"11/30/2026", day(2026, time.November, 30)},
	}
	for _, test := range tests {
		got, err := Date(test.text)
		if err != nil || !got.Equal(test.want) {
			t.Errorf("Date(%q) = %v, %v; want %v", test.text, got, err, test.want)
		}
	}
}

func TestDate_RejectsWhatIsNotADate(t *testing.T) {
	for _, text := range []string{"", "   ", "31/02/2026", "2026-13-01", "32/01/2026", "13/13/2026", "soon", "ASAP",
		"30 Nov", "2026-02-30", "30/11/2026 and 01/12/2026"} {
		if got, err := Date(text); err == nil {
			t.Errorf("Date(%q) = %v, want an error", text, got)
		}
	}
}

func TestDate_ErrorNamesTheText(t *testing.T) {
	_, err := Date("31/02/2026")
	if err == nil || err.Error() != `"31/02/2026" is not a date` {
		t.Errorf("Date error = %v, want %q", err, `"31/02/2026" is not a date`)
	}
}
