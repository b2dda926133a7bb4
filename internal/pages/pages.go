// Package pages owns the site's content pages (area guides, career
// pathways, campaign landing pages, stories and plain pages): their rules,
// SQL, revisions, the import of the pages shipped in content/pages, the
// images editors upload for them and the aggregate counts campaigns
// collect. Writes that change what the public sees enqueue a search sync
// through the outbox in the same transaction. It must not call Meilisearch,
// render markdown or know HTTP.
package pages

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London must load on machines without zoneinfo
	"unicode/utf8"

	"github.com/regionalcareers/portal/internal/vacancies"
)

// Kind is what a page is for; it decides the page's address.
type Kind string

// The kinds of page.
const (
	AreaGuide Kind = "area-guide"
	Pathway   Kind = "career-pathway"
	Campaign  Kind = "campaign"
	Story     Kind = "story"
	Plain     Kind = "page"
)

// Kinds lists every kind, in the order editors choose from.
var Kinds = []Kind{AreaGuide, Pathway, Campaign, Story, Plain}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Label names the kind for people.
func (k Kind) Label() string {
	switch k {
	case AreaGuide:
		return "Area guide"
	case Pathway:
		return "Career pathway"
	case Campaign:
		return "Campaign"
	case Story:
		return "Story"
	case Plain:
		return "Page"
	}
	return string(k)
}

// Prefix is the path a page of this kind lives under.
func (k Kind) Prefix() string {
	switch k {
	case AreaGuide:
		return "/living-here/"
	case Pathway:
		return "/careers/"
	case Campaign:
		return "/campaigns/"
	case Story:
		return "/stories/"
	}
	return "/"
}

// Statuses of a page.
const (
	Draft       = "draft"
	Scheduled   = "scheduled" // goes live at PublishAt
	Published   = "published"
	Unpublished = "unpublished" // was live, taken down
)

// Page is one content page. Body is markdown, rendered and sanitised by
// whoever shows it.
type Page struct {
	ID                     int64
	Kind                   Kind
	Slug, Title, Summary   string
	Body                   string
	Places                 []string // area guides: the towns and districts it covers
	StaffGroups            []string // career pathways: vacancies.StaffGroups slugs
	Tags                   []string
	HeroImage, HeroAlt     string // a path under /media/ or /static/, and its alt text
	Status                 string
	PublishAt, PublishedAt time.Time // zero when unset
	UpdatedAt, EditedAt    time.Time // EditedAt: last saved by an editor; zero for untouched imports
	Shipped                bool      // imported from content/pages
	UpdatedByName          string    // filled on reads for the editor list
}

// Path is the page's address on the site.
func (p Page) Path() string { return p.Kind.Prefix() + p.Slug }

// Live reports whether the public may see the page: it is published. now
// is not consulted: a scheduled page goes live when PublishDue publishes
// it, so the page, the sitemap and search always agree.
func (p Page) Live(now time.Time) bool { return p.Status == Published }

// Errors callers test for.
var (
	ErrNotFound  = errors.New("page not found")
	ErrSlugTaken = errors.New("another page of this kind already has this address")
)

// ValidationError carries field errors for an editor: field -> message.
type ValidationError map[string]string

func (e ValidationError) Error() string {
	parts := make([]string, 0, len(e))
	for _, f := range slices.Sorted(maps.Keys(e)) {
		parts = append(parts, f+": "+e[f])
	}
	return "invalid page: " + strings.Join(parts, "; ")
}

// Limits on what a page holds.
const (
	maxSlug    = 80
	maxTitle   = 150
	maxSummary = 300
	maxAlt     = 250
	maxBody    = 100_000
	maxPlace   = 80
	maxItems   = 30 // places, staff groups or tags on one page
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// reserved are the top-level paths a plain page (kind page, served at
// "/"+slug) must not take from the rest of the site.
var reserved = []string{"jobs", "employers", "account", "recruiter", "editor", "admin", "api", "static", "search",
	"sitemap.xml", "robots.txt", "feeds", "media", "living-here", "careers", "campaigns", "stories", "healthz",
	"readyz", "metrics"}

// Validate returns a message per field that is wrong, written for the
// editor who typed it. The editor form and the import of shipped pages
// both use it. Status is not checked: Save's Action decides it.
func (p Page) Validate() map[string]string {
	errs := map[string]string{}
	if !p.Kind.Valid() {
		errs["kind"] = "Choose the kind of page"
	}
	switch {
	case p.Slug == "":
		errs["slug"] = "Enter the page's address"
	case len(p.Slug) > maxSlug:
		errs["slug"] = fmt.Sprintf("The address must be %d characters or fewer", maxSlug)
	case !slugPattern.MatchString(p.Slug):
		errs["slug"] = "The address must be lower-case letters and numbers, with single hyphens between words"
	case p.Kind == Plain && slices.Contains(reserved, p.Slug):
		errs["slug"] = fmt.Sprintf("/%s is already part of the site: choose another address", p.Slug)
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(p.Title)); n < 2 || n > maxTitle {
		errs["title"] = fmt.Sprintf("Enter a title of 2 to %d characters", maxTitle)
	}
	if utf8.RuneCountInString(strings.TrimSpace(p.Summary)) > maxSummary {
		errs["summary"] = fmt.Sprintf("The summary must be %d characters or fewer", maxSummary)
	}
	if len(p.Body) > maxBody {
		errs["body"] = fmt.Sprintf("The page must be shorter than %d characters", maxBody)
	}
	validateHero(errs, p.HeroImage, p.HeroAlt)
	if msg := validatePlaces(p.Places); msg != "" {
		errs["places"] = msg
	}
	if len(p.StaffGroups) > maxItems {
		errs["staff_groups"] = "Choose fewer staff groups"
	}
	for _, g := range p.StaffGroups {
		if !vacancies.StaffGroups.Has(g) {
			errs["staff_groups"] = fmt.Sprintf("%q is not a staff group", g)
		}
	}
	if len(p.Tags) > maxItems {
		errs["tags"] = fmt.Sprintf("Use at most %d tags", maxItems)
	}
	for _, t := range p.Tags {
		if !slugPattern.MatchString(t) || len(t) > 40 {
			errs["tags"] = fmt.Sprintf("Tag %q must be a lower-case word (or words joined by hyphens)", t)
		}
	}
	return errs
}

// validateHero checks the hero image, which must be one of the site's own
// images (uploaded media or a shipped static file), and its alt text.
func validateHero(errs map[string]string, image, alt string) {
	image, alt = strings.TrimSpace(image), strings.TrimSpace(alt)
	if image == "" {
		if alt != "" {
			errs["hero_image"] = "Choose the image, or remove its description"
		}
		return
	}
	if !strings.HasPrefix(image, "/media/") && !strings.HasPrefix(image, "/static/") ||
		strings.Contains(image, "..") || strings.ContainsAny(image, " \t\r\n\"'<>?#\\") {
		errs["hero_image"] = "Choose an image from the media library"
	}
	switch {
	case alt == "":
		errs["hero_alt"] = "Describe the image for people who cannot see it"
	case utf8.RuneCountInString(alt) > maxAlt:
		errs["hero_alt"] = fmt.Sprintf("The image description must be %d characters or fewer", maxAlt)
	}
}

func validatePlaces(places []string) string {
	if len(places) > maxItems {
		return fmt.Sprintf("List at most %d places", maxItems)
	}
	for _, pl := range places {
		if n := utf8.RuneCountInString(strings.TrimSpace(pl)); n < 2 || n > maxPlace {
			return fmt.Sprintf("Each place must be 2 to %d characters", maxPlace)
		}
	}
	return ""
}

// normalised is p as it is stored: text trimmed, lists without blanks or
// repeats, so what Validate passed is what the table's checks see.
func (p Page) normalised() Page {
	p.Slug = strings.TrimSpace(p.Slug)
	p.Title = strings.TrimSpace(p.Title)
	p.Summary = strings.TrimSpace(p.Summary)
	p.HeroImage = strings.TrimSpace(p.HeroImage)
	p.HeroAlt = strings.TrimSpace(p.HeroAlt)
	p.Body = strings.ReplaceAll(p.Body, "\r\n", "\n")
	p.Places = cleanList(p.Places, false)
	p.StaffGroups = cleanList(p.StaffGroups, true)
	p.Tags = cleanList(p.Tags, true)
	return p
}

// cleanList trims items and drops blanks and repeats (case-insensitive),
// lower-casing them when lower.
func cleanList(items []string, lower bool) []string {
	out := []string{}
	for _, it := range items {
		it = strings.TrimSpace(it)
		if lower {
			it = strings.ToLower(it)
		}
		if it != "" && !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, it) }) {
			out = append(out, it)
		}
	}
	return out
}

// ukTime is the clock the region reads: campaign days and the times in
// revision notes are UK ones.
var ukTime = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()
