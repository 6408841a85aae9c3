package diff

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
	"ecscan/report"
)

// leafResult is a TLS result whose observation's chain starts with a leaf of this serial,
// issuer and notAfter, in the JSON shape of the TLS check's Observation.
func leafResult(host string, port int, serial, issuer string, notAfter time.Time) checks.Result {
	obs := map[string]any{"host": host, "port": port, "chain": map[string]any{"certs": []any{
		map[string]any{"subject": "CN=" + host, "issuer": issuer, "serial": serial,
			"not_before": notAfter.AddDate(0, 0, -90).Format(time.RFC3339), "not_after": notAfter.Format(time.RFC3339)},
		map[string]any{"subject": issuer, "not_after": notAfter.AddDate(5, 0, 0).Format(time.RFC3339)},
	}}}
	return checks.Result{Check: "tls", Target: host + ":" + strconv.Itoa(port), Port: port, Data: obs}
}

func TestCertChanges(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 3, 0, 0, 0, time.UTC)
	a, b := t0.AddDate(0, 3, 0), t0.AddDate(1, 0, 0)
	const ca, other = "CN=lab root CA", "CN=other CA"
	old := &report.Report{Started: t0, Results: []checks.Result{
		leafResult("www.shop.test", 443, "0A", ca, a),    // replaced: serial and validity
		leafResult("mail.shop.test", 465, "0B", ca, a),   // unchanged
		leafResult("legacy.shop.test", 443, "0C", ca, a), // same serial, another issuer
		leafResult("gone.shop.test", 443, "0D", ca, a),   // only in old
		leafResult("www.shop.test", 8443, "0E", ca, a),   // unchanged on another port
		leafResult("api.shop.test", 443, "0F", ca, a),    // replaced, same validity
	}}
	new := &report.Report{Started: t0.AddDate(0, 0, 1), Results: []checks.Result{
		leafResult("www.shop.test", 443, "1A", ca, b),
		leafResult("mail.shop.test", 465, "0B", ca, a),
		leafResult("legacy.shop.test", 443, "0C", other, a),
		leafResult("new.shop.test", 443, "10", ca, b), // only in new
		leafResult("www.shop.test", 8443, "0E", ca, a),
		leafResult("api.shop.test", 443, "1F", ca, a),
	}}
	d := Compare(old, new)
	type change struct {
		where, oldSerial, newSerial, oldIssuer, newIssuer string
		moved                                             bool
	}
	var got []change
	for _, c := range d.ChangedCerts {
		got = append(got, change{c.Host + ":" + strconv.Itoa(c.Port), c.Old.Serial, c.New.Serial, c.Old.Issuer, c.New.Issuer, !c.Old.NotAfter.Equal(c.New.NotAfter)})
	}
	want := []change{
		{"api.shop.test:443", "0F", "1F", ca, ca, false},
		{"legacy.shop.test:443", "0C", "0C", ca, other, false},
		{"www.shop.test:443", "0A", "1A", ca, ca, true},
	}
	if len(got) != len(want) {
		t.Fatalf("changed certs\n got %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("changed cert %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if d.Empty() {
		t.Errorf("Empty() with replaced certificates")
	}
	// A report read back from report.json gives the same answer.
	var back report.Report
	raw, _ := json.Marshal(new)
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if d2 := Compare(old, &back); len(d2.ChangedCerts) != len(want) {
		t.Errorf("after a JSON round trip: %d changed certs, want %d", len(d2.ChangedCerts), len(want))
	}
	if d3 := Compare(new, new); len(d3.ChangedCerts) != 0 || !d3.Empty() {
		t.Errorf("a report compared with itself: changed certs %+v", d3.ChangedCerts)
	}
}

func TestCertChangeText(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 3, 0, 0, 0, time.UTC)
	d := Compare(&report.Report{Started: t0, Results: []checks.Result{leafResult("www.shop.test", 443, "0A", "CN=CA", t0.AddDate(0, 3, 0))}},
		&report.Report{Started: t0, Results: []checks.Result{leafResult("www.shop.test", 443, "1A", "CN=CA", t0.AddDate(1, 0, 0))}})
	tests := []struct{ lang, want string }{
		{"en", "CERT~    www.shop.test:443  serial 0A → 1A; not after 2027-02-01 → 2027-11-01\n"},
		{"ja", "証明書変更    www.shop.test:443  シリアル 0A → 1A、有効期限 2027-02-01 → 2027-11-01\n"},
	}
	for _, tc := range tests {
		var b bytes.Buffer
		if err := d.WriteText(&b, tc.lang); err != nil {
			t.Fatal(err)
		}
		_, body, _ := strings.Cut(b.String(), "\n") // after the headline
		if body != tc.want {
			t.Errorf("text %s:\n got %q\nwant %q", tc.lang, body, tc.want)
		}
	}
	var j bytes.Buffer
	if err := d.WriteJSON(&j); err != nil {
		t.Fatal(err)
	}
	var back Diff
	if err := json.Unmarshal(j.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.ChangedCerts) != 1 || back.ChangedCerts[0].Old.Serial != "0A" || back.ChangedCerts[0].New.Serial != "1A" {
		t.Errorf("diff.json changed_certs: got %+v, want one 0A → 1A", back.ChangedCerts)
	}
}
