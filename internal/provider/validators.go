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
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// The provider's regular expressions, compiled once.
var (
	// trimmedRegexp matches a non-empty string without leading or trailing
	// space; (?s) lets a line break inside pass, which is not what it judges.
	trimmedRegexp = regexp.MustCompile(`(?s)^\S(.*\S)?$`)

	// projectKeyRegexp matches a Jira project key: an uppercase letter, then
	// uppercase letters, digits or underscores.
	projectKeyRegexp = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,254}$`)
)

// organizationIDValidators check an organization ID at plan time.
func organizationIDValidators() []validator.String {
	return []validator.String{numericIDValidator(
		"must be an organization ID, a positive integer such as \"12\" (use jsm_organization.<name>.id)")}
}

// serviceDeskIDValidators check a service desk ID at plan time.
func serviceDeskIDValidators() []validator.String {
	return []validator.String{numericIDValidator(
		"must be a service desk ID, a positive integer such as \"1\"; to use a project key, look the desk up with " +
			"data.jsm_service_desk and use its id")}
}

// accountIDsValidators check a set of account IDs at plan time. An empty
// set is allowed: it manages no accounts (offboarding the last one).
func accountIDsValidators() []validator.Set {
	return []validator.Set{setvalidator.ValueStringsAre(accountIDValidator)}
}

// stringCheck is a plan-time check of a known string: check returns the
// summary and detail of the error, or an empty summary when the value is
// fine. Every custom string validator of the provider is one.
type stringCheck struct {
	desc  string
	check func(p path.Path, v string) (summary, detail string)
}

func (c stringCheck) Description(context.Context) string { return c.desc }

func (c stringCheck) MarkdownDescription(context.Context) string { return c.desc }

func (c stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if summary, detail := c.check(req.Path, req.ConfigValue.ValueString()); summary != "" {
		resp.Diagnostics.AddAttributeError(req.Path, summary, detail)
	}
}

// numericIDValidator checks an organization or service desk ID with the
// client's own rule (jsm.ValidOrganizationID), so plan time and the path
// builder agree; its diagnostic is the one stringvalidator.RegexMatches
// gives.
func numericIDValidator(desc string) stringCheck {
	return stringCheck{desc, func(p path.Path, v string) (string, string) {
		if jsm.ValidOrganizationID(v) {
			return "", ""
		}
		return "Invalid Attribute Value Match", fmt.Sprintf("Attribute %s %s, got: %s", p, desc, v)
	}}
}

// accountIDValidator checks an account ID with the client's own rule
// (jsm.CheckAccountID).
var accountIDValidator = stringCheck{ //nolint:gochecknoglobals // a read-only table
	"must be an account ID: not empty, without whitespace or the characters / \\ ? # %",
	func(p path.Path, v string) (string, string) {
		if msg := jsm.CheckAccountID(v); msg != "" {
			return "Invalid account ID", fmt.Sprintf(
				"%s %q %s: write the account ID as JSM shows it, e.g. from jsm_customer.<name>.account_id.", p, v, msg)
		}
		return "", ""
	},
}

// baseURLValidator checks a known url at plan time, with the client's rules.
var baseURLValidator = stringCheck{ //nolint:gochecknoglobals // a read-only table
	"must be an https URL (http only for loopback hosts)",
	func(_ path.Path, v string) (string, string) {
		if _, err := jsm.ValidateSiteURL(v); err != nil {
			return "Invalid JSM site URL", err.Error()
		}
		return "", ""
	},
}

// emailValidator accepts a bare address (fred@example.com), not a display
// form ("Fred <fred@example.com>"): JSM rejects anything else at apply time.
var emailValidator = stringCheck{ //nolint:gochecknoglobals // a read-only table
	"must be a bare email address such as fred@example.com",
	func(_ path.Path, v string) (string, string) {
		if msg := checkEmail(v); msg != "" {
			return "Invalid email address", msg
		}
		return "", ""
	},
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

// segmentRule says, in a description, which values the client refuses to
// put in a URL path (jsm's checkSegment).
const segmentRule = "must not be `.` or `..`, contain `/` or `\\`, or contain control characters"

// segmentWhy explains, in a diagnostic, why such a value is refused.
const segmentWhy = "such values cannot travel safely in a URL path: a server or proxy that decodes and normalizes " +
	"paths reads `..` as a step up, so that a request meant for one object reaches another, " +
	"and Atlassian's edge commonly refuses an encoded slash"

// segmentValidator refuses at plan time what the client's path builder
// refuses at apply time (check is one of jsm's Check functions), naming the
// attribute. An empty value is left to the length validator each of these
// attributes carries, so that it is reported once.
func segmentValidator(summary string, check func(string) string) stringCheck {
	return stringCheck{segmentRule, func(p path.Path, v string) (string, string) {
		if msg := check(v); msg != "" && v != "" {
			return summary, p.String() + ": " + msg + ". Choose a value that is not `.` or `..` and holds no `/`, `\\` " +
				"or control characters: " + segmentWhy + "."
		}
		return "", ""
	}}
}

// propertyKeyValidator refuses organization property keys that cannot
// travel safely in a URL path: ".", "..", keys holding "/" or "\", and
// keys with control characters.
var propertyKeyValidator = segmentValidator("Invalid organization property key", jsm.CheckPropertyKey) //nolint:gochecknoglobals // a read-only table

// detailFieldNameValidator refuses detail field names that cannot travel
// safely in a URL path (the field is edited and deleted by name).
var detailFieldNameValidator = segmentValidator("Invalid detail field name", jsm.CheckDetailFieldName) //nolint:gochecknoglobals // a read-only table

// distinctFieldKeys refuses details whose keys name the same detail field:
// the site compares field names ignoring letter case and surrounding
// spaces, so such keys would write one field twice and diff forever.
type distinctFieldKeys struct{}

func (distinctFieldKeys) Description(context.Context) string {
	return "keys must name distinct detail fields (ignoring letter case and surrounding spaces)"
}

func (v distinctFieldKeys) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (distinctFieldKeys) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	keys := sortedMapKeys(req.ConfigValue.Elements())
	for i, a := range keys {
		for _, b := range keys[i+1:] {
			if sameFieldName(a, b) {
				resp.Diagnostics.AddAttributeError(req.Path, "Two keys name the same detail field",
					fmt.Sprintf("The keys %q and %q name the same detail field: the site compares field names ignoring "+
						"letter case and surrounding spaces. Keep one of them.", a, b))
			}
		}
	}
}

// productIDValidator refuses product IDs that cannot travel safely in a
// URL path.
var productIDValidator = segmentValidator("Invalid product ID", jsm.CheckProductID) //nolint:gochecknoglobals // a read-only table

// jsonDocumentValidator checks that a string is a JSON document; the
// framework does not run jsontypes' own check on map elements.
var jsonDocumentValidator = stringCheck{ //nolint:gochecknoglobals // a read-only table
	"must be a JSON document, e.g. from jsonencode()",
	func(_ path.Path, v string) (string, string) {
		if !json.Valid([]byte(v)) {
			return "Invalid JSON document",
				"The value is not valid JSON: write it with jsonencode(...), e.g. jsonencode({ tier = \"gold\" })."
		}
		return "", ""
	},
}

// durationBounds are the bounds of a Go duration string (such as 90s or
// 5m) in a setting; validator checks it at plan time when known.
type durationBounds struct{ min, max time.Duration }

func (v durationBounds) validator() stringCheck {
	return stringCheck{
		"must be a duration such as 90s or 5m, from " + v.min.String() + " to " + v.max.String(),
		func(_ path.Path, s string) (string, string) {
			if _, msg := v.parse(s); msg != "" {
				return "Invalid duration", msg
			}
			return "", ""
		},
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

// displayNameValidator refuses a blank display name and warns of one that
// starts or ends with white space. JSM keeps a name as written, and
// accounts named so exist: refusing them would leave them impossible to
// import or adopt (a list resource's generated configuration included).
// In a configuration written by hand such spaces are most likely a slip.
type displayNameValidator struct{}

func (displayNameValidator) Description(context.Context) string {
	return "must not be blank; leading or trailing white space gets a warning"
}

func (v displayNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (displayNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	switch v := req.ConfigValue.ValueString(); {
	case strings.TrimSpace(v) == "":
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid display name", fmt.Sprintf("%s must not be empty or blank.", req.Path))
	case strings.TrimSpace(v) != v:
		resp.Diagnostics.AddAttributeWarning(req.Path, "Display name starts or ends with white space", fmt.Sprintf(
			"%s %q starts or ends with white space. JSM keeps a name as written, so the account is named so; if the "+
				"spaces are a slip, remove them. (Accounts named so on the site can be imported and adopted as they are.)",
			req.Path, v))
	}
}
