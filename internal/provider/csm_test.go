package provider

import (
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

const routeTenantInfo = "GET /_edge/tenant_info"

// checkNoCSM fails a test that did not ask for the CSM API but sent it a
// request: a configuration without details must behave exactly as before.
func (s *testSite) checkNoCSM(t *testing.T) {
	if s.csm || s.site == nil {
		return
	}
	for route, counts := range s.site.Requests() {
		if strings.Contains(route, "/jsm/csm/") || route == routeTenantInfo {
			t.Errorf("a test without details sent %v requests to %s", counts, route)
		}
	}
}

// csmProvider is the provider block of a test that uses the CSM API of the
// local site: csm_url points at it, with {cloudId} for the provider to
// fill from /_edge/tenant_info. It authenticates with an OAuth 2.0 access
// token: the CSM gateway refuses the classic API token (TestAccCSM_clearErrors),
// and a scoped token is refused on the site URL (TestAccCSM_cloudIDSources
// uses one through the gateway).
func (s *testSite) csmProvider(t *testing.T, extra string) string {
	t.Helper()
	s.local(t)
	s.csm = true
	return fmt.Sprintf("provider \"jsm\" {\n  url          = %q\n  access_token = %q\n  csm_url      = %q\n%s}\n",
		s.url, testAccessToken, s.url+jsmsite.CSMPrefix, extra)
}

// classicCSMProvider is csmProvider with the classic API token, which the
// CSM gateway refuses by default.
func (s *testSite) classicCSMProvider(t *testing.T) string {
	t.Helper()
	s.local(t)
	s.csm = true
	return fmt.Sprintf("provider \"jsm\" {\n  url       = %q\n  email     = %q\n  api_token = %q\n  csm_url   = %q\n}\n",
		s.url, testEmail, testAPIToken, s.url+jsmsite.CSMPrefix)
}

// csmClient is a client of the local site's CSM API, for out-of-band setup.
func (s *testSite) csmClient(t *testing.T) *jsm.Client {
	t.Helper()
	c, err := jsm.New(jsm.Config{BaseURL: s.url, AccessToken: testAccessToken, CSMURL: s.url + jsmsite.CSMPrefix})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func countRequests(site *jsmsite.Site, route string) int {
	n := 0
	for _, c := range site.Requests()[route] {
		n += c
	}
	return n
}

func fieldConfig(kind, label, name, typ, options string) string {
	opts := ""
	if options != "" {
		opts = "  options = " + options + "\n"
	}
	return fmt.Sprintf("resource \"jsm_%s_detail_field\" %q {\n  name = %q\n  type = %q\n%s}\n", kind, label, name, typ, opts)
}

// Each kind of detail field: created, changed in place (options and name,
// keeping its values), imported by name, replaced on a type change (which
// deletes its values) and destroyed.
func TestAccDetailField_lifecycle(t *testing.T) {
	for _, kind := range []string{jsmsite.KindCustomer, jsmsite.KindOrganization, jsmsite.KindEntitlement} {
		t.Run(kind, func(t *testing.T) {
			s := newTestSite(t)
			site := s.local(t)
			addr := "jsm_" + kind + "_detail_field.region"
			var firstID string
			owner := ""
			storeValue := func(*terraform.State) error {
				fields := site.DetailFields(kind)
				if len(fields) != 1 || fields[0].Name != "Region" || fields[0].Type != "SELECT" ||
					!slices.Equal(fields[0].Options, []string{"AU", "EU"}) {
					return fmt.Errorf("site holds %+v", fields)
				}
				firstID = fields[0].ID
				// A value, set out of band, to see what later steps keep.
				c := s.csmClient(t)
				if kind == jsmsite.KindCustomer {
					a, err := site.AddCustomer("Val", randomEmail("val"))
					if err != nil {
						return err
					}
					owner = a.AccountID
					return c.SetCustomerDetail(context.Background(), owner, "Region", []string{"EU"})
				}
				owner = fmt.Sprint(site.AddOrganization(randomName("Val")).ID)
				if kind == jsmsite.KindEntitlement {
					p, err := c.CreateProduct(context.Background(), "Widget")
					if err != nil {
						return err
					}
					e, err := c.CreateEntitlement(context.Background(), jsm.EntitlementOfOrganization, owner, p.ID)
					if err != nil {
						return err
					}
					owner = e.ID
					return c.SetEntitlementDetail(context.Background(), owner, "Region", []string{"EU"})
				}
				return c.SetOrganizationDetail(context.Background(), owner, "Region", []string{"EU"})
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				CheckDestroy: func(*terraform.State) error {
					if f := site.DetailFields(kind); len(f) != 0 {
						return fmt.Errorf("fields left: %+v", f)
					}
					return nil
				},
				Steps: []resource.TestStep{
					{
						Config:            s.csmProvider(t, "") + fieldConfig(kind, "region", "Region", "SELECT", `["AU", "EU"]`),
						ConfigPlanChecks:  emptyPlanAfterApply(),
						ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(addr, tfjsonpath.New("position"), knownvalue.Int64Exact(1))},
						Check:             storeValue,
					},
					{
						// Rename and new options: one edit, the same field, its value kept.
						Config: s.csmProvider(t, "") + fieldConfig(kind, "region", "Area", "SELECT", `["EU", "APAC"]`),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
						Check: func(*terraform.State) error {
							fields := site.DetailFields(kind)
							if len(fields) != 1 || fields[0].ID != firstID || fields[0].Name != "Area" || !slices.Equal(fields[0].Options, []string{"EU", "APAC"}) {
								return fmt.Errorf("site holds %+v, want field %s renamed", fields, firstID)
							}
							if v := site.DetailValues(kind, owner); !slices.Equal(v["Area"], []string{"EU"}) {
								return fmt.Errorf("value after rename: %v", v)
							}
							return nil
						},
					},
					{ResourceName: addr, ImportState: true, ImportStateId: "Area", ImportStateVerify: true},
					{
						// A new type replaces the field, and its values go with it.
						Config: s.csmProvider(t, "") + fieldConfig(kind, "region", "Area", "MULTISELECT", `["EU", "APAC"]`),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)}},
						Check: func(*terraform.State) error {
							fields := site.DetailFields(kind)
							if len(fields) != 1 || fields[0].ID == firstID || fields[0].Type != "MULTISELECT" {
								return fmt.Errorf("site holds %+v, want a new field", fields)
							}
							if v := site.DetailValues(kind, owner); len(v) != 0 {
								return fmt.Errorf("values survive the replace: %v", v)
							}
							if countRequests(site, routeTenantInfo) == 0 {
								return fmt.Errorf("the cloud ID was not discovered")
							}
							return nil
						},
					},
				},
			})
		})
	}
}

// The limits: 51 options fail at plan time, and so does a 51st field.
func TestAccDetailField_limits(t *testing.T) {
	s := newTestSite(t)
	opts := make([]string, 51)
	for i := range opts {
		opts[i] = fmt.Sprintf("%q", fmt.Sprint("o", i))
	}
	cfg := s.csmProvider(t, "")
	c := s.csmClient(t)
	for i := range jsm.MaxDetailFields {
		if _, err := c.CreateCustomerDetailField(context.Background(), jsm.DetailField{Name: fmt.Sprint("F", i), Type: "TEXT"}); err != nil {
			t.Fatal(err)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg + fieldConfig("customer", "big", "Big", "SELECT", "["+strings.Join(opts, ", ")+"]"), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)options.*at most 50`)},
			{Config: cfg + fieldConfig("customer", "t", "Tier", "TEXT", `["x"]`), PlanOnly: true,
				ExpectError: regexp.MustCompile(`Only SELECT and MULTISELECT fields take options`)},
			{Config: cfg + fieldConfig("customer", "more", "More", "TEXT", ""), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)already has 50 customer detail fields`)},
			{Config: cfg + fieldConfig("customer", "f0", "f0", "TEXT", ""),
				ExpectError: regexp.MustCompile(wrapped(`already exists. To manage the existing field, import it: terraform import jsm_customer_detail_field.<name> "f0"`))},
		},
	})
}

func detailsConfig(s *testSite, t *testing.T, email, details string) string {
	return s.csmProvider(t, "") +
		fieldConfig("customer", "region", "Region", "SELECT", `["AU", "EU", "US"]`) +
		fieldConfig("customer", "tags", "Tags", "MULTISELECT", `["a", "b", "c"]`) +
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

// Values on a customer: written, read back through GET customer, order of a
// MULTISELECT ignored, a value outside a SELECT's options refused with the
// field named, a field dropped from the map cleared, imported, and cleared
// on destroy.
func TestAccCustomerDetails(t *testing.T) {
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
func TestAccOrganizationDetails(t *testing.T) {
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

// The cloud ID: from the gateway form of url or from cloud_id, no
// discovery request; a wrong one fails with the hint.
func TestAccCSM_cloudIDSources(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	s.csm = true
	gw := httptest.NewServer(site.Gateway(site.CloudID()))
	t.Cleanup(gw.Close)
	product := `resource "jsm_product" "p" { name = "Widget" }` + "\n"
	// A scoped API token: taken through the gateway, by the CSM API too.
	gateway := fmt.Sprintf("provider \"jsm\" {\n  url = %q\n  email = %q\n  api_token = %q\n  csm_url = %q\n}\n",
		gw.URL+"/ex/jira/"+site.CloudID(), testEmail, testScopedToken, gw.URL+jsmsite.CSMPrefix)
	noDiscovery := func(*terraform.State) error {
		if n := countRequests(site, routeTenantInfo); n != 0 {
			return fmt.Errorf("tenant_info was asked %d times", n)
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: gateway + product, Check: resource.ComposeTestCheckFunc(noDiscovery,
				func(*terraform.State) error {
					if p := site.Products(); len(p) != 1 || p[0].Name != "Widget" {
						return fmt.Errorf("products %v", p)
					}
					return nil
				})},
			{Config: s.csmProvider(t, fmt.Sprintf("  cloud_id = %q\n", site.CloudID())) + product, Check: noDiscovery},
			{Config: s.csmProvider(t, "  cloud_id = \"not a cloud id\"\n") + product, PlanOnly: true,
				ExpectError: regexp.MustCompile(`Invalid cloud ID`)},
			// Another site's cloud ID answers 404 everywhere, like a feature
			// that is off: the product stays in the state.
			{Config: s.csmProvider(t, "  cloud_id = \"0000-wrong\"\n") + product,
				ExpectError: regexp.MustCompile(`(?s)` + wrapped("check cloud_id") + `.*HTTP 404.*` + wrapped("cloud ID is not this site's"))},
			{Config: s.csmProvider(t, "") + product, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}

// A site without the feature, and the gateway's default refusal of a
// classic API token: clear errors at plan time, the latter saying what
// credential the CSM API needs.
func TestAccCSM_clearErrors(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	field := fieldConfig("customer", "r", "Region", "TEXT", "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{PreConfig: func() { site.SetCSMAnswers(jsmsite.CSMAnswers{FeatureOff: true}) }, Config: s.csmProvider(t, "") + field, PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)HTTP 404.*` + wrapped("Customer and organization profiles feature is not enabled"))},
			{PreConfig: func() { site.SetCSMAnswers(jsmsite.CSMAnswers{}) }, Config: s.classicCSMProvider(t) + field, PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)HTTP 401.*` + wrapped("a classic (unscoped) API token, which the site URL accepts, is the likely cause") +
					`.*` + wrapped("The CSM API needs an OAuth 2.0 access token (access_token), or basic auth with an email and a scoped API token") +
					`.*read:customer.detail-field:jira-service-management`)},
		},
	})
}

// jsm_product: created, renamed in place, imported, destroyed.
func TestAccProduct(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	cfg := func(name string) string {
		return s.csmProvider(t, "") + fmt.Sprintf("resource \"jsm_product\" \"w\" {\n  name = %q\n}\n", name)
	}
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(*terraform.State) error {
			if p := site.Products(); len(p) != 0 {
				return fmt.Errorf("products left: %v", p)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: cfg("Widget"), ConfigPlanChecks: emptyPlanAfterApply(), Check: func(*terraform.State) error {
				p := site.Products()
				if len(p) != 1 || p[0].Name != "Widget" {
					return fmt.Errorf("products %v", p)
				}
				id = p[0].ID
				return nil
			}},
			{Config: cfg("Widget Pro"), Check: func(*terraform.State) error {
				if p := site.Products(); len(p) != 1 || p[0].ID != id || p[0].Name != "Widget Pro" {
					return fmt.Errorf("products %v, want %s renamed", p, id)
				}
				return nil
			}},
			{ResourceName: "jsm_product.w", ImportState: true, ImportStateVerify: true},
		},
	})
}

// The data sources list the fields, and read an object's values.
func TestAccDetailsDataSources(t *testing.T) {
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

// jsm_entitlement: a customer's and an organization's, with details changed
// in place, imported and destroyed.
func TestAccEntitlement(t *testing.T) {
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

// A field of a type the provider does not list (JSM's UI offers a phone
// number type whose API name is not documented) is imported and kept as
// the site names it: the configuration that says so plans nothing, with a
// warning, and the field is not replaced.
func TestAccDetailField_unlistedType(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	f := site.AddDetailField(jsmsite.KindCustomer, "Phone", "PHONE_NUMBER")
	cfg := s.csmProvider(t, "") + "import {\n  to = jsm_customer_detail_field.phone\n  id = \"Phone\"\n}\n" +
		fieldConfig("customer", "phone", "Phone", "PHONE_NUMBER", "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("jsm_customer_detail_field.phone", plancheck.ResourceActionNoop)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue("jsm_customer_detail_field.phone",
				tfjsonpath.New("type"), knownvalue.StringExact("PHONE_NUMBER"))},
			Check: func(*terraform.State) error {
				if got := site.DetailFields(jsmsite.KindCustomer); len(got) != 1 || got[0].ID != f.ID {
					return fmt.Errorf("fields %+v, want field %s kept", got, f.ID)
				}
				return nil
			},
		}},
	})
}
