package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

var organizationFieldAPI = fieldAPI{
	feature:   "Customer and organization profiles",
	valuesVia: "`jsm_organization_details`",
	kind:      "organization",
	list: func(ctx context.Context, c *jsm.Client) ([]jsm.DetailField, error) {
		return c.ListOrganizationDetailFields(ctx)
	},
	create: func(ctx context.Context, c *jsm.Client, f jsm.DetailField) (*jsm.DetailField, error) {
		return c.CreateOrganizationDetailField(ctx, f)
	},
	edit: func(ctx context.Context, c *jsm.Client, name string, f jsm.DetailField) (*jsm.DetailField, error) {
		return c.EditOrganizationDetailField(ctx, name, f)
	},
	del: func(ctx context.Context, c *jsm.Client, name string) error {
		return c.DeleteOrganizationDetailField(ctx, name)
	},
}

// NewOrganizationDetailFieldResource returns the jsm_organization_detail_field resource.
func NewOrganizationDetailFieldResource() resource.Resource {
	return &detailFieldResource{api: organizationFieldAPI}
}
