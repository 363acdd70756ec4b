package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccServiceDeskCustomersResource_basic(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	ids := newCustomers(t, s, "Desk", 4)
	a, b, c, d := ids[0], ids[1], ids[2], ids[3]
	cfg := func(ids ...string) string { return deskCustomersConfig(s, closedDeskID, ids) }
	customers := func(want ...string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			return sameMembers("desk customers", site.DeskCustomers(closedDeskID), want...)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:           cfg(a, b),
				ConfigPlanChecks: emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(deskCustomersAddr, tfjsonpath.New("account_ids"), setOfIDs(a, b)),
					statecheck.ExpectKnownValue(deskCustomersAddr, tfjsonpath.New("id"), knownvalue.StringExact(closedDeskID)),
				},
				Check: customers(a, b),
			},
			{ // someone else's customer: no change
				PreConfig:        func() { site.AddDeskCustomers(closedDeskID, c) },
				Config:           cfg(a, b),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{ // removed out of band: added back
				PreConfig: func() {
					if !site.RemoveDeskCustomer(closedDeskID, b) {
						t.Fatal("b was not a customer")
					}
				},
				Config: cfg(a, b),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(deskCustomersAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: customers(a, b, c),
			},
			{Config: cfg(a, b, d), ConfigPlanChecks: emptyPlanAfterApply(), Check: customers(a, b, c, d)},
			{Config: cfg(d), ConfigPlanChecks: emptyPlanAfterApply(), Check: customers(c, d)},
			{Config: cfg(c, d), Check: customers(c, d)},
			{ResourceName: deskCustomersAddr, ImportState: true, ImportStateVerify: true},
			{Config: cfg(c, d), ResourceName: deskCustomersAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
			{ // destroyed: the listed customers go, others stay
				PreConfig: func() { site.AddDeskCustomers(closedDeskID, a) },
				Config:    deskCustomersConfig(s, closedDeskID, nil),
				Check:     customers(a),
			},
		},
	})
}

// A desk open to anyone refuses removals; the error says what to change.
func TestAccServiceDeskCustomersResource_openAccess(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	ids := newCustomers(t, s, "Open", 2)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{ // adding works on an open desk
				Config: deskCustomersConfig(s, openDeskID, ids),
				Check: func(*terraform.State) error {
					return sameMembers("desk customers", site.DeskCustomers(openDeskID), ids...)
				},
			},
			{
				Config:      deskCustomersConfig(s, openDeskID, ids[:1]),
				ExpectError: regexp.MustCompile(`(?s)HTTP 400.*open\s+access.*Who\s+can\s+raise\s+requests`),
			},
			{ // the failed removal is still planned; once the desk is closed it goes through
				PreConfig:        func() { site.SetDeskOpenAccess(openDeskID, false) },
				Config:           deskCustomersConfig(s, openDeskID, ids[:1]),
				ConfigPlanChecks: emptyPlanAfterApply(),
				Check: func(*terraform.State) error {
					return sameMembers("desk customers", site.DeskCustomers(openDeskID), ids[0])
				},
			},
		},
	})
}

// An empty set adds no one, so the create checks that the desk exists:
// otherwise the next refresh would drop the resource and the apply after it
// create it again, forever.
func TestAccServiceDeskCustomersResource_emptySetOnMissingDesk(t *testing.T) {
	s := newTestSite(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: deskCustomersConfig(s, "999", []string{}), ExpectError: regexp.MustCompile(`(?s)Service desk 999.*not`)},
			{Config: deskCustomersConfig(s, closedDeskID, []string{}), ConfigPlanChecks: emptyPlanAfterApply()},
		},
	})
}

func TestAccServiceDeskCustomersResource_exclusive(t *testing.T) {
	testAccMembershipExclusive(t, deskCustomersFixture)
}

func TestAccServiceDeskCustomersResource_exclusiveTurnedOn(t *testing.T) {
	testAccMembershipExclusiveTurnedOn(t, deskCustomersFixture)
}
