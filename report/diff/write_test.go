package diff

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
	"ecscan/mapping"
)

const evil = "\x1b[2J\x1b[31mEVIL\r\n| <script>alert(1)</script> **b** [x](http://y) \u202egnp.exe"

// hostileDiff has a server-controlled string in every field a writer shows.
func hostileDiff() *Diff {
	f := checks.Finding{ID: "web.x" + evil, Host: "evil\nhost", Port: 443, Subject: evil, Outcome: checks.Fail,
		Severity: checks.SevHigh, Title: checks.T(evil, evil)}
	pass := f
	pass.Outcome, pass.Severity = checks.Pass, checks.SevInfo
	return &Diff{
		Old:              RunRef{ID: "run\x1b[1m", Started: time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)},
		New:              RunRef{ID: evil, Started: time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC), Interrupted: true},
		NewFindings:      []checks.Finding{f},
		ResolvedFindings: []checks.Finding{f},
		ChangedFindings:  []Change{{Key: f.Key(), Old: pass, New: f, Worse: true}},
		ChangedAnswers: []AnswerChange{{Question: "3-3-1", Block: evil,
			Old: AnswerState{Source: mapping.Open}, New: AnswerState{Source: mapping.FromOperator, Text: evil, Ratings: map[string]string{evil: evil}}}},
		NewHosts:        []string{evil},
		GoneHosts:       []string{evil},
		ChangedHosts:    []HostChange{{Name: evil, OldAddrs: []string{"192.0.2.1"}, NewAddrs: []string{evil}}},
		NewPorts:        []string{evil + ":1/tcp"},
		ClosedPorts:     []string{evil + ":2/tcp"},
		ChangedServices: []ServiceChange{{Port: evil, Old: evil, New: evil}},
		CertExpiring:    []CertNote{{Host: evil, Port: 443, Finding: CertExpiringID, Severity: checks.SevMedium, Detail: checks.T(evil, evil)}},
		ChangedCerts: []CertChange{{Host: evil, Port: 443, Old: CertID{Serial: evil, Issuer: evil, Subject: evil},
			New: CertID{Serial: evil, Issuer: "CN=x", Subject: "CN=y", NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}}},
	}
}

// changes is the number of changes in hostileDiff: one line or row each.
const changes = 12

func checkNoControls(t *testing.T, format, out string) {
	t.Helper()
	for i, r := range out {
		if (r < 0x20 && r != '\n') || r == 0x7f || r == '\u202e' {
			t.Errorf("%s: raw control %U at byte %d: %q", format, r, i, out[max(0, i-20):min(len(out), i+20)])
			return
		}
	}
}

func TestWriteTextEscapes(t *testing.T) {
	for _, lang := range []string{"ja", "en"} {
		var b bytes.Buffer
		if err := hostileDiff().WriteText(&b, lang); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		checkNoControls(t, "text "+lang, out)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if want := 1 + 1 + changes; len(lines) != want { // headline, warning, changes
			t.Errorf("text %s: %d lines, want %d:\n%s", lang, len(lines), want, out)
		}
		if !strings.Contains(out, `\x1b[2J`) || !strings.Contains(out, `\u202e`) {
			t.Errorf("text %s: escapes not shown visibly:\n%s", lang, out)
		}
	}
}

func TestWriteMarkdownEscapes(t *testing.T) {
	for _, lang := range []string{"ja", "en"} {
		var b bytes.Buffer
		if err := hostileDiff().WriteMarkdown(&b, lang); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		checkNoControls(t, "markdown "+lang, out)
		for _, bad := range []string{"<script>", "**b**", "[x](http", "\n# "} {
			if strings.Contains(out, bad) {
				t.Errorf("markdown %s: contains %q:\n%s", lang, bad, out)
			}
		}
		rows := 0
		for _, line := range strings.Split(out, "\n") {
			if !strings.HasPrefix(line, "|") {
				continue
			}
			rows++
			if cells := strings.Count(line, "|") - strings.Count(line, `\|`); cells != 5 {
				t.Errorf("markdown %s: row with %d unescaped pipes, want 5: %s", lang, cells, line)
			}
		}
		if want := 2 + changes; rows != want {
			t.Errorf("markdown %s: %d table rows, want %d:\n%s", lang, rows, want, out)
		}
	}
}

func TestWriteJSONRoundTrip(t *testing.T) {
	d := hostileDiff()
	var b bytes.Buffer
	if err := d.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<script>") {
		t.Errorf("diff.json holds a raw <script>")
	}
	var back Diff
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if got := back.NewFindings[0].Title.EN; got != evil {
		t.Errorf("title after the round trip %q, want %q", got, evil)
	}
	if got := back.ChangedAnswers[0].New.Ratings[evil]; got != evil {
		t.Errorf("rating after the round trip %q, want %q", got, evil)
	}
	if !back.ChangedFindings[0].Worse || !back.New.Interrupted {
		t.Errorf("round trip lost worse/interrupted: %+v", back)
	}
}

func TestWriteTextLab(t *testing.T) {
	old, new := labReport(t), labReport(t)
	new.Started = old.Started.Add(24 * time.Hour)
	new.Findings = append(new.Findings, checks.Finding{ID: "ports.database", Host: "db.ecshop.test", Port: 5432, Subject: "tcp/5432",
		Outcome: checks.Fail, Severity: checks.SevHigh, Title: checks.T("データベースが到達可能", "Database reachable")})
	new.Findings[findIndex(t, new, "dns.caa", "ecshop.test", 0)].Outcome = checks.Pass
	d := Compare(old, new)
	d.Old.ID, d.New.ID = "20261128T233311Z-1", "20261129T233311Z-2"
	var b bytes.Buffer
	if err := d.WriteText(&b, "en"); err != nil {
		t.Fatal(err)
	}
	want := "ecscan diff 20261128T233311Z-1 (2026-11-28 23:33:11 UTC) → 20261129T233311Z-2 (2026-11-29 23:33:11 UTC): 1 new, 0 resolved, 0 worse, 1 better\n" +
		"NEW     high        db.ecshop.test:5432 tcp/5432  ports.database: Database reachable\n" +
		"BETTER  low → pass  ecshop.test  dns.caa: No CAA record\n"
	if got := b.String(); got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	b.Reset()
	if err := Compare(old, labReport(t)).WriteText(&b, "ja"); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.HasSuffix(got, "\n変更なし\n") {
		t.Errorf("empty diff, ja:\n%s\nwant it to end with 変更なし", got)
	}
}
