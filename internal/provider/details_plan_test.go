package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// The plan checks values against the fields the site has now: a value
// outside an existing field's options is named with the field and its
// options; a field the site does not have yet is left to the apply (this
// run may create it); a right value raises nothing.
func TestDetailsValueProblems(t *testing.T) {
	s := newTestSite(t)
	s.csm = true
	c := s.csmClient(t)
	ctx := context.Background()
	if _, err := c.CreateCustomerDetailField(ctx, jsm.DetailField{Name: "Region", Type: "SELECT", Options: []string{"EMEA", "AMER"}}); err != nil {
		t.Fatal(err)
	}
	r := &detailsResource{api: customerDetailsAPI, client: c}

	probs := r.valueProblems(ctx, map[string][]string{"Region": {"LATAM"}, "Created Later": {"x"}})
	if len(probs) != 1 || !strings.Contains(probs[0], `"LATAM"`) || !strings.Contains(probs[0], `"Region"`) ||
		!strings.Contains(probs[0], "EMEA, AMER") {
		t.Errorf("problems: %q", probs)
	}
	if probs := r.valueProblems(ctx, map[string][]string{"Region": {"EMEA"}}); len(probs) != 0 {
		t.Errorf("a right value: %q", probs)
	}
}

func TestSameDetails(t *testing.T) {
	a := map[string][]string{"A": {"1", "2"}, "B": {"x"}}
	for _, tc := range []struct {
		b    map[string][]string
		same bool
	}{
		{map[string][]string{"A": {"2", "1"}, "B": {"x"}}, true},
		{map[string][]string{"A": {"1"}, "B": {"x"}}, false},
		{map[string][]string{"A": {"1", "2"}}, false},
		{map[string][]string{"A": {"1", "2"}, "C": {"x"}}, false},
	} {
		if got := sameDetails(a, tc.b); got != tc.same {
			t.Errorf("sameDetails(%v, %v) = %v", a, tc.b, got)
		}
	}
}
