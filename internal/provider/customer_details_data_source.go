package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// NewCustomerDetailsDataSource returns the jsm_customer_details data source.
func NewCustomerDetailsDataSource() datasource.DataSource {
	return &detailsDataSource{api: customerDetailsAPI,
		get: func(ctx context.Context, c *jsm.Client, id string) ([]jsm.DetailValue, error) {
			return c.CustomerDetails(ctx, id)
		}}
}
