package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccCustomerDataSource_basic(t *testing.T) {
	s := newTestSite(t)
	email := randomEmail("lookup")
	u, err := s.client.CreateCustomer(context.Background(), "Looked Up", email)
	if err != nil {
		t.Fatal(err)
	}
	byID, byEmail := "data.jsm_customer.by_id", "data.jsm_customer.by_email"
	cfg := s.provider() + fmt.Sprintf(`
data "jsm_customer" "by_id" {
  account_id = %q
}
data "jsm_customer" "by_email" {
  email = %q
}
`, u.AccountID, strings.ToUpper(email))
	var checks []statecheck.StateCheck
	for _, addr := range []string{byID, byEmail} {
		checks = append(checks,
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(u.AccountID)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("account_id"), knownvalue.StringExact(u.AccountID)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("display_name"), knownvalue.StringExact("Looked Up")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("account_type"), knownvalue.StringExact("customer")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("links").AtMapKey("self"), knownvalue.NotNull()),
		)
	}
	checks = append(checks,
		statecheck.ExpectKnownValue(byID, tfjsonpath.New("email"), knownvalue.StringExact(email)),
		statecheck.ExpectKnownValue(byEmail, tfjsonpath.New("email"), knownvalue.StringExact(strings.ToUpper(email))),
	)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      s.provider() + "data \"jsm_customer\" \"x\" {\n  email = \"nobody-" + email + "\"\n}\n",
				ExpectError: regexp.MustCompile(`(?s)no active account with email.*account_id`),
			},
			{
				Config:      s.provider() + "data \"jsm_customer\" \"x\" {\n  account_id = \"qm:00000000-0000-4000-8000-000000000000:0\"\n  email = \"a@example.com\"\n}\n",
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination`),
			},
			{ // at plan time, not as the site's 400
				Config:      s.provider() + "data \"jsm_customer\" \"x\" {\n  account_id = \"\"\n}\n",
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid account ID.*account_id "" is empty`),
			},
			{Config: cfg, ConfigStateChecks: checks},
		},
	})
}
