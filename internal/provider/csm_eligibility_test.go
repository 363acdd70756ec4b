package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

func customerDetailsConfig(s *testSite, t *testing.T, customerID string) string {
	return s.csmProvider(t, "") + fmt.Sprintf("resource \"jsm_customer_details\" \"d\" {\n  customer_id = %q\n  details = { Region = [\"EU\"] }\n}\n", customerID)
}

// Only eligible accounts hold CSM details. An account known to be
// ineligible (inactive) is refused at plan time, naming the rule; an
// Atlassian account whose eligibility only the apply finds out fails with
// the rule named; and an account that becomes ineligible (an agent) is an
// error on refresh that keeps the details in the state, never "details
// gone", so that nothing loops creating them.
func TestAccCustomerDetails_eligibility(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	if _, err := s.csmClient(t).CreateDetailField(context.Background(), jsm.CustomerDetails, jsm.DetailField{Name: "Region", Type: "TEXT"}); err != nil {
		t.Fatal(err)
	}
	inactive, err := site.AddCustomer("Ina", randomEmail("ina"))
	if err != nil {
		t.Fatal(err)
	}
	site.SetActive(inactive.AccountID, false)
	noRole, err := site.AddAtlassianAccount("Norole", randomEmail("norole"), false)
	if err != nil {
		t.Fatal(err)
	}
	staff, err := site.AddAtlassianAccount("Staff", randomEmail("staff"), false)
	if err != nil {
		t.Fatal(err)
	}
	site.SetRoles(staff.AccountID, true, false)
	rule := wrapped("holds details, entitlements and profiles only for customer accounts and for Atlassian accounts that are active")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: customerDetailsConfig(s, t, inactive.AccountID), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)Not a Customer Service Management customer.*` + rule + `.*` + wrapped("It is inactive"))},
			{Config: customerDetailsConfig(s, t, noRole.AccountID),
				ExpectError: regexp.MustCompile(`(?s)` + rule + `.*` + wrapped("It is an Atlassian account: it must hold the customer role"))},
			{Config: customerDetailsConfig(s, t, staff.AccountID), ConfigPlanChecks: emptyPlanAfterApply()},
			{
				// It becomes an agent: every CSM path about it answers 404.
				PreConfig:    func() { site.SetRoles(staff.AccountID, true, true) },
				RefreshState: true,
				ExpectError:  regexp.MustCompile(`(?s)` + rule + `.*` + wrapped("It stays in the state")),
			},
			{
				PreConfig: func() { site.SetRoles(staff.AccountID, true, false) },
				Config:    customerDetailsConfig(s, t, staff.AccountID),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("jsm_customer_details.d", plancheck.ResourceActionNoop)}},
			},
		},
	})
}

// An entitlement's customer: refused at plan time when known to be
// inactive; an Atlassian account without the customer role fails the
// apply naming the rule; one with it is entitled.
func TestAccEntitlement_eligibility(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	p, err := s.csmClient(t).CreateProduct(context.Background(), "Widget")
	if err != nil {
		t.Fatal(err)
	}
	inactive, err := site.AddCustomer("Ina", randomEmail("ina"))
	if err != nil {
		t.Fatal(err)
	}
	site.SetActive(inactive.AccountID, false)
	staff, err := site.AddAtlassianAccount("Staff", randomEmail("staff"), false)
	if err != nil {
		t.Fatal(err)
	}
	cfg := func(id string) string {
		return s.csmProvider(t, "") + fmt.Sprintf("resource \"jsm_entitlement\" \"e\" {\n  product_id = %q\n  customer_id = %q\n}\n", p.ID, id)
	}
	rule := wrapped("holds details, entitlements and profiles only for customer accounts and for Atlassian accounts that are active")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg(inactive.AccountID), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)Not a Customer Service Management customer.*` + rule + `.*` + wrapped("It is inactive"))},
			{Config: cfg(staff.AccountID),
				ExpectError: regexp.MustCompile(`(?s)` + rule + `.*` + wrapped("It is an Atlassian account: it must hold the customer role"))},
			{PreConfig: func() { site.SetRoles(staff.AccountID, true, false) }, Config: cfg(staff.AccountID), ConfigPlanChecks: emptyPlanAfterApply()},
		},
	})
}
