package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The plan-time ID checks are the client's own: what passes here, the
// path builder sends, and what it refuses is refused at plan time.
func TestIDValidators(t *testing.T) {
	check := func(v validator.String, s string) bool {
		var resp validator.StringResponse
		v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: types.StringValue(s)}, &resp)
		return !resp.Diagnostics.HasError()
	}
	for s, ok := range map[string]bool{"12": true, "0": false, "012": false, "1 ": false, "99999999999999999999": false, "a": false} {
		if got := check(organizationIDValidators()[0], s); got != ok {
			t.Errorf("organization ID %q: valid %v, want %v", s, got, ok)
		}
	}
	for s, ok := range map[string]bool{"qm:1f2e:ab12": true, "5b10a2844c20165700ede21g": true, "": false, " a": false, "a/b": false, "a?b": false, "..": false} {
		if got := check(accountIDValidator, s); got != ok {
			t.Errorf("account ID %q: valid %v, want %v", s, got, ok)
		}
	}
}

// Names are refused for leading or trailing space only: a line break
// inside one is not that (it was reported so).
func TestTrimmedNames(t *testing.T) {
	for name, ok := range map[string]bool{
		"Fred":       true,
		"F":          true,
		"Tab\tName":  true,
		"Two\nLines": true,
		" Fred":      false,
		"Fred ":      false,
		"Fred\n":     false,
		"\tFred":     false,
		"":           false,
		" ":          false,
	} {
		if trimmedRegexp.MatchString(name) != ok || trimmedName.MatchString(name) != ok {
			t.Errorf("%q: matched %v, want %v", name, !ok, ok)
		}
	}
}

// An empty product ID gets the length validator's one error, not also a
// lesson on path segments about organization properties.
func TestSegmentValidatorLeavesEmptyToTheLength(t *testing.T) {
	p := path.Root("product_id")
	if summary, _ := productIDValidator.check(p, ""); summary != "" {
		t.Errorf("empty: %q", summary)
	}
	summary, detail := productIDValidator.check(p, "../x")
	if summary != "Invalid product ID" || !strings.Contains(detail, "product_id") || strings.Contains(detail, "property") {
		t.Errorf("../x: %q: %q", summary, detail)
	}
}

// A blank display name is refused; a padded one, which accounts on the site
// may have, only warned of.
func TestDisplayNameValidator(t *testing.T) {
	for v, want := range map[string]string{"Fred": "", "Fred F. User": "", "": "error", "   ": "error", " Fred": "warning", "Fred\t": "warning"} {
		var resp validator.StringResponse
		displayNameValidator{}.ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("display_name"), ConfigValue: types.StringValue(v),
		}, &resp)
		got := ""
		switch {
		case resp.Diagnostics.ErrorsCount() > 0:
			got = "error"
		case resp.Diagnostics.WarningsCount() > 0:
			got = "warning"
		}
		if got != want {
			t.Errorf("%q: %q, want %q (%v)", v, got, want, resp.Diagnostics)
		}
	}
}
