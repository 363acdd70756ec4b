package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

var (
	_ resource.ResourceWithConfigure   = &serviceDeskOrganizationResource{}
	_ resource.ResourceWithImportState = &serviceDeskOrganizationResource{}
	_ resource.ResourceWithIdentity    = &serviceDeskOrganizationResource{}
)

// NewServiceDeskOrganizationResource returns the jsm_service_desk_organization resource.
func NewServiceDeskOrganizationResource() resource.Resource {
	return &serviceDeskOrganizationResource{}
}

type serviceDeskOrganizationResource struct {
	client *jsm.Client
}

type serviceDeskOrganizationModel struct {
	ID             types.String `tfsdk:"id"`
	ServiceDeskID  types.String `tfsdk:"service_desk_id"`
	OrganizationID types.String `tfsdk:"organization_id"`
}

func (r *serviceDeskOrganizationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_desk_organization"
}

// apiCalls declares the client calls it makes (permissions.go).
func (*serviceDeskOrganizationResource) apiCalls() apiCalls {
	return calls("ServiceDeskOrganizationIDs", "AddServiceDeskOrganization", "RemoveServiceDeskOrganization")
}

func (r *serviceDeskOrganizationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Gives an organization access to a service desk: every member of the organization can then " +
			"raise requests on the desk and share them with the organization.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<service_desk_id>/<organization_id>`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"service_desk_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the service desk, e.g. `data.jsm_service_desk.it.id`. Changing it replaces the resource.",
				Required:            true,
				Validators:          serviceDeskIDValidators(),
				PlanModifiers:       replace,
			},
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the organization, e.g. `jsm_organization.acme.id`. Changing it replaces the resource.",
				Required:            true,
				Validators:          organizationIDValidators(),
				PlanModifiers:       replace,
			},
		},
	}
}

func (r *serviceDeskOrganizationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *serviceDeskOrganizationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan serviceDeskOrganizationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	desk, org := plan.ServiceDeskID.ValueString(), plan.OrganizationID.ValueString()
	if err := r.client.AddServiceDeskOrganization(ctx, desk, org); err != nil {
		resp.Diagnostics.AddError("Could not give the organization access to the service desk",
			fmt.Sprintf("Organization %s, service desk %s:\n%s", org, desk, errorDetail(err)))
		return
	}
	plan.ID = types.StringValue(desk + "/" + org)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, "service_desk_id", desk, "organization_id", org)
}

func (r *serviceDeskOrganizationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state serviceDeskOrganizationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	desk, org := state.ServiceDeskID.ValueString(), state.OrganizationID.ValueString()
	// The identity is the state's IDs, set first: the framework wants one
	// even for a resource the read removes (a CLI before 1.12 stores none).
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, "service_desk_id", desk, "organization_id", org)
	orgs, err := r.client.ServiceDeskOrganizationIDs(ctx, desk)
	if err == nil && !slices.Contains(orgs, org) {
		err = fmt.Errorf("organization %s has no access to service desk %s: %w", org, desk, jsm.ErrNotFound)
	}
	if jsm.IsNotFound(err) {
		removeGone(ctx, resp, "service desk organization link", errorDetail(err), "adds it again")
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not read the organizations of the service desk", "Service desk "+desk+":\n"+errorDetail(err))
		return
	}
	state.ID = types.StringValue(desk + "/" + org)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update is never called: every attribute replaces the resource.
func (r *serviceDeskOrganizationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan serviceDeskOrganizationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, "service_desk_id", plan.ServiceDeskID.ValueString(),
		"organization_id", plan.OrganizationID.ValueString())
}

func (r *serviceDeskOrganizationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state serviceDeskOrganizationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	desk, org := state.ServiceDeskID.ValueString(), state.OrganizationID.ValueString()
	// 404: the desk or the organization is gone, and so is the link.
	if err := r.client.RemoveServiceDeskOrganization(ctx, desk, org); err != nil && !jsm.IsNotFound(err) {
		resp.Diagnostics.AddError("Could not remove the organization from the service desk",
			fmt.Sprintf("Organization %s, service desk %s:\n%s", org, desk, errorDetail(err)))
	}
}

// ImportState takes <service_desk_id>/<organization_id>, or an identity.
func (r *serviceDeskOrganizationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID = importID(ctx, req, &resp.Diagnostics, "service_desk_id", "organization_id"); resp.Diagnostics.HasError() {
		return
	}
	desk, org, ok := strings.Cut(req.ID, "/")
	if !ok || !jsm.ValidOrganizationID(desk) || !jsm.ValidOrganizationID(org) {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("Import as <service_desk_id>/<organization_id>, e.g. 1/12; got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("service_desk_id"), desk)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("organization_id"), org)...)
}

// IdentitySchema: a link is the pair of IDs it joins.
func (r *serviceDeskOrganizationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(map[string]string{
		"service_desk_id": "The service desk ID.",
		"organization_id": "The organization ID.",
	})
}
