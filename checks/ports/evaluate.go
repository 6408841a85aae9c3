package ports

import (
	"fmt"
	"strings"
	"time"

	"ecscan/checks"
)

// Evidence IDs (local to the Result): the scan summary, and one dialogue per open port.
const evScan = "scan"

func evPort(port int) string { return fmt.Sprintf("tcp-%d", port) }

// Evaluate turns an observation into findings (see the package doc for the rules). It is
// pure: the same observation gives the same findings.
func Evaluate(obs *Observation, now time.Time) []checks.Finding {
	_ = now // the rules do not depend on time
	e := evaluator{obs: obs}
	for _, po := range obs.Ports {
		e.add(checks.Finding{
			ID: "ports.open", Port: po.Port, Subject: subject(po.Port), Outcome: checks.Info,
			Title:    checks.T("開いているポート: "+label(po), "Open port: "+label(po)),
			Detail:   describe(po),
			Evidence: []string{evScan, evPort(po.Port)},
		})
	}
	for _, r := range categoryRules {
		e.category(r)
	}
	for _, po := range obs.Ports {
		e.ssh(po)
	}
	for _, po := range obs.Ports {
		e.version(po)
	}
	return e.out
}

type evaluator struct {
	obs *Observation
	out []checks.Finding
}

func (e *evaluator) add(f checks.Finding) {
	f.Host, f.Addr = e.obs.Host, e.obs.Addr.String()
	if f.Outcome != checks.Fail {
		f.Severity = checks.SevInfo
	}
	e.out = append(e.out, f)
}

func subject(port int) string { return fmt.Sprintf("tcp/%d", port) }

// label names a service briefly: "tcp/22 (ssh, OpenSSH 9.2p1)".
func label(po PortObservation) string {
	s := po.Service
	parts := []string{s.Protocol}
	if s.TLS {
		parts[0] += "+tls"
	}
	if p := strings.TrimSpace(s.Product + " " + s.Version); p != "" {
		parts = append(parts, p)
	}
	return fmt.Sprintf("tcp/%d (%s)", po.Port, strings.Join(parts, ", "))
}

func yesNo(b bool) checks.Text {
	if b {
		return checks.T("あり", "yes")
	}
	return checks.T("なし", "no")
}

// describe is the detail of ports.open.
func describe(po PortObservation) checks.Text {
	s := po.Service
	dash := func(v string) string {
		if v == "" {
			return "-"
		}
		return v
	}
	ja := fmt.Sprintf("プロトコル: %s、製品: %s、バージョン: %s、TLS: %s、STARTTLS: %s",
		s.Protocol, dash(s.Product), dash(s.Version), yesNo(s.TLS).JA, yesNo(s.StartTLS).JA)
	en := fmt.Sprintf("protocol: %s, product: %s, version: %s, TLS: %s, STARTTLS: %s",
		s.Protocol, dash(s.Product), dash(s.Version), yesNo(s.TLS).EN, yesNo(s.StartTLS).EN)
	if s.Protocol == "unknown" {
		ja += "（どの識別プローブにも当てはまりませんでした: " + strings.Join(po.Probes, ", ") + "）"
		en += " (no identification probe matched: " + strings.Join(po.Probes, ", ") + ")"
	}
	return checks.T(ja, en)
}

// category emits a rule's failures, one per service of its categories, or its pass when
// none is open and the scan covered some of its usual ports.
func (e *evaluator) category(r categoryRule) {
	failed := false
	for _, po := range e.obs.Ports {
		sev, ok := r.cats[categorize(po.Service)]
		if !ok {
			continue
		}
		failed = true
		f := checks.Finding{
			ID: r.id, Port: po.Port, Subject: subject(po.Port), Outcome: r.outcome, Severity: sev,
			Title:    checks.T(r.failJA+": "+label(po), r.failEN+": "+label(po)),
			Detail:   r.detail(po),
			Evidence: []string{evScan, evPort(po.Port)},
		}
		e.add(f)
	}
	if failed || e.obs.Interrupted {
		return
	}
	covered := e.covered(r.usual)
	if len(covered) == 0 {
		return
	}
	e.add(checks.Finding{
		ID: r.id, Outcome: checks.Pass,
		Title: checks.T(r.passJA, r.passEN),
		Detail: checks.T(
			fmt.Sprintf("%d 個の TCP ポートを走査し、該当するサービスはありませんでした。代表的なポートのうち走査したもの: %s", e.obs.Requested, FormatPorts(covered)),
			fmt.Sprintf("Scanned %d TCP ports; none serves this kind of service. Usual ports among those scanned: %s", e.obs.Requested, FormatPorts(covered))),
		Evidence: []string{evScan},
	})
}

// covered returns the ports of usual that the scan requested.
func (e *evaluator) covered(usual []int) []int {
	req, err := ParsePorts(e.obs.PortSpec)
	if err != nil {
		return nil
	}
	set := make(map[int]bool, len(req))
	for _, p := range req {
		set[p] = true
	}
	var out []int
	for _, p := range usual {
		if set[p] {
			out = append(out, p)
		}
	}
	return out
}

// version emits ports.version-disclosure for an identified service.
func (e *evaluator) version(po PortObservation) {
	s := po.Service
	if s.Protocol == "unknown" {
		return
	}
	f := checks.Finding{ID: "ports.version-disclosure", Port: po.Port, Subject: subject(po.Port), Evidence: []string{evPort(po.Port)}}
	if what := disclosed(po); what != "" {
		f.Outcome, f.Severity = checks.Fail, checks.SevLow
		f.Title = checks.T("ソフトウェアのバージョンが表示されています: "+label(po), "Software version disclosed: "+label(po))
		f.Detail = checks.T(
			"表示内容: "+what+"。製品名とバージョンは既知の脆弱性を狙う攻撃の手がかりになります。バナーやヘッダーからバージョンを外してください（例: Apache の ServerTokens Prod、nginx の server_tokens off、PHP の expose_php Off）。",
			"Shown: "+what+". A product and version point attackers to known vulnerabilities; remove the version from banners and headers (Apache ServerTokens Prod, nginx server_tokens off, PHP expose_php Off).")
	} else {
		f.Outcome = checks.Pass
		f.Title = checks.T("バージョンは表示されていません: "+label(po), "No version disclosed: "+label(po))
		f.Detail = checks.T("識別できたサービスのバナーやヘッダーに製品のバージョンは含まれていませんでした。", "The identified service's banner and headers carry no product version.")
	}
	e.add(f)
}

// disclosed returns what a service shows of its product and version, or "".
func disclosed(po PortObservation) string {
	s := po.Service
	var out []string
	if s.Product != "" && s.Version != "" {
		out = append(out, s.Product+" "+s.Version)
	}
	if po.HTTP != nil && po.HTTP.PoweredBy != "" && strings.ContainsAny(po.HTTP.PoweredBy, "0123456789") {
		out = append(out, "X-Powered-By: "+po.HTTP.PoweredBy)
	}
	return strings.Join(out, "; ")
}
