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
	noObject: "no longer exists (or was deleted)",
	feature:  jsm.FeatureProfiles,
	owner404: func(ctx context.Context, c *jsm.Client, id string) (bool, string, error) {
		u, err := c.GetUser(ctx, id)
		return accountVerdict(id, u, err)
	},
	refused: func(ctx context.Context, c *jsm.Client, id string) string {
		u, err := c.GetUser(ctx, id)
		return refusedAccount(id, u, err)
	},
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
