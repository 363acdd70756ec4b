package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccCustomerResource_basic(t *testing.T) {
	s := newTestSite(t)
	email := randomEmail("fred")
	cfg := customerConfig(s, email, "Fred F. User", "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(accountIDPattern))),
					statecheck.CompareValuePairs(customerAddr, tfjsonpath.New("id"), customerAddr, tfjsonpath.New("account_id"), compare.ValuesSame()),
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("email"), knownvalue.StringExact(email)),
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("display_name"), knownvalue.StringExact("Fred F. User")),
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("account_type"), knownvalue.StringExact("customer")),
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("on_destroy"), knownvalue.StringExact("forget")),
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("adopt_existing"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("links").AtMapKey("self"), knownvalue.StringRegexp(regexp.MustCompile(`^https?://`))),
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("links").AtMapKey("jira_rest"), knownvalue.StringRegexp(regexp.MustCompile(`^https?://`))),
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("links").AtMapKey("avatar_urls"), knownvalue.MapSizeExact(4)),
				},
				Check: checkOnSite(s, func(st *terraform.State) error {
					id := st.RootModule().Resources[customerAddr].Primary.ID
					a, ok := s.site.Account(id)
					if !ok || a.Email != email || a.DisplayName != "Fred F. User" {
						return fmt.Errorf("site holds %+v (found %v) for %s", a, ok, id)
					}
					if n := len(s.site.Accounts()); n != 1 {
						return fmt.Errorf("site holds %d accounts, want 1", n)
					}
					return nil
				}),
			},
			{ // terraform import by account ID
				ResourceName:      customerAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{ // terraform import by email
				ResourceName:      customerAddr,
				ImportState:       true,
				ImportStateId:     email,
				ImportStateVerify: true,
			},
			{ // an import {} block: the plan must be a no-op import
				Config:          cfg,
				ResourceName:    customerAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
			{ // and by email in an import {} block
				Config:          cfg,
				ResourceName:    customerAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   email,
			},
		},
	})
}

// An account created elsewhere, imported with the email written in another
// case than the site stores it, then planned: nothing to change.
func TestAccCustomerResource_importThenEmptyPlan(t *testing.T) {
	s := newTestSite(t)
	email := randomEmail("imported")
	u, err := s.client.CreateCustomer(context.Background(), "Imported Person", email)
	if err != nil {
		t.Fatal(err)
	}
	mixed := strings.ToUpper(email[:1]) + email[1:strings.Index(email, "@")] + strings.ToUpper(email[strings.Index(email, "@"):])
	cfg := customerConfig(s, mixed, "Imported Person", "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:             cfg,
				ResourceName:       customerAddr,
				ImportState:        true,
				ImportStateId:      mixed,
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].ID != u.AccountID {
						return fmt.Errorf("imported %v, want account %s", states, u.AccountID)
					}
					return nil
				},
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("email"), knownvalue.StringExact(mixed)),
				},
			},
		},
	})
}

func TestAccCustomerResource_emailComparedWithoutCase(t *testing.T) {
	s := newTestSite(t)
	email := randomEmail("case")
	mixed := "Mixed." + strings.ToUpper(email)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:           customerConfig(s, mixed, "Case Person", ""),
				ConfigPlanChecks: emptyPlanAfterApply(),
				Check: checkOnSite(s, func(*terraform.State) error {
					if _, ok := s.site.AccountByEmail(strings.ToLower(mixed)); !ok {
						return fmt.Errorf("site has no account for %s", strings.ToLower(mixed))
					}
					return nil
				}),
			},
			{ // only the letter case changes: an in-place update of the state, no new account
				Config: customerConfig(s, strings.ToLower(mixed), "Case Person", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("email"), knownvalue.StringExact(strings.ToLower(mixed))),
				},
			},
		},
	})
}

func TestAccCustomerResource_emailChangeReplaces(t *testing.T) {
	s := newTestSite(t)
	first, second := randomEmail("first"), randomEmail("second")
	sameID := statecheck.CompareValue(compare.ValuesDiffer())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:            customerConfig(s, first, "Moving Person", ""),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(customerAddr, tfjsonpath.New("id"))},
			},
			{
				Config: customerConfig(s, second, "Moving Person", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(customerAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("email"), knownvalue.StringExact(second)),
				},
				Check: checkOnSite(s, func(*terraform.State) error {
					if n := len(s.site.Accounts()); n != 2 {
						return fmt.Errorf("site holds %d accounts, want 2 (the old one cannot be deleted)", n)
					}
					return nil
				}),
			},
		},
	})
}

func TestAccCustomerResource_renameFailsAtPlan(t *testing.T) {
	s := newTestSite(t)
	email := randomEmail("rename")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: customerConfig(s, email, "Old Name", "")},
			{
				Config:      customerConfig(s, email, "New Name", ""),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)display name cannot be changed.*Atlassian\s+Administration.*ignore_changes`),
			},
			{ // ignore_changes is the documented way out
				Config:           customerConfig(s, email, "New Name", "  lifecycle {\n    ignore_changes = [display_name]\n  }"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

func TestAccCustomerResource_drift(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("drift")
	cfg := customerConfig(s, email, "Drifting Person", "")
	ids := statecheck.CompareValue(compare.ValuesDiffer())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:            cfg,
				ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(customerAddr, tfjsonpath.New("id"))},
			},
			{ // deleted out of band: created again
				PreConfig: func() {
					a, _ := site.AccountByEmail(email)
					if !site.DeleteAccount(a.AccountID) {
						t.Fatal("nothing to delete")
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(customerAddr, tfjsonpath.New("id"))},
				Check: func(*terraform.State) error {
					if _, ok := site.AccountByEmail(email); !ok {
						return fmt.Errorf("the customer was not created again")
					}
					return nil
				},
			},
			{ // renamed out of band: the plan says how to proceed
				PreConfig: func() {
					a, _ := site.AccountByEmail(email)
					site.RenameAccount(a.AccountID, "Renamed By Admin")
				},
				Config:      cfg,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)named\s+"Renamed\s+By\s+Admin"\s+in\s+JSM.*"Drifting\s+Person"`),
			},
			{ // the configuration catches up: no change
				Config:           customerConfig(s, email, "Renamed By Admin", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

func TestAccCustomerResource_hiddenEmailKeepsState(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("private")
	cfg := customerConfig(s, email, "Private Person", "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					a, _ := site.AccountByEmail(email)
					site.SetEmailHidden(a.AccountID, true)
				},
				Config:            cfg,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("email"), knownvalue.StringExact(email))},
			},
		},
	})
}

func TestAccCustomerResource_adoptExisting(t *testing.T) {
	s := newTestSite(t)
	email := randomEmail("existing")
	u, err := s.client.CreateCustomer(context.Background(), "Existing Person", email)
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      customerConfig(s, email, "Existing Person", "  adopt_existing = false"),
				ExpectError: regexp.MustCompile(`(?s)adopt_existing\s+is\s+false.*` + importBlockRE(u.AccountID)),
			},
			{
				Config:      customerConfig(s, email, "Another Name", ""),
				ExpectError: regexp.MustCompile(`(?s)named\s+"Existing Person".*set\s+display_name\s+=\s+"Existing Person"`),
			},
			{
				Config:           customerConfig(s, email, "Existing Person", ""),
				ConfigPlanChecks: emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("id"), knownvalue.StringExact(u.AccountID)),
				},
				Check: checkOnSite(s, func(*terraform.State) error {
					if n := len(s.site.Accounts()); n != 1 {
						return fmt.Errorf("site holds %d accounts, want the 1 adopted", n)
					}
					return nil
				}),
			},
		},
	})
}

func TestAccCustomerResource_onDestroy(t *testing.T) {
	for _, mode := range []string{"forget", "revoke_portal_access"} {
		t.Run(mode, func(t *testing.T) {
			s := newTestSite(t)
			site := s.local(t)
			email := randomEmail("destroy")
			extra := ""
			if mode != "forget" {
				extra = fmt.Sprintf("  on_destroy = %q", mode)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps:                    []resource.TestStep{{Config: customerConfig(s, email, "Leaving Person", extra)}},
				CheckDestroy: func(*terraform.State) error {
					a, ok := site.AccountByEmail(email)
					if !ok {
						return fmt.Errorf("the account is gone from the site; destroy must never delete it")
					}
					if want := mode == "revoke_portal_access"; a.PortalAccessRevoked != want {
						return fmt.Errorf("portal access revoked = %v, want %v", a.PortalAccessRevoked, want)
					}
					return nil
				},
			})
		})
	}
}

func TestAccCustomerResource_invalidInputs(t *testing.T) {
	s := newTestSite(t)
	for name, tc := range map[string]struct{ email, displayName, extra, want string }{
		"display form email":       {"Fred <fred@example.com>", "Fred", "", `(?s)email.*not a bare email address`},
		"no at":                    {"fred.example.com", "Fred", "", `(?s)email.*not a bare email address`},
		"no dot in domain":         {"fred@localhost", "Fred", "", `no dot in its domain`},
		"empty name":               {"fred@example.com", "", "", `(?s)display_name.*must not be empty`},
		"blank name":               {"fred@example.com", "  ", "", `(?s)display_name.*must not be empty or blank`},
		"unknown on_destroy":       {"fred@example.com", "Fred", `  on_destroy = "erase"`, `(?s)on_destroy.*forget.*revoke_portal_access.*delete`},
		"unknown on_name_mismatch": {"fred@example.com", "Fred", `  on_name_mismatch = "adopt"`, `(?s)on_name_mismatch.*fail.*keep_site_name.*rename`},
	} {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config:      customerConfig(s, tc.email, tc.displayName, tc.extra),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}

// An import ID that is no account ID says what to import by, instead of
// Terraform's bare "non-existent remote object".
func TestAccCustomerResource_importByWrongIDExplains(t *testing.T) {
	s := newTestSite(t)
	email := randomEmail("wrongid")
	u, err := s.client.CreateCustomer(context.Background(), "Wrong ID", email)
	if err != nil {
		t.Fatal(err)
	}
	cfg := customerConfig(s, email, "Wrong ID", "")
	step := func(id, want string) resource.TestStep {
		return resource.TestStep{
			Config: cfg, ResourceName: customerAddr, ImportState: true, ImportStateId: id,
			ExpectError: regexp.MustCompile(want),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			step("Wrong ID", `(?s)Invalid import ID.*account ID "Wrong ID"`),
			step(strings.ToUpper(u.AccountID), `(?s)No JSM account has this ID.*case-sensitive.*or by email`),
		},
	})
}
