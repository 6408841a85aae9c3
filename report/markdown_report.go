package report

import (
	"fmt"
	"io"
	"strings"

	"ecscan/checks"
	"ecscan/mapping"
)

// MarkdownWriter writes report.md: a summary, the hosts and services, the findings by
// severity with their evidence, then the whole questionnaire with each answer and its source.
// Every string from a server is escaped (Markdown) or fenced (evidence).
type MarkdownWriter struct{}

// Format returns "md".
func (MarkdownWriter) Format() string { return "md" }

// File returns "report.md".
func (MarkdownWriter) File() string { return "report.md" }

// Write writes the report in o.Lang.
func (MarkdownWriter) Write(w io.Writer, r *Report, o Options) error {
	m := &mdReport{r: r, lang: o.Lang, cat: o.Catalog, evidence: map[string]checks.Evidence{}}
	for _, res := range r.Results {
		for _, e := range res.Evidence {
			m.evidence[e.ID] = e
		}
	}
	m.header()
	m.hosts()
	m.findings()
	m.questionnaire()
	m.evidenceSection()
	_, err := io.WriteString(w, m.b.String())
	return err
}

type mdReport struct {
	b        strings.Builder
	r        *Report
	lang     string
	cat      *mapping.Catalog
	evidence map[string]checks.Evidence
}

func (m *mdReport) tr(ja, en string) string { return tr(m.lang, ja, en) }

func (m *mdReport) printf(format string, args ...any) { fmt.Fprintf(&m.b, format, args...) }

func (m *mdReport) header() {
	r := m.r
	m.printf("# %s\n\n", m.tr("ecscan 診断報告書", "ecscan scan report"))
	m.printf("| | |\n|---|---|\n")
	m.printf("| %s | %s |\n", m.tr("対象", "Targets"), Markdown(strings.Join(r.Targets, ", ")))
	m.printf("| %s | %s – %s (%s) |\n", m.tr("実施日時", "Run"), r.Started.Format("2006-01-02 15:04:05 MST"), r.Ended.Format("15:04:05"), r.Ended.Sub(r.Started).Round(1e6))
	m.printf("| %s | %s |\n", m.tr("送信元アドレス", "Source address"), Markdown(strings.Join(r.SourceAddress, ", ")))
	m.printf("| %s | %s %s |\n", m.tr("スキャナ", "Scanner"), r.Scanner.Name, Markdown(r.Scanner.Version))
	if r.Interrupted {
		m.printf("| %s | %s |\n", m.tr("状態", "State"), m.tr("**中断されたため一部の結果のみ**", "**interrupted: partial results**"))
	}
	s := r.Summary
	m.printf("\n## %s\n\n", m.tr("概要", "Summary"))
	m.printf("- %s: %d（%s %d）\n", m.tr("スコープ内のホスト", "Hosts in scope"), s.HostsInScope, m.tr("スコープ外", "out of scope"), s.HostsOutOfScope)
	m.printf("- %s: %d\n", m.tr("開いているポート", "Open ports"), s.OpenPorts)
	var sev []string
	for i := checks.SevCritical; i >= checks.SevInfo; i-- {
		if n := s.Failures[i.String()]; n > 0 {
			sev = append(sev, fmt.Sprintf("%s %d", i.Label(m.lang), n))
		}
	}
	if len(sev) == 0 {
		sev = []string{m.tr("なし", "none")}
	}
	m.printf("- %s: %s\n", m.tr("不備（重要度別）", "Failures by severity"), strings.Join(sev, ", "))
	m.printf("- %s: %d\n", m.tr("確認済み（合格）の項目", "Controls passed"), s.Passes)
	m.printf("- %s: %s %d, %s %d, %s %d, %s %d, %s %d\n", m.tr("質問票", "Questionnaire"),
		m.tr("スキャンで回答", "answered by the scan"), s.Answered[string(mapping.FromScan)],
		m.tr("運営者が回答", "by the operator"), s.Answered[string(mapping.FromOperator)],
		m.tr("運営者がスキャン結果を上書き", "operator overriding the scan"), s.Answered[string(mapping.OperatorOverride)],
		m.tr("未回答", "still open"), s.Answered[string(mapping.Open)],
		m.tr("対象外", "not applicable"), s.Answered[string(mapping.NotApplicable)])
	for name, msg := range r.CheckErrors {
		m.printf("- %s %s: %s\n", m.tr("実行できなかったチェック", "Check that could not run"), Markdown(name), Markdown(msg))
	}
}

func (m *mdReport) hosts() {
	m.printf("\n## %s\n\n", m.tr("ホストとスコープ", "Hosts and scope"))
	m.printf("| %s | %s | %s | %s | %s |\n|---|---|---|---|---|\n", m.tr("ホスト", "Host"), m.tr("アドレス", "Addresses"), m.tr("発見経路", "Found via"), m.tr("スコープ", "Scope"), m.tr("理由", "Reason"))
	for _, h := range m.r.Hosts {
		var addrs []string
		for _, a := range h.Addrs {
			addrs = append(addrs, a.String())
		}
		scope := m.tr("対象外（診断しない）", "out of scope (not probed)")
		if h.InScope {
			scope = m.tr("対象", "in scope")
		}
		m.printf("| %s | %s | %s | %s | %s |\n", Markdown(h.Name), Markdown(strings.Join(addrs, ", ")), Markdown(strings.Join(h.Sources, ", ")), scope, Markdown(scopeReason(h.Reason, m.lang)))
	}
	if len(m.r.Services) == 0 {
		return
	}
	m.printf("\n## %s\n\n", m.tr("サービス", "Services"))
	m.printf("| %s | %s | %s | TLS | %s | %s |\n|---|---|---|---|---|---|\n", m.tr("ホスト", "Host"), m.tr("ポート", "Port"), m.tr("プロトコル", "Protocol"), m.tr("製品", "Product"), m.tr("バージョン", "Version"))
	for _, s := range m.r.Services {
		tls := ""
		if s.TLS {
			tls = "TLS"
		} else if s.StartTLS {
			tls = "STARTTLS"
		}
		m.printf("| %s (%s) | %d | %s | %s | %s | %s |\n", Markdown(s.Host), s.Addr, s.Port, Markdown(s.Protocol), tls, Markdown(s.Product), Markdown(s.Version))
	}
}

func (m *mdReport) findings() {
	m.printf("\n## %s\n\n", m.tr("検出事項", "Findings"))
	var fails, passes []checks.Finding
	for _, f := range m.r.Findings {
		switch f.Outcome {
		case checks.Fail:
			fails = append(fails, f)
		case checks.Pass:
			passes = append(passes, f)
		}
	}
	if len(fails) == 0 {
		m.printf("%s\n", m.tr("不備は検出されなかった。", "No failure was found."))
	}
	for _, f := range fails {
		m.printf("### [%s] %s — %s\n\n", f.Severity.Label(m.lang), Markdown(f.Title.In(m.lang)), Markdown(findingPlace(f)))
		if d := f.Detail.In(m.lang); d != "" {
			m.printf("%s\n\n", Markdown(d))
		}
		m.printf("`%s`%s\n\n", f.ID, m.evidenceLinks(f.Evidence))
	}
	if len(passes) > 0 {
		m.printf("### %s\n\n| %s | %s | %s |\n|---|---|---|\n", m.tr("確認済み（合格）", "Passed"), m.tr("確認事項", "Control"), m.tr("対象", "Target"), m.tr("証跡", "Evidence"))
		for _, f := range passes {
			m.printf("| %s | %s | %s |\n", Markdown(f.Title.In(m.lang)), Markdown(findingPlace(f)), m.evidenceLinks(f.Evidence))
		}
	}
	var bad []checks.Result
	for _, r := range m.r.Results {
		if r.Status != checks.StatusOK {
			bad = append(bad, r)
		}
	}
	if len(bad) > 0 {
		m.printf("\n### %s\n\n| %s | %s | %s | %s |\n|---|---|---|---|\n", m.tr("完了しなかった診断", "Probes that did not complete"), m.tr("チェック", "Check"), m.tr("対象", "Target"), m.tr("状態", "Status"), m.tr("エラー", "Error"))
		for _, r := range bad {
			m.printf("| %s | %s | %s | %s |\n", r.Check, Markdown(r.Target), r.Status, Markdown(r.Error))
		}
	}
}

// findingPlace names where a finding was made: host:port and subject.
func findingPlace(f checks.Finding) string {
	s := f.Host
	if f.Port > 0 {
		s = fmt.Sprintf("%s:%d", f.Host, f.Port)
	}
	if f.Subject != "" {
		s += " " + f.Subject
	}
	return s
}

// evidenceLinks links evidence IDs to their section below.
func (m *mdReport) evidenceLinks(ids []string) string {
	var links []string
	for _, id := range ids {
		if _, ok := m.evidence[id]; ok {
			links = append(links, fmt.Sprintf("[%s](#%s)", m.tr("証跡", "evidence"), Anchor(id)))
		} else {
			links = append(links, Markdown(id))
		}
	}
	if len(links) == 0 {
		return ""
	}
	return " — " + strings.Join(links, ", ")
}

func (m *mdReport) evidenceSection() {
	m.printf("\n## %s\n\n", m.tr("証跡", "Evidence"))
	for _, res := range m.r.Results {
		for _, e := range res.Evidence {
			m.printf("<a id=\"%s\"></a>\n#### %s — %s\n\n", Anchor(e.ID), Markdown(e.Title), Markdown(e.Target))
			m.printf("%s %s, `%s`\n\n", m.tr("取得", "Taken"), e.Time.Format("2006-01-02 15:04:05.000 MST"), Anchor(e.ID))
			m.b.WriteString(Fence(e.Data))
		}
	}
}
