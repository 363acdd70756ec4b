package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// The plan checks values against the fields the site has now: a value
// outside an existing field's options is named with the field and its
// options; a field neither on the site nor planned by this run is missing,
// unless a field of this run has a name known only at apply; a right value
// raises nothing.
func TestDetailsValueProblems(t *testing.T) {
	s := newTestSite(t)
	s.csm = true
	c := s.csmClient(t)
	ctx := context.Background()
	if _, err := c.CreateDetailField(ctx, jsm.CustomerDetails, jsm.DetailField{Name: "Region", Type: "SELECT", Options: []string{"EMEA", "AMER"}}); err != nil {
		t.Fatal(err)
	}
	r := &detailsResource{api: customerDetailsAPI, client: c, run: &runState{}}

	missing, probs := r.valueProblems(ctx, map[string][]string{"Region": {"LATAM"}, "Created Later": {"x"}})
	if len(probs) != 1 || !strings.Contains(probs[0], `"LATAM"`) || !strings.Contains(probs[0], `"Region"`) ||
		!strings.Contains(probs[0], "EMEA, AMER") {
		t.Errorf("problems: %q", probs)
	}
	if len(missing) != 1 || !strings.Contains(missing[0], `"Created Later" is not a customer detail field of the site (its fields: Region)`) {
		t.Errorf("missing: %q", missing)
	}
	if missing, probs := r.valueProblems(ctx, map[string][]string{"Region": {"EMEA"}}); len(missing)+len(probs) != 0 {
		t.Errorf("a right value: %q %q", missing, probs)
	}
	// Planned in this run with the new option: its planned options decide.
	r.run.fields.record("customer", plannedField{field: jsm.DetailField{Name: "Region", Type: "SELECT",
		Options: []string{"EMEA", "AMER", "LATAM"}}})
	if missing, probs := r.valueProblems(ctx, map[string][]string{"region ": {"LATAM"}}); len(missing)+len(probs) != 0 {
		t.Errorf("an option this run adds: %q %q", missing, probs)
	}
	r.run.fields.record("customer", plannedField{field: jsm.DetailField{Name: "Region", Type: "SELECT"}, optionsUnknown: true})
	if missing, probs := r.valueProblems(ctx, map[string][]string{"Region": {"anything"}}); len(missing)+len(probs) != 0 {
		t.Errorf("options known only at apply: %q %q", missing, probs)
	}
	// A field of this run named only at apply may be any key.
	r.run.fields.recordUnnamed("customer")
	if missing, _ := r.valueProblems(ctx, map[string][]string{"Created Later": {"x"}}); len(missing) != 0 {
		t.Errorf("a field named at apply: %q", missing)
	}
}

func TestSameDetails(t *testing.T) {
	a := map[string][]string{"A": {"1", "2"}, "B": {"x"}}
	for _, tc := range []struct {
		b    map[string][]string
		same bool
	}{
		{map[string][]string{"A": {"2", "1"}, "B": {"x"}}, true},
		{map[string][]string{"A": {"1"}, "B": {"x"}}, false},
		{map[string][]string{"A": {"1", "2"}}, false},
		{map[string][]string{"A": {"1", "2"}, "C": {"x"}}, false},
	} {
		if got := sameDetails(a, tc.b); got != tc.same {
			t.Errorf("sameDetails(%v, %v) = %v", a, tc.b, got)
		}
	}
}

// The plan checks detail keys and values against the fields as the apply
// leaves them: a field created in the same run as planned, a field the run
// adds an option to with that option, any other as the site has it; a key
// naming no field of either fails. A plan that
// fails here would have failed the apply; one that passes, applies.
func TestAccCustomerDetails_planChecksValues(t *testing.T) {
	s := newTestSite(t)
	email := randomEmail("planned")
	withRegions := func(options, details string) string {
		return s.csmProvider(t, "") +
			fieldConfig("customer", "region", "Region", "SELECT", options) +
			fmt.Sprintf(`resource "jsm_customer" "fred" {
  email        = %q
  display_name = "Fred"
}
resource "jsm_customer_details" "fred" {
  customer_id = jsm_customer.fred.id
  details     = %s
}
`, email, details)
	}
	byRef := func(v string) string { return fmt.Sprintf(`{ (jsm_customer_detail_field.region.name) = [%q] }`, v) }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{ // the field does not exist yet: its planned options decide
				Config:      withRegions(`["AU", "EU"]`, byRef("Mars")),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)The apply would fail.*` + wrapped(`"Mars" is not an option of the SELECT field "Region" (options: AU, EU)`)),
			},
			{Config: withRegions(`["AU", "EU"]`, byRef("EU")), ConfigPlanChecks: emptyPlanAfterApply()},
			{ // the same apply adds the option it uses
				Config:           withRegions(`["AU", "EU", "Mars"]`, byRef("Mars")),
				ConfigPlanChecks: emptyPlanAfterApply(),
			},
			{ // a literal key: the site's options decide
				Config:      withRegions(`["AU", "EU", "Mars"]`, `{ Region = ["Pluto"] }`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(wrapped(`"Pluto" is not an option of the SELECT field "Region" (options: AU, EU, Mars)`)),
			},
			{ // a key naming no field of the site nor of this configuration
				Config:   withRegions(`["AU", "EU", "Mars"]`, `{ Nope = ["x"] }`),
				PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)Unknown detail field.*` +
					wrapped(`"Nope" is not a customer detail field of the site (its fields: Region), and this configuration creates none`)),
			},
		},
	})
}

// Product, entitlement and detail-field errors carry errorDetail's advice:
// a site whose cloud ID cannot be found tells the user to set cloud_id.
func TestAccProduct_errorsCarryAdvice(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	site.Use(func(route string, next http.Handler) http.Handler {
		if route != routeTenantInfo {
			return next
		}
		return http.NotFoundHandler()
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: s.csmProvider(t, "") + `resource "jsm_product" "p" {
  name = "Support"
}
`,
			ExpectError: regexp.MustCompile(wrapped("Set the provider's cloud_id (or JSM_CLOUD_ID)")),
		}},
	})
}

func TestArticle(t *testing.T) {
	for word, want := range map[string]string{"organization": "an", "entitlement": "an", "customer": "a", "": "a"} {
		if got := article(word); got != want {
			t.Errorf("article(%q) = %q, want %q", word, got, want)
		}
	}
}

// Fields of this configuration whose type or name is known only at apply
// are planned all the same: the keys that name them do not fail the plan as
// unknown fields.
func TestAccCustomerDetails_planFieldsKnownAtApply(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("later")
	cfg := s.csmProvider(t, "") + fmt.Sprintf(`resource "terraform_data" "type" {
  input = "TEXT"
}
resource "terraform_data" "name" {
  input = "Other"
}
resource "jsm_customer_detail_field" "later" {
  name = "Later"
  type = terraform_data.type.output
}
resource "jsm_customer_detail_field" "other" {
  name = terraform_data.name.output
  type = "TEXT"
}
resource "jsm_customer" "fred" {
  email        = %q
  display_name = "Fred"
}
resource "jsm_customer_details" "fred" {
  customer_id = jsm_customer.fred.id
  details     = { (jsm_customer_detail_field.later.name) = ["x"], Other = ["y"] }
  depends_on  = [jsm_customer_detail_field.other]
}
`, email)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{Config: cfg, ConfigPlanChecks: emptyPlanAfterApply(), Check: func(*terraform.State) error {
			a, _ := site.AccountByEmail(email)
			if got := fmt.Sprint(site.DetailValues(jsmsite.KindCustomer, a.AccountID)); got != "map[Later:[x] Other:[y]]" {
				return fmt.Errorf("site holds %s", got)
			}
			return nil
		}}},
	})
}
