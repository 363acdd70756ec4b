package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// NewServiceDeskCustomersResource returns the jsm_service_desk_customers resource.
func NewServiceDeskCustomersResource() resource.Resource {
	return &membershipResource{kind: membershipKind{
		typeSuffix: "_service_desk_customers",
		parentAttr: "service_desk_id",
		parentNoun: "service desk",
		description: "Customers of a Jira Service Management service desk: the accounts that may raise requests on a " +
			"desk whose access is restricted to its customers. The resource manages exactly the accounts in " +
			"`account_ids` and leaves every other customer of the desk alone, unless `exclusive` makes it own them all.",
		accountNoun: "customer",
		parentDesc:  "The ID of the service desk, e.g. `data.jsm_service_desk.hr.id`. Changing it replaces the resource.",
		accountDesc: "The account IDs of the customers to manage. An empty set manages no one: offboarding the last customer " +
			"removes it and keeps the resource. An unknown account ID fails the apply (JSM still adds the valid ones of " +
			"the same call).",
		validators: serviceDeskIDValidators,
		calls:      calls("EachServiceDeskCustomer", "ServiceDeskCustomerIDs", "AddServiceDeskCustomers", "RemoveServiceDeskCustomers"),
		list: func(ctx context.Context, c *jsm.Client, parent string, expect int) ([]string, error) {
			return c.ServiceDeskCustomerIDs(ctx, parent, expect)
		},
		add: func(ctx context.Context, c *jsm.Client, parent string, ids []string) error {
			return c.AddServiceDeskCustomers(ctx, parent, ids)
		},
		remove: func(ctx context.Context, c *jsm.Client, parent string, ids []string) error {
			return c.RemoveServiceDeskCustomers(ctx, parent, ids)
		},
		users: func(ctx context.Context, c *jsm.Client, parent string, visit func(jsm.User) bool) error {
			return c.EachServiceDeskCustomer(ctx, parent, "", visit)
		},
	}}
}
