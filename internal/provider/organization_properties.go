package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The sync of an organization's properties, as pure functions of the
// configured (want) and the known (have) documents by key.

// propertyChanges returns the keys to delete (known, no longer configured)
// and the keys to set (configured, and new or another JSON document than
// the known one), each sorted so that calls go in a stable order.
func propertyChanges(want, have map[string]jsontypes.Normalized) (deletes, sets []string) {
	for _, k := range sortedPropertyKeys(have) {
		if _, keep := want[k]; !keep {
			deletes = append(deletes, k)
		}
	}
	for _, k := range sortedPropertyKeys(want) {
		if old, ok := have[k]; ok {
			if eq, _ := old.StringSemanticEquals(context.Background(), want[k]); eq {
				continue
			}
		}
		sets = append(sets, k)
	}
	return deletes, sets
}

// keepEquivalentText reports whether want, as configured, holds the same
// documents as have (the state) with some written differently (an imported
// property, say): then the plan keeps the state's map, and plans no update.
// All or nothing: Terraform takes for an attribute that is not computed
// either the configured value or the prior one, never a mix, so a map with
// a real change plans the configured text throughout (the apply writes
// only the documents that differ as JSON).
func keepEquivalentText(want, have map[string]jsontypes.Normalized) bool {
	if len(want) != len(have) {
		return false
	}
	differ := false
	for k, v := range want {
		old, ok := have[k]
		if !ok || v.IsUnknown() || v.IsNull() {
			return false
		}
		if old.ValueString() == v.ValueString() {
			continue
		}
		if eq, d := old.StringSemanticEquals(context.Background(), v); d.HasError() || !eq {
			return false
		}
		differ = true
	}
	return differ
}

func propertiesValue(props map[string]jsontypes.Normalized, diags *diag.Diagnostics) types.Map {
	v, d := types.MapValueFrom(context.Background(), jsontypes.NormalizedType{}, props)
	diags.Append(d...)
	return v
}

func sortedPropertyKeys(m map[string]jsontypes.Normalized) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
