package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// The rule both the plan's warning and the apply follow.
func TestMembershipRemovals(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    membershipChange
		want []string
	}{
		{"default: the state's accounts the plan drops",
			membershipChange{want: []string{"a"}, have: []string{"a", "b"}, actual: []string{"a", "b", "c"}}, []string{"b"}},
		{"default: an unlisted member is not this resource's",
			membershipChange{want: []string{"a", "b"}, have: []string{"a", "b"}, actual: []string{"a", "b", "c"}}, nil},
		{"exclusive: a member added by hand goes",
			membershipChange{exclusive: true, wasExclusive: true, want: []string{"a"}, have: []string{"a"}, actual: []string{"a", "c"}}, []string{"c"}},
		{"exclusive: de-listed, recorded and joined since the refresh all go",
			membershipChange{exclusive: true, wasExclusive: true, want: []string{"a"}, have: []string{"a", "b", "c"}, actual: []string{"a", "b", "c", "d"}},
			[]string{"b", "c", "d"}},
		{"exclusive: the members unread (a failed listing), the state's still go",
			membershipChange{exclusive: true, want: []string{"a"}, have: []string{"a", "b"}}, []string{"b"}},
		{"exclusive: nothing unlisted, nothing removed",
			membershipChange{exclusive: true, want: []string{"a", "b"}, have: []string{"a"}, actual: []string{"a"}}, nil},
		{"turned on: members the state never listed go",
			membershipChange{exclusive: true, want: []string{"a"}, have: []string{"a"}, actual: []string{"a", "x", "y"}}, []string{"x", "y"}},
		{"create, exclusive: every unlisted member goes",
			membershipChange{exclusive: true, want: []string{"a"}, actual: []string{"x"}}, []string{"x"}},
		{"turned off: only what the last apply listed can go, not those the exclusive refresh recorded",
			membershipChange{wasExclusive: true, want: []string{"a"}, have: []string{"a", "b", "c"}, applied: []string{"a", "b"}, actual: []string{"a", "b", "c"}},
			[]string{"b"}},
		{"turned off, the last apply listed no one",
			membershipChange{wasExclusive: true, want: []string{}, have: []string{"c"}, applied: []string{}}, nil},
		{"turned off, the last apply unknown: the state's accounts the plan drops",
			membershipChange{wasExclusive: true, want: []string{"a"}, have: []string{"a", "b", "c"}}, []string{"b", "c"}},
	} {
		if got := membershipRemovals(tc.c); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// membershipFixture is one kind of membership on the local site: its
// parent, its configuration and the out-of-band changes the tests make.
type membershipFixture struct {
	addr string
	// parentConfig is the configuration without the membership resource,
	// and parentID finds the parent in the state it applied.
	parentConfig func() string
	parentID     func(st *terraform.State) string
	// config has the resource; exclusive is "" (unset), "true" or "false".
	config  func(ids []string, exclusive string) string
	members func(parent string) []string
	addHand func(parent string, ids ...string) bool
}

func orgMembersFixture(s *testSite, site *jsmsite.Site) membershipFixture {
	name := randomName("Exclusive")
	return membershipFixture{
		addr:         orgMembersAddr,
		parentConfig: func() string { return orgMembersConfig(s, name, nil) },
		parentID:     orgID,
		config: func(ids []string, exclusive string) string {
			return orgMembersConfig(s, name, nil) + membershipBlock("jsm_organization_customers", "organization_id = jsm_organization.test.id", ids, exclusive)
		},
		members: site.OrganizationMembers,
		addHand: site.AddOrganizationMembers,
	}
}

func deskCustomersFixture(s *testSite, site *jsmsite.Site) membershipFixture {
	return membershipFixture{
		addr:         deskCustomersAddr,
		parentConfig: func() string { return deskCustomersConfig(s, closedDeskID, nil) },
		parentID:     func(*terraform.State) string { return closedDeskID },
		config: func(ids []string, exclusive string) string {
			return deskCustomersConfig(s, closedDeskID, nil) + membershipBlock("jsm_service_desk_customers", fmt.Sprintf("service_desk_id = %q", closedDeskID), ids, exclusive)
		},
		members: site.DeskCustomers,
		addHand: site.AddDeskCustomers,
	}
}

func membershipBlock(typ, parent string, ids []string, exclusive string) string {
	ex := ""
	if exclusive != "" {
		ex = "  exclusive   = " + exclusive + "\n"
	}
	return fmt.Sprintf("\nresource %q \"test\" {\n  %s\n  account_ids = %s\n%s}\n", typ, parent, hclList(ids), ex)
}

// An exclusive membership owns the whole set: the create removes members
// it does not list, a member added by hand is drift the next apply removes,
// and the destroy removes every member.
func testAccMembershipExclusive(t *testing.T, fixture func(*testSite, *jsmsite.Site) membershipFixture) {
	s := newTestSite(t)
	site := s.local(t)
	f := fixture(s, site)
	ids := newCustomers(t, s, "Exclusive", 5)
	a, b, early, hand, late := ids[0], ids[1], ids[2], ids[3], ids[4]
	var parent string
	members := func(want ...string) resource.TestCheckFunc {
		return func(*terraform.State) error { return sameMembers("members", f.members(parent), want...) }
	}
	addHand := func(ids ...string) func() {
		return func() {
			if !f.addHand(parent, ids...) {
				t.Fatalf("could not add %v by hand", ids)
			}
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: f.parentConfig(),
				Check:  func(st *terraform.State) error { parent = f.parentID(st); return nil },
			},
			{ // the create removes a member the configuration does not list
				PreConfig:        addHand(early),
				Config:           f.config([]string{a, b}, "true"),
				ConfigPlanChecks: emptyPlanAfterApply(),
				Check:            members(a, b),
			},
			{ // a member added by hand is drift: the plan updates, the apply removes it
				PreConfig: addHand(hand),
				Config:    f.config([]string{a, b}, "true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(f.addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(f.addr, tfjsonpath.New("account_ids"), setOfIDs(a, b)),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(f.addr, tfjsonpath.New("account_ids"), setOfIDs(a, b))},
				Check:             members(a, b),
			},
			{ // an import cannot tell exclusive: it reads false
				ResourceName: f.addr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"exclusive"},
			},
			{ // the destroy removes every member, one who joined since included
				PreConfig: addHand(late),
				Config:    f.parentConfig(),
				Check:     members(),
			},
		},
	})
}

// Turning exclusive on removes the members added by hand; unset and false
// leave them alone.
func testAccMembershipExclusiveTurnedOn(t *testing.T, fixture func(*testSite, *jsmsite.Site) membershipFixture) {
	s := newTestSite(t)
	site := s.local(t)
	f := fixture(s, site)
	ids := newCustomers(t, s, "TurnedOn", 3)
	a, b, hand := ids[0], ids[1], ids[2]
	var parent string
	members := func(want ...string) resource.TestCheckFunc {
		return func(*terraform.State) error { return sameMembers("members", f.members(parent), want...) }
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: f.parentConfig(),
				Check:  func(st *terraform.State) error { parent = f.parentID(st); return nil },
			},
			{Config: f.config([]string{a, b}, ""), Check: members(a, b)},
			{ // unset and false are the same: the hand-added member is left alone
				PreConfig: func() {
					if !f.addHand(parent, hand) {
						t.Fatal("could not add a member by hand")
					}
				},
				Config:           f.config([]string{a, b}, "false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            members(a, b, hand),
			},
			{ // turned on: the apply removes it
				Config: f.config([]string{a, b}, "true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(f.addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: members(a, b),
			},
			{ // turned off again with a member added by hand meanwhile: no one is
				// removed but the one de-listed, and the hand-added stays
				PreConfig: func() {
					if !f.addHand(parent, hand) {
						t.Fatal("could not add a member by hand")
					}
				},
				Config:           f.config([]string{a}, "false"),
				ConfigPlanChecks: emptyPlanAfterApply(),
				Check:            members(a, hand),
			},
		},
	})
}

// membershipValue is a raw value of the resource: nil ids is the null
// object (no state, or a destroy's plan).
func membershipValue(ctx context.Context, r *membershipResource, parent string, ids []string, exclusive bool) tftypes.Value {
	var sch fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &sch)
	typ := sch.Schema.Type().TerraformType(ctx)
	if ids == nil {
		return tftypes.NewValue(typ, nil)
	}
	elems := make([]tftypes.Value, len(ids))
	for i, id := range ids {
		elems[i] = tftypes.NewValue(tftypes.String, id)
	}
	return tftypes.NewValue(typ, map[string]tftypes.Value{
		"id":              tftypes.NewValue(tftypes.String, parent),
		r.kind.parentAttr: tftypes.NewValue(tftypes.String, parent),
		"account_ids":     tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, elems),
		"exclusive":       tftypes.NewValue(tftypes.Bool, exclusive),
	})
}

// An exclusive plan names, by display name and account ID and sorted by
// name, every account its apply will remove: those added by hand, those
// de-listed; turning exclusive on lists the parent's members to find them.
// A plan that removes no one makes no request.
func TestMembershipPlanNamesExclusiveRemovals(t *testing.T) {
	ctx := context.Background()
	s := newTestSite(t)
	site := s.local(t)
	account := func(name string) string {
		acc, err := site.AddCustomer(name, randomEmail("named"))
		if err != nil {
			t.Fatal(err)
		}
		return acc.AccountID
	}
	a, bea, zed := account("Anna Listed"), account("Bea Delisted"), account("Zed Hand")
	org := fmt.Sprint(site.AddOrganization(randomName("Named")).ID)
	site.AddOrganizationMembers(org, a, bea, zed)
	site.AddDeskCustomers(closedDeskID, a, bea, zed)

	for _, tc := range []struct {
		name         string
		state        []string // nil: a create
		wasExclusive bool
		plan         []string // nil: a destroy
		exclusive    bool
		named        []string // in this order; none: no warning
		requests     bool
	}{
		{"exclusive: de-listed and added by hand", []string{a, bea, zed}, true, []string{a}, true, []string{"Bea Delisted", bea, "Zed Hand", zed}, true},
		{"turned on", []string{a, bea}, false, []string{a, bea}, true, []string{"Zed Hand", zed}, true},
		{"create", nil, false, []string{a}, true, []string{"Bea Delisted", bea, "Zed Hand", zed}, true},
		{"exclusive, nothing to remove", []string{a, bea, zed}, true, []string{a, bea, zed}, true, nil, false},
		{"exclusive, only additions", []string{a, bea}, true, []string{a, bea, zed}, true, nil, false},
		{"default", []string{a, bea}, false, []string{a}, false, nil, false},
		{"destroy, exclusive: every member", []string{a, bea}, true, nil, false, []string{"Anna Listed", a, "Bea Delisted", bea, "Zed Hand", zed}, true},
		{"destroy, default", []string{a, bea}, false, nil, false, nil, false},
	} {
		for _, r := range []*membershipResource{
			NewOrganizationCustomersResource().(*membershipResource), NewServiceDeskCustomersResource().(*membershipResource),
		} {
			parent := org
			if r.kind.parentAttr == "service_desk_id" {
				parent = closedDeskID
			}
			r.client = s.client
			var sch fwresource.SchemaResponse
			r.Schema(ctx, fwresource.SchemaRequest{}, &sch)
			plan := membershipValue(ctx, r, parent, tc.plan, tc.exclusive)
			req := fwresource.ModifyPlanRequest{
				State:  tfsdk.State{Schema: sch.Schema, Raw: membershipValue(ctx, r, parent, tc.state, tc.wasExclusive)},
				Plan:   tfsdk.Plan{Schema: sch.Schema, Raw: plan},
				Config: tfsdk.Config{Schema: sch.Schema, Raw: plan},
			}
			resp := fwresource.ModifyPlanResponse{Plan: req.Plan}
			site.ResetRequests()
			r.ModifyPlan(ctx, req, &resp)
			text := diagText(resp.Diagnostics)
			where := r.kind.typeSuffix + ", " + tc.name
			if n := site.RequestCount("", -1); (n > 0) != tc.requests {
				t.Errorf("%s: %d requests", where, n)
			}
			if tc.named == nil {
				if len(resp.Diagnostics) > 0 {
					t.Errorf("%s: want no diagnostics, got %s", where, text)
				}
				continue
			}
			if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
				t.Errorf("%s: want one warning, got %s", where, text)
				continue
			}
			if p := resp.Diagnostics[0].(diag.DiagnosticWithPath).Path(); !p.Equal(path.Root("exclusive")) {
				t.Errorf("%s: the warning is about %s, not exclusive", where, p)
			}
			if !strings.Contains(text, "exclusive") || tc.plan != nil && strings.Contains(text, "Anna Listed") {
				t.Errorf("%s: %s", where, text)
			}
			at := -1
			for _, w := range tc.named {
				i := strings.Index(text, w)
				if i <= at {
					t.Errorf("%s: %q missing or out of order in %s", where, w, text)
				}
				at = i
			}
		}
	}
}
