package report

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"ecscan/checks"
	"ecscan/mapping"
)

// htmlView is what the HTML template renders: the report with its lookups, labels and links
// worked out, and every string from a server or a data file cleaned (inline or block) —
// html/template escapes them on output.
type htmlView struct {
	Lang        string
	R           *Report
	Scanner     string
	Run         string
	Targets     string
	Sources     string
	Severities  []sevCount
	Answered    []sourceCount
	Grades      []gradeRow
	CheckErrors [][2]string
	Hosts       []hostRow
	Services    []serviceRow
	Failures    []sevGroup
	Passes      []findingRow
	Facts       []findingRow
	Incomplete  []incompleteRow
	Chapters    []chapterView
	Evidence    []evidenceView

	evidence map[string]bool   // evidence IDs present
	findings map[string]string // finding key → anchor
	anchored map[string]bool   // finding keys whose anchor is written
	outcome  map[string]checks.Outcome
	byKey    map[string]checks.Finding
}

type sevCount struct {
	Label, Class string
	N            int
}

type sourceCount struct {
	Label, Class string
	N            int
}

type gradeRow struct {
	Place, Letter, Class, Title, Detail string
	Links                               []refView
}

type hostRow struct {
	Name, Addrs, Sources, Reason string
	InScope                      bool
}

type serviceRow struct {
	Host, Addr, Protocol, TLS, Product, Version, Banner string
	Port                                                int
}

type incompleteRow struct {
	Check, Target, Status, Error string
}

// refView is a reference: a link when Anchor is set, plain text otherwise.
type refView struct {
	Text, Anchor string
}

type findingRow struct {
	Anchor, ID, Place, Title, Detail, Sev, SevClass, Level string
	Evidence                                               []refView
}

type sevGroup struct {
	Label, Class string
	Findings     []findingRow
}

type evidenceView struct {
	Anchor, ID, Kind, Target, Title, Time, Data string
	Findings, Questions                         []refView
}

// inline cleans a one-line string for display: line breaks become spaces, invalid UTF-8 and
// control or format characters become visible escapes.
func inline(s string) string {
	return Terminal(strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(s))
}

// block cleans a multi-line string for a <pre> or a paragraph: line breaks are kept, every
// other control character is made visible, invalid UTF-8 becomes U+FFFD.
func block(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = Terminal(l)
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// preBlock is block for a <pre>: tabs are kept too, so that zone files and headers line up.
func preBlock(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		cells := strings.Split(l, "\t")
		for j, c := range cells {
			cells[j] = Terminal(c)
		}
		lines[i] = strings.Join(cells, "\t")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// findingAnchor is the HTML id of a finding, from its key.
func findingAnchor(key string) string { return "f" + strings.TrimPrefix(Anchor(key), "ev") }

// questionAnchor is the HTML id of a question.
func questionAnchor(id string) string { return "q" + strings.TrimPrefix(Anchor(id), "ev") }

func newHTMLView(r *Report, o Options) *htmlView {
	v := &htmlView{Lang: o.Lang, R: r, evidence: map[string]bool{}, findings: map[string]string{}, anchored: map[string]bool{}}
	if v.Lang != "en" {
		v.Lang = "ja"
	}
	for _, e := range allEvidence(r) {
		v.evidence[e.ID] = true
	}
	v.outcome, v.byKey = map[string]checks.Outcome{}, map[string]checks.Finding{}
	for _, f := range r.Findings {
		if _, ok := v.findings[f.Key()]; !ok {
			v.findings[f.Key()], v.outcome[f.Key()], v.byKey[f.Key()] = findingAnchor(f.Key()), f.Outcome, f
		}
	}
	v.Scanner = inline(r.Scanner.Name + " " + r.Scanner.Version)
	v.Run = fmt.Sprintf("%s – %s (%s)", r.Started.Format("2006-01-02 15:04:05 MST"), r.Ended.Format("15:04:05"), r.Ended.Sub(r.Started).Round(time.Millisecond))
	v.Targets = inline(strings.Join(r.Targets, ", "))
	v.Sources = inline(strings.Join(r.SourceAddress, ", "))
	v.summary()
	v.hosts()
	v.findingRows()
	v.Chapters = v.chapters(o.Catalog)
	v.evidenceViews()
	return v
}

func (v *htmlView) tr(ja, en string) string { return tr(v.Lang, ja, en) }

// summary fills the counts of the summary section.
func (v *htmlView) summary() {
	s := v.R.Summary
	for i := checks.SevCritical; i >= checks.SevInfo; i-- {
		v.Severities = append(v.Severities, sevCount{i.Label(v.Lang), "sev-" + i.String(), s.Failures[i.String()]})
	}
	for _, src := range []mapping.Source{mapping.FromScan, mapping.FromOperator, mapping.OperatorOverride, mapping.Open, mapping.NotApplicable} {
		v.Answered = append(v.Answered, sourceCount{shortSourceLabel(src, v.Lang), sourceClass(src), s.Answered[string(src)]})
	}
	for _, f := range v.R.Findings {
		if f.ID == "tls.grade" {
			letter := gradeLetter(f)
			v.Grades = append(v.Grades, gradeRow{Place: inline(findingPlaceNoSubject(f)), Letter: letter, Class: gradeClass(letter),
				Title: inline(f.Title.In(v.Lang)), Detail: inline(f.Detail.In(v.Lang)), Links: []refView{{v.tr("詳細", "details"), v.findings[f.Key()]}}})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(v.R.CheckErrors)) {
		v.CheckErrors = append(v.CheckErrors, [2]string{inline(name), inline(v.R.CheckErrors[name])})
	}
}

var gradePattern = regexp.MustCompile(`^(A\+|A-|[A-FTM])$`)

// gradeLetter returns the letter of a tls.grade finding: its subject, or the first word of
// its English title or detail that is a grade; "?" when none is.
func gradeLetter(f checks.Finding) string {
	if gradePattern.MatchString(f.Subject) {
		return f.Subject
	}
	for _, text := range []string{f.Title.EN, f.Detail.EN} {
		for _, w := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(" ,.;:()[]", r) }) {
			if gradePattern.MatchString(w) {
				return w
			}
		}
	}
	return "?"
}

// gradeClass maps a grade letter onto one of a fixed set of CSS classes.
func gradeClass(letter string) string {
	switch {
	case strings.HasPrefix(letter, "A"):
		return "grade-a"
	case letter == "B":
		return "grade-b"
	case letter == "C" || letter == "D" || letter == "E":
		return "grade-c"
	case letter == "F" || letter == "T" || letter == "M":
		return "grade-f"
	}
	return "grade-unknown"
}

func findingPlaceNoSubject(f checks.Finding) string {
	if f.Port > 0 {
		return fmt.Sprintf("%s:%d", f.Host, f.Port)
	}
	return f.Host
}

func (v *htmlView) hosts() {
	for _, h := range v.R.Hosts {
		var addrs []string
		for _, a := range h.Addrs {
			addrs = append(addrs, a.String())
		}
		v.Hosts = append(v.Hosts, hostRow{inline(h.Name), inline(strings.Join(addrs, ", ")), inline(strings.Join(h.Sources, ", ")), inline(scopeReason(h.Reason, v.Lang)), h.InScope})
	}
	for _, s := range v.R.Services {
		tls := ""
		if s.TLS {
			tls = "TLS"
		} else if s.StartTLS {
			tls = "STARTTLS"
		}
		v.Services = append(v.Services, serviceRow{inline(s.Host), s.Addr.String(), inline(s.Protocol), tls, inline(s.Product), inline(s.Version), bannerLine(s.Banner), s.Port})
	}
}

// findingRows sorts the findings into failures by severity, passes and facts, and lists the
// probes that did not complete.
func (v *htmlView) findingRows() {
	groups := map[checks.Severity][]findingRow{}
	for _, f := range v.R.Findings {
		row := v.findingRow(f)
		switch f.Outcome {
		case checks.Fail:
			groups[f.Severity] = append(groups[f.Severity], row)
		case checks.Pass:
			v.Passes = append(v.Passes, row)
		default:
			v.Facts = append(v.Facts, row)
		}
	}
	for _, sev := range slices.Sorted(maps.Keys(groups)) {
		v.Failures = append(v.Failures, sevGroup{sev.Label(v.Lang), "sev-" + sev.String(), groups[sev]})
	}
	slices.Reverse(v.Failures)
	for _, r := range v.R.Results {
		if r.Status != checks.StatusOK {
			v.Incomplete = append(v.Incomplete, incompleteRow{inline(r.Check), inline(r.Target), inline(string(r.Status)), inline(r.Error)})
		}
	}
}

func (v *htmlView) findingRow(f checks.Finding) findingRow {
	row := findingRow{ID: inline(f.ID), Place: inline(findingPlace(f)), Title: inline(f.Title.In(v.Lang)), Detail: block(f.Detail.In(v.Lang)),
		Sev: f.Severity.Label(v.Lang), Level: cmp.Or(severityName(f.Severity), "info")}
	row.SevClass = "sev-" + row.Level
	if !v.anchored[f.Key()] { // a finding repeated with the same key gets no second id
		row.Anchor, v.anchored[f.Key()] = findingAnchor(f.Key()), true
	}
	row.Evidence = v.evidenceRefs(f.Evidence)
	return row
}

// severityName returns a severity's name when it is one of the five, or "".
func severityName(s checks.Severity) string {
	if s < checks.SevInfo || s > checks.SevCritical {
		return ""
	}
	return s.String()
}

// evidenceRefs links evidence IDs present in the report; other references stay text.
func (v *htmlView) evidenceRefs(ids []string) []refView {
	var out []refView
	for _, id := range ids {
		ref := refView{Text: inline(id)}
		if v.evidence[id] {
			ref.Anchor = Anchor(id)
		}
		out = append(out, ref)
	}
	return out
}

// findingRefs links finding keys to their findings, named by ID and place.
func (v *htmlView) findingRefs(keys []string) []refView {
	var out []refView
	for _, k := range keys {
		text := strings.TrimSpace(strings.ReplaceAll(k, "|", " "))
		if f, ok := v.byKey[k]; ok {
			text = f.ID + " @ " + findingPlace(f)
		}
		out = append(out, refView{Text: inline(text), Anchor: v.findings[k]})
	}
	return out
}

func (v *htmlView) evidenceViews() {
	uses := evidenceUses(v.R)
	for _, e := range allEvidence(v.R) {
		ev := evidenceView{Anchor: Anchor(e.ID), ID: inline(e.ID), Kind: inline(e.Kind), Target: inline(e.Target), Title: inline(e.Title),
			Time: e.Time.Format("2006-01-02 15:04:05.000 MST"), Data: preBlock(e.Data)}
		if u := uses[e.ID]; u != nil {
			ev.Findings = v.findingRefs(u.Findings)
			for _, q := range u.Questions {
				ev.Questions = append(ev.Questions, refView{Text: inline(q), Anchor: questionAnchor(q)})
			}
		}
		v.Evidence = append(v.Evidence, ev)
	}
}

// bannerLine is the first line of a banner, cut to 80 columns.
func bannerLine(b string) string {
	first, _, _ := strings.Cut(strings.ReplaceAll(b, "\r\n", "\n"), "\n")
	return Truncate(inline(first), 80)
}
