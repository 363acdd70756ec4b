package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

var customerDetailsAPI = detailsAPI{
	kind:     "customer",
	idAttr:   "customer_id",
	idDoc:    "The customer's account ID, e.g. `jsm_customer.fred.id`.",
	idNoun:   "customer's account ID",
	idValid:  []validator.String{accountIDValidator},
	noObject: "is not found by the Customer Service Management API (deleted, or not an eligible customer account)",
	fields: func(ctx context.Context, c *jsm.Client) ([]jsm.DetailField, error) {
		return c.ListCustomerDetailFields(ctx)
	},
	get: func(ctx context.Context, c *jsm.Client, id string) ([]jsm.DetailValue, error) {
		return c.CustomerDetails(ctx, id)
	},
	set: func(ctx context.Context, c *jsm.Client, id, field string, values []string) error {
		return c.SetCustomerDetail(ctx, id, field, values)
	},
}

// NewCustomerDetailsResource returns the jsm_customer_details resource.
func NewCustomerDetailsResource() resource.Resource {
	return &detailsResource{api: customerDetailsAPI}
}
