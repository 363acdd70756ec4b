package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// The provider's regular expressions, compiled once.
var (
	// trimmedRegexp matches a non-empty string without leading or trailing space.
	trimmedRegexp = regexp.MustCompile(`^\S(.*\S)?$`)

	// projectKeyRegexp matches a Jira project key: an uppercase letter, then
	// uppercase letters, digits or underscores.
	projectKeyRegexp = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,254}$`)
)

// organizationIDValidators check an organization ID at plan time.
func organizationIDValidators() []validator.String {
	return []validator.String{numericIDValidator{
		"must be an organization ID, a positive integer such as \"12\" (use jsm_organization.<name>.id)"}}
}

// serviceDeskIDValidators check a service desk ID at plan time.
func serviceDeskIDValidators() []validator.String {
	return []validator.String{numericIDValidator{
		"must be a service desk ID, a positive integer such as \"1\"; to use a project key, look the desk up with " +
			"data.jsm_service_desk and use its id"}}
}

// accountIDsValidators check a set of account IDs at plan time.
func accountIDsValidators() []validator.Set {
	return []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(accountIDValidator{})}
}

// numericIDValidator checks an organization or service desk ID with the
// client's own rule (jsm.ValidOrganizationID), so plan time and the path
// builder agree; its diagnostic is the one stringvalidator.RegexMatches
// gives.
type numericIDValidator struct{ desc string }

func (v numericIDValidator) Description(context.Context) string { return v.desc }

func (v numericIDValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v numericIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); !jsm.ValidOrganizationID(s) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value Match",
			fmt.Sprintf("Attribute %s %s, got: %s", req.Path, v.desc, s))
	}
}

// accountIDValidator checks an account ID with the client's own rule
// (jsm.CheckAccountID).
type accountIDValidator struct{}

func (accountIDValidator) Description(context.Context) string {
	return "must be an account ID: not empty, without whitespace or the characters / \\ ? # %"
}

func (v accountIDValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (accountIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := jsm.CheckAccountID(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid account ID",
			fmt.Sprintf("%s %q %s: write the account ID as JSM shows it, e.g. from jsm_customer.<name>.account_id.",
				req.Path, req.ConfigValue.ValueString(), msg))
	}
}

// baseURLValidator checks a known url at plan time, with the client's rules.
type baseURLValidator struct{}

func (baseURLValidator) Description(context.Context) string {
	return "must be an https URL (http only for loopback hosts)"
}

func (v baseURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (baseURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := jsm.ValidateBaseURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid JSM site URL", err.Error())
	}
}

// emailValidator accepts a bare address (fred@example.com), not a display
// form ("Fred <fred@example.com>"): JSM rejects anything else at apply time.
type emailValidator struct{}

func (emailValidator) Description(context.Context) string {
	return "must be a bare email address such as fred@example.com"
}

func (v emailValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (emailValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := checkEmail(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid email address", msg)
	}
}

// checkEmail returns why s is not a bare email address, or "".
func checkEmail(s string) string {
	a, err := mail.ParseAddress(s)
	switch {
	case err != nil || a.Name != "" || a.Address != s:
		return "\"" + s + "\" is not a bare email address: write it as local-part@domain, e.g. fred@example.com, without a name or angle brackets."
	case !strings.Contains(s[strings.LastIndex(s, "@")+1:], "."):
		return "\"" + s + "\" has no dot in its domain: write the full domain, e.g. fred@example.com."
	}
	return ""
}

// propertyKeyValidator refuses organization property keys that cannot
// travel safely in a URL path: ".", ".." and keys with control characters.
type propertyKeyValidator struct{}

func (propertyKeyValidator) Description(context.Context) string {
	return "must not be `.` or `..` and must not contain control characters"
}

func (v propertyKeyValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (propertyKeyValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := jsm.CheckPropertyKey(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid organization property key",
			req.Path.String()+": "+msg+". Choose another key: such a key cannot travel safely in a URL path (a server "+
				"or proxy that normalizes paths would send a request for the property `..` to the organization itself).")
	}
}

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

// durationBounds validates a Go duration string (such as 90s or 5m) within
// [min, max], at plan time when known.
type durationBounds struct{ min, max time.Duration }

func (v durationBounds) Description(context.Context) string {
	return "must be a duration such as 90s or 5m, from " + v.min.String() + " to " + v.max.String()
}

func (v durationBounds) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationBounds) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, msg := v.parse(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration", msg)
	}
}

// parse returns the duration s names, or why it is not acceptable.
func (v durationBounds) parse(s string) (time.Duration, string) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	switch {
	case err != nil:
		return 0, strconv.Quote(s) + " is not a duration: write a number with a unit, such as 90s, 5m or 1h30m."
	case d < v.min || d > v.max:
		return 0, strconv.Quote(s) + " is out of range: it must be from " + v.min.String() + " to " + v.max.String() + "."
	}
	return d, ""
}
