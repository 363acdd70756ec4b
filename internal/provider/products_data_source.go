package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

var _ datasource.DataSourceWithConfigure = &productsDataSource{}

// NewProductsDataSource returns the jsm_products data source.
func NewProductsDataSource() datasource.DataSource { return &productsDataSource{} }

type productsDataSource struct{ client *jsm.Client }

type productsDataModel struct {
	Name     types.String `tfsdk:"name"`
	Products types.List   `tfsdk:"products"`
}

var productAttrTypes = map[string]attr.Type{"id": types.StringType, "name": types.StringType} //nolint:gochecknoglobals // a read-only table

func (d *productsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_products"
}

// apiCalls declares the client calls it makes (permissions.go).
func (*productsDataSource) apiCalls() apiCalls {
	return calls("ListProducts")
}

func (d *productsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the site's Customer Service Management products (JSM's \"Products and entitlements\" " +
			"feature), or those named `name`.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Only the products with exactly this name (letter case included).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"products": schema.ListNestedAttribute{
				MarkdownDescription: "The products.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":   schema.StringAttribute{MarkdownDescription: "The product ID.", Computed: true},
					"name": schema.StringAttribute{MarkdownDescription: "The product's name.", Computed: true},
				}},
			},
		},
	}
}

func (d *productsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *productsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m productsDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	products, err := d.client.ListProducts(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Could not list the products", errorDetail(err))
		return
	}
	objs := []attr.Value{}
	for _, p := range products {
		if m.Name.IsNull() || p.Name == m.Name.ValueString() {
			objs = append(objs, types.ObjectValueMust(productAttrTypes, map[string]attr.Value{
				"id": types.StringValue(p.ID), "name": types.StringValue(p.Name)}))
		}
	}
	m.Products = types.ListValueMust(types.ObjectType{AttrTypes: productAttrTypes}, objs)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
