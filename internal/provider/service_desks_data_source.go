package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

var _ datasource.DataSourceWithConfigure = &serviceDesksDataSource{}

// NewServiceDesksDataSource returns the jsm_service_desks data source.
func NewServiceDesksDataSource() datasource.DataSource { return &serviceDesksDataSource{} }

type serviceDesksDataSource struct{ client *jsm.Client }

var serviceDeskAttrTypes = map[string]attr.Type{ //nolint:gochecknoglobals // a read-only table
	"id": types.StringType, "project_id": types.StringType, "project_key": types.StringType, "project_name": types.StringType,
}

func (d *serviceDesksDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_desks"
}

// apiCalls declares the client calls it makes (permissions.go).
func (*serviceDesksDataSource) apiCalls() apiCalls {
	return calls("ServiceDesks")
}

func (d *serviceDesksDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the service desks the provider's account may access (all pages), in the order JSM " +
			"returns them.",
		Attributes: map[string]schema.Attribute{
			"service_desks": schema.ListNestedAttribute{
				MarkdownDescription: "The service desks.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":           schema.StringAttribute{MarkdownDescription: "The service desk ID.", Computed: true},
					"project_id":   schema.StringAttribute{MarkdownDescription: "The ID of its Jira project.", Computed: true},
					"project_key":  schema.StringAttribute{MarkdownDescription: "The key of its Jira project, e.g. `IT`.", Computed: true},
					"project_name": schema.StringAttribute{MarkdownDescription: "The name of its Jira project.", Computed: true},
				}},
			},
		},
	}
}

func (d *serviceDesksDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *serviceDesksDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	desks, err := d.client.ServiceDesks(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Could not list the service desks", errorDetail(err))
		return
	}
	objs := make([]attr.Value, len(desks))
	for i, s := range desks {
		objs[i] = types.ObjectValueMust(serviceDeskAttrTypes, map[string]attr.Value{
			"id": types.StringValue(s.ID), "project_id": types.StringValue(s.ProjectID),
			"project_key": types.StringValue(s.ProjectKey), "project_name": types.StringValue(s.ProjectName),
		})
	}
	list := types.ListValueMust(types.ObjectType{AttrTypes: serviceDeskAttrTypes}, objs)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("service_desks"), list)...)
}
