package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

var customerFieldAPI = fieldAPI{
	feature:   "Customer and organization profiles",
	valuesVia: "`jsm_customer_details`",
	kind:      "customer",
	list: func(ctx context.Context, c *jsm.Client) ([]jsm.DetailField, error) {
		return c.ListCustomerDetailFields(ctx)
	},
	create: func(ctx context.Context, c *jsm.Client, f jsm.DetailField) (*jsm.DetailField, error) {
		return c.CreateCustomerDetailField(ctx, f)
	},
	edit: func(ctx context.Context, c *jsm.Client, name string, f jsm.DetailField) (*jsm.DetailField, error) {
		return c.EditCustomerDetailField(ctx, name, f)
	},
	del: func(ctx context.Context, c *jsm.Client, name string) error {
		return c.DeleteCustomerDetailField(ctx, name)
	},
}

// NewCustomerDetailFieldResource returns the jsm_customer_detail_field resource.
func NewCustomerDetailFieldResource() resource.Resource {
	return &detailFieldResource{api: customerFieldAPI}
}
