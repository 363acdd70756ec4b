package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// The data sources list the fields, and read an object's values.
func TestAccDetailsDataSources_basic(t *testing.T) {
	s := newTestSite(t)
	name := randomName("Acme")
	cfg := s.csmProvider(t, "") + fieldConfig("organization", "tier", "Tier", "SELECT", `["Gold", "Silver"]`) +
		fieldConfig("customer", "lang", "Language", "TEXT", "") + fmt.Sprintf(`
resource "jsm_organization" "acme" {
  name = %q
}
resource "jsm_organization_details" "acme" {
  organization_id = jsm_organization.acme.id
  details         = { (jsm_organization_detail_field.tier.name) = ["Gold"] }
}
data "jsm_organization_details" "acme" {
  organization_id = jsm_organization_details.acme.organization_id
}
data "jsm_organization_detail_fields" "all" {
  depends_on = [jsm_organization_detail_field.tier]
}
data "jsm_customer_detail_fields" "all" {
  depends_on = [jsm_customer_detail_field.lang]
}
`, name)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.jsm_organization_details.acme", tfjsonpath.New("details"),
					knownvalue.MapExact(map[string]knownvalue.Check{"Tier": knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("Gold")})})),
				statecheck.ExpectKnownValue("data.jsm_organization_detail_fields.all", tfjsonpath.New("fields"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
						"name": knownvalue.StringExact("Tier"), "type": knownvalue.StringExact("SELECT"), "position": knownvalue.Int64Exact(1),
						"options": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("Gold"), knownvalue.StringExact("Silver")}),
					})})),
				statecheck.ExpectKnownValue("data.jsm_customer_detail_fields.all", tfjsonpath.New("fields").AtSliceIndex(0).AtMapKey("options"),
					knownvalue.ListSizeExact(0)),
			},
		}},
	})
}
