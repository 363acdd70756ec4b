package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccCustomersDataSource_basic(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	// 60 customers: two pages of the experimental list.
	var ids []string
	for i := range 60 {
		a, err := site.AddCustomer(fmt.Sprintf("Listed %02d", i), fmt.Sprintf("listed-%02d@example.com", i))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.AccountID)
	}
	hidden, _ := site.AddCustomer("Private Person", "private@corp.example.com")
	site.SetEmailHidden(hidden.AccountID, true)
	findMe, _ := site.AddCustomer("Find Me", "needle@corp.example.com")
	site.AddDeskCustomers("HR", append(ids, hidden.AccountID, findMe.AccountID)...)
	site.AddDeskCustomers("IT", ids[0])

	cfg := s.provider() + `
data "jsm_service_desk" "hr" {
  project_key = "HR"
}
data "jsm_customers" "all" {
  service_desk_id = data.jsm_service_desk.hr.id
}
data "jsm_customers" "needle" {
  service_desk_id = data.jsm_service_desk.hr.id
  query           = "needle"
}
data "jsm_customers" "private" {
  service_desk_id = data.jsm_service_desk.hr.id
  query           = "private person"
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.jsm_customers.all", tfjsonpath.New("id"), knownvalue.StringExact("2")),
					statecheck.ExpectKnownValue("data.jsm_customers.all", tfjsonpath.New("customers"), knownvalue.ListSizeExact(62)),
					statecheck.ExpectKnownValue("data.jsm_customers.needle", tfjsonpath.New("customers"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"account_id":   knownvalue.StringExact(findMe.AccountID),
							"email":        knownvalue.StringExact("needle@corp.example.com"),
							"display_name": knownvalue.StringExact("Find Me"),
						}),
					})),
					statecheck.ExpectKnownValue("data.jsm_customers.private", tfjsonpath.New("customers").AtSliceIndex(0).AtMapKey("email"), knownvalue.Null()),
				},
			},
			{
				Config:      s.provider() + "data \"jsm_customers\" \"x\" {\n  service_desk_id = \"99\"\n}\n",
				ExpectError: regexp.MustCompile(`(?s)Could not list the customers of the service desk.*Service\s+desk\s+99:.*HTTP 404`),
			},
		},
	})
}
