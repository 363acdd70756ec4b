package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listresourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

var (
	_ list.ListResourceWithConfigure        = &customerListResource{}
	_ list.ListResourceWithConfigValidators = &customerListResource{}
)

// NewCustomerListResource returns the jsm_customer list resource.
func NewCustomerListResource() list.ListResource { return &customerListResource{} }

type customerListResource struct{ listClient }

type customerListModel struct {
	ServiceDeskID  types.String `tfsdk:"service_desk_id"`
	OrganizationID types.String `tfsdk:"organization_id"`
	Query          types.String `tfsdk:"query"`
}

func (r *customerListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

// apiCalls declares the client calls it makes (permissions.go).
func (*customerListResource) apiCalls() apiCalls {
	return calls("EachServiceDeskCustomer", "EachOrganizationMember", "SearchUsers")
}

func (r *customerListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists existing customers, for `terraform query` (Terraform 1.14 or newer): the customers " +
			"of a service desk, the members of an organization, or the active portal-only customers whose name or email " +
			"starts with `query`.",
		Attributes: map[string]listschema.Attribute{
			"service_desk_id": listschema.StringAttribute{
				MarkdownDescription: "Lists the customers of this service desk (its ID, e.g. `data.jsm_service_desk.hr.id`). " +
					"Uses a JSM operation that is still experimental (the provider sends `X-ExperimentalApi: opt-in`).",
				Optional:   true,
				Validators: serviceDeskIDValidators(),
			},
			"organization_id": listschema.StringAttribute{
				MarkdownDescription: "Lists the members of this organization (its ID).",
				Optional:            true,
				Validators:          organizationIDValidators(),
			},
			"query": listschema.StringAttribute{
				MarkdownDescription: "Lists only the customers whose display name or email starts with this text, ignoring letter case.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (r *customerListResource) ListResourceConfigValidators(context.Context) []list.ConfigValidator {
	desk, org, query := path.MatchRoot("service_desk_id"), path.MatchRoot("organization_id"), path.MatchRoot("query")
	return []list.ConfigValidator{
		listresourcevalidator.AtLeastOneOf(desk, org, query),
		listresourcevalidator.Conflicting(desk, org),
	}
}

func (r *customerListResource) List(ctx context.Context, req list.ListRequest, resp *list.ListResultsStream) {
	var cfg customerListModel
	if diags := req.Config.Get(ctx, &cfg); diags.HasError() {
		resp.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if r.client == nil {
		resp.Results = notConfigured()
		return
	}
	desk, org, query := cfg.ServiceDeskID.ValueString(), cfg.OrganizationID.ValueString(), cfg.Query.ValueString()
	result := func(u jsm.User) list.ListResult { return customerListResult(ctx, req, u) }
	switch {
	case desk != "":
		resp.Results = stream(ctx, req, listCustomersFailed, "Service desk "+desk, result, func(visit func(jsm.User) bool) error {
			return r.client.EachServiceDeskCustomer(ctx, desk, query, visit)
		})
	case org != "":
		resp.Results = stream(ctx, req, listCustomersFailed, "Organization "+org, result, func(visit func(jsm.User) bool) error {
			return r.client.EachOrganizationMember(ctx, org, func(u jsm.User) bool { return !matchesCustomerQuery(u, query) || visit(u) })
		})
	default:
		// User search lists at most 1,000 matches. Without a limit, a list
		// that reaches them fails (it would be incomplete); with one, the
		// user asked for a part anyway, so the cap is a warning.
		var capped *jsm.SearchCapError
		results := stream(ctx, req, listCustomersFailed, fmt.Sprintf("Customers matching %q", query), result, func(visit func(jsm.User) bool) error {
			err := r.client.SearchUsers(ctx, query, func(u jsm.User) bool { return u.AccountType != "customer" || visit(u) })
			if req.Limit > 0 && errors.As(err, &capped) {
				return nil
			}
			return err
		})
		resp.Results = func(push func(list.ListResult) bool) {
			results(push)
			if capped != nil {
				var d diag.Diagnostics
				d.AddWarning("Customer search reached its cap", capped.Error())
				push(list.ListResult{Diagnostics: d})
			}
		}
	}
}

const listCustomersFailed = "Could not list the JSM customers"

// matchesCustomerQuery matches query as JSM matches a desk's customers: the
// start of the email, of the display name or of any word of it, letter case
// ignored. A hidden email cannot match here.
func matchesCustomerQuery(u jsm.User, query string) bool {
	q := strings.ToLower(query)
	name := strings.ToLower(u.DisplayName)
	if q == "" || strings.HasPrefix(strings.ToLower(u.Email), q) || strings.HasPrefix(name, q) {
		return true
	}
	for _, w := range strings.Fields(name) {
		if strings.HasPrefix(w, q) {
			return true
		}
	}
	return false
}

// customerListResult is one listed customer: its name and email, its
// identity and, when asked, the jsm_customer an import of it stores.
func customerListResult(ctx context.Context, req list.ListRequest, u jsm.User) list.ListResult {
	res := req.NewListResult(ctx)
	res.DisplayName = u.DisplayName + " <" + u.Email + ">"
	if u.Email == "" {
		res.DisplayName = u.DisplayName + " (email hidden)"
	}
	setIdentity(ctx, res.Identity, &res.Diagnostics, "account_id", u.AccountID)
	if !req.IncludeResource {
		return res
	}
	var m customerResourceModel
	res.Diagnostics.Append(m.setFromUser(ctx, &u)...)
	// The defaults, as an import stores them.
	m.OnDestroy = types.StringValue(onDestroyForget)
	m.AdoptExisting = types.BoolValue(true)
	m.OnNameMismatch = types.StringValue(nameMismatchFail)
	m.CSMLifecycle = types.BoolValue(false)
	res.Diagnostics.Append(res.Resource.Set(ctx, &m)...)
	if u.Email == "" {
		res.Diagnostics.AddWarning("Customer email hidden",
			fmt.Sprintf("The email of %s (%s) is hidden by the person's privacy settings, so its generated configuration "+
				"has email = null. Write the customer's email there before planning: the import then adopts the account "+
				"as it is, and the plan shows the email recorded in the state (an update that sends no request).", u.AccountID, u.DisplayName))
	}
	return res
}
