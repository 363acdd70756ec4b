// Package planmodifiers holds the provider's own attribute plan modifiers.
package planmodifiers

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
)

// RequiresReplaceIfNotEqualFold replaces the resource when the value changes
// other than in letter case: a case-only change names the same object. A null
// state value (an imported account whose email privacy hides) is recorded in
// place rather than replacing an account that already exists.
func RequiresReplaceIfNotEqualFold() planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(
		func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
			if req.StateValue.IsNull() {
				return
			}
			resp.RequiresReplace = !strings.EqualFold(req.StateValue.ValueString(), req.PlanValue.ValueString())
		},
		"Changing the value other than in letter case replaces the resource.",
		"Changing the value other than in letter case replaces the resource.",
	)
}
