package report

import (
	"fmt"
	"sort"
	"strings"

	"ecscan/mapping"
)

// WriteRules appends a question's answer rules to b in lang: the control points bound to
// findings, and for each block the cases in order, each with its condition, the choices it
// suggests and allows, and its rationale — so a reviewer can see why an answer is given.
func writeRules(b *strings.Builder, qr *mapping.QuestionRule, lang string) {
	if qr == nil {
		return
	}
	t := Terminal
	fmt.Fprintf(b, "\n%s:\n", tr(lang, "回答ルール（configs/rules）", "Answer rules (configs/rules)"))
	for _, c := range qr.Controls {
		fmt.Fprintf(b, "  %s %s ← %s\n", tr(lang, "チェック項目", "control"), c.ID, strings.Join(c.Findings, ", "))
	}
	for _, br := range qr.Blocks {
		fmt.Fprintf(b, "  %s %s:\n", tr(lang, "ブロック", "block"), br.Block)
		for i, cs := range br.Cases {
			fmt.Fprintf(b, "    %d. %s %s\n", i+1, tr(lang, "条件:", "when:"), t(whenText(cs.When)))
			for _, k := range sortedKeys(cs.Choices) {
				fmt.Fprintf(b, "       %s %s: %s\n", tr(lang, "観測で選択", "choose"), k, t(whenText(cs.Choices[k])))
			}
			if cs.Otherwise != "" {
				fmt.Fprintf(b, "       %s: %s\n", tr(lang, "該当なしなら", "otherwise"), cs.Otherwise)
			}
			if len(cs.Suggested) > 0 {
				fmt.Fprintf(b, "       %s: %s\n", tr(lang, "推奨", "suggested"), strings.Join(cs.Suggested, ", "))
			}
			if len(cs.Allowed) > 0 {
				fmt.Fprintf(b, "       %s: %s\n", tr(lang, "許される選択肢", "allowed"), strings.Join(cs.Allowed, ", "))
			}
			fmt.Fprintf(b, "       %s: %s\n", tr(lang, "根拠", "rationale"), t(cs.Rationale.In(lang)))
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// whenText renders a condition as one line.
func whenText(w mapping.When) string {
	var parts []string
	add := func(name string, list []string) {
		if len(list) > 0 {
			parts = append(parts, name+" "+strings.Join(list, ","))
		}
	}
	add("any_fail", w.AnyFail)
	if w.AnyFailAtLeast != nil {
		parts = append(parts, "severity ≥ "+w.AnyFailAtLeast.String())
	}
	add("no_fail", w.NoFail)
	add("tested", w.Tested)
	add("facts", w.Facts)
	add("no_facts", w.NoFacts)
	for _, k := range sortedKeys(w.Controls) {
		parts = append(parts, fmt.Sprintf("control %s=%s", k, w.Controls[k]))
	}
	if len(parts) == 0 {
		return "always"
	}
	return strings.Join(parts, "; ")
}
