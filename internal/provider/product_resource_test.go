package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
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
