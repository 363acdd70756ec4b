// Package provider implements the jsm Terraform provider: schemas, models and
// the translation between Terraform and the API client.
package provider

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// Environment variables read when an attribute is not set in HCL.
const (
	envURL         = "JSM_URL"
	envEmail       = "JSM_EMAIL"
	envAPIToken    = "JSM_API_TOKEN"
	envAccessToken = "JSM_ACCESS_TOKEN"
	envCloudID     = "JSM_CLOUD_ID"
	envCSMURL      = "JSM_CSM_URL"
	// A service account's OAuth 2.0 client credentials.
	envClientID      = "JSM_CLIENT_ID"
	envClientSecret  = "JSM_CLIENT_SECRET"
	envOAuthTokenURL = "JSM_OAUTH_TOKEN_URL"
)

var (
	_ provider.Provider                  = &jsmProvider{}
	_ provider.ProviderWithListResources = &jsmProvider{}
)

type jsmProvider struct {
	version string
	opts    options
}

// options change how the provider's client behaves where no attribute
// reaches; the released binary uses none.
type options struct {
	retryWaitMin, retryWaitMax time.Duration // 0: the client's defaults
	clientConfig               func(*jsm.Config)
}

// Option is an option of New.
type Option func(*options)

// WithRetryWait bounds the backoff between retries when the site names no
// wait (Retry-After is still honoured): acceptance tests that inject faults
// by the hundred back off for milliseconds rather than seconds.
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return func(o *options) { o.retryWaitMin, o.retryWaitMax = minWait, maxWait }
}

// WithClientConfig lets f change the client's configuration last, after
// the provider's attributes and environment have set it: the benchmark's
// own build of the provider (tools/bench) gives the client its own HTTP
// client through it, for its comparisons.
func WithClientConfig(f func(*jsm.Config)) Option {
	return func(o *options) { o.clientConfig = f }
}

// New returns a constructor of the provider, as providerserver expects.
func New(version string, opts ...Option) func() provider.Provider {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return func() provider.Provider { return &jsmProvider{version: version, opts: o} }
}

type providerModel struct {
	URL         types.String `tfsdk:"url"`
	Email       types.String `tfsdk:"email"`
	APIToken    types.String `tfsdk:"api_token"`
	AccessToken types.String `tfsdk:"access_token"`

	ClientID      types.String `tfsdk:"client_id"`
	ClientSecret  types.String `tfsdk:"client_secret"`
	OAuthTokenURL types.String `tfsdk:"oauth_token_url"`

	MaxRetries           types.Int64   `tfsdk:"max_retries"`
	MaxRequestsPerSecond types.Float64 `tfsdk:"max_requests_per_second"`
	MaxRetryWait         types.String  `tfsdk:"max_retry_wait"`
	MaxCallDuration      types.String  `tfsdk:"max_call_duration"`

	CloudID types.String `tfsdk:"cloud_id"`
	CSMURL  types.String `tfsdk:"csm_url"`
}

// unknownAttributes names the connection attributes whose value is not
// known yet, in the schema's order, so that their errors come in a stable
// order.
func (m providerModel) unknownAttributes() []string {
	var out []string
	for _, a := range []struct {
		name string
		v    types.String
	}{{"url", m.URL}, {"email", m.Email}, {"api_token", m.APIToken}, {"access_token", m.AccessToken},
		{"client_id", m.ClientID}, {"client_secret", m.ClientSecret}, {"oauth_token_url", m.OAuthTokenURL}} {
		if a.v.IsUnknown() {
			out = append(out, a.name)
		}
	}
	return out
}

func (p *jsmProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "jsm"
	resp.Version = p.version
}

func (p *jsmProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages Jira Service Management Cloud customers, organizations and service desk access.",
		Attributes: map[string]schema.Attribute{
			"url": schema.StringAttribute{
				MarkdownDescription: "The site, `https://your-domain.atlassian.net`, or the API gateway form " +
					"`https://api.atlassian.com/ex/jira/<cloudId>` used by OAuth access tokens and scoped API tokens. " +
					"Must use https, except for loopback hosts (`127.0.0.1`, `::1`, `localhost`). " +
					"Defaults to the `JSM_URL` environment variable.",
				Optional:   true,
				Validators: []validator.String{baseURLValidator},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "The email of the Atlassian account that owns `api_token` (basic auth). " +
					"Defaults to the `JSM_EMAIL` environment variable.",
				Optional: true,
				Validators: []validator.String{
					stringvalidator.ConflictsWith(path.MatchRoot("access_token")),
				},
			},
			"api_token": schema.StringAttribute{
				MarkdownDescription: "An Atlassian API token, used with `email` for basic auth. " +
					"Defaults to the `JSM_API_TOKEN` environment variable.",
				Optional:  true,
				Sensitive: true,
				Validators: []validator.String{
					stringvalidator.ConflictsWith(path.MatchRoot("access_token")),
				},
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "An OAuth 2.0 access token, sent as a bearer token through Atlassian's gateway, whichever " +
					"form `url` takes. Conflicts with `email`, `api_token` and `client_id`. Defaults to the `JSM_ACCESS_TOKEN` environment variable.",
				Optional:  true,
				Sensitive: true,
			},
			"client_id": schema.StringAttribute{
				MarkdownDescription: "The client ID of a service account's OAuth 2.0 credential (client credentials), which the provider " +
					"exchanges with `client_secret` for access tokens (see \"Service accounts\" in the provider's documentation). " +
					"Conflicts with `email`, `api_token` and `access_token`. Defaults to the `" + envClientID + "` environment variable.",
				Optional: true,
			},
			"client_secret": schema.StringAttribute{
				MarkdownDescription: "The client secret of the service account's OAuth 2.0 credential, used with `client_id`. " +
					"Never logged nor stored in the state, and neither are the access tokens obtained with it. " +
					"Defaults to the `" + envClientSecret + "` environment variable.",
				Optional:  true,
				Sensitive: true,
			},
			"oauth_token_url": schema.StringAttribute{
				MarkdownDescription: "The token endpoint where `client_id` and `client_secret` are exchanged for access tokens; " +
					"defaults to `" + jsm.DefaultTokenURL + "`. For the local JSM site and tests. Must use https, except for " +
					"loopback hosts. Defaults to the `" + envOAuthTokenURL + "` environment variable.",
				Optional: true,
			},
		},
	}
	for name, attr := range csmAttributes() { // the CSM API (csm_settings.go)
		resp.Schema.Attributes[name] = attr
	}
	for name, attr := range transportAttributes() { // retries and pacing (transport_settings.go)
		resp.Schema.Attributes[name] = attr
	}
}

func (p *jsmProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// A value that comes from a resource not yet created is unknown at plan
	// time: defer where Terraform allows it, otherwise say which attribute.
	unknown := cfg.unknownAttributes()
	for _, name := range unknown {
		if !req.ClientCapabilities.DeferralAllowed {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Unknown provider configuration",
				fmt.Sprintf("The provider cannot be configured because %q depends on a value not known until apply. "+
					"Set it from a value known at plan time, or apply the resource it depends on first with -target.", name))
		}
	}
	if len(unknown) > 0 {
		if req.ClientCapabilities.DeferralAllowed && !resp.Diagnostics.HasError() {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
		}
		return
	}

	settings := resolveSettings(cfg, os.Getenv)
	resp.Diagnostics.Append(settings.validate()...)
	transport, diags := resolveTransportSettings(cfg, os.Getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	jcfg := jsm.Config{
		BaseURL:      settings.url,
		Email:        settings.email,
		APIToken:     settings.apiToken,
		AccessToken:  settings.accessToken,
		ClientID:     settings.clientID,
		ClientSecret: settings.clientSecret,
		TokenURL:     settings.tokenURL,
		UserAgent:    fmt.Sprintf("terraform-provider-jsm/%s Terraform/%s", p.version, req.TerraformVersion),
		CloudID:      settings.cloudID,
		CSMURL:       settings.csmURL,
	}
	transport.apply(&jcfg)
	jcfg.RetryWaitMin, jcfg.RetryWaitMax = p.opts.retryWaitMin, p.opts.retryWaitMax
	if p.opts.clientConfig != nil {
		p.opts.clientConfig(&jcfg)
	}
	// One client, hence one retrying transport and one pacer, for every
	// resource and data source of this provider configuration.
	client, err := jsm.New(jcfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid provider configuration", err.Error())
		return
	}
	data := &providerData{client: client, run: &runState{}}
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.ListResourceData = data
}

func (p *jsmProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewCustomerResource,
		NewOrganizationResource,
		NewOrganizationCustomersResource,
		NewServiceDeskCustomersResource,
		NewServiceDeskOrganizationResource,
		NewCustomerDetailFieldResource,
		NewOrganizationDetailFieldResource,
		NewCustomerDetailsResource,
		NewOrganizationDetailsResource,
		NewProductResource,
		NewEntitlementDetailFieldResource,
		NewEntitlementResource,
	}
}

func (p *jsmProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewCustomerDataSource,
		NewServiceDeskDataSource,
		NewOrganizationDataSource,
		NewCustomersDataSource,
		NewCustomerDetailFieldsDataSource,
		NewOrganizationDetailFieldsDataSource,
		NewCustomerDetailsDataSource,
		NewOrganizationDetailsDataSource,
		NewEntitlementDetailFieldsDataSource,
		NewOrganizationsDataSource,
		NewServiceDesksDataSource,
		NewProductsDataSource,
	}
}

// ListResources are what `terraform query` (Terraform 1.14+) lists; older
// CLIs never ask for them.
func (p *jsmProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewCustomerListResource,
		NewOrganizationListResource,
	}
}
