package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// csmOrgConfig is an organization with a member and a service desk, on the
// local site's CSM-capable provider; extra goes into the organization.
func csmOrgConfig(t *testing.T, s *testSite, name, member, extra string) string {
	t.Helper()
	return s.csmProvider(t, "") + fmt.Sprintf(`
resource "jsm_organization" "test" {
  name = %q
%s
}

resource "jsm_organization_customers" "test" {
  organization_id = jsm_organization.test.id
  account_ids     = [%q]
}

resource "jsm_service_desk_organization" "test" {
  service_desk_id = "1"
  organization_id = jsm_organization.test.id
}
`, name, extra, member)
}

// With csm_lifecycle = true a rename updates the organization in place: it
// keeps its ID, its members and its service desk, and the next plan is
// empty. Without it the same change replaces the organization.
func TestAccOrganizationResource_csmRenameInPlace(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	member, err := site.AddCustomer("Org Member", randomEmail("csm-org"))
	if err != nil {
		t.Fatal(err)
	}
	oldName, newName := randomName("Before"), randomName("After")
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:            csmOrgConfig(t, s, oldName, member.AccountID, ""),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(orgAddr, tfjsonpath.New("id"))},
			},
			{
				Config:             csmOrgConfig(t, s, newName, member.AccountID, ""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(orgAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
			},
			{
				Config: csmOrgConfig(t, s, newName, member.AccountID, "  csm_lifecycle = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orgAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(orgAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(orgAddr, tfjsonpath.New("name"), knownvalue.StringExact(newName)),
				},
				Check: func(st *terraform.State) error {
					id := orgID(st)
					o, ok := site.Organization(id)
					if !ok || o.Name != newName {
						return fmt.Errorf("the site's organization %s: %+v", id, o)
					}
					if err := sameMembers("members", o.Members, member.AccountID); err != nil {
						return err
					}
					if !slices.Contains(site.DeskOrganizations("1"), id) {
						return fmt.Errorf("organization %s lost its service desk: %v", id, site.DeskOrganizations("1"))
					}
					if n := len(site.Organizations()); n != 1 {
						return fmt.Errorf("the site holds %d organizations", n)
					}
					if n := countRequests(site, routeRenameOrg); n != 1 {
						return fmt.Errorf("%d renames sent, want 1", n)
					}
					return nil
				},
			},
		},
	})
}

// A rename answered 204 with no body is read back through JSM and applies
// green; the next plan is empty. A rename answered success that JSM does not
// show fails, saying the site still shows the old name.
func TestAccOrganizationResource_csmRenameReadBack(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	first, second, third := randomName("First"), randomName("Second"), randomName("Third")
	cfg := func(n string) string {
		return s.csmProvider(t, "") + fmt.Sprintf("resource \"jsm_organization\" \"test\" {\n  name = %q\n  csm_lifecycle = true\n}\n", n)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg(first)},
			{
				PreConfig: func() { site.SetCSMAnswers(jsmsite.CSMAnswers{RenameAnswersNoContent: true}) },
				Config:    cfg(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orgAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				PreConfig: func() { site.SetCSMAnswers(jsmsite.CSMAnswers{RenameNotApplied: true}) },
				Config:    cfg(third),
				ExpectError: regexp.MustCompile(`(?s)Could not rename the JSM organization.*` +
					wrapped(fmt.Sprintf(`the site answered success, but JSM's read of the organization still shows %q`, second)) +
					`.*` + wrapped("rename it in JSM instead")),
			},
			{
				PreConfig: func() {
					site.SetCSMAnswers(jsmsite.CSMAnswers{})
					if o := site.Organizations(); len(o) != 1 || o[0].Name != second {
						t.Errorf("the site's organizations: %+v", o)
					}
				},
				Config:   cfg(second),
				PlanOnly: true,
			},
		},
	})
}

// A site without the CSM organization operations (404) fails the rename at
// apply with what they need; the organization and the state keep the old
// name, and the old configuration plans nothing.
func TestAccOrganizationResource_csmRenameUnavailable(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Stays")
	cfg := func(n string) string {
		return s.csmProvider(t, "") + fmt.Sprintf("resource \"jsm_organization\" \"test\" {\n  name = %q\n  csm_lifecycle = true\n}\n", n)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg(name)},
			{
				PreConfig: func() { site.SetCSMAnswers(jsmsite.CSMAnswers{AccountAPIOff: true}) },
				Config:    cfg(name + " Renamed"),
				ExpectError: regexp.MustCompile(`(?s)Could not rename the JSM organization.*HTTP 404.*` +
					`write:organization:jira-service-management.*` + wrapped("set csm_lifecycle = false") + `.*` +
					wrapped("a rename replaces the organization")),
			},
			{
				PreConfig: func() {
					if o := site.Organizations(); len(o) != 1 || o[0].Name != name {
						t.Errorf("the site's organizations: %+v", o)
					}
				},
				Config:   cfg(name),
				PlanOnly: true,
			},
		},
	})
}

// An in-place rename to a name another organization has, letter case
// aside, fails at plan time, as the apply would; nothing is renamed. A
// case-only rename of the organization itself is no conflict.
func TestAccOrganizationResource_csmRenameToTakenName(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Mine")
	other := site.AddOrganization(randomName("Theirs"))
	cfg := func(n string) string {
		return s.csmProvider(t, "") + fmt.Sprintf("resource \"jsm_organization\" \"test\" {\n  name = %q\n  csm_lifecycle = true\n}\n", n)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg(name)},
			{
				Config: cfg(strings.ToUpper(other.Name)), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)already exists.*` + regexp.QuoteMeta(fmt.Sprintf("(ID %d)", other.ID)) +
					`.*Choose another name`),
			},
			{
				Config: cfg(strings.ToUpper(name)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(orgAddr, plancheck.ResourceActionUpdate)},
				},
				Check: func(*terraform.State) error {
					if n := countRequests(site, routeRenameOrg); n != 1 {
						return fmt.Errorf("%d renames sent, want only the case-only one", n)
					}
					if o, _ := site.Organization(fmt.Sprint(other.ID)); o.Name != other.Name {
						return fmt.Errorf("the other organization became %q", o.Name)
					}
					return nil
				},
			},
		},
	})
}
