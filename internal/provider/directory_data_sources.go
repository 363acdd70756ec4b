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

var (
	_ datasource.DataSourceWithConfigure = &serviceDeskDataSource{}
	_ datasource.DataSourceWithConfigure = &organizationDataSource{}
	_ datasource.DataSourceWithConfigure = &customersDataSource{}
)

// projectKeyPattern matches a Jira project key: an uppercase letter, then
// uppercase letters, digits or underscores.
const projectKeyPattern = `^[A-Z][A-Z0-9_]{0,254}$`

// ---- jsm_service_desk ----

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
				Validators: []validator.String{oneKey, stringvalidator.RegexMatches(mustRegexp(projectKeyPattern),
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
		resp.Diagnostics.AddError("Could not find the service desk "+key, err.Error())
		return
	}
	if !m.ProjectKey.IsNull() && !strings.EqualFold(desk.ProjectKey, m.ProjectKey.ValueString()) {
		resp.Diagnostics.AddError("Could not find the service desk "+key,
			fmt.Sprintf("JSM answered with the desk of project %s.", desk.ProjectKey))
		return
	}
	m = serviceDeskModel{
		ID: types.StringValue(desk.ID), ProjectID: types.StringValue(desk.ProjectID),
		ProjectKey: types.StringValue(desk.ProjectKey), ProjectName: types.StringValue(desk.ProjectName),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// ---- jsm_organization ----

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
		resp.Diagnostics.AddError("Could not find the organization "+what, err.Error())
		return
	}
	m = organizationDataModel{
		ID: types.StringValue(org.ID), Name: types.StringValue(org.Name),
		UUID: stringOrNull(org.UUID), SCIMManaged: types.BoolValue(org.SCIMManaged),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// ---- jsm_customers ----

// NewCustomersDataSource returns the jsm_customers data source.
func NewCustomersDataSource() datasource.DataSource { return &customersDataSource{} }

type customersDataSource struct{ client *jsm.Client }

type customersDataModel struct {
	ID            types.String      `tfsdk:"id"`
	ServiceDeskID types.String      `tfsdk:"service_desk_id"`
	Query         types.String      `tfsdk:"query"`
	Customers     []customerSummary `tfsdk:"customers"`
}

type customerSummary struct {
	AccountID   types.String `tfsdk:"account_id"`
	Email       types.String `tfsdk:"email"`
	DisplayName types.String `tfsdk:"display_name"`
}

func (d *customersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customers"
}

func (d *customersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the customers of a service desk (all pages), optionally only those whose name or email " +
			"contains `query`. Uses a JSM operation that is still experimental (the provider sends `X-ExperimentalApi: opt-in`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{MarkdownDescription: "The service desk ID.", Computed: true},
			"service_desk_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the service desk whose customers to list, e.g. `data.jsm_service_desk.hr.id`.",
				Required:            true,
				Validators:          serviceDeskIDValidators(),
			},
			"query": schema.StringAttribute{
				MarkdownDescription: "Lists only the customers whose display name or email contains this text (as JSM matches it).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"customers": schema.ListNestedAttribute{
				MarkdownDescription: "The customers, in the order JSM returns them.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"account_id":   schema.StringAttribute{MarkdownDescription: "The customer's account ID.", Computed: true},
					"email":        schema.StringAttribute{MarkdownDescription: "The customer's email; null when the person's privacy settings hide it.", Computed: true},
					"display_name": schema.StringAttribute{MarkdownDescription: "The customer's display name.", Computed: true},
				}},
			},
		},
	}
}

func (d *customersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *customersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m customersDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	desk := m.ServiceDeskID.ValueString()
	users, err := d.client.ServiceDeskCustomers(ctx, desk, m.Query.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Could not list the customers of service desk "+desk, err.Error())
		return
	}
	m.ID = types.StringValue(desk)
	m.Customers = make([]customerSummary, 0, len(users))
	for _, u := range users {
		m.Customers = append(m.Customers, customerSummary{
			AccountID: types.StringValue(u.AccountID), Email: stringOrNull(u.Email), DisplayName: types.StringValue(u.DisplayName),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
