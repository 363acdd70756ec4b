package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
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
	calls  apiCalls // those of list, add and remove
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
)

// membershipResource manages exactly the account IDs it lists in a parent's
// set of accounts, and leaves every other account of that set alone.
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
		},
	}
}

func (r *membershipResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

type membershipModel struct {
	parent string
	ids    stringset.Value
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
	m.parent = parent.ValueString()
	return m
}

func (r *membershipResource) set(ctx context.Context, st *tfsdk.State, parent string, ids []string, diags *diag.Diagnostics) {
	diags.Append(st.SetAttribute(ctx, path.Root("id"), parent)...)
	diags.Append(st.SetAttribute(ctx, path.Root(r.kind.parentAttr), parent)...)
	diags.Append(st.SetAttribute(ctx, path.Root("account_ids"), setValue(ids))...)
}

func (r *membershipResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan := r.get(ctx, req.Plan, &resp.Diagnostics)
	ids := stringSet(ctx, plan.ids, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if len(ids) == 0 {
		// Nothing to add, so nothing else would find out that the parent
		// is missing before the next refresh drops the resource, and the
		// apply after it creates it again.
		if _, err := r.kind.list(ctx, r.client, plan.parent, 0); err != nil {
			resp.Diagnostics.AddError("Could not read the accounts of the "+r.kind.parentNoun, r.kind.parentSubject(plan.parent)+errorDetail(err))
			return
		}
	} else if err := r.kind.add(ctx, r.client, plan.parent, ids); err != nil {
		// Nothing is recorded: adding is idempotent, so the next apply simply
		// adds the whole list again.
		resp.Diagnostics.AddError("Could not add the accounts to the "+r.kind.parentNoun,
			r.kind.parentSubject(plan.parent)+errorDetail(err)+"\n\nJSM adds the valid account IDs of a call even when others fail, so some may have been added; "+
				"fix the list and apply again.")
		return
	}
	r.set(ctx, &resp.State, plan.parent, ids, &resp.Diagnostics)
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, r.kind.parentAttr, plan.parent)
}

func (r *membershipResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state := r.get(ctx, req.State, &resp.Diagnostics)
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
	ids := actual // an import takes every current account
	if !importing {
		// Only the listed accounts are managed: others are not this resource's.
		managed := stringSet(ctx, state.ids, &resp.Diagnostics)
		if ids = intersect(managed, actual); len(ids) == len(managed) {
			// All still there: the state stays as read, nothing rebuilt.
			return
		}
	}
	r.set(ctx, &resp.State, state.parent, ids, &resp.Diagnostics)
}

// Update adds before it removes, so an account moving between
// configurations never loses access in between.
func (r *membershipResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan := r.get(ctx, req.Plan, &resp.Diagnostics)
	state := r.get(ctx, req.State, &resp.Diagnostics)
	want, have := stringSet(ctx, plan.ids, &resp.Diagnostics), stringSet(ctx, state.ids, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	var errs []string
	if add := minus(want, have); len(add) > 0 {
		if err := r.kind.add(ctx, r.client, plan.parent, add); err != nil {
			errs = append(errs, "adding: "+errorDetail(err))
		}
	}
	if remove := minus(have, want); len(remove) > 0 {
		if err := r.kind.remove(ctx, r.client, plan.parent, remove); err != nil {
			errs = append(errs, "removing: "+errorDetail(err))
		}
	}
	if len(errs) == 0 {
		r.set(ctx, &resp.State, plan.parent, want, &resp.Diagnostics)
		setIdentity(ctx, resp.Identity, &resp.Diagnostics, r.kind.parentAttr, plan.parent)
		return
	}
	resp.Diagnostics.AddError("Could not update the accounts of the "+r.kind.parentNoun,
		r.kind.parentSubject(plan.parent)+strings.Join(errs, "\n"))
	// Record what the site holds of both lists, so the next plan shows
	// exactly what is still to do (the prior state when that cannot be read).
	recorded, both := have, append(have, minus(want, have)...)
	if actual, err := r.kind.list(ctx, r.client, plan.parent, len(both)); err == nil {
		recorded = intersect(both, actual)
	}
	r.set(ctx, &resp.State, plan.parent, recorded, &resp.Diagnostics)
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, r.kind.parentAttr, plan.parent)
}

func (r *membershipResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state := r.get(ctx, req.State, &resp.Diagnostics)
	ids := stringSet(ctx, state.ids, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || len(ids) == 0 {
		return
	}
	if err := r.kind.remove(ctx, r.client, state.parent, ids); err != nil && !jsm.IsNotFound(err) {
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
