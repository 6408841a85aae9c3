package diff

import (
	"encoding/json"
	"testing"
	"time"

	"ecscan/checks"
	"ecscan/report"
)

// FuzzLeaves feeds arbitrary JSON as a result's data (report.json is read back from disk, and
// a hand-edited or truncated one must not crash the diff) and arbitrary finding details.
func FuzzLeaves(f *testing.F) {
	f.Add(`{"host":"www","port":443,"chain":{"certs":[{"not_after":"2026-12-01T00:00:00Z"}]}}`, "expires in 12 days")
	f.Add(`{"observation":{"chain":{"certs":[{"not_after":"bad"}]}}}`, "あと5日")
	f.Add(`{"chain":{"certs":[]}}`, "")
	f.Add(`[[[[[[[[[[[[{"chain":{"certs":[{"not_after":"2026-12-01T00:00:00Z"}]}}]]]]]]]]]]]]`, "99999999999 days")
	f.Add(`{"chain":"x","port":1e400}`, "-3 days")
	f.Add(`{"host":"www","port":443,"chain":{"certs":[{"serial":"02","issuer":7,"not_before":"x","not_after":"2027-01-01T00:00:00Z"}]}}`, "")
	f.Fuzz(func(t *testing.T, data, detail string) {
		var v any
		if json.Unmarshal([]byte(data), &v) != nil {
			v = data
		}
		now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		rep := &report.Report{Started: now, Results: []checks.Result{{Check: "tls", Target: "www:443", Port: 443, Data: v}},
			Findings: []checks.Finding{{ID: CertExpiringID, Host: "www", Port: 443, Outcome: checks.Fail, Detail: checks.T(detail, detail)}}}
		d := Compare(rep, rep)
		for _, n := range d.CertExpiring {
			certItem(n, "en")
		}
		base := &report.Report{Started: now, Results: []checks.Result{leafResult("www", 443, "01", "CN=CA", now.AddDate(0, 3, 0))}}
		for _, c := range Compare(base, rep).ChangedCerts {
			certChangeItem(c, "en")
		}
	})
}
