package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// An entitlement create whose answer cannot be read (no id, an array: the
// shape is not documented) has created the entitlement all the same: the
// provider finds it among the owner's entitlements to the product, so the
// state holds it and the next apply plans nothing, rather than failing and
// creating a duplicate. When the owner holds several, it says so instead of
// guessing.
func TestAccEntitlement_unreadableCreateAnswer(t *testing.T) {
	for _, answer := range []string{jsmsite.EntitlementAnswerNoID, jsmsite.EntitlementAnswerArray} {
		t.Run(answer, func(t *testing.T) {
			s := newTestSite(t)
			site := s.local(t)
			c := s.csmClient(t)
			p, err := c.CreateProduct(context.Background(), "Widget")
			if err != nil {
				t.Fatal(err)
			}
			cust, err := site.AddCustomer("Ent", randomEmail("ent"))
			if err != nil {
				t.Fatal(err)
			}
			org := site.AddOrganization(randomName("Ent"))
			site.SetCSMAnswers(jsmsite.CSMAnswers{EntitlementCreateAnswer: answer})
			cfg := s.csmProvider(t, "") + fmt.Sprintf(`resource "jsm_entitlement" "c" {
  product_id  = %q
  customer_id = %q
}
resource "jsm_entitlement" "o" {
  product_id      = %q
  organization_id = "%d"
}
`, p.ID, cust.AccountID, p.ID, org.ID)
			held := func(st *terraform.State) error {
				ents := site.Entitlements()
				if len(ents) != 2 {
					return fmt.Errorf("the site holds %d entitlements, want 2: %+v", len(ents), ents)
				}
				for _, e := range ents {
					addr := map[string]string{"CUSTOMER": "jsm_entitlement.c", "ORGANIZATION": "jsm_entitlement.o"}[e.EntityType]
					if got := st.RootModule().Resources[addr].Primary.ID; got != e.ID {
						return fmt.Errorf("%s has ID %q, the site's entitlement is %q", addr, got, e.ID)
					}
				}
				return nil
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{
					{Config: cfg, ConfigPlanChecks: emptyPlanAfterApply(), Check: held},
				},
			})
		})
	}
}

// Several entitlements of the owner to the product: the provider cannot
// tell which one its create made, and says so, naming them.
func TestAccEntitlement_unreadableCreateAnswerAmbiguous(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	c := s.csmClient(t)
	p, err := c.CreateProduct(context.Background(), "Widget")
	if err != nil {
		t.Fatal(err)
	}
	org := site.AddOrganization(randomName("Ent"))
	if _, err := c.CreateEntitlement(context.Background(), jsm.EntitlementOfOrganization, fmt.Sprint(org.ID), p.ID); err != nil {
		t.Fatal(err)
	}
	site.SetCSMAnswers(jsmsite.CSMAnswers{EntitlementCreateAnswer: jsmsite.EntitlementAnswerNoID})
	cfg := s.csmProvider(t, "") + fmt.Sprintf("resource \"jsm_entitlement\" \"o\" {\n  product_id = %q\n  organization_id = \"%d\"\n}\n", p.ID, org.ID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg, ExpectError: regexp.MustCompile(`(?s)` + wrapped("answered no entitlement id") + `.*` +
				wrapped(fmt.Sprintf("holds 2 entitlements to product %s", p.ID)) + `.*` + wrapped("import the one to manage"))},
		},
	})
}

// An entitlement create whose answer is lost after the site applied it
// (a 502, every time) is not sent again, which could make a duplicate:
// the owner's listing finds it, and the state holds it.
func TestAccEntitlement_lostCreateAnswer(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	c := s.csmClient(t)
	p, err := c.CreateProduct(context.Background(), "Widget")
	if err != nil {
		t.Fatal(err)
	}
	org := site.AddOrganization(randomName("Ent"))
	cfg := s.csmProvider(t, "") + fmt.Sprintf("resource \"jsm_entitlement\" \"o\" {\n  product_id = %q\n  organization_id = \"%d\"\n}\n", p.ID, org.ID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			PreConfig: setFaults(t, site, jsmsite.Faults{CommitThen502: 1}),
			Config:    cfg,
			Check: func(st *terraform.State) error {
				ents := site.Entitlements()
				if len(ents) != 1 {
					return fmt.Errorf("the site holds %d entitlements, want 1: %+v", len(ents), ents)
				}
				if got := st.RootModule().Resources["jsm_entitlement.o"].Primary.ID; got != ents[0].ID {
					return fmt.Errorf("state ID %q, site %q", got, ents[0].ID)
				}
				if n := site.RequestCount(csmRoute("POST", "/organization/{organizationId}/entitlement"), 502); n != 1 {
					return fmt.Errorf("%d creates sent, want 1", n)
				}
				return site.SetFaults(jsmsite.Faults{}) // for the destroy
			},
		}},
	})
}
