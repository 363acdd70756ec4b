package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// NewCustomerDetailFieldsDataSource returns the jsm_customer_detail_fields data source.
func NewCustomerDetailFieldsDataSource() datasource.DataSource {
	return &detailFieldsDataSource{kind: "customer",
		list: func(ctx context.Context, c *jsm.Client) ([]jsm.DetailField, error) {
			return c.ListCustomerDetailFields(ctx)
		}}
}
