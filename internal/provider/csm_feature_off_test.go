package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// featureOffCase is one CSM resource type under a feature switched off
// after its create.
type featureOffCase struct {
	addr    string
	feature string
	off     jsmsite.CSMAnswers
	// setup creates what the configuration refers to, out of band, and
	// returns the configuration (without the provider block).
	setup func(t *testing.T, s *testSite, c *jsm.Client) string
	// count is how many such objects the site holds (no duplicates).
	count func(site *jsmsite.Site) int
	// confirm is the route of the listing that confirms a 404: it must not
	// be asked while the object answers.
	confirm string
	// remove deletes the object (or its owner) out of band, for real.
	remove func(t *testing.T, s *testSite, c *jsm.Client, st *terraform.State)
	// recreateError: the plan after the removal fails so (the owner is
	// gone too), which only a plan to create it again can do.
	recreateError string
	// deleteRoute is the first request of the resource's Delete that its
	// refresh does not send: the feature goes off right there, between
	// the refresh and the delete.
	deleteRoute string
}

func csmRoute(method, path string) string { return method + " " + jsmsite.CSMPrefix + path }

func featureOffCases() map[string]featureOffCase {
	products := jsmsite.CSMAnswers{ProductsOff: true}
	profiles := jsmsite.CSMAnswers{ProfilesOff: true}
	field := func(kind string) featureOffCase {
		feature := jsm.FeatureProfiles
		off := profiles
		if kind == jsmsite.KindEntitlement {
			feature, off = jsm.FeatureProducts, products
		}
		return featureOffCase{
			addr: "jsm_" + kind + "_detail_field.f", feature: feature, off: off,
			deleteRoute: csmRoute("DELETE", "/"+kind+"/details/{fieldName}"),
			setup: func(*testing.T, *testSite, *jsm.Client) string {
				return fieldConfig(kind, "f", "Region", "TEXT", "")
			},
			count: func(site *jsmsite.Site) int { return len(site.DetailFields(kind)) },
			remove: func(t *testing.T, _ *testSite, c *jsm.Client, _ *terraform.State) {
				var err error
				switch kind {
				case jsmsite.KindCustomer:
					err = c.DeleteDetailField(context.Background(), jsm.CustomerDetails, "Region")
				case jsmsite.KindOrganization:
					err = c.DeleteDetailField(context.Background(), jsm.OrganizationDetails, "Region")
				default:
					err = c.DeleteDetailField(context.Background(), jsm.EntitlementDetails, "Region")
				}
				if err != nil {
					t.Fatal(err)
				}
			},
		}
	}
	return map[string]featureOffCase{
		"product": {
			addr: "jsm_product.p", feature: jsm.FeatureProducts, off: products,
			deleteRoute: csmRoute("DELETE", "/product/{productId}"),
			setup: func(*testing.T, *testSite, *jsm.Client) string {
				return "resource \"jsm_product\" \"p\" {\n  name = \"Widget\"\n}\n"
			},
			count:   func(site *jsmsite.Site) int { return len(site.Products()) },
			confirm: csmRoute("GET", "/product"),
			remove: func(t *testing.T, _ *testSite, c *jsm.Client, st *terraform.State) {
				if err := c.DeleteProduct(context.Background(), st.RootModule().Resources["jsm_product.p"].Primary.ID); err != nil {
					t.Fatal(err)
				}
			},
		},
		"customer entitlement":      entitlementOffCase(jsm.EntitlementOfCustomer, products),
		"organization entitlement":  entitlementOffCase(jsm.EntitlementOfOrganization, products),
		"customer detail field":     field(jsmsite.KindCustomer),
		"organization detail field": field(jsmsite.KindOrganization),
		"entitlement detail field":  field(jsmsite.KindEntitlement),
		"customer details": {
			addr: "jsm_customer_details.d", feature: jsm.FeatureProfiles, off: profiles,
			deleteRoute: csmRoute("GET", "/customer/details"),
			setup: func(t *testing.T, s *testSite, c *jsm.Client) string {
				if _, err := c.CreateDetailField(context.Background(), jsm.CustomerDetails, jsm.DetailField{Name: "Region", Type: "TEXT"}); err != nil {
					t.Fatal(err)
				}
				a, err := s.site.AddCustomer("Dee", randomEmail("dee"))
				if err != nil {
					t.Fatal(err)
				}
				return fmt.Sprintf("resource \"jsm_customer_details\" \"d\" {\n  customer_id = %q\n  details = { Region = [\"EU\"] }\n}\n", a.AccountID)
			},
			count:         func(*jsmsite.Site) int { return 1 },
			confirm:       csmRoute("GET", "/customer/details"),
			recreateError: "was deleted. The Customer Service Management API holds details",
			remove: func(t *testing.T, s *testSite, _ *jsm.Client, st *terraform.State) {
				if !s.site.DeleteAccount(st.RootModule().Resources["jsm_customer_details.d"].Primary.ID) {
					t.Fatal("no account to delete")
				}
			},
		},
		"organization details": {
			addr: "jsm_organization_details.d", feature: jsm.FeatureProfiles, off: profiles,
			deleteRoute: csmRoute("GET", "/organization/details"),
			setup: func(t *testing.T, s *testSite, c *jsm.Client) string {
				if _, err := c.CreateDetailField(context.Background(), jsm.OrganizationDetails, jsm.DetailField{Name: "Tier", Type: "TEXT"}); err != nil {
					t.Fatal(err)
				}
				o := s.site.AddOrganization(randomName("Dee"))
				return fmt.Sprintf("resource \"jsm_organization_details\" \"d\" {\n  organization_id = \"%d\"\n  details = { Tier = [\"Gold\"] }\n}\n", o.ID)
			},
			count:         func(*jsmsite.Site) int { return 1 },
			confirm:       csmRoute("GET", "/organization/details"),
			recreateError: "does not exist in JSM. Use an existing organization's ID",
			remove: func(t *testing.T, s *testSite, _ *jsm.Client, st *terraform.State) {
				if !s.site.DeleteOrganization(st.RootModule().Resources["jsm_organization_details.d"].Primary.ID) {
					t.Fatal("no organization to delete")
				}
			},
		},
	}
}

// entitlementOffCase: an entitlement of a customer or an organization to a
// product made out of band, so that only the entitlement is refreshed.
func entitlementOffCase(kind string, off jsmsite.CSMAnswers) featureOffCase {
	return featureOffCase{
		addr: "jsm_entitlement.e", feature: jsm.FeatureProducts, off: off,
		deleteRoute: csmRoute("DELETE", "/entitlement/{entitlementId}"),
		setup: func(t *testing.T, s *testSite, c *jsm.Client) string {
			p, err := c.CreateProduct(context.Background(), "Widget")
			if err != nil {
				t.Fatal(err)
			}
			if kind == jsm.EntitlementOfCustomer {
				a, err := s.site.AddCustomer("Ent", randomEmail("ent"))
				if err != nil {
					t.Fatal(err)
				}
				return fmt.Sprintf("resource \"jsm_entitlement\" \"e\" {\n  product_id = %q\n  customer_id = %q\n}\n", p.ID, a.AccountID)
			}
			o := s.site.AddOrganization(randomName("Ent"))
			return fmt.Sprintf("resource \"jsm_entitlement\" \"e\" {\n  product_id = %q\n  organization_id = \"%d\"\n}\n", p.ID, o.ID)
		},
		count: func(site *jsmsite.Site) int { return len(site.Entitlements()) },
		confirm: csmRoute("GET", map[string]string{jsm.EntitlementOfCustomer: "/customer/{customerId}/entitlement",
			jsm.EntitlementOfOrganization: "/organization/{organizationId}/entitlement"}[kind]),
		remove: func(t *testing.T, _ *testSite, c *jsm.Client, st *terraform.State) {
			if err := c.DeleteEntitlement(context.Background(), st.RootModule().Resources["jsm_entitlement.e"].Primary.ID); err != nil {
				t.Fatal(err)
			}
		},
	}
}

// A feature switched off after the create (or missing from the plan)
// answers 404 on every path: each CSM resource type's refresh then fails
// naming the feature, and keeps the object, so that turning the feature
// back on plans nothing and creates no duplicate. While the object answers,
// the refresh sends no confirming listing. A real deletion, which the
// feature's listing (or JSM, for the owner of details) confirms, still
// leaves the state.
func TestAccCSM_featureOffIsNotADeletion(t *testing.T) {
	for name, c := range featureOffCases() {
		t.Run(name, func(t *testing.T) {
			s := newTestSite(t)
			site := s.local(t)
			client := s.csmClient(t)
			cfg := s.csmProvider(t, "") + c.setup(t, s, client)
			var before int
			var created *terraform.State
			var armed atomic.Bool // switch the feature off on the delete's first request
			site.Use(func(route string, next http.Handler) http.Handler {
				if route != c.deleteRoute {
					return next
				}
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if armed.CompareAndSwap(true, false) {
						site.SetCSMAnswers(c.off)
					}
					next.ServeHTTP(w, r)
				})
			})
			again := resource.TestStep{
				// The feature is back: the object was kept, nothing to
				// create, and a refresh that finds it lists nothing.
				PreConfig: func() {
					site.SetCSMAnswers(jsmsite.CSMAnswers{})
					site.ResetRequests()
				},
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(*terraform.State) error {
					if n := c.count(site); n != before {
						return fmt.Errorf("the site holds %d, want %d: a duplicate", n, before)
					}
					if c.confirm != "" {
						if n := countRequests(site, c.confirm); n != 0 {
							return fmt.Errorf("%d confirming requests to %s for an object that answers", n, c.confirm)
						}
					}
					return nil
				},
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{
					{Config: cfg, Check: func(st *terraform.State) error { before, created = c.count(site), st; return nil }},
					{
						PreConfig:    func() { site.SetCSMAnswers(c.off) },
						RefreshState: true,
						ExpectError: regexp.MustCompile(`(?s)` + wrapped(fmt.Sprintf("The JSM feature %q does not answer", c.feature)) +
							`.*` + wrapped("it stays in the state") + `.*` + wrapped(fmt.Sprintf("turn %q on again", c.feature))),
					},
					again,
					{
						// The feature goes off between the refresh and the
						// delete: the delete fails naming it, and the object
						// stays in the state.
						PreConfig: func() { armed.Store(true) },
						Config:    s.csmProvider(t, ""),
						ExpectError: regexp.MustCompile(`(?s)` + wrapped(fmt.Sprintf("The JSM feature %q does not answer", c.feature)) +
							`.*Deleting`),
					},
					again,
					deletedStep(c, func() { c.remove(t, s, client, created) }),
				},
			})
		})
	}
}

// deletedStep: deleted for real, the refresh confirms it and drops it.
func deletedStep(c featureOffCase, remove func()) resource.TestStep {
	step := resource.TestStep{
		PreConfig:          remove,
		RefreshState:       true,
		ExpectNonEmptyPlan: true,
		Check: func(st *terraform.State) error {
			if _, ok := st.RootModule().Resources[c.addr]; ok {
				return fmt.Errorf("%s is still in the state after its deletion", c.addr)
			}
			return nil
		},
	}
	if c.recreateError != "" {
		step.ExpectError = regexp.MustCompile(wrapped(c.recreateError))
	}
	return step
}
