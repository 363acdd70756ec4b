// Command nullprovider is the benchmark's second floor: a
// terraform-plugin-framework provider, "benchnull", whose one resource,
// benchnull_customer, has jsm_customer's attributes (same types, defaults
// and plan modifiers) and does no work at all: Create makes the computed
// values up, Read and Delete change nothing. What it costs over
// terraform_data is what any framework provider with this schema costs
// Terraform: provider processes, gRPC, msgpack, the framework's schema
// walks and the larger state. It logs as the real provider does (see the
// module's logging.go).
package main

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"log"
	"net/url"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func main() {
	quietLogsUnlessRequested()
	err := providerserver.Serve(context.Background(), func() provider.Provider { return nullProvider{} },
		providerserver.ServeOpts{Address: "registry.terraform.io/jsmtf/benchnull", ProtocolVersion: 6})
	if err != nil {
		log.Fatal(err.Error())
	}
}

// quietLogsUnlessRequested is a copy of the one in the module's logging.go.
func quietLogsUnlessRequested() {
	for _, k := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_BENCHNULL",
		"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		if os.Getenv(k) != "" {
			return
		}
	}
	for _, k := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_BENCHNULL"} {
		_ = os.Setenv(k, "off")
	}
}

type nullProvider struct{}

func (nullProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "benchnull"
}

func (nullProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = pschema.Schema{}
}

func (nullProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (nullProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return customer{} }}
}

func (nullProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type customer struct{}

type customerModel struct {
	ID            types.String `tfsdk:"id"`
	AccountID     types.String `tfsdk:"account_id"`
	AccountType   types.String `tfsdk:"account_type"`
	Email         types.String `tfsdk:"email"`
	DisplayName   types.String `tfsdk:"display_name"`
	Active        types.Bool   `tfsdk:"active"`
	TimeZone      types.String `tfsdk:"time_zone"`
	Links         types.Object `tfsdk:"links"`
	OnDestroy     types.String `tfsdk:"on_destroy"`
	AdoptExisting types.Bool   `tfsdk:"adopt_existing"`
}

var linksTypes = map[string]attr.Type{
	"self": types.StringType, "jira_rest": types.StringType,
	"avatar_urls": types.MapType{ElemType: types.StringType},
}

func (customer) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

func (customer) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id":             schema.StringAttribute{Computed: true, PlanModifiers: keep},
		"account_id":     schema.StringAttribute{Computed: true, PlanModifiers: keep},
		"email":          schema.StringAttribute{Required: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}},
		"display_name":   schema.StringAttribute{Required: true},
		"on_destroy":     schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("forget")},
		"adopt_existing": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true)},
		"account_type":   schema.StringAttribute{Computed: true, PlanModifiers: keep},
		"active":         schema.BoolAttribute{Computed: true, PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()}},
		"time_zone":      schema.StringAttribute{Computed: true, PlanModifiers: keep},
		"links": schema.SingleNestedAttribute{
			Computed:      true,
			PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
			Attributes: map[string]schema.Attribute{
				"self":        schema.StringAttribute{Computed: true},
				"jira_rest":   schema.StringAttribute{Computed: true},
				"avatar_urls": schema.MapAttribute{Computed: true, ElementType: types.StringType},
			},
		},
	}}
}

// Create makes up what the local JSM site would answer, in the same shapes
// and sizes (account ID, links, avatar URLs), so that the state is as large
// as jsm_customer's.
func (customer) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m customerModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	sum := md5.Sum([]byte(strings.ToLower(m.Email.ValueString())))
	h := hex.EncodeToString(sum[:])
	id := "qm:" + h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-8" + h[17:20] + "-" + h[20:32] + ":" + h[:23]
	self := "http://127.0.0.1:34567/rest/api/2/user?username=" + url.QueryEscape(id)
	m.ID, m.AccountID = types.StringValue(id), types.StringValue(id)
	m.AccountType, m.Active, m.TimeZone = types.StringValue("customer"), types.BoolValue(true), types.StringValue("UTC")
	avatars := map[string]attr.Value{}
	for _, size := range []int{16, 24, 32, 48} {
		fallback := fmt.Sprintf("https://secure.gravatar.com/avatar/%s?d=mm&s=%d&noRedirect=true", h, size)
		avatars[fmt.Sprintf("%dx%d", size, size)] = types.StringValue(
			fmt.Sprintf("https://avatar-cdn.atlassian.com/%s?s=%d&d=%s", h, size, url.QueryEscape(fallback)))
	}
	links, d := types.ObjectValue(linksTypes, map[string]attr.Value{
		"self": types.StringValue(self), "jira_rest": types.StringValue(self),
		"avatar_urls": types.MapValueMust(types.StringType, avatars),
	})
	resp.Diagnostics.Append(d...)
	m.Links = links
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Read decodes and re-encodes the state, as a read of an unchanged account does.
func (customer) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m customerModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (customer) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m customerModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (customer) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
