package diff

import (
	"strconv"
	"testing"
	"time"

	"ecscan/checks"
	"ecscan/report"
)

// observation has the JSON shape of the TLS check's Observation, as far as the diff reads it.
type observation struct {
	Host  string `json:"host"`
	Port  int    `json:"port"`
	Chain *struct {
		Certs []certInfo `json:"certs"`
	} `json:"chain,omitempty"`
}

type certInfo struct {
	Subject  string    `json:"subject"`
	NotAfter time.Time `json:"not_after"`
}

func tlsResult(host string, port int, notAfter time.Time) checks.Result {
	obs := observation{Host: host, Port: port}
	obs.Chain = &struct {
		Certs []certInfo `json:"certs"`
	}{Certs: []certInfo{{Subject: "CN=" + host, NotAfter: notAfter}, {Subject: "CN=CA", NotAfter: notAfter.AddDate(5, 0, 0)}}}
	return checks.Result{Check: "tls", Target: host + ":443", Port: port, Data: &obs}
}

func daysPtr(p *int) string {
	if p == nil {
		return "nil"
	}
	return strconv.Itoa(*p)
}

func TestCertExpiring(t *testing.T) {
	t0 := time.Date(2026, 10, 1, 3, 0, 0, 0, time.UTC)
	old := &report.Report{Started: t0}
	new := &report.Report{Started: t0.AddDate(0, 0, 28)}
	www, mail, far := t0.AddDate(0, 0, 40), t0.AddDate(0, 0, 45), t0.AddDate(1, 0, 0)
	old.Results = []checks.Result{tlsResult("www.ecshop.test", 443, www), tlsResult("mail.ecshop.test", 465, mail), tlsResult("far.ecshop.test", 443, far)}
	// The new report has the same certificates; one result wraps its observation, one is a
	// map as report.json gives it back.
	new.Results = []checks.Result{
		{Check: "tls", Target: "www.ecshop.test:443", Port: 443, Data: map[string]any{"observation": tlsResult("www.ecshop.test", 443, www).Data}},
		tlsResult("mail.ecshop.test", 465, mail), tlsResult("far.ecshop.test", 443, far),
	}
	new.Findings = []checks.Finding{
		{ID: CertExpiringID, Host: "www.ecshop.test", Port: 443, Outcome: checks.Fail, Severity: checks.SevMedium,
			Detail: checks.T("あと12日", "expires in 12 days")},
		{ID: CertExpiredID, Host: "old.ecshop.test", Port: 8443, Outcome: checks.Fail, Severity: checks.SevHigh,
			Detail: checks.T("証明書は3日前に期限切れです", "The certificate expired 3 days ago")},
		{ID: CertExpiringID, Host: "ok.ecshop.test", Port: 443, Outcome: checks.Pass},
	}
	d := Compare(old, new)
	type note struct {
		where      string
		finding    string
		days, was  string
		crossed    int
		hasExpDate bool
	}
	var got []note
	for _, n := range d.CertExpiring {
		got = append(got, note{n.Host + ":" + strconv.Itoa(n.Port), n.Finding, daysPtr(n.DaysLeft), daysPtr(n.OldDaysLeft), n.Crossed, !n.NotAfter.IsZero()})
	}
	want := []note{
		{"old.ecshop.test:8443", CertExpiredID, "-3", "nil", 0, false},
		{"www.ecshop.test:443", CertExpiringID, "12", "40", 14, true},
		{"mail.ecshop.test:465", "", "17", "45", 30, true},
	}
	if len(got) != len(want) {
		t.Fatalf("cert notes\n got %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("cert note %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if d.Empty() {
		t.Errorf("Empty() with expiring certificates")
	}
}

func TestCrossed(t *testing.T) {
	tests := []struct{ old, new, want int }{
		{40, 12, 14}, {45, 17, 30}, {31, 30, 0}, {30, 29, 30}, {10, 8, 0}, {8, 6, 7}, {5, -1, 0}, {12, 40, 0},
	}
	for _, tc := range tests {
		if got := crossed(tc.old, tc.new, DefaultCertThresholds); got != tc.want {
			t.Errorf("crossed(%d, %d) = %d, want %d", tc.old, tc.new, got, tc.want)
		}
	}
}

func TestDaysInDetail(t *testing.T) {
	tests := []struct {
		f    checks.Finding
		want int
		ok   bool
	}{
		{checks.Finding{ID: CertExpiringID, Detail: checks.T("", "expires in 12 days (2026-12-01)")}, 12, true},
		{checks.Finding{ID: CertExpiringID, Detail: checks.T("有効期限まであと5日です", "")}, 5, true},
		{checks.Finding{ID: CertExpiredID, Detail: checks.T("", "expired 1 day ago")}, -1, true},
		{checks.Finding{ID: CertExpiringID, Detail: checks.T("期限が近い", "expires soon")}, 0, false},
	}
	for _, tc := range tests {
		got, ok := daysInDetail(tc.f)
		if got != tc.want || ok != tc.ok {
			t.Errorf("daysInDetail(%q) = %d, %v; want %d, %v", tc.f.Detail.EN+tc.f.Detail.JA, got, ok, tc.want, tc.ok)
		}
	}
}
