package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"golang.org/x/sync/errgroup"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// readProperties reads the organization's properties named by keys, but for
// keys that cannot travel in a path (left alone with a warning, see
// sendableKeys); a property deleted meanwhile is left out. A failed read
// adds an error and returns false. The resource's refresh and import and the
// list resource read properties the same way, so a listed organization's
// properties are the ones an import stores.
//
// JSM answers one property a request: they are read propertiesAtOnce at a
// time, so an organization's refresh takes three round trips whatever
// number of properties it has up to that (the organization, its keys, the
// values), and its errors are reported in key order, as one by one.
func readProperties(ctx context.Context, c *jsm.Client, id string, keys []string, diags *diag.Diagnostics) (map[string]jsontypes.Normalized, bool) {
	keys = sendableKeys(c, id, keys, diags)
	type answer struct {
		value json.RawMessage
		err   error
	}
	answers := make([]answer, len(keys))
	var reads errgroup.Group // its errors are judged below, in key order
	reads.SetLimit(propertiesAtOnce)
	for i, k := range keys {
		reads.Go(func() error {
			answers[i].value, answers[i].err = c.GetOrganizationProperty(ctx, id, k)
			return nil
		})
	}
	_ = reads.Wait()
	props := map[string]jsontypes.Normalized{}
	for i, k := range keys {
		v, err := answers[i].value, answers[i].err
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

// propertiesAtOnce is how many of an organization's properties are read at
// the same time: four, as the pages of a listing (few organizations carry
// more), so that a refresh of many organizations, ten at a time under
// Terraform's default parallelism, sends at most forty requests at once.
const propertiesAtOnce = 4
