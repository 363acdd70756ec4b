package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

var _ datasource.DataSourceWithConfigure = &organizationsDataSource{}

// NewOrganizationsDataSource returns the jsm_organizations data source.
func NewOrganizationsDataSource() datasource.DataSource { return &organizationsDataSource{} }

type organizationsDataSource struct{ client *jsm.Client }

type organizationsDataModel struct {
	NamePrefix    types.String `tfsdk:"name_prefix"`
	Organizations types.List   `tfsdk:"organizations"`
}

var organizationAttrTypes = map[string]attr.Type{ //nolint:gochecknoglobals // a read-only table
	"id": types.StringType, "name": types.StringType, "uuid": types.StringType, "scim_managed": types.BoolType,
}

func (d *organizationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organizations"
}

// apiCalls declares the client calls it makes (permissions.go).
func (*organizationsDataSource) apiCalls() apiCalls {
	return calls("EachOrganization")
}

func (d *organizationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the site's organizations (all pages), or those whose name starts with `name_prefix`, " +
			"in the order JSM returns them.",
		Attributes: map[string]schema.Attribute{
			"name_prefix": schema.StringAttribute{
				MarkdownDescription: "Only the organizations whose name starts with this text, ignoring letter case.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"organizations": schema.ListNestedAttribute{
				MarkdownDescription: "The organizations.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":           schema.StringAttribute{MarkdownDescription: "The organization ID.", Computed: true},
					"name":         schema.StringAttribute{MarkdownDescription: "The organization's name.", Computed: true},
					"uuid":         schema.StringAttribute{MarkdownDescription: "The organization's UUID, when JSM returns one.", Computed: true},
					"scim_managed": schema.BoolAttribute{MarkdownDescription: "Whether SCIM user provisioning manages the organization.", Computed: true},
				}},
			},
		},
	}
}

func (d *organizationsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *organizationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m organizationsDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	prefix := strings.ToLower(m.NamePrefix.ValueString())
	objs := []attr.Value{}
	err := d.client.EachOrganization(ctx, func(o jsm.Organization) bool {
		if strings.HasPrefix(strings.ToLower(o.Name), prefix) {
			objs = append(objs, types.ObjectValueMust(organizationAttrTypes, map[string]attr.Value{
				"id": types.StringValue(o.ID), "name": types.StringValue(o.Name),
				"uuid": stringOrNull(o.UUID), "scim_managed": types.BoolValue(o.SCIMManaged),
			}))
		}
		return true
	})
	if err != nil {
		resp.Diagnostics.AddError("Could not list the organizations", errorDetail(err))
		return
	}
	m.Organizations = types.ListValueMust(types.ObjectType{AttrTypes: organizationAttrTypes}, objs)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
