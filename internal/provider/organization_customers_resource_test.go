package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
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

func TestAccOrganizationCustomersResource_basic(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	ids := newCustomers(t, s, "Member", 4)
	a, b, c, d := ids[0], ids[1], ids[2], ids[3]
	name := randomName("Members")
	var org string
	members := func(want ...string) resource.TestCheckFunc {
		return func(st *terraform.State) error {
			org = orgID(st)
			return sameMembers("organization members", site.OrganizationMembers(org), want...)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:           orgMembersConfig(s, name, []string{a, b}),
				ConfigPlanChecks: emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orgMembersAddr, tfjsonpath.New("account_ids"), setOfIDs(a, b)),
					statecheck.CompareValuePairs(orgMembersAddr, tfjsonpath.New("id"), orgAddr, tfjsonpath.New("id"), compare.ValuesSame()),
					statecheck.CompareValuePairs(orgMembersAddr, tfjsonpath.New("organization_id"), orgAddr, tfjsonpath.New("id"), compare.ValuesSame()),
				},
				Check: members(a, b),
			},
			{ // a portal sign-up (c) is not this resource's: no change
				PreConfig:        func() { site.AddOrganizationMembers(org, c) },
				Config:           orgMembersConfig(s, name, []string{a, b}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{ // a listed member removed out of band is drift: added back
				PreConfig: func() {
					if !site.RemoveOrganizationMember(org, a) {
						t.Fatal("a was not a member")
					}
				},
				Config: orgMembersConfig(s, name, []string{a, b}),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orgMembersAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: members(a, b, c),
			},
			{ // grow
				Config:            orgMembersConfig(s, name, []string{a, b, d}),
				ConfigPlanChecks:  emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(orgMembersAddr, tfjsonpath.New("account_ids"), setOfIDs(a, b, d))},
				Check:             members(a, b, c, d),
			},
			{ // shrink: only the listed ones go, c stays
				Config:            orgMembersConfig(s, name, []string{d}),
				ConfigPlanChecks:  emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(orgMembersAddr, tfjsonpath.New("account_ids"), setOfIDs(d))},
				Check:             members(c, d),
			},
			{ // list every member, so an import (which takes them all) matches
				Config: orgMembersConfig(s, name, []string{c, d}),
				Check:  members(c, d),
			},
			{ResourceName: orgMembersAddr, ImportState: true, ImportStateVerify: true},
			{ // an import {} block: the plan must be a no-op import
				Config:          orgMembersConfig(s, name, []string{c, d}),
				ResourceName:    orgMembersAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
			{ // destroy the memberships alone: listed ones removed, the organization stays
				PreConfig: func() { site.AddOrganizationMembers(org, a) },
				Config:    orgMembersConfig(s, name, nil),
				Check:     members(a),
			},
		},
	})
}

func TestAccOrganizationCustomersResource_importTakesAllMembers(t *testing.T) {
	s := newTestSite(t)
	ids := newCustomers(t, s, "Imported", 3)
	ctx := context.Background()
	org, err := s.client.CreateOrganization(ctx, randomName("Import Members"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.client.AddOrganizationMembers(ctx, org.ID, ids); err != nil {
		t.Fatal(err)
	}
	cfg := s.provider() + fmt.Sprintf(`
resource "jsm_organization_customers" "test" {
  organization_id = %q
  account_ids     = %s
}
`, org.ID, hclList(ids))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:          cfg,
				ResourceName:    orgMembersAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   org.ID,
			},
			{
				Config:        cfg,
				ResourceName:  orgMembersAddr,
				ImportState:   true,
				ImportStateId: "acme",
				ExpectError:   regexp.MustCompile(`Import by organization ID`),
			},
		},
	})
}

// 120 members take 3 POSTs of at most 50, and are read back through the pages.
func TestAccOrganizationCustomersResource_batches(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	ids := make([]string, 120)
	for i := range ids {
		acc, err := site.AddCustomer(fmt.Sprintf("Bulk %03d", i), fmt.Sprintf("bulk-%03d@example.com", i))
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = acc.AccountID
	}
	var posts, gets atomic.Int64
	site.Use(func(route string, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch route {
			case "POST /rest/servicedeskapi/organization/{organizationId}/user":
				posts.Add(1)
			case "GET /rest/servicedeskapi/organization/{organizationId}/user":
				gets.Add(1)
			}
			next.ServeHTTP(w, r)
		})
	})
	var _ jsmsite.Middleware // the counter is an ordinary site middleware
	name, org := randomName("Bulk"), ""
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { posts.Store(0) },
				Config:    orgMembersConfig(s, name, ids),
				Check: func(st *terraform.State) error {
					if n := posts.Load(); n != 3 {
						return fmt.Errorf("%d POSTs to the members endpoint, want 3", n)
					}
					org = orgID(st)
					return sameMembers("members", site.OrganizationMembers(org), ids...)
				},
			},
			{ // a refresh reads all three pages and finds nothing to do
				PreConfig:        func() { gets.Store(0) },
				Config:           orgMembersConfig(s, name, ids),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orgMembersAddr, tfjsonpath.New("account_ids"), knownvalue.SetSizeExact(120)),
				},
				Check: func(*terraform.State) error {
					if n := gets.Load(); n < 3 || n%3 != 0 {
						return fmt.Errorf("%d GETs of the member pages, want a multiple of 3 (50+50+20 per read)", n)
					}
					return nil
				},
			},
			{ // an admin removes 30 members: the list is shorter than the state
				// expects, and the refresh still finds exactly who left
				PreConfig: func() {
					for _, id := range ids[45:75] {
						if !site.RemoveOrganizationMember(org, id) {
							t.Fatalf("could not remove %s", id)
						}
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true, // the 30 are to be added back
				Check: func(st *terraform.State) error {
					var held []string
					for k, v := range st.RootModule().Resources[orgMembersAddr].Primary.Attributes {
						if strings.HasPrefix(k, "account_ids.") && k != "account_ids.#" {
							held = append(held, v)
						}
					}
					return sameMembers("account_ids after the refresh", held, append(ids[:45:45], ids[75:]...)...)
				},
			},
			{ // and the apply adds them back
				Config:           orgMembersConfig(s, name, ids),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(orgMembersAddr, plancheck.ResourceActionUpdate)}},
				Check: func(st *terraform.State) error {
					return sameMembers("members", site.OrganizationMembers(orgID(st)), ids...)
				},
			},
		},
	})
}

func TestAccOrganizationCustomersResource_unknownAccount(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	ids := newCustomers(t, s, "Valid", 1)
	name := randomName("Unknown")
	ghost := "qm:00000000-0000-4000-8000-000000000000:00000000000000000000000"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      orgMembersConfig(s, name, []string{ids[0], ghost}),
				ExpectError: regexp.MustCompile(`(?s)do not exist.*` + regexp.QuoteMeta(ghost)),
			},
			{ // JSM added the valid one anyway; fixing the list adopts it
				Config: orgMembersConfig(s, name, ids),
				Check: func(st *terraform.State) error {
					return sameMembers("members", site.OrganizationMembers(orgID(st)), ids...)
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
			},
		},
	})
}

// Offboarding the last person is an empty set: it removes that member,
// keeps the resource, and leaves other members alone; the set can grow
// again.
func TestAccOrganizationCustomersResource_emptySet(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	ids := newCustomers(t, s, "Last", 2)
	a, other := ids[0], ids[1]
	name := randomName("Offboard")
	members := func(want ...string) resource.TestCheckFunc {
		return func(st *terraform.State) error {
			return sameMembers("members", site.OrganizationMembers(orgID(st)), want...)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: orgMembersConfig(s, name, []string{a}), Check: members(a)},
			{
				PreConfig: func() {
					for _, o := range site.Organizations() {
						if o.Name == name && site.AddOrganizationMembers(strconv.FormatInt(o.ID, 10), other) {
							return
						}
					}
					t.Fatalf("no organization %q to add a member to", name)
				},
				Config: orgMembersConfig(s, name, []string{}),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("jsm_organization_customers.test", plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: members(other),
			},
			{Config: orgMembersConfig(s, name, []string{a}), ConfigPlanChecks: emptyPlanAfterApply(), Check: members(a, other)},
		},
	})
}

func TestAccOrganizationCustomersResource_exclusive(t *testing.T) {
	testAccMembershipExclusive(t, orgMembersFixture)
}

func TestAccOrganizationCustomersResource_exclusiveTurnedOn(t *testing.T) {
	testAccMembershipExclusiveTurnedOn(t, orgMembersFixture)
}
