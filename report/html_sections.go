package report

// htmlSections are the findings, the questionnaire and the evidence, as html/template
// definitions used by htmlPage.
const htmlSections = `
{{define "findings"}}
<section id="findings">
<h2>{{t "検出事項" "Findings"}}</h2>
{{- if not .Failures}}
<p>{{t "不備は検出されなかった。" "No failure was found."}}</p>
{{- end}}
{{- range .Failures}}
<h3 class="sev-heading"><span class="sev {{.Class}}">{{.Label}}</span> {{len .Findings}} {{t "件" "found"}}</h3>
{{- range .Findings}}
<article class="finding lvl-{{.Level}}"{{if .Anchor}} id="{{.Anchor}}"{{end}}>
<h4><span class="sev {{.SevClass}}">{{.Sev}}</span> {{.Title}}</h4>
<p class="place">{{.Place}} · <code>{{.ID}}</code></p>
{{- if .Detail}}
<p class="detail">{{.Detail}}</p>
{{- end}}
{{- if .Evidence}}
<p class="refs">{{t "証跡" "Evidence"}}: {{template "refs" .Evidence}}</p>
{{- end}}
</article>
{{- end}}
{{- end}}
{{- if .Passes}}
<h3>{{t "確認済み（合格）" "Passed"}}</h3>
{{template "findingTable" .Passes}}
{{- end}}
{{- if .Facts}}
<h3>{{t "観測された事実" "Facts observed"}}</h3>
{{template "findingTable" .Facts}}
{{- end}}
{{- if .Incomplete}}
<h3>{{t "完了しなかった診断" "Probes that did not complete"}}</h3>
<table class="list">
<thead><tr><th>{{t "チェック" "Check"}}</th><th>{{t "対象" "Target"}}</th><th>{{t "状態" "Status"}}</th><th>{{t "エラー" "Error"}}</th></tr></thead>
<tbody>{{range .Incomplete}}<tr><td>{{.Check}}</td><td>{{.Target}}</td><td>{{.Status}}</td><td>{{.Error}}</td></tr>{{end}}</tbody>
</table>
{{- end}}
</section>
{{end}}
{{define "findingTable"}}
<table class="list findings">
<thead><tr><th>{{t "内容" "Finding"}}</th><th>{{t "対象" "Target"}}</th><th>ID</th><th>{{t "証跡" "Evidence"}}</th></tr></thead>
<tbody>
{{- range .}}
<tr{{if .Anchor}} id="{{.Anchor}}"{{end}}><td>{{.Title}}{{if .Detail}}<br><span class="small">{{.Detail}}</span>{{end}}</td><td>{{.Place}}</td><td><code>{{.ID}}</code></td><td class="refs">{{template "refs" .Evidence}}</td></tr>
{{- end}}
</tbody>
</table>
{{end}}
{{define "questionnaire"}}
<section id="questionnaire">
<h2>{{t "質問票の回答" "The questionnaire"}}</h2>
<p class="legend">{{t "回答元" "Source"}}:
<span class="badge src-scan">{{t "スキャン" "scan"}}</span> {{t "証跡から回答" "answered from the evidence"}} ·
<span class="badge src-operator">{{t "運営者" "operator"}}</span> {{t "運営者の回答ファイル" "the operator's answers file"}} ·
<span class="badge src-override">{{t "運営者（上書き）" "operator override"}}</span> {{t "スキャン結果と異なる運営者の回答" "the operator's answer replaces the scan's"}} ·
<span class="badge src-open">{{t "未回答" "open"}}</span> {{t "運営者による回答待ち" "to be answered by the operator"}} ·
<span class="badge src-na">{{t "対象外" "not applicable"}}</span><br>
{{t "選択肢" "Choices"}}: ● {{t "回答" "chosen"}} · ○ {{t "未選択" "not chosen"}} ·
<span class="tag tag-suggested">{{t "スキャンの推奨" "suggested by the scan"}}</span>
<span class="tag tag-required">{{t "観測" "observed"}}</span>
<span class="tag tag-excluded">{{t "証跡により除外" "ruled out by the evidence"}}</span></p>
{{- range .Chapters}}
<section class="chapter" id="{{.Anchor}}">
<h3 class="chapter-title">{{.Title}}</h3>
{{- range .Sections}}
{{- if .Title}}
<h4 class="section-title">{{.Title}}</h4>
{{- end}}
{{- range .Questions}}{{template "question" .}}{{end}}
{{- end}}
</section>
{{- end}}
</section>
{{end}}
{{define "question"}}
<article class="question" id="{{.Anchor}}">
<header class="q-head"><span class="qid">{{.ID}}</span> <span class="q-heading">{{.Heading}}</span>
<span class="q-meta"><span class="kind">{{.Kind}}</span> <span class="badge {{.Source.Class}}">{{.Source.Label}}</span></span></header>
{{- if .Text}}
<p class="q-text">{{.Text}}</p>
{{- end}}
{{- if .Reason}}
<p class="na-reason">{{t "対象外" "Not applicable"}}: {{.Reason}}</p>
{{- else}}
{{- if .Controls}}
<table class="controls">
<thead><tr><th>{{t "チェック項目" "Control point"}}</th><th>{{t "結果" "Result"}}</th><th>{{t "検出事項" "Findings"}}</th></tr></thead>
<tbody>
{{- range .Controls}}
<tr><td>{{.Label}}</td><td><span class="ctl {{.Class}}">{{.Status}}</span></td><td class="refs">{{template "refs" .Findings}}{{if .More}} {{t "ほか" "and"}} {{.More}} {{t "件" "more"}}{{end}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- range .Blocks}}{{template "block" .}}{{end}}
{{- end}}
</article>
{{end}}
{{define "block"}}
<div class="block{{if .Conflicts}} has-conflict{{end}}">
<div class="b-head"><span class="b-label">{{.Label}}</span>{{if .Type}} <span class="b-type">{{.Type}}</span>{{end}} <span class="badge {{.Source.Class}}">{{.Source.Label}}</span></div>
{{- if .Reason}}
<p class="na-reason">{{.Reason}}</p>
{{- else}}
{{- if .Choices}}
<ul class="choices">
{{- range .Choices}}
<li class="{{if .Chosen}}chosen{{end}}{{if .Excluded}} excluded{{end}}"><span class="mark">{{if .Chosen}}●{{else}}○{{end}}</span> <span class="key">({{.Key}})</span> <span class="ctext">{{.Text}}</span>{{if .FreeTextBox}} {{t "［記述］" "[free text]"}}{{end}}{{if .Skip}} {{t "（→" "(→ skip to"}} {{.Skip}}{{t " へ）" ")"}}{{end}}
{{- if .Suggested}} <span class="tag tag-suggested">{{t "スキャンの推奨" "suggested by the scan"}}</span>{{end}}
{{- if .Required}} <span class="tag tag-required">{{t "観測" "observed"}}</span>{{end}}
{{- if .Excluded}} <span class="tag tag-excluded">{{t "証跡により除外" "ruled out by the evidence"}}</span>{{end}}</li>
{{- end}}
</ul>
{{- end}}
{{- if .Ratings}}
<table class="ratings">
<thead><tr><th>{{t "項目" "Item"}}</th><th>{{t "評価" "Rating"}}</th></tr></thead>
<tbody>{{range .Ratings}}<tr><td>{{index . 0}}</td><td>{{index . 1}}</td></tr>{{end}}</tbody>
</table>
{{- end}}
{{- if .Text}}
<blockquote class="free-text">{{.Text}}</blockquote>
{{- end}}
{{- if .Open}}
<p class="open-note">{{t "運営者による回答待ち" "To be answered by the operator"}}{{if .Allowed}} — {{t "証跡が許す選択肢" "the evidence allows"}}: {{.Allowed}}{{end}}</p>
{{- end}}
{{- if .Rationale}}
<dl class="scan">
<dt>{{t "スキャンの根拠" "The scan's rationale"}}</dt><dd>{{.Rationale}}</dd>
{{- if .Allowed}}<dt>{{t "証跡が許す選択肢" "Choices the evidence allows"}}</dt><dd>{{.Allowed}}</dd>{{end}}
{{- if .Required}}<dt>{{t "観測された選択肢（必須）" "Observed choices (required)"}}</dt><dd>{{.Required}}</dd>{{end}}
{{- if .Findings}}<dt>{{t "検出事項" "Findings"}}</dt><dd class="refs">{{template "refs" .Findings}}</dd>{{end}}
{{- if .Evidence}}<dt>{{t "証跡" "Evidence"}}</dt><dd class="refs">{{template "refs" .Evidence}}</dd>{{end}}
</dl>
{{- end}}
{{- if .Justification}}
<p class="justification"><strong>{{t "運営者の理由" "Operator's justification"}}:</strong> {{.Justification}}</p>
{{- end}}
{{- if .Stale}}
<p class="stale"><strong>⚠ {{t "運営者の回答の有効期限切れ" "The operator's answer is stale"}}</strong> ({{t "期限" "expired"}} {{.Expires}})</p>
{{- else if .Expires}}
<p class="expires">{{t "回答の有効期限" "Answer valid until"}}: {{.Expires}}</p>
{{- end}}
{{- range .Conflicts}}
<p class="conflict"><strong>⚠ {{t "証跡との矛盾" "Conflict with the evidence"}}:</strong> {{.}}</p>
{{- end}}
{{- end}}
</div>
{{end}}
{{define "evidence"}}
<section id="evidence">
<h2>{{t "証跡" "Evidence"}}</h2>
<p class="note">{{t "以下はスキャンしたサーバーから受け取ったままのデータであり、信頼できない入力です。制御文字は \\xNN のように表示しています。" "What follows is the data as received from the scanned servers: untrusted input. Control characters are shown as \\xNN."}}</p>
{{- range .Evidence}}
<article class="evidence" id="{{.Anchor}}">
<h3>{{.Title}}</h3>
<p class="ev-meta"><span><b>ID</b><code>{{.ID}}</code></span> <span><b>{{t "種別" "Kind"}}</b>{{.Kind}}</span> <span><b>{{t "対象" "Target"}}</b>{{.Target}}</span> <span><b>{{t "取得日時" "Taken"}}</b>{{.Time}}</span>
{{- if .Findings}} <span><b>{{t "裏付ける検出事項" "Supports findings"}}</b>{{template "refs" .Findings}}</span>{{end}}
{{- if .Questions}} <span><b>{{t "裏付ける設問" "Supports questions"}}</b>{{template "refs" .Questions}}</span>{{end}}</p>
<pre>{{.Data}}</pre>
</article>
{{- end}}
</section>
{{end}}
`
