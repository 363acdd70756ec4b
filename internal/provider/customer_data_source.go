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

var _ datasource.DataSourceWithConfigure = &customerDataSource{}

// NewCustomerDataSource returns the jsm_customer data source.
func NewCustomerDataSource() datasource.DataSource { return &customerDataSource{} }

type customerDataSource struct {
	client *jsm.Client
}

func (d *customerDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

// apiCalls declares the client calls it makes (permissions.go).
func (*customerDataSource) apiCalls() apiCalls {
	return calls("GetUser", "FindUserByEmail")
}

func (d *customerDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	oneKey := stringvalidator.ExactlyOneOf(path.MatchRoot("account_id"), path.MatchRoot("email"))
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up an existing account (a customer or any other user) by account ID or by email.",
		Attributes: map[string]schema.Attribute{
			"account_id": schema.StringAttribute{
				MarkdownDescription: "The account ID to look up. Exactly one of `account_id` and `email` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{oneKey, accountIDValidator},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "The email to look up, matched exactly but without regard to letter case, among active accounts.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{oneKey, emailValidator},
			},
			"id":           schema.StringAttribute{MarkdownDescription: "The account ID.", Computed: true},
			"display_name": schema.StringAttribute{MarkdownDescription: "The account's display name.", Computed: true},
			"account_type": schema.StringAttribute{MarkdownDescription: "The account type: `customer`, `atlassian`, `app` or `unknown`.", Computed: true},
			"active":       schema.BoolAttribute{MarkdownDescription: "Whether the account is active.", Computed: true},
			"time_zone":    schema.StringAttribute{MarkdownDescription: "The account's time zone, when the API returns one.", Computed: true},
			"links": schema.SingleNestedAttribute{
				MarkdownDescription: "The account's links.",
				Computed:            true,
				Attributes: map[string]schema.Attribute{
					"self":        schema.StringAttribute{MarkdownDescription: "The account's REST URL.", Computed: true},
					"jira_rest":   schema.StringAttribute{MarkdownDescription: "The account's Jira REST URL.", Computed: true},
					"avatar_urls": schema.MapAttribute{MarkdownDescription: "Avatar URLs by size.", Computed: true, ElementType: types.StringType},
				},
			},
		},
	}
}

func (d *customerDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *customerDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m customerAccount
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var (
		user *jsm.User
		err  error
	)
	if !m.AccountID.IsNull() {
		user, err = d.client.GetUser(ctx, m.AccountID.ValueString())
	} else {
		user, err = d.client.FindUserByEmail(ctx, m.Email.ValueString())
	}
	if err != nil {
		detail := errorDetail(err)
		if m.AccountID.IsNull() {
			detail += "\n" + findByEmailAdvice + " Set account_id instead of email to read such an account."
		}
		resp.Diagnostics.AddError("Could not find the account", detail)
		return
	}
	if user.LooksDeleted("") {
		// Never hand the placeholder of a deleted account to a configuration.
		resp.Diagnostics.AddError("The account was deleted",
			fmt.Sprintf("The account %s was deleted (Atlassian answers it as %q, inactive, with a blank email).", user.AccountID, user.DisplayName))
		return
	}
	resp.Diagnostics.Append(m.setFromUser(ctx, user)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
