package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

var _ datasource.DataSourceWithConfigure = &organizationDataSource{}

// NewOrganizationDataSource returns the jsm_organization data source.
func NewOrganizationDataSource() datasource.DataSource { return &organizationDataSource{} }

type organizationDataSource struct{ client *jsm.Client }

type organizationDataModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	UUID        types.String `tfsdk:"uuid"`
	SCIMManaged types.Bool   `tfsdk:"scim_managed"`
}

func (d *organizationDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization"
}

// apiCalls declares the client calls it makes (permissions.go).
func (*organizationDataSource) apiCalls() apiCalls {
	return calls("GetOrganization", "FindOrganizationByName")
}

func (d *organizationDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	oneKey := stringvalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name"))
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up an existing organization by ID or by exact name, for example one created in the " +
			"JSM UI or by another configuration.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The organization ID to look up, or the one found. Exactly one of `id` and `name` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          append(organizationIDValidators(), oneKey),
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The exact name (letter case included) of the organization to look up, or the one found.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{oneKey, stringvalidator.UTF8LengthBetween(1, maxOrganizationName)},
			},
			"uuid":         schema.StringAttribute{MarkdownDescription: "The organization's UUID, when JSM returns one.", Computed: true},
			"scim_managed": schema.BoolAttribute{MarkdownDescription: "Whether the organization is managed by SCIM user provisioning.", Computed: true},
		},
	}
}

func (d *organizationDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *organizationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m organizationDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var (
		org *jsm.Organization
		err error
	)
	what := m.ID.ValueString()
	if !m.ID.IsNull() {
		org, err = d.client.GetOrganization(ctx, what)
	} else {
		what = fmt.Sprintf("%q", m.Name.ValueString())
		org, err = d.client.FindOrganizationByName(ctx, m.Name.ValueString())
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not find the organization", "Organization "+what+":\n"+errorDetail(err))
		return
	}
	m = organizationDataModel{
		ID: types.StringValue(org.ID), Name: types.StringValue(org.Name),
		UUID: stringOrNull(org.UUID), SCIMManaged: types.BoolValue(org.SCIMManaged),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
