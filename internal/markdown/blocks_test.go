package markdown

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func fence(kind, body string) string {
	return "```" + kind + "\n" + body + "```\n"
}

func TestBlocks_ParsesAGoodVacanciesBlock(t *testing.T) {
	src := "# Fenland\n\nIntro.\n\n" + fence("vacancies", `heading: Care jobs in Fenland now
q: care worker
staff_group: social-care
place: Wisbech
radius: 15
partner: fenland-valley-community-health
limit: 5
`)
	got := Blocks(src)
	want := []Block{{Index: 0, Kind: KindVacancies, Vacancies: VacancyBlock{
		Heading: "Care jobs in Fenland now", Q: "care worker", StaffGroup: "social-care",
		Place: "Wisbech", Radius: 15, Partner: "fenland-valley-community-health", Limit: 5,
	}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestBlocks_ParsesAGoodPathwayBlock(t *testing.T) {
	src := fence("pathway", `- title: Healthcare support worker
  band: "3"
  text: One or two sentences.
  search: healthcare support worker
  staff_group: additional-clinical
- title: Nursing associate
  band: 4
  text: >
    Folded text
    over two lines.
  search: nursing associate
- title: Advanced practitioner
  band: 8A
  text: Leads a team.
`)
	got := Blocks(src)
	want := []Block{{Index: 0, Kind: KindPathway, Steps: []PathwayStep{
		{Title: "Healthcare support worker", Band: "3", Text: "One or two sentences.", Search: "healthcare support worker", StaffGroup: "additional-clinical"},
		{Title: "Nursing associate", Band: "4", Text: "Folded text over two lines.", Search: "nursing associate"},
		{Title: "Advanced practitioner", Band: "8a", Text: "Leads a team."},
	}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestBlocks_EmptyVacanciesBlockListsNewestRoles(t *testing.T) {
	for _, body := range []string{"", "\n", "# just a comment\n", "~\n"} {
		got := Blocks(fence("vacancies", body))
		if len(got) != 1 || got[0].Err != nil || got[0].Vacancies != (VacancyBlock{Limit: 5}) {
			t.Errorf("body %q: got %+v, want one block with only the default limit", body, got)
		}
	}
}

func TestBlocks_ExplainsEachBadParameter(t *testing.T) {
	longQ := strings.Repeat("a", 101)
	tests := []struct {
		name, kind, body, want string
	}{
		{"unknown key", "vacancies", "colour: blue\n", `"colour" is not a setting here; use heading, q, staff_group, place, radius, partner or limit`},
		{"unknown staff group", "vacancies", "staff_group: nurses\n", `"staff_group" must be one of nursing-midwifery, allied-health, medical-dental, healthcare-science, scientific-technical, additional-clinical, admin-clerical, estates-ancillary or social-care`},
		{"radius too big", "vacancies", "place: Wisbech\nradius: 150\n", `"radius" must be a whole number of miles from 1 to 100`},
		{"radius zero", "vacancies", "place: Wisbech\nradius: 0\n", `"radius" must be a whole number of miles from 1 to 100`},
		{"radius in words", "vacancies", "place: Wisbech\nradius: 15 miles\n", `"radius" must be a whole number of miles from 1 to 100`},
		{"radius not whole", "vacancies", "place: Wisbech\nradius: 2.5\n", `"radius" must be a whole number of miles from 1 to 100`},
		{"radius without place", "vacancies", "radius: 10\n", `"radius" needs a "place" to measure from`},
		{"limit too big", "vacancies", "limit: 21\n", `"limit" must be a whole number from 1 to 20`},
		{"limit zero", "vacancies", "limit: 0\n", `"limit" must be a whole number from 1 to 20`},
		{"partner not a slug", "vacancies", "partner: Fenland Valley NHS\n", `"partner" must be the partner's short name`},
		{"partner with capitals", "vacancies", "partner: Fenland-Valley\n", `"partner" must be the partner's short name`},
		{"query too long", "vacancies", "q: " + longQ + "\n", `"q" must be at most 100 characters (it has 101)`},
		{"repeated key", "vacancies", "q: nurse\nq: carer\n", `"q" is given more than once`},
		{"list where a value belongs", "vacancies", "q: [nurse, carer]\n", `"q" must be a single value`},
		{"invalid yaml", "vacancies", "q: nurse\n  place: : Wisbech\n", `the settings could not be read (yaml: line 2:`},
		{"not settings", "vacancies", "care worker\n", `write one setting a line, like "q: care worker"`},
		{"list not settings", "vacancies", "- q: nurse\n", `write one setting a line`},
		{"empty pathway", "pathway", "", `there are no steps`},
		{"pathway not a list", "pathway", "title: Nurse\ntext: Cares.\n", `write the steps as a list, each starting with "- title:"`},
		{"too many steps", "pathway", strings.Repeat("- title: Step\n  text: Words.\n", 13), `there are 13 steps; a pathway can show at most 12`},
		{"step without title", "pathway", "- text: Words.\n", `step 1: "title" is missing`},
		{"step without text", "pathway", "- title: Nurse\n- title: Matron\n  text: Leads.\n", `step 1: "text" is missing`},
		{"title too long", "pathway", "- title: " + strings.Repeat("x", 81) + "\n  text: Words.\n", `step 1: "title" must be at most 80 characters (it has 81)`},
		{"text too long", "pathway", "- title: Nurse\n  text: " + strings.Repeat("x", 401) + "\n", `step 1: "text" must be at most 400 characters (it has 401)`},
		{"bad band", "pathway", "- title: Nurse\n  text: Words.\n  band: Band 5\n", `step 1: "band" must be one of 2, 3, 4, 5, 6, 7, 8a, 8b, 8c, 8d or 9`},
		{"band 1", "pathway", "- title: Nurse\n  text: Words.\n  band: 1\n", `"band" must be one of`},
		{"unknown step key", "pathway", "- title: Nurse\n  text: Words.\n  salary: lots\n", `step 1: "salary" is not a setting here; use title, band, text, search or staff_group`},
		{"bad step staff group", "pathway", "- title: Nurse\n  text: Words.\n  staff_group: nurses\n", `step 1: "staff_group" must be one of`},
		{"step not settings", "pathway", "- Nurse\n", `step 1: write the step as settings`},
		{"invalid pathway yaml", "pathway", "- title: [Nurse\n", `the settings could not be read (yaml:`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blocks := Blocks(fence(tt.kind, tt.body))
			if len(blocks) != 1 || blocks[0].Err == nil {
				t.Fatalf("got %+v, want one block with an error", blocks)
			}
			if msg := blocks[0].Err.Error(); !strings.Contains(msg, tt.want) {
				t.Errorf("error %q\ndoes not contain %q", msg, tt.want)
			}
		})
	}
}

func TestBlocks_NamesTheBlockAsAnEditorCountsIt(t *testing.T) {
	src := fence("vacancies", "q: nurse\n") + "\n" + fence("pathway", "- title: A\n  text: B\n") + "\n" +
		fence("vacancies", "place: Wisbech\nradius: 150\n")
	blocks := Blocks(src)
	if len(blocks) != 3 {
		t.Fatalf("got %d blocks, want 3", len(blocks))
	}
	for i, b := range blocks {
		if b.Index != i {
			t.Errorf("block %d has Index %d", i, b.Index)
		}
	}
	if blocks[0].Err != nil || blocks[1].Err != nil {
		t.Errorf("first two blocks should be fine: %v, %v", blocks[0].Err, blocks[1].Err)
	}
	want := `Vacancy list 2: "radius" must be a whole number of miles from 1 to 100`
	if blocks[2].Err == nil || blocks[2].Err.Error() != want {
		t.Errorf("got %v, want %s", blocks[2].Err, want)
	}
	var blockErr *BlockError
	if !errors.As(blocks[2].Err, &blockErr) || blockErr.Block != "Vacancy list 2" || len(blockErr.Problems) != 1 {
		t.Errorf("got %#v, want a *BlockError for Vacancy list 2 with one problem", blocks[2].Err)
	}
}

func TestBlocks_ListsEveryProblemInABlock(t *testing.T) {
	blocks := Blocks(fence("vacancies", "colour: blue\nlimit: 99\n"))
	var blockErr *BlockError
	if !errors.As(blocks[0].Err, &blockErr) || len(blockErr.Problems) != 2 {
		t.Errorf("got %v, want two problems", blocks[0].Err)
	}
}

func TestBlocks_FindsBlocksWhereGoldmarkSeesFencedCode(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		kinds []string
	}{
		{"in a list item", "- Jobs near you:\n\n  ```vacancies\n  q: nurse\n  limit: 3\n  ```\n- Next item\n", []string{"vacancies"}},
		{"in a blockquote", "> ```pathway\n> - title: Nurse\n>   text: Cares.\n> ```\n", []string{"pathway"}},
		{"tilde fence and extra info", "~~~vacancies wide\nq: nurse\n~~~\n", []string{"vacancies"}},
		{"capitalised info string", "```Vacancies\nq: nurse\n```\n", []string{"vacancies"}},
		{"inside a longer fence", "````markdown\n```vacancies\nq: nurse\n```\n````\n", nil},
		{"indented code", "    ```vacancies\n    q: nurse\n    ```\n", nil},
		{"inline code", "Write `vacancies` blocks like ```vacancies q: nurse```.\n", nil},
		{"other languages", "```yaml\nq: nurse\n```\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var kinds []string
			for _, b := range Blocks(tt.src) {
				if b.Err != nil {
					t.Errorf("unexpected error: %v", b.Err)
				}
				kinds = append(kinds, b.Kind)
			}
			if !reflect.DeepEqual(kinds, tt.kinds) {
				t.Errorf("got kinds %v, want %v", kinds, tt.kinds)
			}
		})
	}
}

func TestBlocks_ListItemBlockLosesTheListIndent(t *testing.T) {
	blocks := Blocks("- Jobs:\n\n  ```vacancies\n  q: nurse\n  limit: 3\n  ```\n")
	if len(blocks) != 1 || blocks[0].Vacancies != (VacancyBlock{Q: "nurse", Limit: 3}) {
		t.Errorf("got %+v", blocks)
	}
}
