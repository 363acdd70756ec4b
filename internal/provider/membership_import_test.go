package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Importing a membership takes every current account as managed, which a
// configuration listing some of them would not expect: the import says so,
// naming the parent.
func TestMembershipImportWarnsThatItTakesEveryAccount(t *testing.T) {
	ctx := context.Background()
	for _, r := range []resource.Resource{NewOrganizationCustomersResource(), NewServiceDeskCustomersResource()} {
		var schema resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &schema)
		resp := resource.ImportStateResponse{State: tfsdk.State{
			Schema: schema.Schema, Raw: tftypes.NewValue(schema.Schema.Type().TerraformType(ctx), nil),
		}}
		r.(resource.ResourceWithImportState).ImportState(ctx, resource.ImportStateRequest{ID: "12"}, &resp)
		m := r.(*membershipResource)
		if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
			t.Fatalf("%s: %v", m.kind.typeSuffix, resp.Diagnostics)
		}
		if d := resp.Diagnostics[0].Detail(); !strings.Contains(d, m.kind.parentNoun+" 12") || !strings.Contains(d, "removes") {
			t.Errorf("%s: %s", m.kind.typeSuffix, d)
		}
	}
}
