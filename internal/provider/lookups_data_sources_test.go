package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// jsm_organizations lists every organization, or those whose name starts
// with name_prefix (letter case aside), across pages.
func TestAccOrganizationsDataSource_basic(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	var acme []knownvalue.Check
	for i := range 60 { // more than one page of 50
		o := site.AddOrganization(fmt.Sprintf("Acme %02d", i))
		acme = append(acme, knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"id": knownvalue.StringExact(fmt.Sprint(o.ID)), "name": knownvalue.StringExact(o.Name)}))
	}
	site.AddOrganization("Globex")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: s.provider() + `
data "jsm_organizations" "acme" {
  name_prefix = "aCME"
}
data "jsm_organizations" "all" {}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.jsm_organizations.acme", tfjsonpath.New("organizations"), knownvalue.ListExact(acme)),
				statecheck.ExpectKnownValue("data.jsm_organizations.all", tfjsonpath.New("organizations"), knownvalue.ListSizeExact(61)),
			},
		}},
	})
}

// jsm_service_desks lists the desks the account may access.
func TestAccServiceDesksDataSource_basic(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	var want []knownvalue.Check
	for _, d := range site.ServiceDesks() {
		want = append(want, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": knownvalue.StringExact(d.ID), "project_id": knownvalue.StringExact(d.ProjectID),
			"project_key": knownvalue.StringExact(d.ProjectKey), "project_name": knownvalue.StringExact(d.ProjectName)}))
	}
	if len(want) < 2 {
		t.Fatalf("the local site seeds %d desks", len(want))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: s.provider() + `data "jsm_service_desks" "all" {}` + "\n",
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.jsm_service_desks.all", tfjsonpath.New("service_desks"), knownvalue.ListExact(want)),
			},
		}},
	})
}

// jsm_products finds products by exact name; jsm_entitlement_detail_fields
// lists the entitlement fields.
func TestAccProductsDataSource_basic(t *testing.T) {
	s := newTestSite(t)
	c := s.csmClient(t)
	ctx := context.Background()
	support, err := c.CreateProduct(ctx, "Managed IT support")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateProduct(ctx, "Managed IT"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateDetailField(ctx, jsm.EntitlementDetails, jsm.DetailField{Name: "Seats", Type: "NUMBER"}); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: s.csmProvider(t, "") + `
data "jsm_products" "support" {
  name = "Managed IT support"
}
data "jsm_products" "all" {}
data "jsm_entitlement_detail_fields" "all" {}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.jsm_products.support", tfjsonpath.New("products"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{"id": knownvalue.StringExact(support.ID), "name": knownvalue.StringExact(support.Name)})})),
				statecheck.ExpectKnownValue("data.jsm_products.all", tfjsonpath.New("products"), knownvalue.ListSizeExact(2)),
				statecheck.ExpectKnownValue("data.jsm_entitlement_detail_fields.all", tfjsonpath.New("fields"), knownvalue.ListPartial(map[int]knownvalue.Check{
					0: knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("Seats"), "type": knownvalue.StringExact("NUMBER")})})),
			},
		}},
	})
}
