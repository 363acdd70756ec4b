package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// readProperties reads the organization's properties named by keys, but for
// keys that cannot travel in a path (left alone with a warning, see
// sendableKeys); a property deleted meanwhile is left out. A failed read
// adds an error and returns false. The resource's refresh and import and the
// list resource read properties the same way, so a listed organization's
// properties are the ones an import stores.
func readProperties(ctx context.Context, c *jsm.Client, id string, keys []string, diags *diag.Diagnostics) (map[string]jsontypes.Normalized, bool) {
	props := map[string]jsontypes.Normalized{}
	for _, k := range sendableKeys(c, id, keys, diags) {
		v, err := c.GetOrganizationProperty(ctx, id, k)
		if jsm.IsNotFound(err) {
			continue // deleted out of band: the plan sets it again
		}
		if err != nil {
			diags.AddError("Could not read the JSM organization property", fmt.Sprintf("Property %q of organization %s:\n%s", k, id, errorDetail(err)))
			return nil, false
		}
		props[k] = jsontypes.NewNormalizedValue(string(v))
	}
	return props, true
}
