package provider

import (
	"context"
	"net/mail"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

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

// accountIDValidator checks that a value has the form of an account ID.
type accountIDValidator struct{}

func (accountIDValidator) Description(context.Context) string {
	return "must be an Atlassian account ID, e.g. qm:<uuid>:<hex> or 24 hex digits"
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
			"The account ID "+msg+"; use the id of a jsm_customer or data.jsm_customer, e.g. qm:<uuid>:<hex>.")
	}
}
