package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// NewOrganizationDetailsDataSource returns the jsm_organization_details data source.
func NewOrganizationDetailsDataSource() datasource.DataSource {
	return &detailsDataSource{api: organizationDetailsAPI,
		get: func(ctx context.Context, c *jsm.Client, id string) ([]jsm.DetailValue, error) {
			return c.OrganizationDetails(ctx, id)
		}}
}
