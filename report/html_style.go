package report

// htmlCSS styles report.html for the screen and for print. Severities, sources and control
// statuses differ by border style and text as well as by colour, so a black-and-white print
// still tells them apart. In print every chapter starts a page, table headers repeat, and
// rows, findings and answer blocks are not cut across pages.
const htmlCSS = `
:root { --ink: #1a1a1a; --muted: #5f6368; --line: #c8ccd0; --soft: #f4f6f8; --link: #0b57d0; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.55;
  font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", "Meiryo", system-ui, sans-serif; }
header.cover, nav.toc, main, footer.colophon { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
header.cover { padding-top: 28px; }
h1 { font-size: 1.9rem; margin: 0 0 12px; border-bottom: 3px solid var(--ink); padding-bottom: 6px; }
h2 { font-size: 1.45rem; margin: 36px 0 12px; border-bottom: 2px solid var(--ink); padding-bottom: 4px; }
h3 { font-size: 1.15rem; margin: 22px 0 8px; }
h4 { font-size: 1rem; margin: 14px 0 6px; }
a { color: var(--link); }
code, pre { font-family: "Noto Sans Mono CJK JP", "DejaVu Sans Mono", "Consolas", monospace; font-size: 0.86em; }
code { overflow-wrap: anywhere; }
table { border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; }
table.meta th { color: var(--muted); font-weight: 600; white-space: nowrap; padding-left: 0; }
table.meta td { overflow-wrap: anywhere; }
table.list, table.controls, table.ratings { width: 100%; margin: 6px 0 14px; font-size: 0.92rem; }
table.list th, table.controls th, table.ratings th { background: var(--soft); border-bottom: 2px solid var(--ink); white-space: nowrap; }
td.nw, table.findings td:nth-child(3), table.grades td:first-child { white-space: nowrap; }
table.findings td:first-child { width: 45%; }
table.list td, table.controls td, table.ratings td { border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.small, .addr { color: var(--muted); font-size: 0.88em; }
tr.out-of-scope td { color: var(--muted); font-style: italic; }
.alert { border: 3px double #b3261e; background: #fdecea; padding: 10px 14px; font-size: 1.05rem; }
nav.toc ol { margin: 4px 0; padding-left: 1.4em; }
nav.toc > ol > li { margin: 2px 0; }
nav.toc ol ol { columns: 2; font-size: 0.92rem; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; break-inside: avoid; }
.card h3 { margin-top: 0; font-size: 1rem; }
.card table.counts { width: 100%; }
.card table.counts td { padding: 3px 0; border-bottom: 1px dotted var(--line); }
.card tr.total td { font-weight: 600; border-bottom: 0; }
.big { font-size: 2rem; font-weight: 700; margin: 0 0 4px; }
.big small { font-size: 0.9rem; font-weight: 400; color: var(--muted); }
.badge, .sev, .ctl, .tag, .grade { display: inline-block; padding: 0 7px; border-radius: 4px; font-size: 0.82rem;
  font-weight: 600; line-height: 1.6; white-space: nowrap; border: 1px solid currentColor; text-indent: 0; }
.sev-critical { color: #6a1b9a; background: #f3e5f5; border: 3px double #6a1b9a; }
.sev-high { color: #b3261e; background: #fdecea; border: 2px solid #b3261e; }
.sev-medium { color: #a24d00; background: #fff3e0; border: 1px solid #a24d00; }
.sev-low { color: #6d5d00; background: #fffde7; border: 1px dashed #6d5d00; }
.sev-info { color: #455a64; background: #eceff1; border: 1px dotted #455a64; }
.src-scan { color: #0b57d0; background: #e8f0fe; }
.src-operator { color: #146c2e; background: #e6f4ea; }
.src-override { color: #a24d00; background: #fff3e0; border: 3px double #a24d00; }
.src-open { color: #5f6368; background: #fff; border-style: dashed; }
.src-na { color: #5f6368; background: #f1f3f4; border-style: dotted; }
.ctl-pass { color: #146c2e; background: #e6f4ea; }
.ctl-fail { color: #b3261e; background: #fdecea; border-width: 2px; }
.ctl-untested { color: #5f6368; border-style: dashed; }
.grade { font-size: 1.05rem; min-width: 2.4em; text-align: center; }
.grade-a { color: #146c2e; background: #e6f4ea; }
.grade-b { color: #6d5d00; background: #fffde7; }
.grade-c { color: #a24d00; background: #fff3e0; border-width: 2px; }
.grade-f { color: #b3261e; background: #fdecea; border: 3px double #b3261e; }
.grade-unknown { color: #5f6368; border-style: dashed; }
.tag { font-weight: 400; font-size: 0.75rem; margin-left: 4px; color: #37474f; }
.tag-suggested { border-style: solid; background: #e8f0fe; }
.tag-required { border-style: double; border-width: 3px; }
.tag-excluded { border-style: dashed; }
.sev-heading { margin-top: 26px; }
article.finding { border: 1px solid var(--line); border-left: 6px solid #455a64; border-radius: 4px; padding: 8px 12px; margin: 10px 0; break-inside: avoid; }
article.lvl-critical { border-left: 9px double #6a1b9a; }
article.lvl-high { border-left: 8px double #b3261e; }
article.lvl-medium { border-left-color: #a24d00; }
article.lvl-low { border-left: 6px dashed #6d5d00; }
article.finding h4 { margin: 0 0 4px; font-size: 1rem; }
article.finding h4 .sev { margin-right: 6px; }
.place { margin: 0; color: var(--muted); font-size: 0.9rem; overflow-wrap: anywhere; }
.detail { margin: 6px 0; white-space: pre-line; overflow-wrap: anywhere; }
.refs { font-size: 0.85rem; overflow-wrap: anywhere; }
.refs a { font-family: "Noto Sans Mono CJK JP", "DejaVu Sans Mono", monospace; }
.ref-text { color: var(--muted); }
.legend { background: var(--soft); padding: 8px 12px; font-size: 0.88rem; line-height: 2; border-radius: 4px; }
.chapter-title { font-size: 1.3rem; background: var(--ink); color: #fff; padding: 6px 12px; margin-top: 30px; }
.section-title { font-size: 1.05rem; border-bottom: 1px solid var(--ink); margin-top: 20px; }
article.question { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
.q-head { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; font-weight: 600; }
.qid { font-family: "DejaVu Sans Mono", monospace; background: var(--soft); border: 1px solid var(--line); padding: 0 6px; border-radius: 3px; }
.q-heading { flex: 1 1 24em; }
.q-meta { white-space: nowrap; }
.kind { color: var(--muted); font-weight: 400; font-size: 0.85rem; margin-right: 4px; }
.q-text { color: #333; font-size: 0.92rem; white-space: pre-line; margin: 6px 0; }
.na-reason { color: var(--muted); font-style: italic; margin: 4px 0; }
.block { border-top: 1px dotted var(--line); padding: 8px 0 4px; break-inside: avoid; }
.block.has-conflict { border: 2px solid #b3261e; border-left-width: 8px; padding: 8px 10px; margin: 6px 0; background: #fffafa; }
.b-head { display: flex; flex-wrap: wrap; gap: 6px; align-items: baseline; }
.b-label { font-weight: 600; }
.b-type { color: var(--muted); font-size: 0.82rem; }
ul.choices { list-style: none; margin: 4px 0; padding-left: 0.6em; font-size: 0.93rem; }
ul.choices li { margin: 2px 0; padding-left: 1.4em; text-indent: -1.4em; }
ul.choices li.chosen { font-weight: 700; }
ul.choices li.chosen .mark { color: var(--ink); }
ul.choices li .mark { color: var(--muted); }
ul.choices li.excluded .ctext { text-decoration: line-through; text-decoration-color: #b3261e; color: var(--muted); }
blockquote.free-text { margin: 6px 0; padding: 4px 12px; border-left: 4px solid var(--line); white-space: pre-line; overflow-wrap: anywhere; }
.open-note { color: var(--muted); margin: 4px 0; }
dl.scan { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; padding: 6px 10px;
  background: var(--soft); border-left: 4px solid #0b57d0; font-size: 0.88rem; }
dl.scan dt { font-weight: 600; color: #37474f; }
dl.scan dd { margin: 0; overflow-wrap: anywhere; }
.justification, .expires { margin: 4px 0; font-size: 0.9rem; white-space: pre-line; overflow-wrap: anywhere; }
.stale, .conflict { margin: 6px 0; padding: 4px 10px; border: 2px solid #b3261e; background: #fdecea; color: #7f1d1d; font-size: 0.92rem; }
.stale { border-style: dashed; border-color: #a24d00; background: #fff3e0; color: #5d2e00; }
.note { color: var(--muted); font-size: 0.9rem; }
article.evidence { margin: 18px 0; }
article.evidence h3 { margin-bottom: 4px; overflow-wrap: anywhere; }
.ev-meta { display: flex; flex-wrap: wrap; gap: 2px 18px; font-size: 0.85rem; margin: 0 0 6px; color: var(--muted); }
.ev-meta b { font-weight: 600; color: var(--ink); margin-right: 4px; }
.ev-meta span { overflow-wrap: anywhere; }
pre { background: var(--soft); border: 1px solid var(--line); padding: 8px 10px; white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-all; line-height: 1.4; tab-size: 8; }
footer.colophon { color: var(--muted); font-size: 0.8rem; margin-top: 40px; padding-bottom: 30px; border-top: 1px solid var(--line); padding-top: 8px; }
:target { outline: 3px solid #0b57d0; outline-offset: 2px; }
@media screen and (max-width: 800px) { .cards { grid-template-columns: 1fr; } nav.toc ol ol { columns: 1; } }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  html { font-size: 9.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  header.cover, nav.toc, main, footer.colophon { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .refs a { text-decoration: underline; }
  main > section { break-before: page; }
  main > section#summary { break-before: auto; }
  main > section > h2 { margin-top: 0; }
  section.chapter + section.chapter { break-before: page; }
  h2, h3, h4, .q-head, .q-text, .b-head { break-after: avoid; }
  table { break-inside: auto; }
  table.meta, table.counts, table.controls, table.ratings, .cards { break-inside: avoid; }
  thead { display: table-header-group; }
  tr, li, dl.scan, .conflict, .stale { break-inside: avoid; }
  pre { font-size: 7.5pt; }
  :target { outline: none; }
}
`
