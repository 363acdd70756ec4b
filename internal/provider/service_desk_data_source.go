package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

var _ datasource.DataSourceWithConfigure = &serviceDeskDataSource{}

// NewServiceDeskDataSource returns the jsm_service_desk data source.
func NewServiceDeskDataSource() datasource.DataSource { return &serviceDeskDataSource{} }

type serviceDeskDataSource struct{ client *jsm.Client }

type serviceDeskModel struct {
	ID          types.String `tfsdk:"id"`
	ProjectID   types.String `tfsdk:"project_id"`
	ProjectKey  types.String `tfsdk:"project_key"`
	ProjectName types.String `tfsdk:"project_name"`
}

func (d *serviceDeskDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_desk"
}

// apiCalls declares the client calls it makes (permissions.go).
func (*serviceDeskDataSource) apiCalls() apiCalls {
	return calls("GetServiceDesk")
}

func (d *serviceDeskDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	oneKey := stringvalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("project_key"))
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up a service desk by its ID or by its project key, typically to get the `id` that " +
			"`jsm_service_desk_customers` and `jsm_service_desk_organization` take.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The service desk ID to look up, or the one found. Exactly one of `id` and `project_key` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          append(serviceDeskIDValidators(), oneKey),
			},
			"project_key": schema.StringAttribute{
				MarkdownDescription: "The key of the service desk's Jira project to look up (e.g. `IT`), or the one found.",
				Optional:            true,
				Computed:            true,
				Validators: []validator.String{oneKey, stringvalidator.RegexMatches(projectKeyRegexp,
					"must be a Jira project key: an uppercase letter followed by uppercase letters, digits or underscores")},
			},
			"project_id":   schema.StringAttribute{MarkdownDescription: "The ID of the service desk's Jira project.", Computed: true},
			"project_name": schema.StringAttribute{MarkdownDescription: "The name of the service desk's Jira project.", Computed: true},
		},
	}
}

func (d *serviceDeskDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *serviceDeskDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m serviceDeskModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	key := m.ID.ValueString()
	if m.ID.IsNull() {
		key = m.ProjectKey.ValueString()
	}
	desk, err := d.client.GetServiceDesk(ctx, key)
	if err != nil {
		resp.Diagnostics.AddError("Could not find the service desk", "Service desk "+key+":\n"+errorDetail(err))
		return
	}
	if !m.ProjectKey.IsNull() && !strings.EqualFold(desk.ProjectKey, m.ProjectKey.ValueString()) {
		resp.Diagnostics.AddError("Could not find the service desk",
			fmt.Sprintf("Service desk %s: JSM answered with the desk of project %s.", key, desk.ProjectKey))
		return
	}
	m = serviceDeskModel{
		ID: types.StringValue(desk.ID), ProjectID: types.StringValue(desk.ProjectID),
		ProjectKey: types.StringValue(desk.ProjectKey), ProjectName: types.StringValue(desk.ProjectName),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
