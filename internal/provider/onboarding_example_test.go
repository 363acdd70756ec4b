package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// onboardingDir copies examples/onboarding, as a user would run it, into a
// directory of the test's, for its people file: the provider block names
// the local site, and the provider's source is hashicorp/jsm, the address
// terraform-plugin-testing serves it at; module sources are absolute paths
// into copies of the modules (terraform-plugin-testing copies a
// configuration directory's files, not its folders); prevent_destroy is
// dropped so that the test can destroy what it made. Nothing else changes.
func onboardingDir(t *testing.T, s *testSite) string {
	t.Helper()
	src, dst := filepath.Join("..", "..", "examples", "onboarding"), t.TempDir()
	modules := filepath.Join(t.TempDir(), "modules")
	for _, m := range []string{"people", "client-company"} {
		b, err := os.ReadFile(filepath.Join(src, "modules", m, "main.tf"))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Replace(string(b), "prevent_destroy = true", "prevent_destroy = false", 1)
		text = strings.Replace(text, `source = "jsmtf/jsm"`, `source = "hashicorp/jsm"`, 1)
		if err := os.MkdirAll(filepath.Join(modules, m), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(modules, m, "main.tf"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(filepath.Join(src, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(b), "provider \"jsm\" {}\n", s.provider(), 1)
	text = strings.ReplaceAll(text, `"./modules/`, `"`+filepath.ToSlash(modules)+`/`)
	text = strings.Replace(text, `source = "jsmtf/jsm"`, `source = "hashicorp/jsm"`, 1)
	for _, changed := range []string{s.provider(), modules, "hashicorp/jsm"} {
		if !strings.Contains(text, filepath.ToSlash(changed)) {
			t.Fatalf("examples/onboarding changed: the test no longer finds what it rewrites (%s)", changed)
		}
	}
	if err := os.WriteFile(filepath.Join(dst, "main.tf"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// writePeople writes the onboarding example's people file.
func writePeople(t *testing.T, dir string, rows ...string) {
	t.Helper()
	text := strings.Join(append([]string{"id,email,display_name,company,hr_access,region,tier"}, rows...), "\n") + "\n"
	if err := os.WriteFile(filepath.Join(dir, "customers.csv"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// siteCheck is a state check that asks the local site, not the state:
// terraform-plugin-testing's Check shims the state into a form that has no
// for_each keys, which the example's resources all have.
type siteCheck func() error

func (f siteCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}

// noDestroys is a plan check: the plan deletes or replaces nothing.
type noDestroys struct{}

func (noDestroys) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Change != nil && rc.Change.Actions.Delete() || rc.Change != nil && rc.Change.Actions.Replace() {
			resp.Error = fmt.Errorf("the plan destroys %s (%v)", rc.Address, rc.Change.Actions)
			return
		}
	}
}

// examples/onboarding as pasted: a person who moves to another company keeps
// their customer (same account, active); only memberships and desk access
// change, and the plan destroys nothing. Rows that would onboard someone
// wrongly fail the plan: one email twice (letter case aside), an hr_access
// that is neither yes nor no.
func TestAccOnboardingExample_personMovesCompany(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	dir := onboardingDir(t, s)
	suffix := strings.ToLower(randomName(""))[1:]
	alice, bob := "alice-"+suffix+"@initech.example", "bob-"+suffix+"@initech.example"
	initech, umbrella := "Initech "+suffix, "Umbrella "+suffix
	aliceRow := "p1," + alice + ",Alice Adams," + initech + ",yes,EMEA,Gold"
	bobAt := func(company, tier string) string { return "p2," + bob + ",Bob Brown," + company + ",no,EMEA," + tier }
	umbrellaRow := "p3,dave-" + suffix + "@umbrella.example,Dave Diaz," + umbrella + ",true,AMER,Silver"

	members := func(name string) []string {
		for _, o := range site.Organizations() {
			if o.Name == name {
				return site.OrganizationMembers(fmt.Sprint(o.ID))
			}
		}
		return nil
	}
	var bobID string
	step := func(rows ...string) tfresource.TestStep {
		return tfresource.TestStep{
			PreConfig:       func() { writePeople(t, dir, rows...) },
			ConfigDirectory: config.StaticDirectory(dir),
			// At the step, not the case: a configuration directory holds
			// its own provider block.
			ProtoV6ProviderFactories: testAccProviders,
		}
	}
	first := step(aliceRow, bobAt(initech, "Gold"), umbrellaRow)
	first.ConfigStateChecks = []statecheck.StateCheck{siteCheck(func() error {
		a, ok := site.AccountByEmail(bob)
		if !ok || !slices.Contains(members(initech), a.AccountID) {
			return fmt.Errorf("bob is not a member of %s: %+v", initech, a)
		}
		bobID = a.AccountID
		return nil
	})}
	moved := step(aliceRow, bobAt(umbrella, "Silver"), umbrellaRow)
	moved.ConfigPlanChecks = tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
		noDestroys{},
		plancheck.ExpectResourceAction(`jsm_customer.person["p2"]`, plancheck.ResourceActionNoop),
	}}
	moved.ConfigStateChecks = []statecheck.StateCheck{siteCheck(func() error {
		a, ok := site.Account(bobID)
		switch {
		case !ok || !a.Active || a.PortalAccessRevoked:
			return fmt.Errorf("bob's account was touched: %+v", a)
		case slices.Contains(members(initech), bobID) || !slices.Contains(members(umbrella), bobID):
			return fmt.Errorf("bob is still in %s, or not in %s", initech, umbrella)
		}
		if n := len(site.AccountsByEmail(bob)); n != 1 {
			return fmt.Errorf("%d accounts hold bob's email, want 1", n)
		}
		return nil
	})}
	twice := step(aliceRow, bobAt(umbrella, "Silver"), strings.Replace(umbrellaRow, "dave-"+suffix+"@umbrella.example", strings.ToUpper(alice), 1))
	twice.ExpectError = regexp.MustCompile(`Two rows hold the same email`)
	badYesNo := step(aliceRow, strings.Replace(bobAt(umbrella, "Silver"), ",no,", ",maybe,", 1), umbrellaRow)
	badYesNo.ExpectError = regexp.MustCompile(`hr_access must be yes or no`)

	// Everyone offboarded: the state ends empty, which terraform-plugin-testing's
	// closing destroy needs (its state shim knows no for_each keys).
	none := step()
	none.ConfigStateChecks = []statecheck.StateCheck{siteCheck(func() error {
		if a, _ := site.Account(bobID); a.Active || !a.PortalAccessRevoked {
			return fmt.Errorf("bob, offboarded, keeps his portal access: %+v", a)
		}
		return nil
	})}
	tfresource.ParallelTest(t, tfresource.TestCase{
		Steps: []tfresource.TestStep{first, moved, twice, badYesNo, none},
	})
}
