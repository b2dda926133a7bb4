package markdown

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"gopkg.in/yaml.v3"

	"github.com/regionalcareers/portal/internal/vacancies"
)

// Kinds of live block: the info string of the fenced code block.
const (
	KindVacancies = "vacancies"
	KindPathway   = "pathway"
)

// Block is one live block found in a page's markdown.
type Block struct {
	Index     int           // 0-based order in the page
	Kind      string        // KindVacancies or KindPathway
	Vacancies VacancyBlock  // when Kind == KindVacancies
	Steps     []PathwayStep // when Kind == KindPathway
	Err       error         // a problem with its parameters, written for the editor: nil when fine
}

// VacancyBlock is the search a vacancies block shows. Place and Partner
// are only checked for form here; the caller checks they exist.
type VacancyBlock struct {
	Heading, Q, StaffGroup, Place, Partner string
	Radius                                 int // miles from Place; 0 means no limit
	Limit                                  int // how many roles to show; 5 unless given
}

// PathwayStep is one role on a career pathway.
type PathwayStep struct {
	Title, Band, Text, Search, StaffGroup string
}

// BlockError lists what is wrong with one block's parameters. Its message
// reads like `Vacancy list 2: "radius" must be a whole number of miles
// from 1 to 100`; Problems lets a preview list them one per line.
type BlockError struct {
	Block    string   // "Vacancy list 2", "Career pathway 1"
	Problems []string // one sentence each
}

func (e *BlockError) Error() string {
	return e.Block + ": " + strings.Join(e.Problems, "; ")
}

// Limits on block parameters.
const (
	defaultLimit = 5
	maxLimit     = 20
	maxRadius    = 100
	maxQuery     = 100
	maxSteps     = 12
	maxStepTitle = 80
	maxStepText  = 400
)

// Hints that open an editor's error when a block is not shaped as expected.
const (
	settingsHint  = `write one setting a line, like "q: care worker"`
	stepsHint     = `write the steps as a list, each starting with "- title:"`
	stepFieldHint = `write the step as settings, like "title: Nursing associate"`
)

var (
	vacancyKeys = []string{"heading", "q", "staff_group", "place", "radius", "partner", "limit"}
	stepKeys    = []string{"title", "band", "text", "search", "staff_group"}
	bands       = []string{"2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9"}
	slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// Blocks finds and parses every live block in page markdown, in page order.
func Blocks(src string) []Block {
	source := []byte(src)
	_, blocks := liveBlocks(parsePage(source), source)
	return blocks
}

// liveBlocks finds live blocks where goldmark sees fenced code, so a fence
// inside another code block is text, and one in a list item or blockquote
// counts. It returns the fence nodes for RenderPage to replace.
func liveBlocks(doc ast.Node, source []byte) ([]*ast.FencedCodeBlock, []Block) {
	var fences []*ast.FencedCodeBlock
	var blocks []Block
	counts := map[string]int{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		fence, ok := n.(*ast.FencedCodeBlock)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		kind := strings.ToLower(string(fence.Language(source)))
		if kind != KindVacancies && kind != KindPathway {
			return ast.WalkContinue, nil
		}
		counts[kind]++
		fences = append(fences, fence)
		blocks = append(blocks, parseBlock(len(blocks), kind, counts[kind], fenceContent(fence, source)))
		return ast.WalkSkipChildren, nil
	})
	return fences, blocks
}

func fenceContent(fence *ast.FencedCodeBlock, source []byte) []byte {
	var buf bytes.Buffer
	lines := fence.Lines()
	for i := 0; i < lines.Len(); i++ {
		segment := lines.At(i)
		buf.Write(segment.Value(source))
	}
	return buf.Bytes()
}

// parseBlock reads one block; number counts blocks of its kind from 1, as
// an editor would ("the second vacancy list").
func parseBlock(index int, kind string, number int, content []byte) Block {
	b := Block{Index: index, Kind: kind}
	var problems []string
	label := "Vacancy list"
	if kind == KindVacancies {
		b.Vacancies, problems = parseVacancies(content)
	} else {
		label = "Career pathway"
		b.Steps, problems = parsePathway(content)
	}
	if len(problems) > 0 {
		b.Err = &BlockError{Block: fmt.Sprintf("%s %d", label, number), Problems: problems}
	}
	return b
}

func parseVacancies(content []byte) (VacancyBlock, []string) {
	v := VacancyBlock{Limit: defaultLimit}
	node, err := decodeYAML(content)
	if err != nil {
		return v, []string{yamlProblem(err)}
	}
	if node == nil {
		return v, nil // an empty block lists the newest roles
	}
	if node.Kind != yaml.MappingNode {
		return v, []string{settingsHint}
	}
	var problems []string
	s := readSettings(node, vacancyKeys, "", &problems)
	v.Heading, v.Q, v.StaffGroup, v.Place, v.Partner = s["heading"], s["q"], s["staff_group"], s["place"], s["partner"]
	problems = checkLength(problems, "", "q", v.Q, maxQuery)
	problems = checkStaffGroup(problems, "", v.StaffGroup)
	if v.Partner != "" && !slugPattern.MatchString(v.Partner) {
		problems = append(problems, `"partner" must be the partner's short name from its page address: lowercase letters, digits and hyphens, like fenland-valley-community-health`)
	}
	if raw, ok := s["radius"]; ok {
		radius, err := strconv.Atoi(raw)
		switch {
		case err != nil || radius < 1 || radius > maxRadius:
			problems = append(problems, fmt.Sprintf(`"radius" must be a whole number of miles from 1 to %d`, maxRadius))
		case v.Place == "":
			problems = append(problems, `"radius" needs a "place" to measure from`)
		default:
			v.Radius = radius
		}
	}
	if raw, ok := s["limit"]; ok {
		limit, err := strconv.Atoi(raw)
		if err != nil || limit < 1 || limit > maxLimit {
			problems = append(problems, fmt.Sprintf(`"limit" must be a whole number from 1 to %d`, maxLimit))
		} else {
			v.Limit = limit
		}
	}
	return v, problems
}

func parsePathway(content []byte) ([]PathwayStep, []string) {
	node, err := decodeYAML(content)
	if err != nil {
		return nil, []string{yamlProblem(err)}
	}
	if node == nil || (node.Kind == yaml.SequenceNode && len(node.Content) == 0) {
		return nil, []string{"there are no steps; " + stepsHint}
	}
	if node.Kind != yaml.SequenceNode {
		return nil, []string{stepsHint}
	}
	var problems []string
	if len(node.Content) > maxSteps {
		problems = append(problems, fmt.Sprintf("there are %d steps; a pathway can show at most %d", len(node.Content), maxSteps))
	}
	var steps []PathwayStep
	for i, item := range node.Content {
		prefix := fmt.Sprintf("step %d: ", i+1)
		if item.Kind != yaml.MappingNode {
			problems = append(problems, prefix+stepFieldHint)
			continue
		}
		s := readSettings(item, stepKeys, prefix, &problems)
		step := PathwayStep{Title: s["title"], Band: strings.ToLower(s["band"]), Text: s["text"], Search: s["search"], StaffGroup: s["staff_group"]}
		problems = checkRequired(problems, prefix, "title", step.Title, maxStepTitle)
		problems = checkRequired(problems, prefix, "text", step.Text, maxStepText)
		problems = checkLength(problems, prefix, "search", step.Search, maxQuery)
		problems = checkStaffGroup(problems, prefix, step.StaffGroup)
		if step.Band != "" && !slices.Contains(bands, step.Band) {
			problems = append(problems, prefix+`"band" must be one of `+orList(bands))
		}
		steps = append(steps, step)
	}
	return steps, problems
}

// decodeYAML returns the block's top node, or nil for an empty block.
func decodeYAML(content []byte) (node *yaml.Node, err error) {
	defer func() {
		// yaml.v3 has panicked on odd input before; an editor's typo must
		// not take the page down.
		if r := recover(); r != nil {
			node, err = nil, fmt.Errorf("%v", r)
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(content, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	top := doc.Content[0]
	if top.Kind == yaml.ScalarNode && top.Tag == "!!null" {
		return nil, nil
	}
	return top, nil
}

func yamlProblem(err error) string {
	return "the settings could not be read (" + err.Error() + ")"
}

// readSettings returns a mapping's values by key, trimmed, noting unknown,
// repeated and non-scalar settings in problems.
func readSettings(node *yaml.Node, allowed []string, prefix string, problems *[]string) map[string]string {
	values := map[string]string{}
	seen := map[string]bool{}
	for i := 0; i+1 < len(node.Content); i += 2 {
		key, value := node.Content[i], node.Content[i+1]
		name := key.Value
		repeated := seen[name]
		seen[name] = true
		switch {
		case key.Kind != yaml.ScalarNode:
			*problems = append(*problems, prefix+settingsHint)
		case !slices.Contains(allowed, name):
			*problems = append(*problems, fmt.Sprintf(`%s%q is not a setting here; use %s`, prefix, name, orList(allowed)))
		case repeated:
			*problems = append(*problems, fmt.Sprintf(`%s%q is given more than once`, prefix, name))
		case value.Kind != yaml.ScalarNode:
			*problems = append(*problems, fmt.Sprintf(`%s%q must be a single value, not a list or settings`, prefix, name))
		case value.Tag == "!!null":
			values[name] = ""
		default:
			values[name] = strings.TrimSpace(value.Value)
		}
	}
	return values
}

func checkRequired(problems []string, prefix, name, value string, max int) []string {
	if value == "" {
		return append(problems, fmt.Sprintf(`%s%q is missing`, prefix, name))
	}
	return checkLength(problems, prefix, name, value, max)
}

func checkLength(problems []string, prefix, name, value string, max int) []string {
	if n := utf8.RuneCountInString(value); n > max {
		return append(problems, fmt.Sprintf(`%s%q must be at most %d characters (it has %d)`, prefix, name, max, n))
	}
	return problems
}

func checkStaffGroup(problems []string, prefix, slug string) []string {
	if slug == "" || vacancies.StaffGroups.Has(slug) {
		return problems
	}
	slugs := make([]string, len(vacancies.StaffGroups))
	for i, t := range vacancies.StaffGroups {
		slugs[i] = t.Slug
	}
	return append(problems, prefix+`"staff_group" must be one of `+orList(slugs))
}

// orList writes "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
