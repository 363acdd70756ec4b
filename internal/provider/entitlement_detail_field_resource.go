package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

var entitlementFieldAPI = fieldAPI{
	feature:   "Products and entitlements",
	valuesVia: "`jsm_entitlement`'s `details`",
	kind:      "entitlement",
	list: func(ctx context.Context, c *jsm.Client) ([]jsm.DetailField, error) {
		return c.ListEntitlementDetailFields(ctx)
	},
	create: func(ctx context.Context, c *jsm.Client, f jsm.DetailField) (*jsm.DetailField, error) {
		return c.CreateEntitlementDetailField(ctx, f)
	},
	edit: func(ctx context.Context, c *jsm.Client, name string, f jsm.DetailField) (*jsm.DetailField, error) {
		return c.EditEntitlementDetailField(ctx, name, f)
	},
	del: func(ctx context.Context, c *jsm.Client, name string) error {
		return c.DeleteEntitlementDetailField(ctx, name)
	},
}

// NewEntitlementDetailFieldResource returns the jsm_entitlement_detail_field resource.
func NewEntitlementDetailFieldResource() resource.Resource {
	return &detailFieldResource{api: entitlementFieldAPI}
}
