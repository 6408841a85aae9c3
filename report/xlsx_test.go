package report

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/xuri/excelize/v2"
)

func writeXLSX(t *testing.T, o Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := (XLSXWriter{}).Write(&b, hostileReport(), o); err != nil {
		t.Fatalf("XLSXWriter.Write: %v", err)
	}
	return b.Bytes()
}

// readSheets reads every cell of both sheets back, failing on any cell that is not a string.
func readSheets(t *testing.T, data []byte) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{AnswersSheet, FindingsSheet}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("sheets = %v, want %v", got, want)
	}
	out := map[string][][]string{}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		out[sheet] = rows
		for r, row := range rows {
			for c := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
					t.Errorf("%s!%s holds a formula: %q", sheet, cell, formula)
				}
				if typ, _ := f.GetCellType(sheet, cell); row[c] != "" && typ != excelize.CellTypeSharedString {
					t.Errorf("%s!%s has type %v, want a shared string", sheet, cell, typ)
				}
			}
		}
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: panes = %+v, %v; want the header row frozen", sheet, panes, err)
		}
		if w, _ := f.GetColWidth(sheet, "D"); w < 7 || w == 9.140625 {
			t.Errorf("%s: column D width %v: widths not set", sheet, w)
		}
	}
	return out
}

var formulaElement = regexp.MustCompile(`<(\w+:)?f[ >/]`)

func TestXLSXCellsAreTextNeverFormulas(t *testing.T) {
	data := writeXLSX(t, Options{Lang: "ja", Catalog: testCatalog(t)})
	sheets := readSheets(t, data)
	for sheet, rows := range sheets {
		for r, row := range rows {
			for c, v := range row {
				if v != "" && strings.ContainsRune("=+-@\t\r＝＋－＠", []rune(v)[0]) {
					t.Errorf("%s row %d col %d starts a formula: %q", sheet, r+1, c+1, v)
				}
				if strings.ContainsFunc(v, func(r rune) bool { return r != '\n' && unicode.IsControl(r) }) {
					t.Errorf("%s row %d col %d holds a control character: %q", sheet, r+1, c+1, v)
				}
			}
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	filters := 0
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") {
			continue
		}
		rc, _ := zf.Open()
		xml, _ := io.ReadAll(rc)
		rc.Close()
		if formulaElement.Match(xml) {
			t.Errorf("%s holds a formula element", zf.Name)
		}
		filters += strings.Count(string(xml), "<autoFilter ")
	}
	if filters != 2 {
		t.Errorf("%d autofilters, want one per sheet", filters)
	}
	findings := sheets[FindingsSheet]
	if got, want := len(findings)-1, len(hostileReport().Findings); got != want {
		t.Errorf("findings sheet has %d rows, want %d", got, want)
	}
	joined := func(rows [][]string) string {
		var b strings.Builder
		for _, row := range rows {
			b.WriteString(strings.Join(row, "\t") + "\n")
		}
		return b.String()
	}
	for _, want := range []string{`'=HYPERLINK("http://x")`, `'+cmd|' /C calc'!A0`, `'@SUM(1)`, `'-1+1`} {
		if !strings.Contains(joined(sheets[FindingsSheet])+joined(sheets[AnswersSheet]), want) {
			t.Errorf("defused payload %q not found", want)
		}
	}
}

func TestXLSXAnswerSheet(t *testing.T) {
	rows := readSheets(t, writeXLSX(t, Options{Lang: "ja", Catalog: testCatalog(t)}))[AnswersSheet]
	blocks := 0
	for _, qa := range hostileReport().Answers {
		blocks += len(qa.Blocks)
	}
	if got := len(rows) - 1; got != blocks {
		t.Fatalf("answers sheet has %d rows, want one per block (%d)", got, blocks)
	}
	if got, want := strings.Join(rows[0], ","), "設問ID,章,区分,設問,回答欄,回答,回答元,根拠,矛盾・注意,証跡"; got != want {
		t.Errorf("header = %s, want %s", got, want)
	}
	first := rows[1]
	for i, want := range []string{"1-1-1", "第1章 サイトの公開面", "技術", "外部に不要なサービスを公開していませんか？", "【評価】", "(A) 十分に制限している", "運営者の回答（スキャン結果を上書き）"} {
		if first[i] != want {
			t.Errorf("row 2 col %d = %q, want %q", i+1, first[i], want)
		}
	}
	if !strings.Contains(first[8], "回答 A は証跡と矛盾") || !strings.Contains(first[8], "有効期限切れ") {
		t.Errorf("conflicts cell = %q, want the conflict and the stale note", first[8])
	}
	if !strings.Contains(first[9], "ports:db.ecshop.test:tcp-5432") {
		t.Errorf("evidence cell = %q", first[9])
	}
	en := readSheets(t, writeXLSX(t, Options{Lang: "en", Catalog: testCatalog(t)}))[AnswersSheet]
	if en[0][0] != "Question" || en[1][3] != "Is any unneeded service exposed?" {
		t.Errorf("English sheet: header %q, question %q", en[0][0], en[1][3])
	}
}

func TestXLSXGolden(t *testing.T) {
	sheets := readSheets(t, writeXLSX(t, Options{Lang: "ja", Catalog: testCatalog(t)}))
	var b strings.Builder
	for _, name := range []string{AnswersSheet, FindingsSheet} {
		b.WriteString("== " + name + "\n")
		for _, row := range sheets[name] {
			for i, v := range row {
				if i > 0 {
					b.WriteString("\t")
				}
				b.WriteString(strconv.Quote(v))
			}
			b.WriteString("\n")
		}
	}
	golden(t, "answers.xlsx.golden.txt", b.String())
}
