package provider

import (
	"context"
	"encoding/json"
	"regexp"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// numericIDRegexp matches the IDs of organizations and service desks.
var numericIDRegexp = regexp.MustCompile(`^[1-9][0-9]*$`)

// organizationIDValidators check an organization ID at plan time.
func organizationIDValidators() []validator.String {
	return []validator.String{stringvalidator.RegexMatches(numericIDRegexp,
		"must be an organization ID, a positive integer such as \"12\" (use jsm_organization.<name>.id)")}
}

// serviceDeskIDValidators check a service desk ID at plan time.
func serviceDeskIDValidators() []validator.String {
	return []validator.String{stringvalidator.RegexMatches(numericIDRegexp,
		"must be a service desk ID, a positive integer such as \"1\"; to use a project key, look the desk up with "+
			"data.jsm_service_desk and use its id")}
}

// accountIDsValidators check a set of account IDs at plan time.
func accountIDsValidators() []validator.Set {
	return []validator.Set{
		setvalidator.SizeAtLeast(1),
		setvalidator.ValueStringsAre(stringvalidator.RegexMatches(trimmedRegexp,
			"must be an account ID: not empty and without leading or trailing whitespace")),
	}
}

// stringSet reads a set of strings; null and unknown give nil.
func stringSet(ctx context.Context, s types.Set, diags *diag.Diagnostics) []string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	var out []string
	diags.Append(s.ElementsAs(ctx, &out, false)...)
	return out
}

// setValue makes a sorted set of strings.
func setValue(ids []string, diags *diag.Diagnostics) types.Set {
	sorted := append([]string(nil), ids...)
	sort.Strings(sorted)
	v, d := types.SetValueFrom(context.Background(), types.StringType, sorted)
	diags.Append(d...)
	return v
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

func mustRegexp(p string) *regexp.Regexp { return regexp.MustCompile(p) }

// jsonDocumentValidator checks that a string is a JSON document; the
// framework does not run jsontypes' own check on map elements.
type jsonDocumentValidator struct{}

func (jsonDocumentValidator) Description(context.Context) string {
	return "must be a JSON document, e.g. from jsonencode()"
}

func (v jsonDocumentValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (jsonDocumentValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !json.Valid([]byte(req.ConfigValue.ValueString())) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid JSON document",
			"The value is not valid JSON: write it with jsonencode(...), e.g. jsonencode({ tier = \"gold\" }).")
	}
}
