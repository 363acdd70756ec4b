package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

var organizationDetailsAPI = detailsAPI{
	kind:     "organization",
	idAttr:   "organization_id",
	idDoc:    "The organization's ID, e.g. `jsm_organization.acme.id`.",
	idNoun:   "organization ID, an integer such as \"12\"",
	idValid:  organizationIDValidators(),
	noObject: "no longer exists in JSM",
	feature:  jsm.FeatureProfiles,
	owner404: func(ctx context.Context, c *jsm.Client, id string) (bool, string, error) {
		_, err := c.GetOrganization(ctx, id)
		switch {
		case jsm.IsNotFound(err):
			return true, "", nil
		case err != nil:
			return false, "", err
		}
		return false, fmt.Sprintf("The organization %s exists in JSM, but the Customer Service Management API answers 404 for it.", id), nil
	},
	fields: func(ctx context.Context, c *jsm.Client) ([]jsm.DetailField, error) {
		return c.ListOrganizationDetailFields(ctx)
	},
	get: func(ctx context.Context, c *jsm.Client, id string) ([]jsm.DetailValue, error) {
		return c.OrganizationDetails(ctx, id)
	},
	set: func(ctx context.Context, c *jsm.Client, id, field string, values []string) error {
		return c.SetOrganizationDetail(ctx, id, field, values)
	},
}

// NewOrganizationDetailsResource returns the jsm_organization_details resource.
func NewOrganizationDetailsResource() resource.Resource {
	return &detailsResource{api: organizationDetailsAPI}
}
