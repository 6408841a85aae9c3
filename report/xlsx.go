package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"ecscan/checks"
	"ecscan/mapping"
)

// XLSXWriter writes answers.xlsx: the answer sheet as a spreadsheet, one row per answer block
// (sheet "answers"), and every finding (sheet "findings"), in o.Lang. The header row is
// frozen, columns have widths, text wraps, and both sheets carry an autofilter.
//
// Every cell is written as a string (a shared string, never a formula): text is cleaned of
// control characters and invalid UTF-8, and text that a spreadsheet would read as a formula
// when the cell is edited — starting with = + - @ (or their full-width forms) — gets a
// leading apostrophe, as OWASP advises for CSV injection.
type XLSXWriter struct{}

// Format returns "xlsx".
func (XLSXWriter) Format() string { return "xlsx" }

// File returns "answers.xlsx".
func (XLSXWriter) File() string { return "answers.xlsx" }

// Sheet names of answers.xlsx.
const (
	AnswersSheet  = "answers"
	FindingsSheet = "findings"
)

// cellText makes s safe for a spreadsheet cell: control characters visible (line breaks
// kept), invalid UTF-8 replaced, and a formula's leading character defused.
func cellText(s string) string {
	s = block(s)
	if s != "" && strings.ContainsRune("=+-@＝＋－＠", []rune(s)[0]) {
		s = "'" + s
	}
	return s
}

// xlsxColumn is one column: its header in Japanese and English, and its width.
type xlsxColumn struct {
	ja, en string
	width  float64
}

var answerColumns = []xlsxColumn{
	{"設問ID", "Question", 9}, {"章", "Chapter", 18}, {"区分", "Kind", 8}, {"設問", "Question text", 40},
	{"回答欄", "Block", 20}, {"回答", "Answer", 40}, {"回答元", "Source", 16}, {"根拠", "Rationale", 50},
	{"矛盾・注意", "Conflicts", 36}, {"証跡", "Evidence", 40},
}

var findingColumns = []xlsxColumn{
	{"重要度", "Severity", 9}, {"ID", "ID", 22}, {"ホスト", "Host", 24}, {"ポート", "Port", 7},
	{"対象", "Subject", 20}, {"内容", "Title", 50}, {"詳細", "Detail", 50}, {"結果", "Outcome", 8}, {"証跡", "Evidence", 40},
}

// Write writes the workbook.
func (XLSXWriter) Write(w io.Writer, r *Report, o Options) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", AnswersSheet); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if _, err := f.NewSheet(FindingsSheet); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	x := &xlsxBook{f: f, lang: o.Lang}
	x.sheet(AnswersSheet, answerColumns, answerRows(r, o))
	x.sheet(FindingsSheet, findingColumns, findingRows(r, o.Lang))
	if x.err != nil {
		return fmt.Errorf("xlsx: %w", x.err)
	}
	_, err := f.WriteTo(w)
	return err
}

// xlsxBook writes sheets, keeping the first error.
type xlsxBook struct {
	f    *excelize.File
	lang string
	err  error
}

func (x *xlsxBook) do(err error) {
	if x.err == nil {
		x.err = err
	}
}

// sheet writes a header row and the rows, every cell as a string, then sets the widths,
// wrapping, frozen header and autofilter.
func (x *xlsxBook) sheet(name string, cols []xlsxColumn, rows [][]string) {
	head, err := x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE3EA"}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	x.do(err)
	body, err := x.f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	x.do(err)
	for c, col := range cols {
		cell, _ := excelize.CoordinatesToCellName(c+1, 1)
		x.do(x.f.SetCellStr(name, cell, tr(x.lang, col.ja, col.en)))
		colName, _ := excelize.ColumnNumberToName(c + 1)
		x.do(x.f.SetColWidth(name, colName, colName, col.width))
	}
	for i, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, i+2)
			x.do(x.f.SetCellStr(name, cell, cellText(v)))
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), len(rows)+1)
	x.do(x.f.SetCellStyle(name, "A1", last, body))
	lastHead, _ := excelize.CoordinatesToCellName(len(cols), 1)
	x.do(x.f.SetCellStyle(name, "A1", lastHead, head))
	x.do(x.f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
	x.do(x.f.AutoFilter(name, "A1:"+last, nil))
}

// answerRows returns one row per answer block, in the catalog's order when there is one.
func answerRows(r *Report, o Options) [][]string {
	var rows [][]string
	for _, qa := range r.Answers {
		var q *mapping.Question
		if o.Catalog != nil {
			q = o.Catalog.Question(qa.Question)
		}
		for _, a := range qa.Blocks {
			rows = append(rows, answerRow(q, qa, a, o.Lang))
		}
	}
	return rows
}

func answerRow(q *mapping.Question, qa mapping.QuestionAnswer, a mapping.Answer, lang string) []string {
	chapter, heading, label := "", qa.Question, a.Block
	answer := strings.Join(a.Choices, ", ")
	if q != nil {
		chapter, heading = chapterTitle(q.Chapter, lang), q.Heading.In(lang)
		if b := q.Block(a.Block); b != nil {
			label, answer = b.Label.In(lang), answerText(b, a, lang)
		}
	}
	var why, notes, refs []string
	if a.Reason != nil {
		why = append(why, a.Reason.In(lang))
	}
	if s := a.Scan; s != nil {
		why = append(why, s.Rationale.In(lang))
		if len(s.Allowed) > 0 {
			why = append(why, tr(lang, "証跡が許す選択肢: ", "the evidence allows: ")+strings.Join(s.Allowed, ", "))
		}
		if len(s.Required) > 0 {
			why = append(why, tr(lang, "観測された選択肢: ", "observed: ")+strings.Join(s.Required, ", "))
		}
		refs = append(append(refs, s.Evidence...), s.Findings...)
	}
	if a.Justification != "" {
		why = append(why, tr(lang, "運営者の理由: ", "operator's justification: ")+a.Justification)
	}
	for _, c := range a.Conflicts {
		notes = append(notes, c.In(lang))
	}
	if a.Stale {
		notes = append(notes, tr(lang, "運営者の回答の有効期限切れ: ", "the operator's answer is stale: ")+a.Expires)
	}
	return []string{qa.Question, chapter, KindLabel(qa.Kind, lang), heading, label, answer, sourceLabel(a.Source, lang),
		strings.Join(why, "\n"), strings.Join(notes, "\n"), strings.Join(refs, "\n")}
}

// findingRows returns one row per finding.
func findingRows(r *Report, lang string) [][]string {
	var rows [][]string
	for _, f := range r.Findings {
		port := ""
		if f.Port > 0 {
			port = fmt.Sprint(f.Port)
		}
		sev := f.Severity.Label(lang)
		if f.Outcome != checks.Fail {
			sev = ""
		}
		rows = append(rows, []string{sev, f.ID, f.Host, port, f.Subject, f.Title.In(lang), f.Detail.In(lang), string(f.Outcome), strings.Join(f.Evidence, "\n")})
	}
	return rows
}
