package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// NewEntitlementDetailFieldsDataSource returns the jsm_entitlement_detail_fields data source.
func NewEntitlementDetailFieldsDataSource() datasource.DataSource {
	return &detailFieldsDataSource{kind: "entitlement",
		list: func(ctx context.Context, c *jsm.Client) ([]jsm.DetailField, error) {
			return c.ListEntitlementDetailFields(ctx)
		}}
}
