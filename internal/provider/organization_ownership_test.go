package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// organizationsNamed are the site's organizations of the name, letter case aside.
func organizationsNamed(site *jsmsite.Site, name string) []jsmsite.Organization {
	var out []jsmsite.Organization
	for _, o := range site.Organizations() {
		if strings.EqualFold(o.Name, name) {
			out = append(out, o)
		}
	}
	return out
}

// An organization resource renamed without a moved block, with
// adopt_existing = true: the plan deletes the old address's organization and
// adopts it at the new one. Run together, the delete wins or the create
// makes an empty organization: the plan fails, naming the moved block,
// whichever side Terraform plans second. With the block the plan is empty
// and the organization keeps its ID.
func TestAccOrganizationResource_renamedWithoutMoved(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Renamed Org")
	cfg := func(address, moved string) string {
		return s.provider() + fmt.Sprintf(`
resource "jsm_organization" %q {
  name           = %q
  adopt_existing = true
}
%s`, address, name, moved)
	}
	var id string
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{
			{Config: cfg("acme", ""), Check: func(st *terraform.State) error {
				id = st.RootModule().Resources["jsm_organization.acme"].Primary.ID
				return nil
			}},
			{
				Config: cfg("acme_corp", ""),
				ExpectError: regexp.MustCompile(`(?s)A destroyed organization's name is declared again.*` + regexp.QuoteMeta(name) +
					`.*moved\s+\{`),
			},
			{
				Config:           cfg("acme_corp", "moved {\n  from = jsm_organization.acme\n  to   = jsm_organization.acme_corp\n}\n"),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(*terraform.State) error {
					if orgs := organizationsNamed(site, name); len(orgs) != 1 || fmt.Sprint(orgs[0].ID) != id {
						return fmt.Errorf("the organization was not kept: %+v, want ID %s", orgs, id)
					}
					return nil
				},
			},
		},
	})
}

// create_before_destroy with a replacement (a taint) and adopt_existing: the
// new object adopts the organization first, and the deposed object's
// destroy, which would delete it, leaves it to its replacement.
func TestAccOrganizationResource_createBeforeDestroyKeepsTheOrganization(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("CBD Org")
	cfg := s.provider() + fmt.Sprintf(`
resource "jsm_organization" "test" {
  name           = %q
  adopt_existing = true
  lifecycle {
    create_before_destroy = true
  }
}
`, name)
	var id string
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{
			{Config: cfg, Check: func(st *terraform.State) error {
				id = st.RootModule().Resources[orgAddr].Primary.ID
				return nil
			}},
			{
				Config: cfg,
				Taint:  []string{orgAddr},
				Check: func(st *terraform.State) error {
					orgs := organizationsNamed(site, name)
					if got := st.RootModule().Resources[orgAddr].Primary.ID; len(orgs) != 1 || fmt.Sprint(orgs[0].ID) != id || got != id {
						return fmt.Errorf("after the replacement the state holds %s and the site %+v, want %s", got, orgs, id)
					}
					return nil
				},
			},
		},
	})
}
