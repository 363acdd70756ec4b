package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

var _ list.ListResourceWithConfigure = &organizationListResource{}

// NewOrganizationListResource returns the jsm_organization list resource.
func NewOrganizationListResource() list.ListResource { return &organizationListResource{} }

type organizationListResource struct{ listClient }

type organizationListModel struct {
	NamePrefix types.String `tfsdk:"name_prefix"`
}

func (r *organizationListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization"
}

// apiCalls declares the client calls it makes (permissions.go).
func (*organizationListResource) apiCalls() apiCalls {
	return calls("EachOrganization", "OrganizationPropertyKeys", "GetOrganizationProperty")
}

func (r *organizationListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the site's organizations, for `terraform query` (Terraform 1.14 or newer): all of " +
			"them, or those whose name starts with `name_prefix`.",
		Attributes: map[string]listschema.Attribute{
			"name_prefix": listschema.StringAttribute{
				MarkdownDescription: "Lists only the organizations whose name starts with this text, ignoring letter case " +
					"(JSM has no name filter: the provider reads every page and matches the names itself).",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (r *organizationListResource) List(ctx context.Context, req list.ListRequest, resp *list.ListResultsStream) {
	var cfg organizationListModel
	if diags := req.Config.Get(ctx, &cfg); diags.HasError() {
		resp.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if r.client == nil {
		resp.Results = notConfigured()
		return
	}
	prefix := strings.ToLower(cfg.NamePrefix.ValueString())
	result := func(o jsm.Organization) list.ListResult { return r.result(ctx, req, o) }
	resp.Results = stream(ctx, req, "Could not list the JSM organizations", "Organizations", result, func(visit func(jsm.Organization) bool) error {
		return r.client.EachOrganization(ctx, func(o jsm.Organization) bool {
			return !strings.HasPrefix(strings.ToLower(o.Name), prefix) || visit(o)
		})
	})
}

// result is one listed organization: its name, its identity and, when
// asked, the jsm_organization an import of it stores (every property).
func (r *organizationListResource) result(ctx context.Context, req list.ListRequest, o jsm.Organization) list.ListResult {
	res := req.NewListResult(ctx)
	res.DisplayName = o.Name
	setIdentity(ctx, res.Identity, &res.Diagnostics, "id", o.ID)
	if !req.IncludeResource {
		return res
	}
	var m organizationResourceModel
	m.setFromOrg(&o)
	m.Properties = types.MapNull(jsontypes.NormalizedType{})
	m.AdoptExisting = types.BoolValue(false) // the defaults, as an import stores them
	m.CSMLifecycle = types.BoolValue(false)
	keys, err := r.client.OrganizationPropertyKeys(ctx, o.ID)
	if err != nil {
		res.Diagnostics.AddError("Could not list the properties of the JSM organization", "Organization "+o.ID+":\n"+errorDetail(err))
		return res
	}
	props, ok := readProperties(ctx, r.client, o.ID, keys, &res.Diagnostics)
	if !ok {
		return res
	}
	if len(props) > 0 {
		m.Properties = propertiesValue(props, &res.Diagnostics)
	}
	res.Diagnostics.Append(res.Resource.Set(ctx, &m)...)
	return res
}
