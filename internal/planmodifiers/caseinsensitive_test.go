package planmodifiers

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestRequiresReplaceIfNotEqualFold(t *testing.T) {
	// RequiresReplaceIf only acts on an existing resource, so give it a non-null state.
	objType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"email": tftypes.String}}
	state := tfsdk.State{Raw: tftypes.NewValue(objType, map[string]tftypes.Value{"email": tftypes.NewValue(tftypes.String, "x")})}
	plan := tfsdk.Plan{Raw: tftypes.NewValue(objType, map[string]tftypes.Value{"email": tftypes.NewValue(tftypes.String, "x")})}

	for _, tc := range []struct {
		state, plan string
		replace     bool
	}{
		{"", "fred@example.com", false}, // "" stands for null below
		{"fred@example.com", "fred@example.com", false},
		{"fred@example.com", "Fred@Example.COM", false},
		{"fred@example.com", "freda@example.com", true},
	} {
		req := planmodifier.StringRequest{
			Path:        path.Root("email"),
			StateValue:  stringOrNull(tc.state),
			PlanValue:   types.StringValue(tc.plan),
			ConfigValue: types.StringValue(tc.plan),
			State:       state,
			Plan:        plan,
		}
		var resp planmodifier.StringResponse
		resp.PlanValue = req.PlanValue
		RequiresReplaceIfNotEqualFold().PlanModifyString(context.Background(), req, &resp)
		if resp.RequiresReplace != tc.replace {
			t.Errorf("%q -> %q: RequiresReplace = %v, want %v", tc.state, tc.plan, resp.RequiresReplace, tc.replace)
		}
	}
}

func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
