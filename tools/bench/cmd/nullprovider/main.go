// Command nullprovider is the benchmark's second floor: a
// terraform-plugin-framework provider, "benchnull", whose one resource,
// benchnull_customer, has jsm_customer's attributes (same types, defaults
// and plan modifiers) and does no work at all: Create makes the computed
// values up, Read and Delete change nothing. What it costs over
// terraform_data is what any framework provider with this schema costs
// Terraform: provider processes, gRPC, msgpack, the framework's schema
// walks and the larger state. The schema is jsm_customer's own, taken from
// the resource, so the floor cannot drift from what it measures; it is
// served and logs as the real provider is (internal/serve).
package main

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"log"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	jsmprovider "github.com/jsmtf/terraform-provider-jsm/internal/provider"
	"github.com/jsmtf/terraform-provider-jsm/internal/serve"
)

func main() {
	if err := serve.Run("benchnull", func() provider.Provider { return nullProvider{} }, false); err != nil {
		log.Fatal(err.Error())
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
	ID             types.String `tfsdk:"id"`
	AccountID      types.String `tfsdk:"account_id"`
	AccountType    types.String `tfsdk:"account_type"`
	Email          types.String `tfsdk:"email"`
	DisplayName    types.String `tfsdk:"display_name"`
	Active         types.Bool   `tfsdk:"active"`
	TimeZone       types.String `tfsdk:"time_zone"`
	Links          types.Object `tfsdk:"links"`
	OnDestroy      types.String `tfsdk:"on_destroy"`
	AdoptExisting  types.Bool   `tfsdk:"adopt_existing"`
	OnNameMismatch types.String `tfsdk:"on_name_mismatch"`
	CSMLifecycle   types.Bool   `tfsdk:"csm_lifecycle"`
}

var linksTypes = map[string]attr.Type{
	"self": types.StringType, "jira_rest": types.StringType,
	"avatar_urls": types.MapType{ElemType: types.StringType},
}

func (customer) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

// Schema is jsm_customer's: same attributes, types, defaults, validators
// and plan modifiers.
func (customer) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	jsmprovider.NewCustomerResource().Schema(ctx, req, resp)
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
