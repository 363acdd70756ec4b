package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// NewOrganizationCustomersResource returns the jsm_organization_customers resource.
func NewOrganizationCustomersResource() resource.Resource {
	return &membershipResource{kind: membershipKind{
		typeSuffix: "_organization_customers",
		parentAttr: "organization_id",
		parentNoun: "organization",
		description: "Members of a Jira Service Management organization: the resource manages exactly the accounts in " +
			"`account_ids` and leaves every other member alone, unless `exclusive` makes it own them all.",
		accountNoun: "member",
		parentDesc:  "The ID of the organization, e.g. `jsm_organization.acme.id`. Changing it replaces the resource.",
		accountDesc: "The account IDs of the members to manage, e.g. `[for c in jsm_customer.acme : c.account_id]`. " +
			"An empty set manages no one: offboarding the last member removes it and keeps the resource. An unknown account ID " +
			"fails the apply (JSM still adds the valid ones of the same call).",
		validators: organizationIDValidators,
		calls:      calls("EachOrganizationMember", "OrganizationMembers", "AddOrganizationMembers", "RemoveOrganizationMembers"),
		list: func(ctx context.Context, c *jsm.Client, parent string, expect int) ([]string, error) {
			return c.OrganizationMembers(ctx, parent, expect)
		},
		add: func(ctx context.Context, c *jsm.Client, parent string, ids []string) error {
			return c.AddOrganizationMembers(ctx, parent, ids)
		},
		remove: func(ctx context.Context, c *jsm.Client, parent string, ids []string) error {
			return c.RemoveOrganizationMembers(ctx, parent, ids)
		},
		users: func(ctx context.Context, c *jsm.Client, parent string, visit func(jsm.User) bool) error {
			return c.EachOrganizationMember(ctx, parent, visit)
		},
	}}
}
