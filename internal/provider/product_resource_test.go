package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// jsm_product: created, renamed in place, imported, destroyed.
func TestAccProduct_basic(t *testing.T) {
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

// With the products feature off, creating a product fails at plan time,
// as the apply would; a product that stays asks for no listing.
func TestAccProduct_featureOffFailsThePlan(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	cfg := s.csmProvider(t, "") + "resource \"jsm_product\" \"p\" {\n  name = \"Gold support\"\n}\n"
	listRoute := csmRoute("GET", "/product")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { site.SetCSMAnswers(jsmsite.CSMAnswers{ProductsOff: true}) },
				Config:      cfg,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)The JSM feature "Products and entitlements" does not answer.*creating the\s+product would fail`),
			},
			{
				PreConfig: func() { site.SetCSMAnswers(jsmsite.CSMAnswers{}) },
				Config:    cfg,
			},
			{ // a plan that creates no product lists none
				PreConfig: func() { site.ResetRequests() },
				Config:    cfg,
				PlanOnly:  true,
				Check: func(*terraform.State) error {
					if n := site.RequestCount(listRoute, -1); n != 0 {
						return fmt.Errorf("%d product listings in a plan that creates no product", n)
					}
					return nil
				},
			},
		},
	})
}

// Credentials the CSM API refuses (here a classic API token) fail the plan
// of a new product, as the create would.
func TestAccProduct_refusedCredentialsFailThePlan(t *testing.T) {
	s := newTestSite(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      s.classicCSMProvider(t) + "resource \"jsm_product\" \"p\" {\n  name = \"Refused\"\n}\n",
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)The site refused the provider's credentials.*HTTP 401`),
		}},
	})
}
