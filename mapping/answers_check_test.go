package mapping

import (
	"slices"
	"strconv"
	"testing"
)

func TestCheckCompleteness(t *testing.T) {
	c, err := DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		body       string   // under answers:, starting at line 3
		errors     []string // the problems, in order, as "line: problem"
		open       []string // questions that must be counted open
		notOpen    []string // questions that must not be counted open
		openAbsent bool     // every management question but those answered is open
	}{
		{name: "a block the first answer makes applicable is missing",
			body:   "  \"2-3-4\":\n    implementation: A\n",
			errors: []string{"3: question 2-3-4 is answered in part: block effect applies but is not answered"}},
		{name: "left as ~ counts as missing",
			body:   "  \"2-3-4\":\n    implementation: A\n    effect: ~\n    reasons-not-done: ~\n",
			errors: []string{"3: question 2-3-4 is answered in part: block effect applies but is not answered"}},
		{name: "complete", body: "  \"2-3-4\":\n    implementation: B\n    effect: A\n", notOpen: []string{"2-3-4"}},
		{name: "no follow-up block applies", body: "  \"2-3-4\":\n    implementation: C\n", notOpen: []string{"2-3-4"}},
		{name: "the other branch",
			body:   "  \"2-3-4\":\n    implementation: D\n    effect: A\n",
			errors: []string{"3: question 2-3-4 is answered in part: block reasons-not-done applies but is not answered"}},
		{name: "several blocks missing, at the question's line",
			body:   "  \"1-5-1\":\n    evaluation: A\n  \"4-3-2\":\n    evaluation: C\n",
			errors: []string{"5: question 4-3-2 is answered in part: blocks reasons, future-action apply but are not answered"}},
		{name: "an unconditional block missing",
			body:   "  \"9-7-2\":\n    relative-position: A\n",
			errors: []string{"3: question 9-7-2 is answered in part: block evaluation applies but is not answered"}},
		{name: "every block left as ~ is open, not an error",
			body: "  \"2-3-4\":\n    implementation: ~\n    effect: ~\n", open: []string{"2-3-4", "1-1-1"}},
		{name: "absent questions are open", body: "", openAbsent: true},
		{name: "a skip_to passes over the question",
			body:    "  \"9-7-1\":\n    placement: A\n  \"9-7-2\":\n    relative-position: A\n",
			notOpen: []string{"9-7-2"}},
		{name: "skipping the rest of a chapter", body: "  \"8-1-1\":\n    authentication-performed: B\n",
			notOpen: []string{"8-4-1", "8-4-3"}, open: []string{"9-1-1"}},
		{name: "the question's condition does not hold",
			body:    "  \"4-3-1\":\n    machines: [I]\n  \"4-3-2\":\n    evaluation: C\n",
			notOpen: []string{"4-3-2"}},
		{name: "a condition on an unanswered block leaves the question asked",
			body: "  \"4-3-2\":\n    evaluation: D\n    reasons: [A]\n    future-action: A\n", notOpen: []string{"4-3-2"}, open: []string{"4-3-1"}},
		{name: "technical and partial questions are never required",
			body: "  \"9-2-2\":\n    cohosted-services: [B]\n", notOpen: []string{"9-2-2", "9-3-2"}},
	}
	var management []string
	for _, q := range c.Questions() {
		if q.Kind == Management {
			management = append(management, q.ID)
		}
	}
	for _, tc := range tests {
		a, err := ParseAnswers("a.yaml", []byte("version: 1\nanswers:\n"+tc.body), c)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := CheckCompleteness(a, c)
		var errs []string
		for _, e := range got.Incomplete {
			if e.File != "a.yaml" {
				t.Errorf("%s: error names file %q", tc.name, e.File)
			}
			errs = append(errs, strconv.Itoa(e.Line)+": "+e.Problem)
		}
		if !slices.Equal(errs, tc.errors) {
			t.Errorf("%s: got errors %q, want %q", tc.name, errs, tc.errors)
		}
		for _, q := range tc.open {
			if !slices.Contains(got.Open, q) {
				t.Errorf("%s: %s not counted open (open: %v)", tc.name, q, got.Open)
			}
		}
		for _, q := range tc.notOpen {
			if slices.Contains(got.Open, q) {
				t.Errorf("%s: %s counted open", tc.name, q)
			}
		}
		for _, q := range got.Open {
			if c.Question(q).Kind != Management {
				t.Errorf("%s: %s (%s) counted open", tc.name, q, c.Question(q).Kind)
			}
		}
		if tc.openAbsent && !slices.Equal(got.Open, management) {
			t.Errorf("%s: got %d open, want every one of the %d management questions", tc.name, len(got.Open), len(management))
		}
	}
}
