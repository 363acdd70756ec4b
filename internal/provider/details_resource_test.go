package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// Values on a customer: written, read back through GET customer, order of a
// MULTISELECT ignored, a value outside a SELECT's options refused with the
// field named, a field dropped from the map cleared, imported, and cleared
// on destroy.
func TestAccCustomerDetails_basic(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("fred")
	addr := "jsm_customer_details.fred"
	values := func(want map[string][]string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			a, _ := site.AccountByEmail(email)
			got := site.DetailValues(jsmsite.KindCustomer, a.AccountID)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				return fmt.Errorf("site holds %v, want %v", got, want)
			}
			return nil
		}
	}
	both := `{ (jsm_customer_detail_field.region.name) = ["EU"], (jsm_customer_detail_field.tags.name) = ["b", "a"] }`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             values(map[string][]string{}),
		Steps: []resource.TestStep{
			{Config: detailsConfig(s, t, email, both), ConfigPlanChecks: emptyPlanAfterApply(),
				Check: values(map[string][]string{"Region": {"EU"}, "Tags": {"a", "b"}})},
			{
				// Another order of the same choices: nothing to do.
				Config:           detailsConfig(s, t, email, `{ Region = ["EU"], Tags = ["a", "b"] }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{Config: detailsConfig(s, t, email, `{ Region = ["Mars"], Tags = ["a", "b"] }`),
				ExpectError: regexp.MustCompile(wrapped(`"Mars" is not an option of the SELECT field "Region" (options: AU, EU, US)`))},
			{Config: detailsConfig(s, t, email, `{ Region = ["EU", "US"] }`),
				ExpectError: regexp.MustCompile(wrapped(`field "Region" is of type SELECT and takes one value`))},
			{Config: detailsConfig(s, t, email, `{ Nope = ["x"] }`),
				ExpectError: regexp.MustCompile(wrapped(`"Nope" is not a customer detail field of the site`))},
			{Config: detailsConfig(s, t, email, `{ Region = ["US"] }`), ConfigPlanChecks: emptyPlanAfterApply(),
				Check: values(map[string][]string{"Region": {"US"}})},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true},
		},
	})
}

// Values on an organization, and a site that refuses to clear a value:
// the field is left alone with a warning.
func TestAccOrganizationDetails_basic(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Acme")
	cfg := func(details string) string {
		return s.csmProvider(t, "") + fieldConfig("organization", "tier", "Tier", "TEXT", "") +
			fieldConfig("organization", "seg", "Segment", "MULTISELECT", `["smb", "ent"]`) +
			fmt.Sprintf(`resource "jsm_organization" "acme" {
  name = %q
}
resource "jsm_organization_details" "acme" {
  organization_id = jsm_organization.acme.id
  details         = %s
}
`, name, details)
	}
	orgValues := func(want string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			for _, o := range site.Organizations() {
				if o.Name == name {
					if got := fmt.Sprint(site.DetailValues(jsmsite.KindOrganization, fmt.Sprint(o.ID))); got != want {
						return fmt.Errorf("site holds %s, want %s", got, want)
					}
					return nil
				}
			}
			return fmt.Errorf("no organization %q", name)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg(`{ (jsm_organization_detail_field.tier.name) = ["Gold"], (jsm_organization_detail_field.seg.name) = ["ent", "smb"] }`),
				ConfigPlanChecks: emptyPlanAfterApply(), Check: orgValues("map[Segment:[ent smb] Tier:[Gold]]")},
			{Config: cfg(`{ Tier = ["Gold"] }`), Check: orgValues("map[Tier:[Gold]]")},
			{
				PreConfig: func() { site.SetCSMAnswers(jsmsite.CSMAnswers{RefuseClear: true}) },
				Config:    cfg(`{ Segment = ["smb"] }`),
				Check:     orgValues("map[Segment:[smb] Tier:[Gold]]"),
			},
		},
	})
}

// A key that changes only its letter case (or surrounding spaces) names the same field: the apply
// keeps the value (it once set the new key, then cleared the old one, which
// the site resolves to the same field). Two keys naming one field fail the
// plan, naming both; a case-only rename of the field, with the details keyed
// by its name, keeps the value too.
func TestAccCustomerDetails_keyCaseChange(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("since")
	cfg := func(fieldName, details string) string {
		return s.csmProvider(t, "") + fieldConfig("customer", "since", fieldName, "DATE", "") + fmt.Sprintf(`resource "jsm_customer" "fred" {
  email        = %q
  display_name = "Fred"
}
resource "jsm_customer_details" "fred" {
  customer_id = jsm_customer.fred.id
  details     = %s
}
`, email, details)
	}
	values := func(want string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			a, _ := site.AccountByEmail(email)
			if got := fmt.Sprint(site.DetailValues(jsmsite.KindCustomer, a.AccountID)); got != want {
				return fmt.Errorf("site holds %s, want %s", got, want)
			}
			return nil
		}
	}
	byRef := `{ (jsm_customer_detail_field.since.name) = ["2024-01-02"] }`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg("Since", byRef), Check: values("map[Since:[2024-01-02]]")},
			{Config: cfg("Since", `{ "since" = ["2024-01-02"] }`), ConfigPlanChecks: emptyPlanAfterApply(),
				Check: values("map[Since:[2024-01-02]]")},
			// Surrounding spaces too: the refresh reads the field back.
			{Config: cfg("Since", `{ " since " = ["2024-01-02"] }`), ConfigPlanChecks: emptyPlanAfterApply(),
				Check: values("map[Since:[2024-01-02]]")},
			{Config: cfg("Since", `{ "since" = ["2024-01-02"], "SINCE" = ["2024-01-02"] }`), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)"SINCE".*"since".*name the same detail field`)},
			// The field renamed in case only, the details keyed by its name.
			{Config: cfg("SINCE", byRef), ConfigPlanChecks: emptyPlanAfterApply(), Check: values("map[SINCE:[2024-01-02]]")},
		},
	})
}

// Details of an organization that does not exist fail at plan time when
// its ID is known, at create and when the ID changes, even with nothing to
// write (the create once succeeded without a request, then each refresh
// dropped it and each apply created it again).
func TestAccOrganizationDetails_missingOrganization(t *testing.T) {
	s := newTestSite(t)
	cfg := func(id string) string {
		return s.csmProvider(t, "") + fmt.Sprintf(`resource "jsm_organization" "o" {
  name = %q
}
resource "jsm_organization_details" "x" {
  organization_id = %s
  details         = {}
}
`, randomName("Real"), id)
	}
	missing := regexp.MustCompile(`(?s)Organization not found.*` + wrapped("The organization 999 does not exist in JSM."))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg(`"999"`), PlanOnly: true, ExpectError: missing},
			{Config: cfg("jsm_organization.o.id"), ConfigPlanChecks: emptyPlanAfterApply()},
			{Config: cfg(`"999"`), PlanOnly: true, ExpectError: missing},
		},
	})
}

// When the plan cannot tell (the organization read is refused, which
// leaves the question to the apply), the create itself finds that the
// organization does not exist, although it has no value to write.
func TestAccOrganizationDetails_missingOrganizationAtCreate(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	site.Use(func(route string, next http.Handler) http.Handler {
		if route != "GET /rest/servicedeskapi/organization/{organizationId}" {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"errorMessage": "You do not have permission."}`))
		})
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: s.csmProvider(t, "") + `resource "jsm_organization_details" "x" {
  organization_id = "999"
  details         = {}
}
`,
			ExpectError: regexp.MustCompile(`(?s)Could not set the details of organization 999.*No organization with ID`),
		}},
	})
}
