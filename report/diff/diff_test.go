package diff

import (
	"encoding/json"
	"net/netip"
	"os"
	"slices"
	"testing"
	"time"

	"ecscan/checks"
	"ecscan/mapping"
	"ecscan/report"
)

// labReport reads testdata/lab-ecshop.json, a report of the lab's ecshop.test made with
//
//	go run ./cmd/ecscan scan --allow-private --resolver 127.0.30.53:53 --out DIR ecshop.test
//
// (evidence trimmed), fresh for every call so that a test can mutate it.
func labReport(t *testing.T) *report.Report {
	t.Helper()
	data, err := os.ReadFile("testdata/lab-ecshop.json")
	if err != nil {
		t.Fatal(err)
	}
	var rep report.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	return &rep
}

// findIndex returns the index of the finding with id and host (and port when not 0).
func findIndex(t *testing.T, rep *report.Report, id, host string, port int) int {
	t.Helper()
	for i, f := range rep.Findings {
		if f.ID == id && f.Host == host && (port == 0 || f.Port == port) {
			return i
		}
	}
	t.Fatalf("no finding %s on %s:%d in the lab report", id, host, port)
	return -1
}

func keys(fs []checks.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Key())
	}
	return out
}

func TestCompareIdenticalAndCosmetic(t *testing.T) {
	old := labReport(t)
	if d := Compare(old, labReport(t)); !d.Empty() {
		t.Errorf("the same report: diff not empty: %+v", d)
	}
	new := labReport(t)
	new.Started, new.Ended = old.Started.Add(24*time.Hour), old.Ended.Add(24*time.Hour)
	for i := range new.Findings {
		f := &new.Findings[i]
		f.Title = checks.T(f.Title.JA+"（改訂）", f.Title.EN+" (reworded)")
		f.Detail = checks.T("別の説明", "another explanation")
		f.Evidence = []string{"other:evidence"}
		f.Addr = "127.0.0.99"
	}
	for i := range new.Services {
		new.Services[i].Banner = "HTTP/1.1 200 OK\r\nDate: another day"
	}
	for i := range new.Answers {
		for j := range new.Answers[i].Blocks {
			b := &new.Answers[i].Blocks[j]
			slices.Reverse(b.Choices) // order of choices means nothing
			if b.Scan != nil {
				b.Scan.Rationale = checks.T("別", "other")
			}
		}
	}
	new.Results = new.Results[:1]
	if d := Compare(old, new); !d.Empty() {
		t.Errorf("cosmetic changes: diff not empty:\nnew %v\nresolved %v\nchanged %+v\nanswers %+v\nservices %+v",
			keys(d.NewFindings), keys(d.ResolvedFindings), d.ChangedFindings, d.ChangedAnswers, d.ChangedServices)
	}
}

func TestCompareFindings(t *testing.T) {
	old, new := labReport(t), labReport(t)
	// Resolved: the zone transfer is refused now (the finding is gone).
	axfr := new.Findings[findIndex(t, new, "dns.axfr", "ns1.ecshop.test", 53)]
	new.Findings = slices.Delete(new.Findings, findIndex(t, new, "dns.axfr", "ns1.ecshop.test", 53), findIndex(t, new, "dns.axfr", "ns1.ecshop.test", 53)+1)
	// New: a database became reachable.
	db := checks.Finding{ID: "ports.database", Check: "ports", Host: "db.ecshop.test", Port: 5432, Subject: "tcp/5432",
		Outcome: checks.Fail, Severity: checks.SevHigh, Title: checks.T("データベースが到達可能", "Database reachable")}
	new.Findings = append(new.Findings, db)
	// Worse: open recursion escalated; better: CAA now present (fail → pass).
	new.Findings[findIndex(t, new, "dns.open-recursion", "ns1.ecshop.test", 53)].Severity = checks.SevHigh
	caa := &new.Findings[findIndex(t, new, "dns.caa", "ecshop.test", 0)]
	caa.Outcome, caa.Severity = checks.Pass, checks.SevInfo
	// A pass that turns into a fact, and a new pass: no change of a failure, not reported.
	new.Findings[findIndex(t, new, "dns.spf", "ecshop.test", 0)].Outcome = checks.Info
	new.Findings = append(new.Findings, checks.Finding{ID: "ports.cache", Host: "db.ecshop.test", Outcome: checks.Pass})
	// A key twice (two addresses): the worse occurrence stands for it, so it did not change.
	dup := new.Findings[findIndex(t, new, "dns.dmarc", "ecshop.test", 0)]
	dup.Outcome, dup.Severity = checks.Pass, checks.SevInfo
	new.Findings = append(new.Findings, dup)

	d := Compare(old, new)
	if got, want := keys(d.NewFindings), []string{db.Key()}; !slices.Equal(got, want) {
		t.Errorf("new findings %v, want %v", got, want)
	}
	if got, want := keys(d.ResolvedFindings), []string{axfr.Key()}; !slices.Equal(got, want) {
		t.Errorf("resolved findings %v, want %v", got, want)
	}
	type change struct {
		key   string
		worse bool
	}
	var got []change
	for _, c := range d.ChangedFindings {
		got = append(got, change{c.Key, c.Worse})
	}
	want := []change{{"dns.open-recursion|ns1.ecshop.test|53|ecshop.test", true}, {"dns.caa|ecshop.test|0|", false}}
	if !slices.Equal(got, want) {
		t.Errorf("changed findings %v, want %v", got, want)
	}
	if d.Empty() {
		t.Errorf("Empty() = true for a diff with changes")
	}
}

func TestWorse(t *testing.T) {
	high := checks.Finding{ID: "x", Outcome: checks.Fail, Severity: checks.SevHigh}
	low := checks.Finding{ID: "y", Outcome: checks.Fail, Severity: checks.SevLow}
	pass := checks.Finding{ID: "z", Outcome: checks.Pass}
	tests := []struct {
		name string
		d    Diff
		min  checks.Severity
		want bool
	}{
		{"nothing", Diff{}, checks.SevInfo, false},
		{"new high, min high", Diff{NewFindings: []checks.Finding{high}}, checks.SevHigh, true},
		{"new high, min critical", Diff{NewFindings: []checks.Finding{high}}, checks.SevCritical, false},
		{"new low, min high", Diff{NewFindings: []checks.Finding{low}}, checks.SevHigh, false},
		{"resolved high", Diff{ResolvedFindings: []checks.Finding{high}}, checks.SevLow, false},
		{"low got high", Diff{ChangedFindings: []Change{{Old: low, New: high, Worse: true}}}, checks.SevHigh, true},
		{"pass got low, min high", Diff{ChangedFindings: []Change{{Old: pass, New: low, Worse: true}}}, checks.SevHigh, false},
		{"pass got low, min low", Diff{ChangedFindings: []Change{{Old: pass, New: low, Worse: true}}}, checks.SevLow, true},
		{"high got low", Diff{ChangedFindings: []Change{{Old: high, New: low}}}, checks.SevLow, false},
		{"new hosts only", Diff{NewHosts: []string{"a"}, NewPorts: []string{"a:1/tcp"}}, checks.SevInfo, false},
	}
	for _, tc := range tests {
		if got := tc.d.Worse(tc.min); got != tc.want {
			t.Errorf("%s: Worse(%s) = %v, want %v", tc.name, tc.min, got, tc.want)
		}
	}
}

func TestCompareAnswers(t *testing.T) {
	old, new := labReport(t), labReport(t)
	set := func(rep *report.Report, q, b string, edit func(*mapping.Answer)) {
		for i := range rep.Answers {
			for j := range rep.Answers[i].Blocks {
				if rep.Answers[i].Question == q && rep.Answers[i].Blocks[j].Block == b {
					edit(&rep.Answers[i].Blocks[j])
					return
				}
			}
		}
		t.Fatalf("no block %s/%s in the lab report", q, b)
	}
	set(new, "3-3-1", "frequency", func(a *mapping.Answer) { a.Source, a.Choices = mapping.FromOperator, []string{"B"} })
	set(new, "3-3-1", "method", func(a *mapping.Answer) { a.Choices = []string{"A"} })
	set(new, "10-4-1", "diagnosis-scope", func(a *mapping.Answer) { slices.Reverse(a.Choices) })
	new.Answers = append(new.Answers, mapping.QuestionAnswer{Question: "99-1-1", Blocks: []mapping.Answer{{Block: "x", Source: mapping.Open}}})

	d := Compare(old, new)
	var got []string
	for _, a := range d.ChangedAnswers {
		got = append(got, a.Question+"/"+a.Block+" "+answerText(a.Old, "en")+" → "+answerText(a.New, "en"))
	}
	want := []string{
		"3-3-1/method scan B → scan A",
		"3-3-1/frequency open → operator B",
		"99-1-1/x (absent) → open",
	}
	if !slices.Equal(got, want) {
		t.Errorf("changed answers\n got %q\nwant %q", got, want)
	}
}

func TestCompareHostsAndPorts(t *testing.T) {
	old, new := labReport(t), labReport(t)
	new.Hosts = slices.DeleteFunc(new.Hosts, func(h checks.Host) bool { return h.Name == "mail.ecshop.test" })
	new.Hosts = append(new.Hosts, checks.Host{Name: "db.ecshop.test", Addrs: []netip.Addr{netip.MustParseAddr("127.0.30.33")}, InScope: true})
	for i := range new.Hosts {
		if new.Hosts[i].Name == "www.ecshop.test" {
			new.Hosts[i].Addrs = []netip.Addr{netip.MustParseAddr("127.0.30.81")}
		}
	}
	new.Services = slices.DeleteFunc(new.Services, func(s checks.Service) bool { return s.Port == 53 })
	new.Services = append(new.Services, checks.Service{Host: "db.ecshop.test", Addr: netip.MustParseAddr("127.0.30.33"), Port: 5432, Protocol: "postgresql"})
	for i := range new.Services {
		if new.Services[i].Port == 80 {
			new.Services[i].Version = "2.4.68"
		}
	}
	d := Compare(old, new)
	checkList(t, "new hosts", d.NewHosts, []string{"db.ecshop.test"})
	checkList(t, "gone hosts", d.GoneHosts, []string{"mail.ecshop.test"})
	if len(d.ChangedHosts) != 1 || d.ChangedHosts[0].Name != "www.ecshop.test" ||
		!slices.Equal(d.ChangedHosts[0].NewAddrs, []string{"127.0.30.81"}) {
		t.Errorf("changed hosts %+v, want www.ecshop.test moved to 127.0.30.81", d.ChangedHosts)
	}
	checkList(t, "new ports", d.NewPorts, []string{"db.ecshop.test:5432/tcp"})
	checkList(t, "closed ports", d.ClosedPorts, []string{"ns1.ecshop.test:53/tcp"})
	want := []ServiceChange{{Port: "www.ecshop.test:80/tcp", Old: "http Apache httpd 2.4.67", New: "http Apache httpd 2.4.68"}}
	if !slices.Equal(d.ChangedServices, want) {
		t.Errorf("changed services %+v, want %+v", d.ChangedServices, want)
	}
}

func TestCompareFirstRun(t *testing.T) {
	new := labReport(t)
	d := Compare(nil, new)
	fails := 0
	for _, f := range new.Findings {
		if f.Outcome == checks.Fail {
			fails++
		}
	}
	if len(d.NewFindings) != fails || len(d.NewHosts) != len(new.Hosts) || len(d.NewPorts) != len(new.Services) {
		t.Errorf("first run: %d new findings, %d hosts, %d ports; want %d, %d, %d",
			len(d.NewFindings), len(d.NewHosts), len(d.NewPorts), fails, len(new.Hosts), len(new.Services))
	}
	if !d.Old.Started.IsZero() || !d.New.Started.Equal(new.Started) {
		t.Errorf("refs old %v new %v, want zero and %v", d.Old.Started, d.New.Started, new.Started)
	}
}

func checkList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s %v, want %v", what, got, want)
	}
}
