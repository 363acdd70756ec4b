package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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
)

var (
	_ resource.ResourceWithModifyPlan  = &entitlementResource{}
	_ resource.ResourceWithConfigure   = &entitlementResource{}
	_ resource.ResourceWithImportState = &entitlementResource{}
	_ resource.ResourceWithIdentity    = &entitlementResource{}
)

// NewEntitlementResource returns the jsm_entitlement resource.
func NewEntitlementResource() resource.Resource { return &entitlementResource{} }

type entitlementResource struct {
	client *jsm.Client
	run    *runState // this configuration's record of the run
}

type entitlementModel struct {
	ID             types.String        `tfsdk:"id"`
	ProductID      types.String        `tfsdk:"product_id"`
	CustomerID     types.String        `tfsdk:"customer_id"`
	OrganizationID types.String        `tfsdk:"organization_id"`
	Details        map[string][]string `tfsdk:"details"`
}

// entitlementDetailsAPI lets the entitlement reuse the details resource's
// checked, non-authoritative writes.
var entitlementDetailsAPI = detailsAPI{detailOwner: detailOwner{kind: "entitlement", details: jsm.EntitlementDetails}} //nolint:gochecknoglobals // a read-only table

func (r *entitlementResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_entitlement"
}

// apiCalls declares the client calls it makes (permissions.go).
func (*entitlementResource) apiCalls() apiCalls {
	return apiCalls{details: jsm.EntitlementDetails, methods: []string{"CreateEntitlement", "GetEntitlement",
		"DeleteEntitlement", "ListDetailFields", "SetDetail", "Details", "ListEntitlements", "ProductsFeatureOn", "GetUser", "GetOrganization", "ListProducts"}}
}

func (r *entitlementResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	owner := stringvalidator.ExactlyOneOf(path.MatchRoot("customer_id"), path.MatchRoot("organization_id"))
	resp.Schema = schema.Schema{
		MarkdownDescription: "Entitles a customer or an organization to a `jsm_product` (JSM's \"Products and entitlements\" " +
			"feature), with the entitlement's detail values.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The entitlement's ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"product_id": schema.StringAttribute{
				MarkdownDescription: "The product, e.g. `jsm_product.widget.id`. Changing it replaces the entitlement.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1), productIDValidator},
				PlanModifiers:       replace,
			},
			"customer_id": schema.StringAttribute{
				MarkdownDescription: "The entitled customer's account ID. Exactly one of `customer_id` and `organization_id`.",
				Optional:            true,
				Validators:          []validator.String{accountIDValidator, owner},
				PlanModifiers:       replace,
			},
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "The entitled organization's ID.",
				Optional:            true,
				Validators:          append(organizationIDValidators(), owner),
				PlanModifiers:       replace,
			},
			"details": schema.MapAttribute{
				MarkdownDescription: "Entitlement detail field name to values (a set of strings), e.g. `{ \"Support level\" = [\"24x7\"] }`. " +
					"Field names must not be `.` or `..`, contain `/` or `\\`, or contain control characters.",
				Optional:    true,
				ElementType: types.SetType{ElemType: types.StringType},
				Validators:  []validator.Map{mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1), detailFieldNameValidator), distinctFieldKeys{}},
			},
		},
	}
}

func (r *entitlementResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client, r.run = configured(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan checks details that are created or change as the details
// resources do (checkPlannedDetails), so that a value the apply would
// refuse does not leave a new entitlement tainted; and it refuses, at plan
// time, an entitlement of an account the CSM API will refuse (inactive,
// deleted, not a customer), when customer_id is known and the entitlement
// is to be created: one read, only then.
func (r *entitlementResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.client == nil {
		return
	}
	if !checkCSMServiceAccount(ctx, r.client, r.run, listProducts(r.client), &resp.Diagnostics) {
		return
	}
	// Its details attribute is the details resources' own.
	(&detailsResource{api: entitlementDetailsAPI, client: r.client, run: r.run}).predictValues(ctx, req, resp)
	if !req.State.Raw.IsNull() {
		return
	}
	var id types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("customer_id"), &id)...)
	if resp.Diagnostics.HasError() || id.IsNull() || id.IsUnknown() {
		return
	}
	u, err := r.client.GetUser(ctx, id.ValueString())
	if why := refusedAccount(id.ValueString(), u, err); why != "" {
		resp.Diagnostics.AddAttributeError(path.Root("customer_id"), "Not a Customer Service Management customer",
			why+" Use an eligible account's ID.")
	}
}

func (m *entitlementModel) owner() (kind, id string) {
	if !m.OrganizationID.IsNull() {
		return jsm.EntitlementOfOrganization, m.OrganizationID.ValueString()
	}
	return jsm.EntitlementOfCustomer, m.CustomerID.ValueString()
}

// setIdentity writes the entitlement's identity: its owner, as the import
// ID names it, and its ID.
func (m *entitlementModel) setIdentity(ctx context.Context, id *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	kind, owner := m.owner()
	setIdentity(ctx, id, diags, "owner_type", strings.ToLower(kind), "owner_id", owner, "id", m.ID.ValueString())
}

// writeDetails sets the entitlement's details (before: the state's).
func (r *entitlementResource) writeDetails(ctx context.Context, id string, plan, before map[string][]string, diags *diag.Diagnostics) bool {
	if len(plan) == 0 && len(before) == 0 {
		return true
	}
	d := &detailsResource{api: entitlementDetailsAPI, client: r.client, run: r.run}
	warnings, err := d.write(ctx, id, nonNilMap(plan), before)
	for _, w := range warnings {
		diags.AddWarning("Detail value not cleared", w)
	}
	if err != nil {
		diags.AddAttributeError(path.Root("details"), "Could not set the details of entitlement "+id, errorDetail(err))
		return false
	}
	return true
}

func nonNilMap(m map[string][]string) map[string][]string {
	if m == nil {
		return map[string][]string{}
	}
	return m
}

func (r *entitlementResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan entitlementModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	kind, owner := plan.owner()
	e, err := r.client.CreateEntitlement(ctx, kind, owner, plan.ProductID.ValueString())
	if err != nil {
		msg := errorDetail(err)
		if jsm.IsCSMNotFound(err) && kind == jsm.EntitlementOfCustomer {
			// An active customer account qualifies: then the feature is
			// the likely cause, which the error's hint names.
			u, uerr := r.client.GetUser(ctx, owner)
			if _, why, _ := accountVerdict(owner, u, uerr); why != "" && (!u.Active || u.AccountType != "customer") {
				msg = why + "\n\n" + msg
			}
		}
		resp.Diagnostics.AddError(fmt.Sprintf("Could not entitle %s %s to product %s", strings.ToLower(kind), owner, plan.ProductID.ValueString()), msg)
		return
	}
	plan.ID = types.StringValue(e.ID)
	// Saved first: a details failure must not lose the entitlement.
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	plan.setIdentity(ctx, resp.Identity, &resp.Diagnostics)
	if !r.writeDetails(ctx, e.ID, plan.Details, nil, &resp.Diagnostics) {
		plan.Details = nil
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

func (r *entitlementResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state entitlementModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The identity is the state's IDs, set first: the framework wants one
	// even for a resource the read removes (a CLI before 1.12 stores none).
	state.setIdentity(ctx, resp.Identity, &resp.Diagnostics)
	e, err := r.client.GetEntitlement(ctx, state.ID.ValueString())
	if jsm.IsNotFound(err) {
		if r.confirm404(ctx, state, err, resp) != nil {
			// Listed although its read answered 404: kept as it is.
			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		}
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not read entitlement "+state.ID.ValueString(), errorDetail(err))
		return
	}
	if r.otherOwner(state, e, &resp.Diagnostics) {
		return
	}
	if e.ProductID != "" {
		state.ProductID = types.StringValue(e.ProductID)
	}
	if state.Details != nil {
		state.Details = mergeDetails(state.Details, e.Details)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// otherOwner reports, as an error, an entitlement whose answer names
// another owner than the state (an import under the wrong owner): recording
// it would let a later change of owner replace, so delete, an entitlement
// this configuration does not own. Only an owner the answer names is
// compared, and its kind only when it is one the provider knows (the
// answer's shape is assumed: csm_entitlements.go).
func (r *entitlementResource) otherOwner(state entitlementModel, e *jsm.Entitlement, diags *diag.Diagnostics) bool {
	kind, owner := state.owner()
	realKind, realOwner := kind, owner
	if e.OwnerType == jsm.EntitlementOfCustomer || e.OwnerType == jsm.EntitlementOfOrganization {
		realKind = e.OwnerType
	}
	if e.OwnerID != "" {
		realOwner = e.OwnerID
	}
	if realKind == kind && realOwner == owner {
		return false
	}
	id := state.ID.ValueString()
	diags.AddError("Entitlement of another owner", fmt.Sprintf("Entitlement %s belongs to %s %s, not to %s %s as the import ID "+
		"(or the state) says. Import it as %s/%s/%s, with %s_id = %q in its configuration. If it is already in the state, "+
		"drop this jsm_entitlement from it first (a removed block with lifecycle { destroy = false }); nothing was changed "+
		"on the site.",
		id, lower(realKind), realOwner, lower(kind), owner, lower(realKind), realOwner, id, lower(realKind), realOwner))
	return true
}

// confirm404 decides an entitlement that answered 404 (err): it leaves the
// state only when its owner's listing of entitlements to the product
// answers without it, or the owner itself is gone. A listing that answers
// 404 too means that the feature is off (the products listing answers 404
// as well) or that the owner is unknown to the CSM API: the refresh fails
// and the entitlement stays. It returns the entitlement when the listing
// holds it after all.
func (r *entitlementResource) confirm404(ctx context.Context, state entitlementModel, err error, resp *resource.ReadResponse) *jsm.Entitlement {
	kind, owner := state.owner()
	id, productID := state.ID.ValueString(), state.ProductID.ValueString()
	what := fmt.Sprintf("entitlement %s (of %s %s to product %s)", id, lower(kind), owner, productID)
	listing := fmt.Sprintf("the %s's entitlements to the product (GET /%s/%s/entitlement)", lower(kind), lower(kind), owner)
	all, lerr := r.client.ListEntitlements(ctx, kind, owner, productID)
	if lerr == nil {
		for i := range all {
			if all[i].ID == id {
				return &all[i]
			}
		}
		resp.Diagnostics.AddWarning("JSM entitlement no longer exists", fmt.Sprintf("The %s answers 404 and is not among the %s's "+
			"entitlements to the product; it was removed from the state (deleting a product deletes its entitlements), and the "+
			"next apply creates it again.", what, lower(kind)))
		resp.State.RemoveResource(ctx)
		return nil
	}
	if !jsm.IsCSMNotFound(lerr) {
		addUnconfirmed(&resp.Diagnostics, what, listing, err, lerr)
		return nil
	}
	// The listing answers 404 too: the feature is off, or the owner is
	// unknown to the CSM API.
	if perr := r.client.ProductsFeatureOn(ctx); perr != nil {
		if jsm.IsCSMNotFound(perr) {
			addFeatureOff(&resp.Diagnostics, jsm.FeatureProducts, what, listing+" and the listing of products", err)
		} else {
			addUnconfirmed(&resp.Diagnostics, what, "the listing of products", err, perr)
		}
		return nil
	}
	var gone bool
	var why string
	if kind == jsm.EntitlementOfCustomer {
		u, uerr := r.client.GetUser(ctx, owner)
		gone, why, uerr = accountVerdict(owner, u, uerr)
		if uerr != nil {
			addUnconfirmed(&resp.Diagnostics, what, "reading the account "+owner, err, uerr)
			return nil
		}
	} else {
		_, oerr := r.client.GetOrganization(ctx, owner)
		switch {
		case jsm.IsNotFound(oerr):
			gone = true
		case oerr != nil:
			addUnconfirmed(&resp.Diagnostics, what, "reading the organization "+owner, err, oerr)
			return nil
		default:
			why = fmt.Sprintf("The organization %s exists in JSM, but the Customer Service Management API answers 404 for it "+
				"and for its entitlements (%s), while the products feature answers: the entitlement cannot be confirmed "+
				"gone. If it was deleted, drop it from the state with a removed block (lifecycle { destroy = false }).", owner, listing)
		}
	}
	if gone {
		resp.Diagnostics.AddWarning("JSM entitlement no longer exists", fmt.Sprintf("The %s answers 404, and its %s no longer "+
			"exists; the entitlement was removed from the state.", what, lower(kind)))
		resp.State.RemoveResource(ctx)
		return nil
	}
	addIneligible(&resp.Diagnostics, "Could not read entitlement "+id, why, "this jsm_entitlement")
	return nil
}

// Update changes only details; everything else replaces.
func (r *entitlementResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state entitlementModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.writeDetails(ctx, state.ID.ValueString(), plan.Details, state.Details, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	plan.setIdentity(ctx, resp.Identity, &resp.Diagnostics)
}

func (r *entitlementResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state entitlementModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.client.DeleteEntitlement(ctx, state.ID.ValueString())
	err = confirmGone(&resp.Diagnostics, err, func() error { return r.client.ProductsFeatureOn(ctx) },
		jsm.FeatureProducts, "entitlement "+state.ID.ValueString(), "the listing of products")
	if err != nil {
		resp.Diagnostics.AddError("Could not delete entitlement "+state.ID.ValueString(), errorDetail(err))
	}
}

// ImportState takes customer/<account_id>/<entitlement_id> or
// organization/<organization_id>/<entitlement_id>, or an identity of those
// three parts: the entitlement's answer is not documented to name its owner.
func (r *entitlementResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	summary, form := "Invalid import ID", "Import as customer/<account_id>/<entitlement_id> or organization/<organization_id>/<entitlement_id>"
	if req.ID == "" {
		summary, form = "Invalid import identity", `The identity's owner_type must be "customer" or "organization" (the parts owner_type/owner_id/id)`
	}
	if req.ID = importID(ctx, req, &resp.Diagnostics, "owner_type", "owner_id", "id"); resp.Diagnostics.HasError() {
		return
	}
	parts := strings.Split(req.ID, "/")
	if len(parts) != 3 || (parts[0] != "customer" && parts[0] != "organization") || parts[1] == "" || parts[2] == "" {
		resp.Diagnostics.AddError(summary, fmt.Sprintf("%s; got %q.", form, req.ID))
		return
	}
	if msg := jsm.CheckEntitlementID(parts[2]); msg != "" {
		resp.Diagnostics.AddError(summary, fmt.Sprintf("%s; %s.", form, msg))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), parts[2])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(parts[0]+"_id"), parts[1])...)
}

// IdentitySchema: an entitlement is its ID, with its owner (which a read
// cannot learn).
func (r *entitlementResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(map[string]string{
		"owner_type": "Whose entitlement it is: `customer` or `organization`.",
		"owner_id":   "The owner's ID: the customer's account ID or the organization ID.",
		"id":         "The entitlement's ID.",
	})
}
