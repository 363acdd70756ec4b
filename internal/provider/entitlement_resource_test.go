package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// jsm_entitlement: a customer's and an organization's, with details changed
// in place, imported and destroyed.
func TestAccEntitlement_basic(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email, org := randomEmail("ent"), randomName("Ent")
	cfg := func(level string) string {
		return s.csmProvider(t, "") + fieldConfig("entitlement", "level", "Support level", "SELECT", `["8x5", "24x7"]`) + fmt.Sprintf(`
resource "jsm_product" "w" {
  name = "Widget"
}
resource "jsm_customer" "c" {
  email        = %q
  display_name = "Ent"
}
resource "jsm_organization" "o" {
  name = %q
}
resource "jsm_entitlement" "c" {
  product_id  = jsm_product.w.id
  customer_id = jsm_customer.c.id
  details     = { (jsm_entitlement_detail_field.level.name) = [%q] }
}
resource "jsm_entitlement" "o" {
  product_id      = jsm_product.w.id
  organization_id = jsm_organization.o.id
}
`, email, org, level)
	}
	held := func(level string) resource.TestCheckFunc {
		return func(st *terraform.State) error {
			ents := site.Entitlements()
			slices.SortFunc(ents, func(a, b jsmsite.Entitlement) int { return strings.Compare(a.EntityType, b.EntityType) })
			if len(ents) != 2 || ents[0].EntityType != "CUSTOMER" || ents[1].EntityType != "ORGANIZATION" {
				return fmt.Errorf("entitlements %+v", ents)
			}
			if v := site.DetailValues(jsmsite.KindEntitlement, ents[0].ID); !slices.Equal(v["Support level"], []string{level}) {
				return fmt.Errorf("details %v, want %s", v, level)
			}
			return nil
		}
	}
	var custImport string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(*terraform.State) error {
			if e := site.Entitlements(); len(e) != 0 {
				return fmt.Errorf("entitlements left: %+v", e)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: cfg("8x5"), ConfigPlanChecks: emptyPlanAfterApply(), Check: resource.ComposeTestCheckFunc(held("8x5"),
				func(st *terraform.State) error {
					a := st.RootModule().Resources["jsm_entitlement.c"].Primary.Attributes
					custImport = "customer/" + a["customer_id"] + "/" + a["id"]
					return nil
				})},
			{Config: cfg("24x7"), Check: held("24x7"), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("jsm_entitlement.c", plancheck.ResourceActionUpdate)}}},
			{ResourceName: "jsm_entitlement.c", ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return custImport, nil }, ImportStateVerifyIgnore: []string{"details"}},
		},
	})
}

// An entitlement's details key that changes only its letter case keeps the
// value (the clear of the old key once hit the field just written); two
// keys naming one field fail the plan.
func TestAccEntitlement_detailsKeyCaseChange(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("entcase")
	cfg := func(details string) string {
		return s.csmProvider(t, "") + fieldConfig("entitlement", "since", "Since", "DATE", "") + fmt.Sprintf(`
resource "jsm_product" "w" {
  name = "Widget"
}
resource "jsm_customer" "c" {
  email        = %q
  display_name = "Ent"
}
resource "jsm_entitlement" "c" {
  product_id  = jsm_product.w.id
  customer_id = jsm_customer.c.id
  details     = %s
}
`, email, details)
	}
	held := func(st *terraform.State) error {
		ents := site.Entitlements()
		if len(ents) != 1 {
			return fmt.Errorf("entitlements %+v", ents)
		}
		if v := fmt.Sprint(site.DetailValues(jsmsite.KindEntitlement, ents[0].ID)); v != "map[Since:[2024-01-02]]" {
			return fmt.Errorf("details %s", v)
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg(`{ (jsm_entitlement_detail_field.since.name) = ["2024-01-02"] }`), Check: held},
			{Config: cfg(`{ "since" = ["2024-01-02"], "SINCE" = ["2024-01-02"] }`), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)"SINCE".*"since".*name the same detail field`)},
			{Config: cfg(`{ "since" = ["2024-01-02"] }`), ConfigPlanChecks: emptyPlanAfterApply(), Check: held},
		},
	})
}

// An entitlement's details are checked at plan time as a details
// resource's are: a value outside a SELECT's options, or a key naming no
// field, fails the plan (the apply once created the entitlement, then
// failed on its details, leaving it tainted); a field of this configuration
// counts as planned.
func TestAccEntitlement_planChecksDetails(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("entplan")
	cfg := func(details string) string {
		return s.csmProvider(t, "") + fieldConfig("entitlement", "level", "Level", "SELECT", `["basic", "24x7"]`) + fmt.Sprintf(`
resource "jsm_product" "w" {
  name = "Widget"
}
resource "jsm_customer" "c" {
  email        = %q
  display_name = "Ent"
}
resource "jsm_entitlement" "c" {
  product_id  = jsm_product.w.id
  customer_id = jsm_customer.c.id
  details     = %s
}
`, email, details)
	}
	gold := `"gold" is not an option of the SELECT field "Level" (options: basic, 24x7)`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg(`{ (jsm_entitlement_detail_field.level.name) = ["gold"] }`), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)The apply would fail.*` + wrapped(gold))},
			{Config: cfg(`{ (jsm_entitlement_detail_field.level.name) = ["basic"] }`), ConfigPlanChecks: emptyPlanAfterApply()},
			{Config: cfg(`{ Level = ["gold"] }`), PlanOnly: true, ExpectError: regexp.MustCompile(wrapped(gold))},
			{Config: cfg(`{ Nope = ["x"] }`), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Unknown detail field.*` +
				wrapped(`"Nope" is not an entitlement detail field of the site (its fields: Level)`))},
			{Config: cfg(`{ Level = ["basic"] }`), PlanOnly: true, Check: func(*terraform.State) error {
				if e := site.Entitlements(); len(e) != 1 {
					return fmt.Errorf("entitlements %+v", e)
				}
				return nil
			}},
		},
	})
}

// An import under another owner than the entitlement's fails, naming the
// real owner and the import ID to use, instead of recording an owner the
// site does not have.
func TestAccEntitlement_importWrongOwner(t *testing.T) {
	s := newTestSite(t)
	email, org := randomEmail("entown"), randomName("EntOwn")
	cfg := s.csmProvider(t, "") + fmt.Sprintf(`
resource "jsm_product" "w" {
  name = "Widget"
}
resource "jsm_customer" "c" {
  email        = %q
  display_name = "Ent"
}
resource "jsm_organization" "o" {
  name = %q
}
resource "jsm_entitlement" "o" {
  product_id      = jsm_product.w.id
  organization_id = jsm_organization.o.id
}
`, email, org)
	var wrong, want string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg, Check: func(st *terraform.State) error {
				e := st.RootModule().Resources["jsm_entitlement.o"].Primary.Attributes
				c := st.RootModule().Resources["jsm_customer.c"].Primary.Attributes
				wrong = "customer/" + c["id"] + "/" + e["id"]
				want = "organization/" + e["organization_id"] + "/" + e["id"]
				return nil
			}},
			{Config: cfg, ResourceName: "jsm_entitlement.o", ImportState: true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return wrong, nil },
				ExpectError:       regexp.MustCompile(`(?s)Entitlement of another owner.*belongs to\s+organization\s+\d+,\s+not\s+to\s+customer.*Import\s+it\s+as\s+organization/\d+/[0-9a-f-]{36},`)},
			{Config: cfg, ResourceName: "jsm_entitlement.o", ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return want, nil }},
		},
	})
}

// The owner an entitlement's answer names is compared only where the
// answer carries it, in a kind the provider knows.
func TestEntitlementOtherOwner(t *testing.T) {
	state := entitlementModel{ID: types.StringValue("e1"), CustomerID: types.StringValue("acc"), OrganizationID: types.StringNull()}
	r := &entitlementResource{}
	for _, tc := range []struct {
		e     jsm.Entitlement
		other bool
	}{
		{jsm.Entitlement{}, false},
		{jsm.Entitlement{OwnerType: jsm.EntitlementOfCustomer, OwnerID: "acc"}, false},
		{jsm.Entitlement{OwnerType: "CUSTOMER_ACCOUNT", OwnerID: "acc"}, false},
		{jsm.Entitlement{OwnerID: "acc"}, false},
		{jsm.Entitlement{OwnerType: jsm.EntitlementOfOrganization, OwnerID: "7"}, true},
		{jsm.Entitlement{OwnerType: jsm.EntitlementOfCustomer, OwnerID: "other"}, true},
	} {
		var diags diag.Diagnostics
		if got := r.otherOwner(state, &tc.e, &diags); got != tc.other || diags.HasError() != tc.other {
			t.Errorf("%+v: other owner %v (%v), want %v", tc.e, got, diags, tc.other)
		}
	}
}
