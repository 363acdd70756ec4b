package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// The opt-in to the Customer Service Management API's customer account and
// organization operations (experimental since January 2026): renaming a
// customer account or an organization in place, and deleting a customer
// account. It is an attribute of each resource, csm_lifecycle, rather than
// a provider setting: what it allows (an irreversible delete, a rename on
// an experimental API) is decided per object, is visible in the plan where
// the object is declared, and turning it on for one resource changes
// nothing for the others.

const (
	attrCSMLifecycle    = "csm_lifecycle"
	accountTypeCustomer = "customer"
)

// csmLifecycleAttribute is the csm_lifecycle attribute; enables says what
// it enables, in a few words.
func csmLifecycleAttribute(enables string) schema.BoolAttribute {
	return schema.BoolAttribute{
		MarkdownDescription: "Opt in to Atlassian's experimental Customer Service Management API for " + enables +
			" (default `false`). The page's notes say what it needs and its risks.",
		Optional: true,
		Computed: true,
		Default:  booldefault.StaticBool(false),
	}
}

// csmLifecycleNeeds says what the operations need, for the messages that
// refuse or explain them; calls names the client methods concerned.
func csmLifecycleNeeds(calls ...string) string {
	scopes := map[string]bool{}
	for _, e := range jsm.EndpointsOf(nil, calls...) {
		for _, s := range e.Granular {
			scopes[s] = true
		}
	}
	list := make([]string, 0, len(scopes))
	for s := range scopes {
		list = append(list, s)
	}
	sort.Strings(list)
	return "The Customer Service Management (CSM) API's customer account and organization operations are experimental " +
		"(since January 2026) and not offered by every site. They need: a site with Customer Service Management (they act " +
		"on the customer accounts of its customer directory, and Atlassian does not say whether sites with JSM alone " +
		"have them); the Jira Administrator global permission (an organization rename: a JSM agent, unless organization " +
		"management is restricted to administrators); credentials the CSM API takes (an OAuth 2.0 access token, or a " +
		"scoped API token with a gateway url; Atlassian does not document a service account's token there) holding the " +
		"scopes " + strings.Join(list, ", ") +
		"; and the header X-ExperimentalApi: opt-in, which the provider sends (a 412 means something in between dropped it)."
}

// csmRefusalDetail explains a failed account or organization call. A
// refusal (jsm.IsAccountAPIUnavailable) gets the site's answer, what the
// operations need, and how to go on without them (without: what
// csm_lifecycle = false does instead); any other failure its errorDetail.
func csmRefusalDetail(err error, without string, calls ...string) string {
	if !jsm.IsAccountAPIUnavailable(err) {
		return errorDetail(err)
	}
	var cause string
	switch jsm.StatusCode(err) {
	case http.StatusNotFound:
		cause = "The site answered 404: it has no such operation, or the account is not a customer account of its customer directory."
		if slices.Contains(calls, "RenameOrganization") {
			cause = "The site answered 404: it has no such operation, or the organization is not there."
		}
	case http.StatusForbidden:
		cause = "The site answered 403: the credentials lack a scope or the permission."
	case http.StatusPreconditionFailed:
		cause = "The site answered 412: the experimental opt-in header did not reach it."
	case http.StatusUnauthorized:
		cause = "The site refused the credentials (401) on the CSM API."
	}
	return strings.TrimSpace(errorDetail(err)+"\n\n"+cause) + "\n\n" + csmLifecycleNeeds(calls...) +
		"\n\nTo go on without them, set " + attrCSMLifecycle + " = false: " + without
}

// writeMaySettle is the advice after a write whose answer says nothing sure.
func writeMaySettle(err error, what string) string {
	// An answer in another shape says so itself (jsm.ErrAnswerShape).
	if !errors.Is(err, jsm.ErrAnswerShape) && jsm.MayHaveApplied(err) {
		return "\n\nThe " + what + " may have happened. The next plan reads the site back: if it did, the state takes it " +
			"and nothing more is planned; if not, the plan shows the change again."
	}
	return ""
}

// requiresReplaceUnlessCSM replaces the object on a change of the
// attribute, unless csm_lifecycle is true in the plan (the change is then
// made in place).
func requiresReplaceUnlessCSM(what string) planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
		var on types.Bool
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root(attrCSMLifecycle), &on)...)
		resp.RequiresReplace = !on.ValueBool()
	}, "Replaces the "+what+" unless "+attrCSMLifecycle+" is true.", "Replaces the "+what+" unless `"+attrCSMLifecycle+"` is true.")
}

// csmLifecycleOffDetail tells what a setting needs csm_lifecycle for, when
// it is false.
func csmLifecycleOffDetail(setting string) string {
	return fmt.Sprintf("%s uses Atlassian's experimental Customer Service Management API, which this resource calls only when "+
		"%s = true. Set it, or choose another value.", setting, attrCSMLifecycle)
}

// atlassianNotDeletable is the error for on_destroy = "delete" on an
// account that is not a customer account: no API deletes it.
func atlassianNotDeletable(diags *diag.Diagnostics, id, email, accountType string) {
	diags.AddAttributeError(path.Root("on_destroy"), "An Atlassian account cannot be deleted",
		fmt.Sprintf("The account %s (%s) is of type %q: no API deletes an Atlassian account. Set on_destroy = %q and "+
			"apply before destroying.", id, email, accountType, onDestroyForget))
}
