package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// NewOrganizationDetailFieldsDataSource returns the jsm_organization_detail_fields data source.
func NewOrganizationDetailFieldsDataSource() datasource.DataSource {
	return &detailFieldsDataSource{kind: "organization",
		list: func(ctx context.Context, c *jsm.Client) ([]jsm.DetailField, error) {
			return c.ListOrganizationDetailFields(ctx)
		}}
}
