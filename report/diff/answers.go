package diff

import (
	"maps"
	"slices"

	"ecscan/mapping"
)

// compareAnswers lists the blocks whose source, choices, ratings, text or staleness changed,
// in the order of the new report (then blocks only the old report had).
func compareAnswers(old, new []mapping.QuestionAnswer) []AnswerChange {
	oi := answerIndex(old)
	seen := map[[2]string]bool{}
	var out []AnswerChange
	for _, qa := range new {
		for _, b := range qa.Blocks {
			k := [2]string{qa.Question, b.Block}
			seen[k] = true
			n := stateOf(b)
			if o := oi[k]; !sameState(o, n) {
				out = append(out, AnswerChange{Question: qa.Question, Block: b.Block, Old: o, New: n})
			}
		}
	}
	for _, qa := range old {
		for _, b := range qa.Blocks {
			if k := [2]string{qa.Question, b.Block}; !seen[k] {
				seen[k] = true
				out = append(out, AnswerChange{Question: qa.Question, Block: b.Block, Old: stateOf(b)})
			}
		}
	}
	return out
}

func answerIndex(qas []mapping.QuestionAnswer) map[[2]string]AnswerState {
	m := map[[2]string]AnswerState{}
	for _, qa := range qas {
		for _, b := range qa.Blocks {
			m[[2]string{qa.Question, b.Block}] = stateOf(b)
		}
	}
	return m
}

// stateOf takes what matters of an answer; choices are sorted (their order means nothing).
func stateOf(a mapping.Answer) AnswerState {
	choices := slices.Clone(a.Choices)
	slices.Sort(choices)
	return AnswerState{Source: a.Source, Choices: choices, Ratings: a.Ratings, Text: a.Text, Stale: a.Stale}
}

func sameState(a, b AnswerState) bool {
	return a.Source == b.Source && slices.Equal(a.Choices, b.Choices) && maps.Equal(a.Ratings, b.Ratings) &&
		a.Text == b.Text && a.Stale == b.Stale
}
