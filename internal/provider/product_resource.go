package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

var (
	_ resource.ResourceWithConfigure   = &productResource{}
	_ resource.ResourceWithImportState = &productResource{}
	_ resource.ResourceWithIdentity    = &productResource{}
	_ resource.ResourceWithModifyPlan  = &productResource{}
)

// NewProductResource returns the jsm_product resource.
func NewProductResource() resource.Resource { return &productResource{} }

type productResource struct {
	client *jsm.Client
	run    *runState // this configuration\'s record of the run
}

type productModel struct {
	ID   types.String `tfsdk:"id"`
	Name types.String `tfsdk:"name"`
}

func (r *productResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_product"
}

// apiCalls declares the client calls it makes (permissions.go).
func (*productResource) apiCalls() apiCalls {
	return calls("CreateProduct", "GetProduct", "ListProducts", "RenameProduct", "DeleteProduct")
}

func (r *productResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A product that customers and organizations can be entitled to (JSM's \"Products and entitlements\" " +
			"feature, on the Customer Service Management API).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The product's ID (a UUID).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The product's name. Changing it renames the product in place.",
				Required:            true,
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringvalidator.RegexMatches(trimmedName, "must not start or end with white space"),
				},
			},
		},
	}
}

func (r *productResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client, r.run = configured(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan checks, for a product to create, that the "Products and
// entitlements" feature answers: when it is off, or the site's plan lacks
// it, every path of the feature answers 404 and the create would fail at
// apply. One listing a run, by the first product to create (its answer
// holds for the others); none for products that stay.
func (r *productResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.Plan.Raw.IsNull() && !checkCSMServiceAccount(ctx, r.client, r.run, listProducts(r.client), &resp.Diagnostics) {
		return
	}
	if !req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || r.client == nil || !r.run.once("products listed") {
		return
	}
	_, err := r.client.ListProducts(ctx)
	switch {
	case errors.Is(err, jsm.ErrNoCloudID): // the create would not find the API either
		resp.Diagnostics.AddError("Could not reach the Customer Service Management API", errorDetail(err))
	case jsm.IsCredentialRefused(err):
		// Certain, unlike a 403 or an outage: the create would be refused too.
		resp.Diagnostics.AddError("The site refused the provider's credentials",
			"Listing the products, before creating one, failed:\n"+errorDetail(err))
	case jsm.IsCSMNotFound(err):
		resp.Diagnostics.AddError(fmt.Sprintf("The JSM feature %q does not answer", jsm.FeatureProducts), fmt.Sprintf(
			"The Customer Service Management API answered 404 for the listing of products (GET /product), as it does on every "+
				"path of the feature when it is off or the site's plan lacks it: creating the product would fail. Turn %[1]q on "+
				"in the Jira Service Management settings (a project admin: Project settings → Features; the plan must be "+
				"Premium or Enterprise), or check cloud_id.\n\nLast answer: %[2]v", jsm.FeatureProducts, err))
	case err != nil:
		resp.Diagnostics.AddWarning("The plan cannot tell whether the product can be created",
			"Listing the site's products, to see that the feature answers, failed:\n"+errorDetail(err)+"\n\nThe apply tries the create.")
	}
}

func (r *productResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan productModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, err := r.client.CreateProduct(ctx, plan.Name.ValueString())
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Could not create the product %q", plan.Name.ValueString()), errorDetail(err))
		return
	}
	plan.ID = types.StringValue(p.ID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, "id", p.ID)
}

func (r *productResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state productModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The identity is the state's ID, set first: the framework wants one
	// even for a resource the read removes (a CLI before 1.12 stores none).
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, "id", state.ID.ValueString())
	p, err := r.client.GetProduct(ctx, state.ID.ValueString())
	if jsm.IsNotFound(err) {
		// Gone only if the listing answers without it (csm_refresh.go).
		what, listing := "product "+state.ID.ValueString(), "the listing of products (GET /product)"
		all, lerr := r.client.ListProducts(ctx)
		switch {
		case jsm.IsCSMNotFound(lerr):
			addFeatureOff(&resp.Diagnostics, jsm.FeatureProducts, what, listing, err)
			return
		case lerr != nil:
			addUnconfirmed(&resp.Diagnostics, what, listing, err, lerr)
			return
		}
		p, err = nil, nil
		for i := range all {
			if all[i].ID == state.ID.ValueString() {
				p = &all[i]
			}
		}
		if p == nil {
			resp.Diagnostics.AddWarning("JSM product no longer exists", fmt.Sprintf("The product %s answers 404 and is not among "+
				"the site's %d products; it was removed from the state, and the next apply creates it again.", state.ID.ValueString(), len(all)))
			resp.State.RemoveResource(ctx)
			return
		}
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not read product "+state.ID.ValueString(), errorDetail(err))
		return
	}
	state.Name = types.StringValue(p.Name)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *productResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan productModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, err := r.client.RenameProduct(ctx, plan.ID.ValueString(), plan.Name.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Could not rename product "+plan.ID.ValueString(), errorDetail(err))
		return
	}
	plan.Name = types.StringValue(p.Name)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, "id", plan.ID.ValueString())
}

func (r *productResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state productModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.client.DeleteProduct(ctx, state.ID.ValueString())
	err = confirmGone(&resp.Diagnostics, err, func() error { _, err := r.client.ListProducts(ctx); return err },
		jsm.FeatureProducts, "product "+state.ID.ValueString(), "the listing of products (GET /product)")
	if err != nil {
		resp.Diagnostics.AddError("Could not delete product "+state.ID.ValueString(), errorDetail(err))
	}
}

// ImportState takes the product's ID, or an identity.
func (r *productResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID = importID(ctx, req, &resp.Diagnostics, "id"); resp.Diagnostics.HasError() {
		return
	}
	if msg := jsm.CheckProductID(req.ID); msg != "" {
		resp.Diagnostics.AddError("Invalid import ID", msg+". Import a product by its ID, a UUID such as 2a927c94-363f-4977-a0d6-9477d535f329.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}

// IdentitySchema: a product is its ID.
func (r *productResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(map[string]string{"id": "The product's ID, a UUID."})
}

// listProducts is the product listing as a plan-time read.
func listProducts(c *jsm.Client) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := c.ListProducts(ctx)
		return err
	}
}
