package provider

import (
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccServiceDeskOrganizationResource_basic(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Linked")
	var org string
	linked := func(desk string, want bool) resource.TestCheckFunc {
		return func(st *terraform.State) error {
			org = orgID(st)
			if got := slices.Contains(site.DeskOrganizations(desk), org); got != want {
				return fmt.Errorf("organization %s linked to desk %s: %v, want %v", org, desk, got, want)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:           deskOrgConfig(s, name, "1", true),
				ConfigPlanChecks: emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(deskOrgAddr, tfjsonpath.New("id"), knownStringRegexp(`^1/[1-9][0-9]*$`)),
				},
				Check: linked("1", true),
			},
			{ResourceName: deskOrgAddr, ImportState: true, ImportStateVerify: true},
			{Config: deskOrgConfig(s, name, "1", true), ResourceName: deskOrgAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
			{ // unlinked out of band: linked again
				PreConfig: func() {
					if !site.RemoveDeskOrganization("1", org) {
						t.Fatal("not linked")
					}
				},
				Config: deskOrgConfig(s, name, "1", true),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(deskOrgAddr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: linked("1", true),
			},
			{ // another desk replaces the link
				Config: deskOrgConfig(s, name, "2", true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(deskOrgAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(linked("1", false), linked("2", true)),
			},
			{ // destroyed: the link goes, the organization stays
				Config: deskOrgConfig(s, name, "2", false),
				Check: func(st *terraform.State) error {
					if _, ok := site.Organization(orgID(st)); !ok {
						return fmt.Errorf("the organization is gone")
					}
					return linked("2", false)(st)
				},
			},
			{
				Config:        deskOrgConfig(s, name, "2", true),
				ResourceName:  deskOrgAddr,
				ImportState:   true,
				ImportStateId: "IT/1",
				ExpectError:   regexp.MustCompile(`<service_desk_id>/<organization_id>`),
			},
		},
	})
}

func TestAccServiceDeskOrganizationResource_unknownDesk(t *testing.T) {
	s := newTestSite(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: deskOrgConfig(s, randomName("Nowhere"), "IT", true), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)service_desk_id.*data.jsm_service_desk`)},
			{Config: deskOrgConfig(s, randomName("Nowhere"), "999", true), ExpectError: regexp.MustCompile(`(?s)HTTP 404`)},
		},
	})
}
