package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// The data sources of the CSM API: a kind's detail field definitions, and
// the detail values of one customer or organization.

var (
	_ datasource.DataSourceWithConfigure = &detailFieldsDataSource{}
	_ datasource.DataSourceWithConfigure = &detailsDataSource{}
)

// NewCustomerDetailFieldsDataSource returns the jsm_customer_detail_fields data source.
func NewCustomerDetailFieldsDataSource() datasource.DataSource {
	return &detailFieldsDataSource{api: customerFieldAPI}
}

// NewOrganizationDetailFieldsDataSource returns the jsm_organization_detail_fields data source.
func NewOrganizationDetailFieldsDataSource() datasource.DataSource {
	return &detailFieldsDataSource{api: organizationFieldAPI}
}

// NewEntitlementDetailFieldsDataSource returns the jsm_entitlement_detail_fields data source.
func NewEntitlementDetailFieldsDataSource() datasource.DataSource {
	return &detailFieldsDataSource{api: entitlementFieldAPI}
}

// NewCustomerDetailsDataSource returns the jsm_customer_details data source.
func NewCustomerDetailsDataSource() datasource.DataSource {
	return &detailsDataSource{owner: customerOwner}
}

// NewOrganizationDetailsDataSource returns the jsm_organization_details data source.
func NewOrganizationDetailsDataSource() datasource.DataSource {
	return &detailsDataSource{owner: organizationOwner}
}

type detailFieldsDataSource struct {
	api    fieldAPI
	client *jsm.Client
}

var detailFieldAttrTypes = map[string]attr.Type{ //nolint:gochecknoglobals // a read-only table
	"name": types.StringType, "type": types.StringType,
	"options": types.ListType{ElemType: types.StringType}, "position": types.Int64Type,
}

func (d *detailFieldsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.api.kind + "_detail_fields"
}

// apiCalls declares the client calls it makes (permissions.go).
func (d *detailFieldsDataSource) apiCalls() apiCalls {
	return apiCalls{details: d.api.details, methods: []string{"ListDetailFields"}}
}

func (d *detailFieldsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	k := d.api.kind
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the site's " + k + " detail fields, in display order.",
		Attributes: map[string]schema.Attribute{
			"fields": schema.ListNestedAttribute{
				MarkdownDescription: "The fields.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":     schema.StringAttribute{MarkdownDescription: "The field's name.", Computed: true},
					"type":     schema.StringAttribute{MarkdownDescription: "The field's type, e.g. `SELECT`.", Computed: true},
					"options":  schema.ListAttribute{MarkdownDescription: "The choices of a `SELECT` or `MULTISELECT` field.", Computed: true, ElementType: types.StringType},
					"position": schema.Int64Attribute{MarkdownDescription: "The field's display position.", Computed: true},
				}},
			},
		},
	}
}

func (d *detailFieldsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *detailFieldsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	fields, err := d.client.ListDetailFields(ctx, d.api.details)
	if err != nil {
		resp.Diagnostics.AddError("Could not list the site's "+d.api.kind+" detail fields", errorDetail(err))
		return
	}
	objs := make([]attr.Value, len(fields))
	for i, f := range fields {
		objs[i] = types.ObjectValueMust(detailFieldAttrTypes, map[string]attr.Value{
			"name": types.StringValue(f.Name), "type": types.StringValue(f.Type),
			"options": stringList(nonNilStrings(f.Options)), "position": types.Int64Value(f.Position),
		})
	}
	list := types.ListValueMust(types.ObjectType{AttrTypes: detailFieldAttrTypes}, objs)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("fields"), list)...)
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

type detailsDataSource struct {
	owner  detailOwner
	client *jsm.Client
}

func (d *detailsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.owner.kind + "_details"
}

// apiCalls declares the client calls it makes (permissions.go).
func (d *detailsDataSource) apiCalls() apiCalls {
	return apiCalls{details: d.owner.details, methods: []string{"Details"}}
}

func (d *detailsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	k := d.owner.kind
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the detail values of one " + k + ": every field that holds a value.",
		Attributes: map[string]schema.Attribute{
			d.owner.idAttr: schema.StringAttribute{MarkdownDescription: d.owner.idDoc, Required: true, Validators: d.owner.idValid},
			"details": schema.MapAttribute{
				MarkdownDescription: "Field name to values (a set of strings).",
				Computed:            true,
				ElementType:         types.SetType{ElemType: types.StringType},
			},
		},
	}
}

func (d *detailsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *detailsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var id types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(d.owner.idAttr), &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	vals, err := d.client.Details(ctx, d.owner.details, id.ValueString())
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Could not read the details of %s %s", d.owner.kind, id.ValueString()), err.Error())
		return
	}
	details := map[string][]string{}
	for _, v := range vals {
		if len(v.Values) > 0 {
			details[v.Name] = v.Values
		}
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(d.owner.idAttr), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("details"), details)...)
}
