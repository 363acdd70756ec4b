package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/jsmtf/terraform-provider-jsm/internal/stringset"
)

// stringSet reads a set of strings; null and unknown give nil.
func stringSet(ctx context.Context, s stringset.Value, diags *diag.Diagnostics) []string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	var out []string
	diags.Append(s.ElementsAs(ctx, &out, false)...)
	return out
}

// setValue makes a set of strings, sorted so that the state reads the same
// from run to run; no IDs is an empty set, not null.
func setValue(ids []string) stringset.Value {
	sorted := append([]string{}, ids...)
	sort.Strings(sorted)
	return stringset.NewValue(sorted)
}

// minus returns the elements of a not in b, in a's order.
func minus(a, b []string) []string {
	in := make(map[string]bool, len(b))
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

// intersect returns the elements of a that are also in b, in a's order.
func intersect(a, b []string) []string {
	in := make(map[string]bool, len(b))
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if in[x] {
			out = append(out, x)
		}
	}
	return out
}
