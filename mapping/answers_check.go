package mapping

import (
	"fmt"
	"strings"
)

// AnswersCompleteness is what an answers file leaves undone among the management questions,
// which only the operator can answer (technical and partial questions may be left to the
// scan, so they are never required).
type AnswersCompleteness struct {
	// Incomplete holds one error per applicable management question that the file answers
	// in part: some block answered, another block that applies left empty or missing. The
	// error is at the question's line.
	Incomplete AnswersErrors
	// Open lists the applicable management questions of which no block is answered (absent
	// from the file, or every block left as ~): still open, a warning rather than an error.
	Open []string
}

// CheckCompleteness finds the management questions an answers file leaves incomplete or
// open. Whether a question and each of its blocks apply is decided as the report decides it
// (Join), from the file's own answers: a chosen skip_to skips the questions it passes over,
// a condition that does not hold makes a question or block not applicable, and a condition
// on a block the file leaves unanswered (which the scan may answer later) counts as holding.
func CheckCompleteness(a *Answers, c *Catalog) AnswersCompleteness {
	var out AnswersCompleteness
	for _, qa := range Join(Input{Catalog: c, Operator: a}) {
		if qa.Kind != Management || qa.Reason != nil {
			continue
		}
		var answered int
		var missing []string
		for _, b := range qa.Blocks {
			switch {
			case b.Source == NotApplicable:
			case a.Get(qa.Question, b.Block).Empty():
				missing = append(missing, b.Block)
			default:
				answered++
			}
		}
		switch {
		case answered == 0 && len(missing) > 0:
			out.Open = append(out.Open, qa.Question)
		case len(missing) > 0:
			out.Incomplete = append(out.Incomplete, &AnswersError{File: a.File, Line: a.Line[qa.Question], Problem: incompleteProblem(qa.Question, missing)})
		}
	}
	return out
}

func incompleteProblem(q string, missing []string) string {
	if len(missing) == 1 {
		return fmt.Sprintf("question %s is answered in part: block %s applies but is not answered", q, missing[0])
	}
	return fmt.Sprintf("question %s is answered in part: blocks %s apply but are not answered", q, strings.Join(missing, ", "))
}
