package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

var _ datasource.DataSourceWithConfigure = &customersDataSource{}

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

// apiCalls declares the client calls it makes (permissions.go).
func (*customersDataSource) apiCalls() apiCalls {
	return calls("ServiceDeskCustomers")
}

func (d *customersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the customers of a service desk (all pages), optionally only those matching `query`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{MarkdownDescription: "The service desk ID.", Computed: true},
			"service_desk_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the service desk whose customers to list, e.g. `data.jsm_service_desk.hr.id`.",
				Required:            true,
				Validators:          serviceDeskIDValidators(),
			},
			"query": schema.StringAttribute{
				MarkdownDescription: "Lists only the customers matching this text as JSM matches it, ignoring letter case: the " +
					"start of a word of the display name, or the start of the email (`jo`, `smi` and `smith` find John Smith; " +
					"`ohn` finds nobody).",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
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
		resp.Diagnostics.AddError("Could not list the customers of the service desk", "Service desk "+desk+":\n"+errorDetail(err))
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
