package provider

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
	"github.com/jsmtf/terraform-provider-jsm/internal/stringset"
)

// membershipKind describes a set of accounts attached to a parent object (an
// organization's members, a service desk's customers): the resources that
// manage one differ only in these.
type membershipKind struct {
	typeSuffix  string // after the provider name, e.g. "_organization_customers"
	parentAttr  string // e.g. "organization_id"
	parentNoun  string // e.g. "organization"
	accountNoun string // what the set holds: "member", "customer"
	description string
	parentDesc  string
	accountDesc string
	validators  func() []validator.String
	// list reads the parent's accounts; expect is how many the state
	// manages (the parent holds at least those unless they drifted away),
	// so that the pages up to it are read several at once.
	list   func(ctx context.Context, c *jsm.Client, parent string, expect int) ([]string, error)
	add    func(ctx context.Context, c *jsm.Client, parent string, ids []string) error
	remove func(ctx context.Context, c *jsm.Client, parent string, ids []string) error
	// users is list with the accounts' names, for a plan to name whom
	// exclusive removes.
	users func(ctx context.Context, c *jsm.Client, parent string, visit func(jsm.User) bool) error
	calls apiCalls // those of list, add, remove and users
}

// parentSubject starts a diagnostic's detail with the parent it is about,
// e.g. "Organization 12: ".
func (k membershipKind) parentSubject(id string) string {
	return strings.ToUpper(k.parentNoun[:1]) + k.parentNoun[1:] + " " + id + ":\n"
}

var (
	_ resource.ResourceWithConfigure   = &membershipResource{}
	_ resource.ResourceWithImportState = &membershipResource{}
	_ resource.ResourceWithIdentity    = &membershipResource{}
	_ resource.ResourceWithModifyPlan  = &membershipResource{}
)

// membershipResource manages exactly the account IDs it lists in a parent's
// set of accounts, and by default leaves every other account of that set
// alone; with exclusive it owns the whole set.
type membershipResource struct {
	kind   membershipKind
	client *jsm.Client
}

func (r *membershipResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + r.kind.typeSuffix
}

// apiCalls declares the client calls it makes (permissions.go).
func (r *membershipResource) apiCalls() apiCalls {
	return r.kind.calls
}

func (r *membershipResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: r.kind.description,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The " + r.kind.parentNoun + " ID, as in `" + r.kind.parentAttr + "`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			r.kind.parentAttr: schema.StringAttribute{
				MarkdownDescription: r.kind.parentDesc,
				Required:            true,
				Validators:          r.kind.validators(),
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"account_ids": schema.SetAttribute{
				MarkdownDescription: r.kind.accountDesc,
				Required:            true,
				ElementType:         types.StringType,
				CustomType:          stringset.NewType(), // compared in linear time
				Validators:          accountIDsValidators(),
			},
			"exclusive": schema.BoolAttribute{
				MarkdownDescription: r.exclusiveDesc(),
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
		},
	}
}

func (r *membershipResource) exclusiveDesc() string {
	n := r.kind.accountNoun
	return fmt.Sprintf("Whether the resource owns every %[1]s of the %[2]s. `false` (default) manages only `account_ids`. "+
		"`true` also removes every %[1]s it does not list, those added by hand or by portal sign-up included: a refresh "+
		"records them as drift, and the plan names whom the apply removes. Destroying it then removes every %[1]s; "+
		"turning it off removes none it did not list.", n, r.kind.parentNoun)
}

func (r *membershipResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

type membershipModel struct {
	parent    string
	ids       stringset.Value
	exclusive bool // false when null: an import cannot tell
}

// getter is what Plan, State and Config have in common.
type getter interface {
	GetAttribute(ctx context.Context, p path.Path, target any) diag.Diagnostics
}

func (r *membershipResource) get(ctx context.Context, g getter, diags *diag.Diagnostics) membershipModel {
	var parent types.String
	var m membershipModel
	diags.Append(g.GetAttribute(ctx, path.Root(r.kind.parentAttr), &parent)...)
	diags.Append(g.GetAttribute(ctx, path.Root("account_ids"), &m.ids)...)
	var exclusive types.Bool
	diags.Append(g.GetAttribute(ctx, path.Root("exclusive"), &exclusive)...)
	m.parent, m.exclusive = parent.ValueString(), exclusive.ValueBool()
	return m
}

func (r *membershipResource) set(ctx context.Context, st *tfsdk.State, parent string, ids []string, exclusive bool, diags *diag.Diagnostics) {
	diags.Append(st.SetAttribute(ctx, path.Root("id"), parent)...)
	diags.Append(st.SetAttribute(ctx, path.Root("exclusive"), exclusive)...)
	diags.Append(st.SetAttribute(ctx, path.Root(r.kind.parentAttr), parent)...)
	diags.Append(st.SetAttribute(ctx, path.Root("account_ids"), setValue(ids))...)
}

func (r *membershipResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan := r.get(ctx, req.Plan, &resp.Diagnostics)
	ids := stringSet(ctx, plan.ids, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// On any error nothing is recorded: adding and removing are idempotent,
	// so the next apply simply does it all again.
	if len(ids) > 0 {
		if err := r.kind.add(ctx, r.client, plan.parent, ids); err != nil {
			resp.Diagnostics.AddError("Could not add the accounts to the "+r.kind.parentNoun,
				r.kind.parentSubject(plan.parent)+errorDetail(err)+"\n\nJSM adds the valid account IDs of a call even when others fail, so some may have been added; "+
					"fix the list and apply again.")
			return
		}
	}
	// An exclusive set removes the unlisted ones. An empty set adds no one,
	// so nothing else would find out that the parent is missing before the
	// next refresh drops the resource, and the apply after it creates it
	// again.
	if plan.exclusive || len(ids) == 0 {
		actual, err := r.kind.list(ctx, r.client, plan.parent, len(ids))
		if err != nil {
			resp.Diagnostics.AddError("Could not read the accounts of the "+r.kind.parentNoun, r.kind.parentSubject(plan.parent)+errorDetail(err))
			return
		}
		remove := membershipRemovals(membershipChange{exclusive: plan.exclusive, want: ids, actual: actual})
		if err := r.removeAll(ctx, plan.parent, remove); err != nil {
			resp.Diagnostics.AddError("Could not remove the unlisted accounts from the "+r.kind.parentNoun,
				r.kind.parentSubject(plan.parent)+errorDetail(err)+"\n\nexclusive = true removes every account that account_ids does not list; "+
					"the listed ones were added. Apply again, or set exclusive = false to leave the others alone.")
			return
		}
	}
	r.set(ctx, &resp.State, plan.parent, ids, plan.exclusive, &resp.Diagnostics)
	r.setApplied(ctx, resp.Private, ids, plan.exclusive, &resp.Diagnostics)
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, r.kind.parentAttr, plan.parent)
}

// removeAll removes ids, if any.
func (r *membershipResource) removeAll(ctx context.Context, parent string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	return r.kind.remove(ctx, r.client, parent, ids)
}

func (r *membershipResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state := r.get(ctx, req.State, &resp.Diagnostics)
	var exclusive types.Bool
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("exclusive"), &exclusive)...)
	if resp.Diagnostics.HasError() {
		return
	}
	importing := state.ids.IsNull()
	// The identity is the state's IDs, set first: the framework wants one
	// even for a resource the read removes (a CLI before 1.12 stores none).
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, r.kind.parentAttr, state.parent)
	actual, err := r.kind.list(ctx, r.client, state.parent, len(state.ids.Elements()))
	if jsm.IsNotFound(err) && !importing {
		removeGone(ctx, resp, r.kind.parentNoun, fmt.Sprintf("The %s %s was not found", r.kind.parentNoun, state.parent), "")
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not read the accounts of the "+r.kind.parentNoun, r.kind.parentSubject(state.parent)+errorDetail(err))
		return
	}
	// An import takes every current account, and so does an exclusive
	// resource: the ones it does not list are drift.
	ids := actual
	managed := stringSet(ctx, state.ids, &resp.Diagnostics)
	if !importing && !state.exclusive {
		// Only the listed accounts are managed: others are not this resource's.
		ids = intersect(managed, actual)
	}
	// An import or a state from before exclusive holds null: it is false.
	if !importing && !exclusive.IsNull() && len(ids) == len(managed) && len(intersect(ids, managed)) == len(ids) {
		// All as recorded: the state stays as read, nothing rebuilt.
		return
	}
	r.set(ctx, &resp.State, state.parent, ids, state.exclusive, &resp.Diagnostics)
}

// Update adds before it removes, so an account moving between
// configurations never loses access in between.
func (r *membershipResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan := r.get(ctx, req.Plan, &resp.Diagnostics)
	state := r.get(ctx, req.State, &resp.Diagnostics)
	want, have := stringSet(ctx, plan.ids, &resp.Diagnostics), stringSet(ctx, state.ids, &resp.Diagnostics)
	applied := r.applied(ctx, req.Private, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	var errs []string
	if add := minus(want, have); len(add) > 0 {
		if err := r.kind.add(ctx, r.client, plan.parent, add); err != nil {
			errs = append(errs, "adding: "+errorDetail(err))
		}
	}
	var actual []string
	if plan.exclusive {
		// Read now, not at the refresh: whoever joined since is unlisted too.
		var err error
		if actual, err = r.kind.list(ctx, r.client, plan.parent, len(want)); err != nil {
			errs = append(errs, "listing, to find the unlisted accounts: "+errorDetail(err))
		}
	}
	remove := membershipRemovals(membershipChange{exclusive: plan.exclusive, wasExclusive: state.exclusive,
		want: want, have: have, applied: applied, actual: actual})
	if err := r.removeAll(ctx, plan.parent, remove); err != nil {
		errs = append(errs, "removing: "+errorDetail(err))
	}
	if len(errs) == 0 {
		r.set(ctx, &resp.State, plan.parent, want, plan.exclusive, &resp.Diagnostics)
		r.setApplied(ctx, resp.Private, want, plan.exclusive, &resp.Diagnostics)
		setIdentity(ctx, resp.Identity, &resp.Diagnostics, r.kind.parentAttr, plan.parent)
		return
	}
	resp.Diagnostics.AddError("Could not update the accounts of the "+r.kind.parentNoun,
		r.kind.parentSubject(plan.parent)+strings.Join(errs, "\n"))
	// Record what the site holds of both lists (all of it while exclusive),
	// so the next plan shows exactly what is still to do (the prior state
	// when that cannot be read). exclusive stays as it was, and the private
	// list of the last apply with it: the change is not done.
	recorded, both := have, append(have, minus(want, have)...)
	if actual, err := r.kind.list(ctx, r.client, plan.parent, len(both)); err == nil {
		recorded = actual
		if !state.exclusive {
			recorded = intersect(both, actual)
		}
	}
	r.set(ctx, &resp.State, plan.parent, recorded, state.exclusive, &resp.Diagnostics)
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, r.kind.parentAttr, plan.parent)
}

// membershipChange is what decides an apply's removals.
type membershipChange struct {
	exclusive    bool     // planned
	wasExclusive bool     // in the state
	want         []string // planned account_ids
	have         []string // the state's account_ids: after an exclusive refresh, every member
	applied      []string // account_ids of the last apply (private state); nil when unknown
	actual       []string // the parent's members now; nil when not read
}

// membershipRemovals is whom an apply removes, sorted. By default, the
// accounts the state manages that the plan drops. Exclusive, every member
// not planned, recorded or not. Turning exclusive off removes only what
// the last apply listed and the plan drops: the others the exclusive
// refresh recorded were never listed, and turning it off lets them be.
func membershipRemovals(c membershipChange) []string {
	var out []string
	switch {
	case c.exclusive:
		out = minus(append(slices.Clone(c.have), minus(c.actual, c.have)...), c.want)
	case c.wasExclusive && c.applied != nil:
		out = minus(intersect(c.have, c.applied), c.want)
	default:
		out = minus(c.have, c.want)
	}
	slices.Sort(out)
	return out
}

// appliedKey holds, in private state, the account_ids an exclusive apply
// stored: once the refresh adds the unlisted members, only it tells them
// from the listed ones.
const appliedKey = "exclusive_applied"

func (r *membershipResource) setApplied(ctx context.Context, p privateSetter, ids []string, exclusive bool, diags *diag.Diagnostics) {
	var value []byte
	if exclusive {
		sorted := slices.Sorted(slices.Values(ids))
		if sorted == nil {
			sorted = []string{}
		}
		var err error
		if value, err = json.Marshal(sorted); err != nil {
			diags.AddError("Could not record the applied account IDs", err.Error())
			return
		}
	}
	diags.Append(p.SetKey(ctx, appliedKey, value)...) // nil removes the key
}

func (r *membershipResource) applied(ctx context.Context, p privateGetter, diags *diag.Diagnostics) []string {
	value, d := p.GetKey(ctx, appliedKey)
	diags.Append(d...)
	if len(value) == 0 {
		return nil
	}
	ids := []string{}
	if err := json.Unmarshal(value, &ids); err != nil {
		return nil // unknown: the default rule applies
	}
	return ids
}

// knownSet is whether a set and each of its elements are known.
func knownSet(v stringset.Value) bool {
	if v.IsUnknown() {
		return false
	}
	for _, e := range v.Elements() {
		if e.IsUnknown() {
			return false
		}
	}
	return true
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// ModifyPlan names, by display name and account ID, whom an exclusive
// apply or destroy will remove. It reads the parent's members only when
// someone may be removed: on a create or a destroy, when exclusive is
// turned on (the refresh kept to the listed accounts), or when the plan
// drops accounts; a plan that changes nothing sends no request.
func (r *membershipResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil {
		return
	}
	var have []string
	wasExclusive := false
	if !req.State.Raw.IsNull() {
		state := r.get(ctx, req.State, &resp.Diagnostics)
		have, wasExclusive = stringSet(ctx, state.ids, &resp.Diagnostics), state.exclusive
		if req.Plan.Raw.IsNull() {
			if wasExclusive && !resp.Diagnostics.HasError() {
				r.warnRemovals(ctx, state.parent, nil, have, true, true, &resp.Diagnostics)
			}
			return
		}
	}
	if req.Plan.Raw.IsNull() {
		return
	}
	var exclusive types.Bool
	var parent types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("exclusive"), &exclusive)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root(r.kind.parentAttr), &parent)...)
	plan := r.get(ctx, req.Plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || !exclusive.ValueBool() || parent.IsUnknown() || !knownSet(plan.ids) {
		return
	}
	if !req.State.Raw.IsNull() && r.get(ctx, req.State, &resp.Diagnostics).parent != plan.parent {
		have, wasExclusive = nil, false // a replacement: its create meets the new parent's members
	}
	want := stringSet(ctx, plan.ids, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || wasExclusive && len(minus(have, want)) == 0 {
		return // the refresh recorded every member, and the plan drops none
	}
	r.warnRemovals(ctx, plan.parent, want, have, wasExclusive, false, &resp.Diagnostics)
}

// warnRemovals lists the parent's members, with their names, and warns
// naming those an exclusive apply (or destroy) removes.
func (r *membershipResource) warnRemovals(ctx context.Context, parent string, want, have []string, wasExclusive, destroy bool, diags *diag.Diagnostics) {
	listed := make(map[string]bool, len(want))
	for _, id := range want {
		listed[id] = true
	}
	var actual []string
	unlisted := map[string]jsm.User{}
	err := r.kind.users(ctx, r.client, parent, func(u jsm.User) bool {
		actual = append(actual, u.AccountID)
		if !listed[u.AccountID] {
			unlisted[u.AccountID] = u
		}
		return true
	})
	if jsm.IsNotFound(err) {
		return // the refresh or the apply says so
	}
	if err != nil {
		diags.AddAttributeWarning(path.Root("exclusive"), "The plan cannot name whom exclusive removes",
			r.kind.parentSubject(parent)+"listing its "+r.kind.accountNoun+"s failed: "+errorDetail(err)+
				"\n\nexclusive = true: the apply lists them again and removes every one that account_ids does not list.")
		return
	}
	// Only current members are named: removing another changes nothing.
	var gone []jsm.User
	for _, id := range membershipRemovals(membershipChange{exclusive: true, wasExclusive: wasExclusive, want: want, have: have, actual: actual}) {
		if u, ok := unlisted[id]; ok {
			gone = append(gone, u)
		}
	}
	if len(gone) == 0 {
		return
	}
	slices.SortFunc(gone, func(a, b jsm.User) int {
		return cmp.Or(cmp.Compare(a.DisplayName, b.DisplayName), cmp.Compare(a.AccountID, b.AccountID))
	})
	var named []string
	for _, u := range gone[:min(len(gone), maxNamed)] {
		named = append(named, fmt.Sprintf("%s (%s)", r.client.Quote(u.DisplayName), r.client.Clean(u.AccountID, 130)))
	}
	noun := r.kind.accountNoun
	if len(gone) > 1 {
		noun += "s"
	}
	who := describeList(named, len(gone), r.kind.accountNoun)
	if destroy {
		diags.AddAttributeWarning(path.Root("exclusive"), fmt.Sprintf("The destroy removes %d %s", len(gone), noun),
			fmt.Sprintf("%sexclusive = true: this resource owns every %s of the %s, so destroying it removes %s.\n\n"+
				"To remove only the listed ones, set exclusive = false and apply before destroying; to remove no one, "+
				"forget the resource with a removed block (lifecycle { destroy = false }).",
				r.kind.parentSubject(parent), r.kind.accountNoun, r.kind.parentNoun, who))
		return
	}
	diags.AddAttributeWarning(path.Root("exclusive"), fmt.Sprintf("The apply removes %d %s that account_ids does not list", len(gone), noun),
		fmt.Sprintf("%sexclusive = true: this resource owns every %s of the %s, so the apply removes %s.\n\n"+
			"To keep one, add its account ID to account_ids; to leave the accounts the configuration does not list alone, "+
			"set exclusive = false.", r.kind.parentSubject(parent), r.kind.accountNoun, r.kind.parentNoun, who))
}

// Delete removes what the state lists; an exclusive resource owns the whole
// set, so its destroy removes every member, read now: Terraform destroys
// with the state of the last apply, not the refresh's.
func (r *membershipResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state := r.get(ctx, req.State, &resp.Diagnostics)
	have := stringSet(ctx, state.ids, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	var actual []string
	if state.exclusive {
		var err error
		if actual, err = r.kind.list(ctx, r.client, state.parent, len(have)); err != nil && !jsm.IsNotFound(err) {
			resp.Diagnostics.AddError("Could not read the accounts of the "+r.kind.parentNoun, r.kind.parentSubject(state.parent)+errorDetail(err)+
				"\n\nexclusive = true: the destroy removes every account of the "+r.kind.parentNoun+", and could not list them. Destroy again, "+
				"or set exclusive = false and apply first to remove only the listed ones.")
			return
		}
	}
	remove := membershipRemovals(membershipChange{exclusive: state.exclusive, wasExclusive: state.exclusive, have: have, actual: actual})
	if err := r.removeAll(ctx, state.parent, remove); err != nil && !jsm.IsNotFound(err) {
		resp.Diagnostics.AddError("Could not remove the accounts from the "+r.kind.parentNoun, r.kind.parentSubject(state.parent)+errorDetail(err))
	}
}

// ImportState takes the parent's ID (or an identity); the import takes all
// current accounts.
func (r *membershipResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID = importID(ctx, req, &resp.Diagnostics, r.kind.parentAttr); resp.Diagnostics.HasError() {
		return
	}
	if !jsm.ValidOrganizationID(req.ID) {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("Import by %s ID, a positive integer such as 12; got %q.", r.kind.parentNoun, req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(r.kind.parentAttr), req.ID)...)
	// Nothing tells which accounts a configuration meant to manage: the
	// import takes them all, which a configuration listing some does not
	// expect of a resource that "leaves the others alone".
	resp.Diagnostics.AddWarning("Every current account is imported as managed",
		fmt.Sprintf("The import takes every account the %s %s holds now as managed by this resource. From now on the "+
			"next apply removes from it any of them that account_ids does not list: list them all, or review the plan's "+
			"removals before applying.", r.kind.parentNoun, req.ID))
}

// IdentitySchema: the set of accounts of one parent is that parent's ID.
func (r *membershipResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(map[string]string{r.kind.parentAttr: "The " + r.kind.parentNoun + " ID."})
}
