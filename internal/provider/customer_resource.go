package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
	"github.com/jsmtf/terraform-provider-jsm/internal/planmodifiers"
)

const (
	onDestroyForget = "forget"
	onDestroyRevoke = "revoke_portal_access"
	onDestroyDelete = "delete"

	nameMismatchFail   = "fail"
	nameMismatchKeep   = "keep_site_name"
	nameMismatchRename = "rename"

	// privateSiteName is the private-state key of the site's name of an
	// account adopted with keep_site_name, whose display_name in the state
	// is the configured one: refresh still needs the site's name to tell a
	// deleted account ("Former user") from a live one.
	privateSiteName = "site_display_name"
	// privateEmailBeforeSite is the private-state key of the email the
	// state held before a refresh found the account under another one (an
	// admin corrected it on the site): a plan that would replace the
	// customer to get that email back fails instead (emailChangedOnSite).
	privateEmailBeforeSite = "email_before_site_change"
)

var (
	_ resource.ResourceWithConfigure   = &customerResource{}
	_ resource.ResourceWithImportState = &customerResource{}
	_ resource.ResourceWithModifyPlan  = &customerResource{}
	_ resource.ResourceWithIdentity    = &customerResource{}

	_ resource.ResourceWithValidateConfig = &customerResource{}
)

// NewCustomerResource returns the jsm_customer resource.
func NewCustomerResource() resource.Resource { return &customerResource{} }

type customerResource struct {
	client *jsm.Client
	run    *runState // this configuration's record of the run
}

type customerResourceModel struct {
	customerAccount
	OnDestroy        types.String `tfsdk:"on_destroy"`
	AdoptedOnDestroy types.String `tfsdk:"adopted_on_destroy"`
	AdoptExisting    types.Bool   `tfsdk:"adopt_existing"`
	OnNameMismatch   types.String `tfsdk:"on_name_mismatch"`
	CSMLifecycle     types.Bool   `tfsdk:"csm_lifecycle"`
}

// csmLifecycle reports whether a change of display_name renames the account
// through the CSM API (csm_lifecycle = true).
func (m customerResourceModel) csmLifecycle() bool { return m.CSMLifecycle.ValueBool() }

// keepsSiteName reports whether the site's display name wins over the
// configured one (on_name_mismatch = "keep_site_name").
func (m customerResourceModel) keepsSiteName() bool {
	return m.OnNameMismatch.ValueString() == nameMismatchKeep
}

func (r *customerResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

// apiCalls declares the client calls it makes (permissions.go).
func (*customerResource) apiCalls() apiCalls {
	return calls("CreateCustomer", "GetUser", "GetUserForImport", "FindUserByEmail", "SearchByEmail", "EachAccount", "RevokePortalAccess", "CanBrowseUsers").
		withOptIn("CustomerAccount", "RenameCustomerAccount", "DeleteCustomerAccount")
}

// maxDisplayName is the longest display name Jira's user directory keeps.
const maxDisplayName = 255

func (r *customerResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Jira Service Management customer: a portal-only account created with " +
			"`POST /rest/servicedeskapi/customer`, or an existing account of the email, adopted. JSM's own API neither " +
			"renames nor deletes a customer; with `csm_lifecycle = true`, Atlassian's experimental Customer Service " +
			"Management API renames a customer account in place and, with `on_destroy = \"delete\"`, deletes it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The customer's account ID.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "The customer's account ID, of the form `qm:<uuid>:<hex>` for portal-only customers.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "The customer's email address, a bare address such as `fred@example.com`. " +
					"Compared without regard to letter case: a change of letter case only updates the state, with no " +
					"request. JSM cannot change a customer's email: any other change creates a new customer (the old " +
					"account stays on the site).",
				Required:      true,
				Validators:    []validator.String{emailValidator},
				PlanModifiers: []planmodifier.String{planmodifiers.RequiresReplaceIfNotEqualFold()},
			},
			"display_name": schema.StringAttribute{
				MarkdownDescription: "The customer's name as shown in the portal: 1 to 255 characters, not blank; leading or " +
					"trailing spaces get a warning. A change renames a customer account in place when `csm_lifecycle = true`; " +
					"otherwise (and always for an Atlassian account) it is an error at plan time.",
				Required: true,
				// Jira's user directory keeps 255 characters (runes, as
				// UTF8LengthAtMost counts; LengthAtMost counts bytes).
				Validators: []validator.String{displayNameValidator{}, stringvalidator.UTF8LengthAtMost(maxDisplayName)},
			},
			"on_destroy": schema.StringAttribute{
				MarkdownDescription: "What destroying the resource does to an account **it created**: `forget` (default) only " +
					"removes it from the state; `revoke_portal_access` first revokes the customer's portal access; `delete` " +
					"deletes the customer account, **for good** (needs `csm_lifecycle = true`; never an Atlassian account). " +
					"An account the resource adopted or imported follows `adopted_on_destroy` instead.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(onDestroyForget),
				Validators: []validator.String{stringvalidator.OneOf(onDestroyForget, onDestroyRevoke, onDestroyDelete)},
			},
			"adopted_on_destroy": schema.StringAttribute{
				MarkdownDescription: "What destroying the resource does to an account it **adopted or imported** rather than " +
					"created: the values of `on_destroy`, never more than `on_destroy`. Unset (the default), such an account is " +
					"only forgotten, whatever `on_destroy` says: it may be another state's, and revoking or deleting it takes a " +
					"value you write. See the page's *Created, adopted, imported* section.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(onDestroyForget, onDestroyRevoke, onDestroyDelete)},
			},
			"adopt_existing": schema.BoolAttribute{
				MarkdownDescription: "When the email already has an account, manage that account instead of failing " +
					"(default `true`). When `false`, creating fails with the command that imports the account.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"on_name_mismatch": schema.StringAttribute{
				MarkdownDescription: "When the account found for `email` is named otherwise than `display_name`: " +
					"`fail` (default) fails the plan, naming both; `keep_site_name` adopts it under the site's name; `rename` " +
					"adopts it and renames it to `display_name` (needs `csm_lifecycle = true`; customer accounts only).",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(nameMismatchFail),
				Validators: []validator.String{stringvalidator.OneOf(nameMismatchFail, nameMismatchKeep, nameMismatchRename)},
			},
			attrCSMLifecycle: csmLifecycleAttribute("renaming this customer account in place and deleting it " +
				"(`on_destroy = \"delete\"`, `on_name_mismatch = \"rename\"`)"),
			"account_type": schema.StringAttribute{
				MarkdownDescription: "The account type: `customer` for portal-only customers, `atlassian` for an adopted " +
					"Atlassian account.",
				Computed:      true,
				PlanModifiers: keep,
			},
			"active": schema.BoolAttribute{
				MarkdownDescription: "Whether the account is active: `false` for a deactivated account or a customer whose " +
					"portal access was revoked (refresh then warns; an admin restores access in Atlassian Administration).",
				Computed:      true,
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"time_zone": schema.StringAttribute{
				MarkdownDescription: "The account's time zone; the site's default when the account has none of its own " +
					"(what the platform API answers, so create and refresh agree).",
				Computed:      true,
				PlanModifiers: keep,
			},
			"links": linksResourceAttribute(),
		},
	}
}

func linksResourceAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "The links JSM returns with the customer, in one canonical form " +
			"(`<site>/rest/api/2/user?username=<account ID>`, the gateway path kept) so create and refresh agree.",
		Computed:      true,
		PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
		Attributes: map[string]schema.Attribute{
			"self":        schema.StringAttribute{MarkdownDescription: "The account's REST URL.", Computed: true},
			"jira_rest":   schema.StringAttribute{MarkdownDescription: "The account's Jira REST URL.", Computed: true},
			"avatar_urls": schema.MapAttribute{MarkdownDescription: "Avatar URLs by size (`16x16`, `24x24`, `32x32`, `48x48`).", Computed: true, ElementType: types.StringType},
		},
	}
}

func (r *customerResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client, r.run = configured(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan tells at plan time what the apply will meet: for a create,
// whether the email already has an account (adopted, or refused); for an
// update, a rename, which no API can make. Failing half-way through an
// apply would be worse.
func (r *customerResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		r.predictDelete(ctx, req, resp)
		return
	}
	if !req.State.Raw.IsNull() {
		r.warnOriginUnrecorded(ctx, req, resp)
		r.keepAccount(ctx, req, resp)
	}
	// Nothing changes (most of a large plan): only a standing
	// on_destroy = "delete" needs the checks below. Skipping the models
	// saves the framework's reflection, a few percent of a plan's CPU.
	if req.Plan.Raw.Equal(req.State.Raw) {
		var onDestroy types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("on_destroy"), &onDestroy)...)
		if onDestroy.ValueString() != onDestroyDelete {
			return
		}
	}
	var state, plan customerResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		if !plan.Email.IsUnknown() && r.run != nil && r.checkKeeper(req, plan.Email.ValueString(), &resp.Diagnostics) {
			return
		}
		r.predictCreate(ctx, plan, true, !applyWalk(req.ClientCapabilities), &resp.Diagnostics)
		return
	}
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if before := privateString(ctx, req.Private, privateEmailBeforeSite); emailChangedOnSite(plan.Email, state.Email, before) {
		resp.Diagnostics.AddAttributeError(path.Root("email"), "The customer's email was changed on the site",
			emailChangedOnSiteDetail(state, before))
		return
	}
	if plan.Email.IsUnknown() || (!state.Email.IsNull() && !strings.EqualFold(state.Email.ValueString(), plan.Email.ValueString())) {
		// The customer is replaced by a create, which Terraform plans
		// again with no prior state: that plan claims the email.
		r.predictCreate(ctx, plan, false, !applyWalk(req.ClientCapabilities), &resp.Diagnostics)
		return
	}
	if plan.OnDestroy.ValueString() == onDestroyDelete && notCustomerAccount(state.AccountType) {
		resp.Diagnostics.AddAttributeError(path.Root("on_destroy"), "An Atlassian account cannot be deleted",
			fmt.Sprintf("The account %s (%s) is of type %q: no API deletes an Atlassian account (the CSM API deletes customer "+
				"accounts only). Set on_destroy to %q or %q.", state.AccountID.ValueString(), state.Email.ValueString(),
				state.AccountType.ValueString(), onDestroyForget, onDestroyRevoke))
	}
	if plan.DisplayName.IsUnknown() || plan.DisplayName.Equal(state.DisplayName) || plan.keepsSiteName() {
		return
	}
	id, email, old, name := state.AccountID.ValueString(), state.Email.ValueString(), state.DisplayName.ValueString(), plan.DisplayName.ValueString()
	switch {
	case notCustomerAccount(state.AccountType):
		resp.Diagnostics.AddAttributeError(path.Root("display_name"), "An Atlassian account's display name cannot be changed",
			fmt.Sprintf("The account %s (%s) is named %q, and the configuration says %q. It is an Atlassian account (account_type "+
				"%q): no API renames one, the CSM API included (it renames customer accounts only); the person changes their "+
				"name in their Atlassian profile. Set display_name back to %q, or add lifecycle { ignore_changes = [display_name] }.",
				id, email, old, name, state.AccountType.ValueString(), old))
	case !plan.CSMLifecycle.IsUnknown() && !plan.csmLifecycle():
		resp.Diagnostics.AddAttributeError(path.Root("display_name"), "A customer's display name cannot be changed",
			fmt.Sprintf("The customer %s (%s) is named %q in JSM, and the configuration says %q. "+
				"JSM's own API has no call that renames a customer, so Terraform cannot apply this change. To proceed, either:\n"+
				"  - rename it in place through Atlassian's experimental Customer Service Management API: set %s = true "+
				"(see the resource's documentation for what it needs), or\n"+
				"  - rename the customer in Atlassian Administration (or set display_name back to %q), or\n"+
				"  - stop managing the name: add lifecycle { ignore_changes = [display_name] } to the resource.",
				id, email, old, name, attrCSMLifecycle, old))
	case plan.csmLifecycle():
		r.probeAccountAPI(ctx, id, path.Root("display_name"), "rename "+id+" ("+email+") from "+fmt.Sprintf("%q to %q", old, name),
			"a change of display_name is an error at plan time, as for any customer without the CSM API", &resp.Diagnostics)
	}
}

// notCustomerAccount reports whether the account type, once known, is not
// a customer account: the CSM API renames and deletes those only.
func notCustomerAccount(t types.String) bool {
	return !t.IsNull() && !t.IsUnknown() && t.ValueString() != "" && t.ValueString() != accountTypeCustomer
}

// ValidateConfig refuses the settings that need the CSM API without the
// opt-in.
func (r *customerResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	// Four attributes, not the model: Terraform validates every instance's
	// configuration in every plan, and the framework's reflection into a
	// struct costs more than the checks.
	var csmLifecycle types.Bool
	var onDestroy, adoptedOnDestroy, onNameMismatch types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrCSMLifecycle), &csmLifecycle)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("on_destroy"), &onDestroy)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("adopted_on_destroy"), &adoptedOnDestroy)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("on_name_mismatch"), &onNameMismatch)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !onDestroy.IsUnknown() && !adoptedOnDestroy.IsNull() && !adoptedOnDestroy.IsUnknown() {
		configured := onDestroy.ValueString()
		if configured == "" {
			configured = onDestroyForget
		}
		if destroyRank[adoptedOnDestroy.ValueString()] > destroyRank[configured] {
			resp.Diagnostics.AddAttributeError(path.Root("adopted_on_destroy"), "adopted_on_destroy does more than on_destroy",
				fmt.Sprintf("adopted_on_destroy = %q, and on_destroy = %q: an account the resource found on the site is never "+
					"treated harder than one it created. Set on_destroy to %q too, or adopted_on_destroy to %q or less.",
					adoptedOnDestroy.ValueString(), configured, adoptedOnDestroy.ValueString(), configured))
		}
	}
	if csmLifecycle.IsUnknown() || csmLifecycle.ValueBool() {
		return
	}
	if onDestroy.ValueString() == onDestroyDelete {
		resp.Diagnostics.AddAttributeError(path.Root("on_destroy"), "on_destroy = \"delete\" needs csm_lifecycle = true",
			csmLifecycleOffDetail(`on_destroy = "delete"`)+" Deleting a customer account cannot be undone.")
	}
	if onNameMismatch.ValueString() == nameMismatchRename {
		resp.Diagnostics.AddAttributeError(path.Root("on_name_mismatch"), "on_name_mismatch = \"rename\" needs csm_lifecycle = true",
			csmLifecycleOffDetail(`on_name_mismatch = "rename"`))
	}
}

// probeAccountAPI reads the customer account through the CSM API at plan
// time, so that a site that refuses the account operations (404, 403, 412)
// fails the plan rather than the apply. Other failures are a warning: the
// apply tries.
func (r *customerResource) probeAccountAPI(ctx context.Context, id string, at path.Path, what, without string, diags *diag.Diagnostics) {
	if r.client == nil {
		return
	}
	_, err := r.client.CustomerAccount(ctx, id)
	switch {
	case err == nil:
	case jsm.IsAccountAPIUnavailable(err):
		diags.AddAttributeError(at, "The site refuses the CSM customer account API",
			fmt.Sprintf("The plan would %s through Atlassian's Customer Service Management API, and reading the account there "+
				"failed:\n%s", what, csmRefusalDetail(err, without, "CustomerAccount", "RenameCustomerAccount", "DeleteCustomerAccount")))
	default:
		diags.AddAttributeWarning(at, "The plan cannot tell whether the CSM customer account API is available",
			fmt.Sprintf("The plan would %s; reading the account through the Customer Service Management API failed:\n%s\n\n"+
				"The apply tries.", what, errorDetail(err)))
	}
}

// predictDelete refuses, at plan time, a destroy that would delete an
// account no API deletes or that the site will not delete.
func (r *customerResource) predictDelete(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return
	}
	var state customerResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, email := state.AccountID.ValueString(), state.Email.ValueString()
	origin := privateString(ctx, req.Private, privateOrigin)
	onDestroy, demoted := destroyAction(state.OnDestroy.ValueString(), state.AdoptedOnDestroy.ValueString(), origin)
	if demoted && r.run != nil && r.run.once("demoted") {
		resp.Diagnostics.AddWarning("JSM customer accounts this configuration did not create are only forgotten",
			demotedDetail(id, email, state.OnDestroy.ValueString(), onDestroy, origin))
	}
	if onDestroy == onDestroyForget {
		return
	}
	// The apply plans a create_before_destroy replacement's deposed object
	// again after its replacement was created: the account is held then,
	// and Delete leaves it to the replacement.
	if r.client != nil && email != "" && !r.run.holds("customer", id) {
		created, kept := r.run.planDestroy("customer", email)
		if created {
			resp.Diagnostics.AddError("A destroyed customer's email is declared again", declaredElsewhereDetail(id, email, onDestroy))
			return
		}
		if kept {
			resp.Diagnostics.AddError("A destroyed customer's account is kept by another resource", keptElsewhereDetail(id, email, onDestroy))
			return
		}
	}
	if onDestroy != onDestroyDelete {
		return
	}
	if notCustomerAccount(state.AccountType) {
		atlassianNotDeletable(&resp.Diagnostics, id, email, state.AccountType.ValueString())
		return
	}
	r.probeAccountAPI(ctx, id, path.Root("on_destroy"), "delete the customer account "+id+" ("+email+")",
		fmt.Sprintf("apply on_destroy = %q first, and destroying only forgets the account", onDestroyForget), &resp.Diagnostics)
}

// applyWalk reports whether a plan request comes from the apply's walk,
// which plans each change again just before applying it, rather than from
// the plan that was shown. Terraform 1.9 and later allow deferrals in
// every apply walk (terraform's Context.Apply walks with DeferralAllowed
// true), and in a plan only when asked to (-allow-deferral, experimental;
// Stacks). Nothing else tells the two apart: the apply walk's request for
// a create carries no prior state and no private data, and the plan walk's
// planned private data, which Terraform 1.16 forwards, is not decoded by
// terraform-plugin-go (BENCHMARKS.md, "Look-ups run twice per apply").
// OpenTofu and older Terraform allow no deferral: their apply walks look
// up again, as before.
func applyWalk(caps resource.ModifyPlanClientCapabilities) bool { return caps.DeferralAllowed }

// predictCreate looks the email up, as the create will if JSM answers that
// it is taken, and says what the apply will do: adopt an account (named),
// or fail (adopt_existing false, another display name, several accounts).
// It costs one user search per created customer, at plan time only: no
// refresh of an unchanged customer searches. A failed look-up, or an
// answer that privacy settings make unsure, is a warning: the apply
// decides then. claim: this is the create's own plan (no prior state),
// which Terraform makes once a run, so it records the email (claimCreate).
// lookUp false (the apply's walk, applyWalk) keeps the checks that cost no
// request and sends none: the plan that was shown looked the email up,
// and the create, a moment later, adopts or refuses whatever holds the
// email then, as the look-up would have said.
func (r *customerResource) predictCreate(ctx context.Context, plan customerResourceModel, claim, lookUp bool, diags *diag.Diagnostics) {
	if r.client == nil || plan.Email.IsUnknown() || plan.Email.IsNull() || plan.DisplayName.IsUnknown() ||
		plan.AdoptExisting.IsUnknown() || plan.OnNameMismatch.IsUnknown() {
		return // known only at apply: the apply decides
	}
	email, name := plan.Email.ValueString(), plan.DisplayName.ValueString()
	if checkEmail(email) != "" {
		return // the attribute's validator says why
	}
	if claim && r.run.claimCreate("customer", email) {
		diags.AddAttributeError(path.Root("email"), "Two jsm_customer resources declare the same email",
			fmt.Sprintf("Another jsm_customer of this configuration also creates the customer %s (emails are compared without "+
				"regard to letter case). JSM holds one account per email: the second create would adopt the account the first "+
				"made, both resources would manage it, and destroying one would revoke or delete it under the other. Declare "+
				"each email once: key people by a stable ID, never by email, and check that emails are unique, letter case "+
				"aside (examples/onboarding's modules/people does both).", email))
		return
	}
	if claim && r.run.createDestroyed("customer", email) {
		diags.AddAttributeError(path.Root("email"), "A destroyed customer's email is declared again",
			declaredElsewhereDetail("", email, ""))
		return
	}
	if !lookUp {
		return
	}
	if ok, first := r.run.takeLookup(); !ok {
		if first {
			diags.AddWarning("The plan stopped looking up new customers",
				fmt.Sprintf("This plan creates more than %d customers. It looked up the first %d emails to say what the apply "+
					"will meet, and stops there so as not to spend the site's user-search rate limit: for the others (from %s on) "+
					"the apply decides, adopting an existing account as adopt_existing says, or failing on that customer.",
					planLookupLimit, planLookupLimit, email))
		}
		return
	}
	m, err := r.client.SearchByEmail(ctx, email)
	if jsm.IsCredentialRefused(err) {
		// Certain, unlike a 403 or an outage: every call of the apply
		// would be refused too, so a green plan would be a false one.
		diags.AddError("The site refused the provider's credentials",
			"Looking up "+email+" before creating it failed:\n"+errorDetail(err))
		return
	}
	if err != nil {
		diags.AddWarning("The plan cannot tell whether "+email+" already has a JSM account",
			"Looking the email up failed:\n"+errorDetail(err)+"\n\nThe apply creates the customer, or, if JSM answers that the "+
				"email is taken, looks the account up again and adopts it (adopt_existing).")
		return
	}
	user, err := r.client.PreferCustomer(email, m.Exact)
	var ambiguous *jsm.AmbiguousError
	switch {
	case errors.As(err, &ambiguous):
		diags.AddAttributeError(path.Root("email"), "Several JSM accounts hold this email",
			fmt.Sprintf("The apply would fail: %v\nTo manage one of them, import it by its account ID:%s", err, importBlock("<account ID>")))
		return
	case err != nil && len(m.HiddenNamed(name)) > 0:
		diags.AddWarning("The plan cannot tell whether "+email+" already has a JSM account",
			fmt.Sprintf("No active account shows the email %s, but %d active account(s) named %q hide their email (privacy "+
				"settings). If one of them holds it, the apply adopts it, matched by name; otherwise it creates a new customer.",
				email, len(m.HiddenNamed(name)), name))
		return
	case err != nil:
		// No visible account: the apply creates one, unless the credential
		// sees no account at all.
		if r.run.cannotBrowseUsersOnce(ctx, func() (bool, error) { return r.client.CanBrowseUsers(ctx) }) {
			diags.AddWarning("The plan cannot see whether new customers already have JSM accounts",
				"The credential lacks Jira's Browse users and groups global permission (the site says so), so user search answers "+
					"nothing: the plan looked "+email+" up and saw no account, which proves nothing, and so for every new customer "+
					"of this plan. The apply creates each one; where an email already has an account, JSM answers that it is "+
					"taken and the apply cannot find the account to adopt, so that customer fails. Reading an account fails "+
					"with 403 as well. Grant Browse users and groups to the credential's account (Jira settings → System → "+
					"Global permissions), or to a group it belongs to.")
			return
		}
		if r.run.cannotBrowseUsers() {
			return // said once; Get all users needs the same permission, and would list no one
		}
		if inactive := r.inactiveHolders(ctx, email); len(inactive) > 0 {
			diags.AddAttributeError(path.Root("email"), "The email belongs to an inactive JSM account",
				r.inactiveEmailDetail(email, inactive))
		}
		return
	}
	what := r.foundAccount(email, user)
	switch choice, why := decideAdoption(user.DisplayName, user.AccountType, plan.adoptionSettings()); choice {
	case refuseAdoption:
		r.addRefusal(why, email, name, user, diags)
	case adoptAndRename:
		diags.AddWarning("The apply adopts an existing JSM account and renames it",
			fmt.Sprintf("%s: the apply adopts it instead of creating a customer, and renames it to %q through the Customer "+
				"Service Management API (on_name_mismatch = %q).", what, name, nameMismatchRename)+adoptedDestroyNote(plan))
		r.probeAccountAPI(ctx, user.AccountID, path.Root("on_name_mismatch"), fmt.Sprintf("adopt %s and rename it to %q", user.AccountID, name),
			fmt.Sprintf("set display_name = %s, or on_name_mismatch = %q", r.client.Quote(user.DisplayName), nameMismatchKeep), diags)
	case adoptKeepingSiteName:
		diags.AddWarning("The apply adopts an existing JSM account under its own name",
			fmt.Sprintf("%s: the apply adopts it instead of creating a customer, and keeps the site's name rather than %q "+
				"(on_name_mismatch = %q).", what, name, nameMismatchKeep)+adoptedDestroyNote(plan))
	default:
		diags.AddWarning("The apply adopts an existing JSM account",
			what+": the apply adopts it instead of creating a customer (adopt_existing)."+adoptedDestroyNote(plan))
	}
}

func (r *customerResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan customerResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	email, name := plan.Email.ValueString(), plan.DisplayName.ValueString()

	user, err := r.client.CreateCustomer(ctx, name, email)
	origin := originCreated
	if jsm.IsConflict(err) {
		origin = originAdopted
		user, err = r.existingAccount(ctx, email, name, &resp.Diagnostics)
		if err == nil {
			switch choice, why := decideAdoption(user.DisplayName, user.AccountType, plan.adoptionSettings()); choice {
			case refuseAdoption:
				r.addRefusal(why, email, name, user, &resp.Diagnostics)
				return
			case adoptAndRename:
				if !r.renameAdopted(ctx, user, name, &resp.Diagnostics) {
					return
				}
			case adoptKeepingSiteName:
				resp.Diagnostics.AddWarning("Adopted JSM account keeps its own name",
					fmt.Sprintf("The email %s already had an account (%s) named %s; it was adopted under that name rather than %q "+
						"(on_name_mismatch = %q).", email, user.AccountID, r.client.Quote(user.DisplayName), name, nameMismatchKeep))
				resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateSiteName, jsonString(user.DisplayName))...)
			}
		}
		if err == nil && !user.Active {
			resp.Diagnostics.AddWarning("Adopted JSM account is inactive", inactiveDetail(user.AccountID, email))
		}
	}
	if err != nil {
		detail := errorDetail(err)
		if jsm.MayHaveApplied(err) && !jsm.IsConflict(err) {
			// The client already looked the account up by email and found
			// nothing usable, but the lookup may lag or have failed too.
			detail += "\n\nAn answer from the site was lost, so the account may exist even so. If the next apply " +
				"reports that " + email + " already has an account, it is adopted (adopt_existing = true), or import it:" +
				importBlock(email)
		}
		resp.Diagnostics.AddError("Could not create the JSM customer", "Email "+email+":\n"+detail)
		return
	}
	if user.TimeZone == "" {
		// The customer API may answer no time zone where the platform API,
		// which refresh reads, answers the site's default: store that, so
		// the next refresh finds nothing changed.
		if read, err := r.client.GetUser(ctx, user.AccountID); err == nil {
			user.TimeZone = read.TimeZone
		}
	}

	r.run.hold("customer", user.AccountID)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateOrigin, jsonString(origin))...)
	resp.Diagnostics.Append(plan.setFromUser(ctx, user)...)
	plan.DisplayName = types.StringValue(name)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, "account_id", user.AccountID)
}

// renameAdopted renames an adopted customer account to the configured
// name (on_name_mismatch = "rename"). On failure nothing is recorded: the
// next apply adopts the account again and renames it then, so no account
// is made twice and none is lost.
func (r *customerResource) renameAdopted(ctx context.Context, user *jsm.User, name string, diags *diag.Diagnostics) bool {
	if _, err := r.client.RenameCustomerAccount(ctx, user.AccountID, name); err != nil {
		detail := csmRefusalDetail(err, fmt.Sprintf("set display_name = %s, or on_name_mismatch = %q",
			r.client.Quote(user.DisplayName), nameMismatchKeep), "RenameCustomerAccount")
		diags.AddAttributeError(path.Root("on_name_mismatch"), "Could not rename the adopted JSM customer account",
			fmt.Sprintf("The account %s (named %s) holds the email and was to be adopted and renamed to %q. Nothing was recorded: "+
				"the next apply adopts it again.\n%s%s", user.AccountID, r.client.Quote(user.DisplayName), name, detail,
				writeMaySettle(err, "rename")))
		return false
	}
	diags.AddWarning("Adopted JSM customer account renamed",
		fmt.Sprintf("The account %s was adopted and renamed from %s to %q (on_name_mismatch = %q).", user.AccountID,
			r.client.Quote(user.DisplayName), name, nameMismatchRename))
	user.DisplayName = name
	return true
}

// existingAccount finds the account that already holds email, to adopt it
// or to tell the user how to import it. User search answers active accounts
// only; among several holding the email the portal-only customer is
// preferred; and an account whose email is hidden is taken only when it is
// the one such account named name (with a warning).
func (r *customerResource) existingAccount(ctx context.Context, email, name string, diags *diag.Diagnostics) (*jsm.User, error) {
	m, err := r.client.SearchByEmail(ctx, email)
	if err != nil {
		return nil, fmt.Errorf("%s already has an account, and looking it up failed: %w", email, err)
	}
	user, err := r.client.PreferCustomer(email, m.Exact)
	byName := false
	if jsm.IsNotFound(err) {
		user, err = r.client.PreferCustomer(email, m.HiddenNamed(name))
		byName = err == nil
	}
	var ambiguous *jsm.AmbiguousError
	switch {
	case errors.As(err, &ambiguous):
		return nil, fmt.Errorf("JSM answered that %s already has an account. %w\nTo manage it, import it by its account ID:%s",
			email, err, importBlock("<account ID>"))
	case jsm.IsNotFound(err):
		if inactive := r.inactiveHolders(ctx, email); len(inactive) > 0 {
			return nil, errors.New(r.inactiveEmailDetail(email, inactive))
		}
		return nil, accountNotFoundError(email, name)
	case err != nil:
		return nil, err
	}
	// The search's account ID goes to the state and into paths, as a
	// create's would.
	if msg := jsm.CheckAccountID(user.AccountID); msg != "" {
		return nil, fmt.Errorf("JSM answered that %s already has an account, but the search answered the account ID %s, which %s; "+
			"nothing was recorded", email, r.client.Quote(user.AccountID), msg)
	}
	if byName {
		diags.AddWarning("JSM account matched by name",
			fmt.Sprintf("JSM answered that %s already has an account. The account %s (account type %s) was adopted because it is "+
				"the only active account the search for this email returned whose email is hidden by the person's privacy settings "+
				"and whose display name is %q: it was matched by name, as its email is hidden. If it is not the right "+
				"account, drop it from the state (a removed block with lifecycle { destroy = false }) and import the right one "+
				"by account ID (an import block).",
				email, user.AccountID, r.client.Clean(user.AccountType, 100), name))
	}
	return user, nil
}

// accountNotFoundError is the error of a 409 whose account no search can
// find: the possible causes, most likely first, and the way out.
func accountNotFoundError(email, name string) error {
	return fmt.Errorf("JSM answered that %s already has an account, but no active account with that email can be found. "+
		"The likely causes, most likely first:\n"+
		"  1. the account is inactive: deactivated, or its portal access was revoked (for example by an earlier "+
		"on_destroy = \"revoke_portal_access\"); user search finds active accounts only, and no API restores access;\n"+
		"  2. the person's privacy settings hide the email, and no single active account with a hidden email is named %q;\n"+
		"  3. the credentials lack the Browse users and groups global permission, and user search then answers an empty list.\n"+
		"Find the account in Atlassian Administration (Directory > Users, or the service project's Customers page): its "+
		"profile URL ends with the account ID. Restore its access there if it was revoked, then import it:%s", email, name,
		importBlock("<account ID>"))
}

// inactiveDetail explains an inactive account and how to restore it.
func inactiveDetail(id, email string) string {
	who := id
	if email != "" { // unknown yet while importing by account ID
		who += " (" + email + ")"
	}
	return fmt.Sprintf("The account %s is inactive: it was deactivated, or its portal access was revoked. It stays "+
		"in the state with active = false and cannot use the help center. No API restores access: an admin restores it "+
		"in Atlassian Administration (Directory > Users, or the service project's Customers page).", who)
}

func (r *customerResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state customerResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.AccountID.ValueString()
	// The identity is the state's IDs, set first: the framework wants one
	// even for a resource the read removes (a CLI before 1.12 stores none).
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, "account_id", id)
	user, err := r.readAccount(ctx, id)
	knownName := state.DisplayName.ValueString()
	if state.keepsSiteName() {
		knownName = siteName(ctx, req.Private, knownName)
	}
	switch {
	case jsm.IsNotFound(err):
		removeGone(ctx, resp, "customer", fmt.Sprintf("The account %s (%s) was not found (HTTP 404)", id, state.Email.ValueString()),
			"creates the customer again")
		return
	case err != nil:
		// Corrupted and outage answers land here too: they say nothing of
		// the account, so the state stays as it is.
		resp.Diagnostics.AddError("Could not read the JSM customer", "Account "+id+":\n"+errorDetail(err))
		return
	case user.LooksDeleted(knownName):
		removeGone(ctx, resp, "customer", fmt.Sprintf("The account %s (%s) was deleted, most likely by a right-to-be-forgotten "+
			"request: Atlassian now answers it as %q, inactive, with a blank email", id, state.Email.ValueString(), user.DisplayName),
			"creates the customer again (the email is free again), with a new account ID")
		return
	}
	if !user.Active {
		resp.Diagnostics.AddWarning("JSM customer is inactive", inactiveDetail(id, state.Email.ValueString()))
	}
	prior := state.customerAccount
	resp.Diagnostics.Append(state.setFromUser(ctx, user)...)
	if !prior.Email.IsNull() && !equalFoldString(prior.Email, state.Email.ValueString()) {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateEmailBeforeSite, jsonString(prior.Email.ValueString()))...)
	}
	if state.keepsSiteName() {
		// The site's name wins and is not compared: the state keeps the
		// configured one, the private state the site's.
		state.DisplayName = prior.DisplayName
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateSiteName, jsonString(user.DisplayName))...)
	}
	if state.equal(prior) {
		// The response already holds the prior state; writing it back
		// costs the framework a reflection over the model for nothing.
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// readAccount reads the account, or takes the one its import just read.
func (r *customerResource) readAccount(ctx context.Context, id string) (*jsm.User, error) {
	if r.run != nil {
		if u, ok := r.run.takeImported(id); ok {
			return u, nil
		}
	}
	return r.client.GetUser(ctx, id)
}

// privateState is what the request and response private states share.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// siteName is the site's name of an account kept under its own name, from
// the private state, or fallback when none was recorded.
func siteName(ctx context.Context, p privateState, fallback string) string {
	if name := privateString(ctx, p, privateSiteName); name != "" {
		return name
	}
	return fallback
}

// privateString is a string the private state holds under key, or "".
func privateString(ctx context.Context, p privateState, key string) string {
	if p == nil {
		return ""
	}
	raw, _ := p.GetKey(ctx, key)
	var s string
	if len(raw) == 0 || json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// emailChangedOnSite decides whether a plan would replace a customer only
// because the site changed its email: the configuration still says the
// email the state held before (emailBefore, recorded by the refresh that
// found the change), and the state now holds the site's. Replacing it would
// destroy the real account and create another at the old email; the plan
// fails instead. A configuration that moved to another email replaces the
// customer as before.
func emailChangedOnSite(config, state types.String, emailBefore string) bool {
	return emailBefore != "" && !config.IsUnknown() && !config.IsNull() && !state.IsNull() &&
		strings.EqualFold(config.ValueString(), emailBefore) && !strings.EqualFold(config.ValueString(), state.ValueString())
}

// emailChangedOnSiteDetail says what changed and the two ways forward.
func emailChangedOnSiteDetail(state customerResourceModel, emailBefore string) string {
	id, now := state.AccountID.ValueString(), state.Email.ValueString()
	return fmt.Sprintf("The account %s had the email %s, and the site now has it as %s (an admin corrected it?). The "+
		"configuration still says %s: replacing the customer would destroy this account (on_destroy = %q) and create "+
		"another at %s. Nothing was changed. Either:\n"+
		"  - take the site's email into the configuration: email = %q, or\n"+
		"  - restore %s on the site (Atlassian Administration), then plan again.\n"+
		"To create a new customer at %s anyway, first drop this one from the state with a removed block "+
		"(lifecycle { destroy = false }).", id, emailBefore, now, emailBefore, state.OnDestroy.ValueString(), emailBefore,
		now, emailBefore, emailBefore)
}

// jsonString is s as a JSON string, as the private state keeps values.
func jsonString(s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return b
}

// Update renames the customer account through the CSM API when
// display_name changed and csm_lifecycle is true; otherwise it only records
// settings Terraform alone holds (on_destroy, adopt_existing, the letter
// case of email).
func (r *customerResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state customerResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.DisplayName.Equal(state.DisplayName) && plan.csmLifecycle() && !plan.keepsSiteName() {
		if !r.rename(ctx, state, plan.DisplayName.ValueString(), &resp.Diagnostics) {
			// The state keeps the old name; the next plan reads the site.
			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
			setIdentity(ctx, resp.Identity, &resp.Diagnostics, "account_id", state.AccountID.ValueString())
			return
		}
		// The rename changes the name alone: the plan, which carries the
		// state's other values, is the account now.
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, "account_id", plan.AccountID.ValueString())
}

// rename renames the customer account in state through the CSM API.
func (r *customerResource) rename(ctx context.Context, state customerResourceModel, name string, diags *diag.Diagnostics) bool {
	id := state.AccountID.ValueString()
	_, err := r.client.RenameCustomerAccount(ctx, id, name)
	if err == nil {
		return true
	}
	detail := csmRefusalDetail(err, "a change of display_name is refused at plan time", "RenameCustomerAccount")
	diags.AddAttributeError(path.Root("display_name"), "Could not rename the JSM customer account",
		fmt.Sprintf("Renaming %s (%s) from %q to %q failed:\n%s%s", id, state.Email.ValueString(), state.DisplayName.ValueString(),
			name, detail, writeMaySettle(err, "rename")))
	return false
}

func (r *customerResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state customerResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, email := state.AccountID.ValueString(), state.Email.ValueString()
	onDestroy, demoted := destroyAction(state.OnDestroy.ValueString(), state.AdoptedOnDestroy.ValueString(),
		privateString(ctx, req.Private, privateOrigin))
	if demoted && r.run.once("demoted") {
		resp.Diagnostics.AddWarning("JSM customer accounts this configuration did not create are only forgotten",
			demotedDetail(id, email, state.OnDestroy.ValueString(), onDestroy, privateString(ctx, req.Private, privateOrigin)))
	}
	if (onDestroy == onDestroyDelete || onDestroy == onDestroyRevoke) && r.run.holds("customer", id) {
		// The deposed object of a create_before_destroy replacement: its
		// replacement, created first in this apply, adopted this account.
		resp.Diagnostics.AddWarning("JSM customer forgotten: its replacement holds the account",
			fmt.Sprintf("The account %s (%s) was not touched (on_destroy = %q): another jsm_customer of this apply, the "+
				"replacement of this one, created or adopted it and holds it now.", id, email, onDestroy))
		return
	}
	if onDestroy == onDestroyDelete {
		r.deleteAccount(ctx, state, &resp.Diagnostics)
		return
	}
	if onDestroy != onDestroyRevoke {
		// The intended outcome: said once a run, not once per customer (a
		// destroy of hundreds would bury any real error under them).
		if !demoted && r.run.once("forgotten") {
			resp.Diagnostics.AddWarning("JSM customers forgotten; their accounts remain",
				fmt.Sprintf("%s (%s), and every other customer this run destroys with on_destroy = %q, was removed from the "+
					"Terraform state only: the accounts still exist and can still use the portal. Delete them in Atlassian "+
					"Administration if needed. To revoke their access on destroy, set on_destroy = %q (or %q, with %s = true, "+
					"to delete customer accounts) and apply that before destroying: a destroy follows the on_destroy of the "+
					"state.", id, email, onDestroyForget, onDestroyRevoke, onDestroyDelete, attrCSMLifecycle))
		}
		return
	}
	if why := revokeNotApplicable(state); why != "" {
		resp.Diagnostics.AddWarning("JSM portal access not revoked", fmt.Sprintf("The portal access of %s (%s) was not revoked: %s. "+
			"It was removed from the state.", id, email, why))
		return
	}
	err := r.client.RevokePortalAccess(ctx, id)
	switch {
	case jsm.IsNotFound(err):
		resp.Diagnostics.AddWarning("JSM portal access not revoked", fmt.Sprintf("The account %s (%s) no longer exists "+
			"(it was deleted), so there was no access to revoke. It was removed from the state.", id, email))
		return
	case jsm.StatusCode(err) == http.StatusBadRequest:
		resp.Diagnostics.AddWarning("JSM portal access not revoked", fmt.Sprintf("JSM refused to revoke the portal access of %s (%s), "+
			"most likely because it is not a portal-only customer; it was removed from the state. JSM said: %v", id, email, err))
		return
	case err != nil:
		// A destroy's diagnostics carry no resource address: name the
		// customer.
		resp.Diagnostics.AddError("Could not revoke the portal access of the JSM customer",
			fmt.Sprintf("Account %s (%s):\n%s%s\n\nThe customer stays in the state: destroy again to retry.", id, email,
				errorDetail(err), writeMaySettle(err, "revoke")))
		return
	}
	if r.run.once("revoked") {
		resp.Diagnostics.AddWarning("JSM customers' portal access revoked; the accounts remain",
			fmt.Sprintf("The portal access of %s (%s), and of every other customer this run destroys with on_destroy = %q, "+
				"was revoked, and they were removed from the state. The accounts themselves remain: JSM's own API deletes no "+
				"customer account. An admin can delete them in Atlassian Administration; or, with %s = true, on_destroy = %q "+
				"deletes customer accounts on destroy.", id, email, onDestroyRevoke, attrCSMLifecycle, onDestroyDelete))
	}
}

// deleteAccount deletes the customer account through the CSM API
// (on_destroy = "delete"). A 404 is taken for "already gone" only when JSM
// confirms it: the site without the API answers 404 too. On failure the
// resource stays in the state.
func (r *customerResource) deleteAccount(ctx context.Context, state customerResourceModel, diags *diag.Diagnostics) {
	id, email := state.AccountID.ValueString(), state.Email.ValueString()
	if notCustomerAccount(state.AccountType) {
		atlassianNotDeletable(diags, id, email, state.AccountType.ValueString())
		return
	}
	err := r.client.DeleteCustomerAccount(ctx, id)
	if jsm.IsNotFound(err) {
		user, gerr := r.client.GetUser(ctx, id)
		if jsm.IsNotFound(gerr) || gerr == nil && user.LooksDeleted(state.DisplayName.ValueString()) {
			diags.AddWarning("JSM customer account already deleted",
				fmt.Sprintf("The account %s (%s) was already deleted; it was removed from the state.", id, email))
			return
		}
	}
	if err == nil {
		return
	}
	detail := csmRefusalDetail(err, fmt.Sprintf("apply on_destroy = %q first, and destroying only forgets the account", onDestroyForget),
		"DeleteCustomerAccount")
	diags.AddError("Could not delete the JSM customer account",
		fmt.Sprintf("Account %s (%s):\n%s%s", id, email, detail, writeMaySettle(err, "delete")))
}

// revokeNotApplicable says why revoking the portal access of the account
// in state makes no sense, or "" when it does. The state is as fresh as the
// refresh before the destroy (a deleted account has left it already).
func revokeNotApplicable(state customerResourceModel) string {
	switch t := state.AccountType.ValueString(); {
	case t != "" && t != "customer":
		return fmt.Sprintf("it is not a portal-only customer (account_type = %q), and JSM revokes only the access of "+
			"portal-only customers; remove the person's access in Atlassian Administration if needed", t)
	case !state.Active.IsNull() && !state.Active.ValueBool():
		return "it is already inactive (deactivated, or its access was revoked earlier)"
	}
	return ""
}

// findByEmailAdvice follows a failed look-up by email.
const findByEmailAdvice = "Finding an account by email needs the Browse users and groups global permission and finds active " +
	"accounts only; an account whose email is hidden by privacy settings, or that is inactive, can only be found by its " +
	"account ID (Atlassian Administration shows it). When several accounts share the email, the portal-only customer " +
	"(account type customer) is chosen."

// ImportState takes an account ID or an email address, or an identity.
func (r *customerResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID = importID(ctx, req, &resp.Diagnostics, "account_id"); resp.Diagnostics.HasError() {
		return
	}
	id := req.ID
	if isEmail(req.ID) {
		if msg := checkEmail(req.ID); msg != "" {
			resp.Diagnostics.AddError("Invalid import ID", "Import a customer by account ID or by email: "+msg)
			return
		}
		user, err := r.client.FindUserByEmail(ctx, req.ID)
		if err != nil {
			resp.Diagnostics.AddError("Could not find the customer", "Email "+req.ID+":\n"+errorDetail(err)+"\n"+findByEmailAdvice)
			return
		}
		id = user.AccountID
		// Keep the email as written: it is what the configuration most likely says.
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("email"), req.ID)...)
	} else if msg := jsm.CheckAccountID(req.ID); msg != "" {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("Import a customer by account ID or by email: the account ID %q %s.", req.ID, msg))
		return
	} else if user, err := r.client.GetUserForImport(ctx, req.ID); err == nil && r.run != nil {
		r.run.rememberImported(user)
	} else if jsm.IsNotFound(err) {
		// Terraform's own "non-existent remote object" says nothing of
		// what to import by instead.
		resp.Diagnostics.AddError("No JSM account has this ID", fmt.Sprintf("No account answers to the ID %q. Account IDs are "+
			"case-sensitive (a customer's looks like qm:…:…); a display name is not one. Import by the account ID as JSM shows "+
			"it (a jsm_customer's account_id, or Atlassian Administration → Users), or by email (id = \"fred@example.com\").", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("account_id"), id)...)
	// Found, not created: a destroy follows adopted_on_destroy.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateOrigin, jsonString(originImported))...)
	// The defaults, so the plan after an import shows no change.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("on_destroy"), onDestroyForget)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("adopt_existing"), true)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("on_name_mismatch"), nameMismatchFail)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrCSMLifecycle), false)...)
}

// IdentitySchema: a customer is its account ID.
func (r *customerResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(map[string]string{"account_id": "The customer's account ID."})
}
