package report

// htmlPage is the report page. It is parsed by html/template, which escapes every value for
// its context; the view hands it plain strings only (never template.HTML), cleaned of
// control characters. The page loads nothing: the Content-Security-Policy forbids every
// fetch and every script, as a second line of defence.
const htmlPage = `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{.Scanner}}">
<title>{{t "ecscan 診断報告書" "ecscan scan report"}} — {{.Targets}}</title>
<style>` + htmlCSS + `</style>
</head>
<body>
<header class="cover">
<h1>{{t "ecscan 診断報告書" "ecscan scan report"}}</h1>
{{- if .R.Interrupted}}
<p class="alert" role="alert"><strong>{{t "注意：スキャンは中断されました。" "Warning: the scan was interrupted."}}</strong> {{t "この報告書は中断までに得られた結果だけを含みます。" "This report holds only what was gathered until then."}}</p>
{{- end}}
<table class="meta">
<tr><th>{{t "対象" "Targets"}}</th><td>{{.Targets}}</td></tr>
<tr><th>{{t "実施日時" "Run"}}</th><td>{{.Run}}</td></tr>
<tr><th>{{t "スキャナ" "Scanner"}}</th><td>{{.Scanner}}</td></tr>
<tr><th>{{t "送信元アドレス" "Source address"}}</th><td>{{.Sources}}</td></tr>
<tr><th>{{t "状態" "State"}}</th><td>{{if .R.Interrupted}}<strong>{{t "中断（一部の結果のみ）" "interrupted (partial results)"}}</strong>{{else}}{{t "完了" "completed"}}{{end}}</td></tr>
</table>
</header>
<nav class="toc" aria-label="{{t "目次" "Contents"}}">
<h2>{{t "目次" "Contents"}}</h2>
<ol>
<li><a href="#summary">{{t "概要" "Summary"}}</a></li>
<li><a href="#hosts">{{t "ホストとサービス" "Hosts and services"}}</a></li>
<li><a href="#findings">{{t "検出事項" "Findings"}}</a></li>
<li><a href="#questionnaire">{{t "質問票の回答" "The questionnaire"}}</a>
<ol>{{range .Chapters}}<li><a href="#{{.Anchor}}">{{.Title}}</a></li>{{end}}</ol></li>
<li><a href="#evidence">{{t "証跡" "Evidence"}}</a></li>
</ol>
</nav>
<main>
{{template "summary" .}}
{{template "hosts" .}}
{{template "findings" .}}
{{template "questionnaire" .}}
{{template "evidence" .}}
</main>
<footer class="colophon">{{.Scanner}} · {{t "スキーマ" "schema"}} {{.R.Schema}} v{{.R.SchemaVersion}}</footer>
</body>
</html>
{{define "refs"}}{{range $i, $r := .}}{{if $i}}, {{end}}{{if $r.Anchor}}<a href="#{{$r.Anchor}}">{{$r.Text}}</a>{{else}}<span class="ref-text">{{$r.Text}}</span>{{end}}{{end}}{{end}}
{{define "summary"}}
<section id="summary">
<h2>{{t "概要" "Summary"}}</h2>
<div class="cards">
<div class="card">
<h3>{{t "質問票" "Questionnaire"}}</h3>
<p class="big">{{.R.Summary.Questions}} <small>{{t "問" "questions"}}</small></p>
<table class="counts">
{{- range .Answered}}
<tr><td><span class="badge {{.Class}}">{{.Label}}</span></td><td class="num">{{.N}}</td></tr>
{{- end}}
</table>
</div>
<div class="card">
<h3>{{t "不備（重要度別）" "Failures by severity"}}</h3>
<table class="counts">
{{- range .Severities}}
<tr><td><span class="sev {{.Class}}">{{.Label}}</span></td><td class="num">{{.N}}</td></tr>
{{- end}}
<tr class="total"><td>{{t "確認済み（合格）" "Controls passed"}}</td><td class="num">{{.R.Summary.Passes}}</td></tr>
</table>
</div>
<div class="card">
<h3>{{t "ホストとポート" "Hosts and ports"}}</h3>
<table class="counts">
<tr><td>{{t "スコープ内のホスト" "Hosts in scope"}}</td><td class="num">{{.R.Summary.HostsInScope}}</td></tr>
<tr><td>{{t "スコープ外のホスト（診断せず）" "Hosts out of scope (not probed)"}}</td><td class="num">{{.R.Summary.HostsOutOfScope}}</td></tr>
<tr><td>{{t "開いているポート" "Open ports"}}</td><td class="num">{{.R.Summary.OpenPorts}}</td></tr>
</table>
</div>
</div>
{{- if .Grades}}
<h3>{{t "TLS の評価" "TLS grades"}}</h3>
<table class="list grades">
<thead><tr><th>{{t "対象" "Endpoint"}}</th><th>{{t "評価" "Grade"}}</th><th>{{t "内容" "Detail"}}</th></tr></thead>
<tbody>
{{- range .Grades}}
<tr><td>{{.Place}}</td><td><span class="grade {{.Class}}">{{.Letter}}</span></td><td>{{.Title}} {{template "refs" .Links}}{{if .Detail}}<br><span class="small">{{.Detail}}</span>{{end}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- if .CheckErrors}}
<h3>{{t "実行できなかったチェック" "Checks that could not run"}}</h3>
<table class="list">
<thead><tr><th>{{t "チェック" "Check"}}</th><th>{{t "理由" "Reason"}}</th></tr></thead>
<tbody>{{range .CheckErrors}}<tr><td>{{index . 0}}</td><td>{{index . 1}}</td></tr>{{end}}</tbody>
</table>
{{- end}}
</section>
{{end}}
{{define "hosts"}}
<section id="hosts">
<h2>{{t "ホストとサービス" "Hosts and services"}}</h2>
<table class="list">
<thead><tr><th>{{t "ホスト" "Host"}}</th><th>{{t "アドレス" "Addresses"}}</th><th>{{t "発見経路" "Found via"}}</th><th>{{t "スコープ" "Scope"}}</th><th>{{t "理由" "Reason"}}</th></tr></thead>
<tbody>
{{- range .Hosts}}
<tr{{if not .InScope}} class="out-of-scope"{{end}}><td>{{.Name}}</td><td>{{.Addrs}}</td><td>{{.Sources}}</td><td>{{if .InScope}}{{t "対象" "in scope"}}{{else}}{{t "対象外（診断しない）" "out of scope (not probed)"}}{{end}}</td><td>{{.Reason}}</td></tr>
{{- end}}
</tbody>
</table>
{{- if .Services}}
<h3>{{t "サービス" "Services"}}</h3>
<table class="list">
<thead><tr><th>{{t "ホスト" "Host"}}</th><th>{{t "ポート" "Port"}}</th><th>{{t "プロトコル" "Protocol"}}</th><th>TLS</th><th>{{t "製品" "Product"}}</th><th>{{t "バナー（先頭行）" "Banner (first line)"}}</th></tr></thead>
<tbody>
{{- range .Services}}
<tr><td>{{.Host}} <span class="addr">({{.Addr}})</span></td><td class="num">{{.Port}}</td><td class="nw">{{.Protocol}}</td><td class="nw">{{.TLS}}</td><td>{{.Product}} {{.Version}}</td><td><code>{{.Banner}}</code></td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
</section>
{{end}}
`
