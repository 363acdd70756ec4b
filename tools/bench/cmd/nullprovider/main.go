// Command nullprovider is the benchmark's second floor: a
// terraform-plugin-framework provider, "benchnull", whose resource
// benchnull_customer has jsm_customer's attributes (same types, defaults
// and plan modifiers) and does no work at all: Create makes the computed
// values up, Read and Delete change nothing. Scenario 4's types have
// stand-ins too (benchnull_organization, _organization_customers,
// _service_desk_organization and data source benchnull_service_desk), with
// the real schemas and the same lack of work. What it costs over
// terraform_data is what any framework provider with this schema costs
// Terraform: provider processes, gRPC, msgpack, the framework's schema
// walks and the larger state. The schema is jsm_customer's own, taken from
// the resource, so the floor cannot drift from what it measures; it is
// served and logs as the real provider is (internal/serve).
//
// BENCHNULL_CREATE_DELAY (a Go duration, e.g. 50ms) makes benchnull_customer's
// Create wait that long first, honouring its context: the minimal provider of
// the onboard scenario, which pays one round trip per create, as any provider
// must to create a customer, and sends nothing else. Unset (every other
// scenario), Create does not wait.
package main

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"log"
	"math/big"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	jsmprovider "github.com/jsmtf/terraform-provider-jsm/internal/provider"
	"github.com/jsmtf/terraform-provider-jsm/internal/serve"
)

func main() {
	if v := os.Getenv("BENCHNULL_CREATE_DELAY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			log.Fatalf("BENCHNULL_CREATE_DELAY: %q is not a duration of zero or more", v)
		}
		createDelay = d
	}
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
	return []func() resource.Resource{
		func() resource.Resource { return customer{} },
		func() resource.Resource { return standIn{"organization", jsmprovider.NewOrganizationResource} },
		func() resource.Resource {
			return standIn{"organization_customers", jsmprovider.NewOrganizationCustomersResource}
		},
		func() resource.Resource {
			return standIn{"service_desk_organization", jsmprovider.NewServiceDeskOrganizationResource}
		},
	}
}

func (nullProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{func() datasource.DataSource { return deskStandIn{} }}
}

// standIn has the schema of one of the provider's resources and does no
// work: Create and Update make up what the plan leaves unknown; Read and
// Delete change nothing.
type standIn struct {
	name string
	real func() resource.Resource
}

func (s standIn) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + s.name
}

func (s standIn) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	s.real().Schema(ctx, req, resp)
}

func (standIn) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = madeUp(req.Plan.Raw, false)
}

func (standIn) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (standIn) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = madeUp(req.Plan.Raw, false)
}

func (standIn) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// deskStandIn is jsm_service_desk's stand-in: it answers every attribute
// the configuration leaves out with a made-up value.
type deskStandIn struct{}

func (deskStandIn) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_desk"
}

func (deskStandIn) Schema(ctx context.Context, req datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	jsmprovider.NewServiceDeskDataSource().Schema(ctx, req, resp)
}

func (deskStandIn) Read(_ context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	resp.State.Raw = madeUp(req.Config.Raw, true)
}

// madeUp is v with every unknown value (and with nulls, every null
// primitive) replaced by a made-up known one: "1", 1 or false, and empty
// collections.
func madeUp(v tftypes.Value, nulls bool) tftypes.Value {
	out, err := tftypes.Transform(v, func(_ *tftypes.AttributePath, val tftypes.Value) (tftypes.Value, error) {
		if val.IsKnown() && !(nulls && val.IsNull() && val.Type().Is(tftypes.String)) {
			return val, nil
		}
		return known(val.Type()), nil
	})
	if err != nil {
		panic(err) // the callback returns no error
	}
	return out
}

func known(t tftypes.Type) tftypes.Value {
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, "1")
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, big.NewFloat(1))
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, false)
	case t.Is(tftypes.Object{}):
		obj, _ := t.(tftypes.Object) // Is said so
		attrs := map[string]tftypes.Value{}
		for name, at := range obj.AttributeTypes {
			attrs[name] = known(at)
		}
		return tftypes.NewValue(t, attrs)
	case t.Is(tftypes.Map{}):
		return tftypes.NewValue(t, map[string]tftypes.Value{})
	}
	return tftypes.NewValue(t, []tftypes.Value{}) // list, set
}

// createDelay is how long benchnull_customer's Create waits
// (BENCHNULL_CREATE_DELAY): the site's round trip of one create request.
var createDelay time.Duration

type customer struct{}

type customerModel struct {
	ID               types.String `tfsdk:"id"`
	AccountID        types.String `tfsdk:"account_id"`
	AccountType      types.String `tfsdk:"account_type"`
	Email            types.String `tfsdk:"email"`
	DisplayName      types.String `tfsdk:"display_name"`
	Active           types.Bool   `tfsdk:"active"`
	TimeZone         types.String `tfsdk:"time_zone"`
	Links            types.Object `tfsdk:"links"`
	OnDestroy        types.String `tfsdk:"on_destroy"`
	AdoptedOnDestroy types.String `tfsdk:"adopted_on_destroy"`
	AdoptExisting    types.Bool   `tfsdk:"adopt_existing"`
	OnNameMismatch   types.String `tfsdk:"on_name_mismatch"`
	CSMLifecycle     types.Bool   `tfsdk:"csm_lifecycle"`
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

// Create waits createDelay (the onboard scenario's round trip; none
// otherwise), then makes up what the local JSM site would answer, in the same shapes
// and sizes (account ID, links, avatar URLs), so that the state is as large
// as jsm_customer's.
func (customer) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if createDelay > 0 {
		t := time.NewTimer(createDelay)
		select {
		case <-ctx.Done():
			t.Stop()
			resp.Diagnostics.AddError("Create cancelled", ctx.Err().Error())
			return
		case <-t.C:
		}
	}
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

// Read decodes the state and writes it back, as a read that copies an
// unchanged account into the state would. jsm_customer's read skips the
// write when nothing changed, which P keeps as part of its floor.
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
