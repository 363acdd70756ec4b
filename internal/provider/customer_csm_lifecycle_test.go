package provider

import (
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// The local site's routes of the CSM account operations.
const (
	routeGetAccount    = "GET " + jsmsite.CSMPrefix + "/customer/account/{customerId}"
	routeRenameAccount = "PUT " + jsmsite.CSMPrefix + "/customer/account/{customerId}"
	routeDeleteAccount = "DELETE " + jsmsite.CSMPrefix + "/customer/account/{customerId}"
	routeRenameOrg     = "PUT " + jsmsite.CSMPrefix + "/organization/{organizationId}"
)

// csmCustomerConfig is a customer on the local site's CSM-capable provider.
func csmCustomerConfig(t *testing.T, s *testSite, email, name, extra string) string {
	t.Helper()
	return s.csmProvider(t, "") + fmt.Sprintf(`
resource "jsm_customer" "test" {
  email        = %q
  display_name = %q
%s
}
`, email, name, extra)
}

// accountOf returns the site's account of the customer in state.
func accountOf(t *testing.T, site *jsmsite.Site, st *terraform.State) jsmsite.Account {
	t.Helper()
	a, ok := site.Account(st.RootModule().Resources[customerAddr].Primary.ID)
	if !ok {
		t.Fatalf("the site has no account %s", st.RootModule().Resources[customerAddr].Primary.ID)
	}
	return a
}

// Without the opt-in a rename fails the plan as before, saying how to
// enable the CSM API; with it the customer account is renamed in place:
// same account ID, the state and JSM's own reads updated, the next plan
// empty.
func TestAccCustomerResource_csmRenameInPlace(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("csm-rename")
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:            csmCustomerConfig(t, s, email, "Old Name", ""),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(customerAddr, tfjsonpath.New("account_id"))},
			},
			{
				Config: csmCustomerConfig(t, s, email, "New Name", ""),
				ExpectError: regexp.MustCompile(`(?s)display name cannot be changed.*` + wrapped("set csm_lifecycle = true") +
					`.*` + wrapped("ignore_changes = [display_name]")),
			},
			{
				Config: csmCustomerConfig(t, s, email, "New Name", "  csm_lifecycle = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(customerAddr, tfjsonpath.New("account_id")),
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("display_name"), knownvalue.StringExact("New Name")),
				},
				Check: func(st *terraform.State) error {
					if a := accountOf(t, site, st); a.DisplayName != "New Name" || a.Deleted {
						return fmt.Errorf("the site's account: %+v", a)
					}
					if n := countRequests(site, routeRenameAccount); n != 1 {
						return fmt.Errorf("%d renames sent, want 1", n)
					}
					if n := len(site.Accounts()); n != 1 {
						return fmt.Errorf("the site holds %d accounts, want 1", n)
					}
					return nil
				},
			},
		},
	})
}

// on_destroy = "delete" deletes the customer account on the site (JSM then
// answers it as a deleted account), and declaring the customer again
// creates a new account. Without csm_lifecycle the setting is refused.
func TestAccCustomerResource_csmDelete(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("csm-delete")
	var first string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      csmCustomerConfig(t, s, email, "Doomed Person", `  on_destroy = "delete"`),
				ExpectError: regexp.MustCompile(`(?s)` + wrapped(`on_destroy = "delete" needs csm_lifecycle = true`) + `.*` + wrapped("cannot be undone")),
			},
			{
				Config: csmCustomerConfig(t, s, email, "Doomed Person", "  on_destroy = \"delete\"\n  csm_lifecycle = true"),
				Check: func(st *terraform.State) error {
					first = st.RootModule().Resources[customerAddr].Primary.ID
					return nil
				},
			},
			{
				Config: s.csmProvider(t, ""),
				Check: func(*terraform.State) error {
					a, ok := site.Account(first)
					if !ok || !a.Deleted {
						return fmt.Errorf("the account %s was not deleted: %+v", first, a)
					}
					if n := countRequests(site, routeDeleteAccount); n != 1 {
						return fmt.Errorf("%d deletes sent, want 1", n)
					}
					return nil
				},
			},
			{
				Config: csmCustomerConfig(t, s, email, "Doomed Person", "  on_destroy = \"delete\"\n  csm_lifecycle = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(st *terraform.State) error {
					if id := st.RootModule().Resources[customerAddr].Primary.ID; id == first {
						return fmt.Errorf("declared again, the customer kept the deleted account's ID %s", id)
					}
					return nil
				},
			},
		},
	})
}

// A destroy that would delete on a site without the account operations
// fails at plan time, naming the way out, and deletes nothing; with
// on_destroy = "forget" applied, the destroy goes through.
func TestAccCustomerResource_csmDeleteUnavailable(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("csm-nodelete")
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: csmCustomerConfig(t, s, email, "Kept Person", "  on_destroy = \"delete\"\n  csm_lifecycle = true"),
				Check: func(st *terraform.State) error {
					id = st.RootModule().Resources[customerAddr].Primary.ID
					return nil
				},
			},
			{
				PreConfig: func() { site.SetCSMAnswers(jsmsite.CSMAnswers{AccountAPIOff: true}) },
				Config:    s.csmProvider(t, ""),
				ExpectError: regexp.MustCompile(`(?s)refuses the CSM customer account API.*HTTP 404.*` +
					`delete:customer:jira-service-management.*` + wrapped(`apply on_destroy = "forget" first`)),
			},
			{
				PreConfig: func() {
					if a, _ := site.Account(id); a.Deleted {
						t.Error("the account was deleted")
					}
				},
				Config: csmCustomerConfig(t, s, email, "Kept Person", "  csm_lifecycle = true"),
			},
		},
	})
	if n := countRequests(site, routeDeleteAccount); n != 0 {
		t.Errorf("%d deletes sent", n)
	}
	if a, _ := site.Account(id); a.Deleted {
		t.Error("the account was deleted")
	}
}

// An Atlassian account is never renamed nor deleted, opt-in or not: the
// plan says so, and nothing reaches the CSM API.
func TestAccCustomerResource_csmRefusesAtlassianAccounts(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("csm-atlassian")
	if _, err := site.AddAtlassianAccount("Atlassian Person", email, false); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: csmCustomerConfig(t, s, email, "Atlassian Person", "  csm_lifecycle = true")},
			{
				Config:      csmCustomerConfig(t, s, email, "Renamed Person", "  csm_lifecycle = true"),
				ExpectError: regexp.MustCompile(`(?s)Atlassian account's display name cannot be changed.*` + wrapped("no API renames one")),
			},
			{
				Config:      csmCustomerConfig(t, s, email, "Atlassian Person", "  csm_lifecycle = true\n  on_destroy = \"delete\""),
				ExpectError: regexp.MustCompile(`(?s)Atlassian account cannot be deleted.*` + wrapped("no API deletes an Atlassian account")),
			},
		},
	})
	for _, route := range []string{routeRenameAccount, routeDeleteAccount, routeGetAccount} {
		if n := countRequests(site, route); n != 0 {
			t.Errorf("%d requests to %s", n, route)
		}
	}
}

// A site that refuses the account operations fails the rename's plan, with
// what the API needs and how to go on without it, before any write: no CSM
// API (404), or an opt-in header dropped on the way (412, the site's answer
// to an experimental operation without it).
func TestAccCustomerResource_csmUnavailable(t *testing.T) {
	for name, tc := range map[string]struct {
		setup func(site *jsmsite.Site)
		want  string
	}{
		"no CSM account API (404)": {
			setup: func(site *jsmsite.Site) { site.SetCSMAnswers(jsmsite.CSMAnswers{AccountAPIOff: true}) },
			want:  `HTTP 404.*` + wrapped("The site answered 404"),
		},
		"opt-in header dropped (412)": {
			setup: func(site *jsmsite.Site) {
				site.Use(func(route string, next http.Handler) http.Handler {
					return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						r.Header.Del("X-ExperimentalApi") // a proxy that drops it
						next.ServeHTTP(w, r)
					})
				})
			},
			want: `HTTP 412.*` + wrapped("X-ExperimentalApi: opt-in"),
		},
	} {
		t.Run(name, func(t *testing.T) {
			s := newTestSite(t)
			site := s.local(t)
			email := randomEmail("csm-off")
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{
					{Config: csmCustomerConfig(t, s, email, "Kept Name", "  csm_lifecycle = true")},
					{
						PreConfig: func() { tc.setup(site) },
						Config:    csmCustomerConfig(t, s, email, "Wanted Name", "  csm_lifecycle = true"),
						ExpectError: regexp.MustCompile(`(?s)refuses the CSM customer account API.*` + tc.want + `.*` +
							wrapped("Customer Service Management") + `.*write:customer:jira-service-management.*` +
							wrapped("set csm_lifecycle = false")),
					},
				},
			})
			if n := countRequests(site, routeRenameAccount); n != 0 {
				t.Errorf("%d renames sent after the plan failed", n)
			}
			if a := site.Accounts(); len(a) != 1 || a[0].DisplayName != "Kept Name" {
				t.Errorf("the site's accounts: %+v", a)
			}
		})
	}
}

// A service account that may read but not write customers (imported, not
// created) passes the plan's read of the account and is refused the rename
// (403): the error names the scope, the state and the site keep the old
// name.
func TestAccCustomerResource_csmForbidden(t *testing.T) {
	site, srv := serviceAccountSite(t, time.Hour, "read:customer:jira-service-management", "read:user:jira",
		"read:application-role:jira", "read:group:jira", "read:avatar:jira", "read:user.property:jira")
	a, err := site.AddCustomer("Scoped Name", randomEmail("csm-403"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := func(name string) string {
		return fmt.Sprintf(`provider "jsm" {
  url             = %q
  client_id       = %q
  client_secret   = %q
  oauth_token_url = %q
  csm_url         = %q
}

import {
  to = jsm_customer.test
  id = %q
}

resource "jsm_customer" "test" {
  email         = %q
  display_name  = %q
  csm_lifecycle = true
}
`, srv.URL+"/ex/jira/"+site.CloudID(), saClientID, saClientSecret, srv.URL+"/oauth/token", srv.URL+jsmsite.CSMPrefix,
			a.AccountID, a.Email, name)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg("Scoped Name")},
			{
				Config: cfg("Wanted Name"),
				ExpectError: regexp.MustCompile(`(?s)Could not rename the JSM customer account.*HTTP 403.*` +
					`write:customer:jira-service-management.*` + wrapped("set csm_lifecycle = false")),
			},
			{Config: cfg("Scoped Name"), PlanOnly: true},
		},
	})
	if got, _ := site.Account(a.AccountID); got.DisplayName != "Scoped Name" {
		t.Errorf("the site's name: %q", got.DisplayName)
	}
}

// A rename answered in another shape than the one assumed applies green:
// JSM's read of the account, not the answer, says it happened; the next
// plan is empty, and the account is the same one.
func TestAccCustomerResource_csmAnswerInAnotherShape(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("csm-shape")
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:            csmCustomerConfig(t, s, email, "Shape Old", "  csm_lifecycle = true"),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(customerAddr, tfjsonpath.New("account_id"))},
			},
			{
				PreConfig: func() { site.SetCSMAnswers(jsmsite.CSMAnswers{AccountAnswersOther: true}) },
				Config:    csmCustomerConfig(t, s, email, "Shape New", "  csm_lifecycle = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(customerAddr, tfjsonpath.New("account_id"))},
			},
		},
	})
	if n := countRequests(site, routeRenameAccount); n != 1 {
		t.Errorf("%d renames sent, want 1", n)
	}
}

// A rename answered 204 with no body is read back through JSM and applies
// green; the next plan is empty. A rename answered success that JSM does not
// show fails, saying the site still shows the old name; the state keeps it.
func TestAccCustomerResource_csmRenameReadBack(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("csm-204")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: csmCustomerConfig(t, s, email, "First Name", "  csm_lifecycle = true")},
			{
				PreConfig: func() { site.SetCSMAnswers(jsmsite.CSMAnswers{RenameAnswersNoContent: true}) },
				Config:    csmCustomerConfig(t, s, email, "Second Name", "  csm_lifecycle = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				PreConfig: func() { site.SetCSMAnswers(jsmsite.CSMAnswers{RenameAnswersNoContent: true, RenameNotApplied: true}) },
				Config:    csmCustomerConfig(t, s, email, "Third Name", "  csm_lifecycle = true"),
				ExpectError: regexp.MustCompile(`(?s)Could not rename the JSM customer account.*` +
					wrapped(`the site answered success, but JSM's read of the customer account still shows "Second Name"`) +
					`.*` + wrapped("rename it in JSM instead")),
			},
			{
				PreConfig: func() {
					site.SetCSMAnswers(jsmsite.CSMAnswers{})
					if a := site.Accounts(); len(a) != 1 || a[0].DisplayName != "Second Name" {
						t.Errorf("the site's accounts: %+v", a)
					}
				},
				Config:   csmCustomerConfig(t, s, email, "Second Name", "  csm_lifecycle = true"),
				PlanOnly: true,
			},
		},
	})
}

// on_name_mismatch = "rename" adopts the email's customer account and
// renames it to the declared name; the plan says so first.
func TestAccCustomerResource_csmAdoptAndRename(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("csm-adopt")
	existing, err := site.AddCustomer("Portal Signup", email)
	if err != nil {
		t.Fatal(err)
	}
	cfg := csmCustomerConfig(t, s, email, "Declared Name", "  on_name_mismatch = \"rename\"\n  csm_lifecycle = true")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      csmCustomerConfig(t, s, email, "Declared Name", "  on_name_mismatch = \"rename\""),
				ExpectError: regexp.MustCompile(wrapped(`on_name_mismatch = "rename" needs csm_lifecycle = true`)),
			},
			{
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("account_id"), knownvalue.StringExact(existing.AccountID)),
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("display_name"), knownvalue.StringExact("Declared Name")),
				},
				Check: func(*terraform.State) error {
					if a, _ := site.Account(existing.AccountID); a.DisplayName != "Declared Name" {
						return fmt.Errorf("the site's name: %q", a.DisplayName)
					}
					if n := len(site.Accounts()); n != 1 {
						return fmt.Errorf("the site holds %d accounts", n)
					}
					return nil
				},
			},
		},
	})
}

// What the refusals say the operations need names their scopes, the
// permission, the credentials and the header.
func TestCustomerCSMRefusalDetail(t *testing.T) {
	d := csmLifecycleNeeds("RenameCustomerAccount", "RenameOrganization")
	for _, want := range []string{"write:customer:jira-service-management", "write:organization:jira-service-management",
		"X-ExperimentalApi: opt-in", "Jira Administrator", "service account"} {
		if !strings.Contains(d, want) {
			t.Errorf("needs text lacks %q: %s", want, d)
		}
	}
}

// The docs list every shape the client assumes, with its confidence: the
// customer lifecycle guide all of them, the organization lifecycle guide
// its own.
func TestCSMLifecycleDocsListAssumedShapes(t *testing.T) {
	docs := map[string]string{}
	for name, file := range map[string]string{
		"customer":     "../../templates/guides/customer-lifecycle.md.tmpl",
		"organization": "../../templates/guides/organization-lifecycle.md.tmpl",
	} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		docs[name] = string(b)
	}
	for _, s := range jsm.AssumedAccountShapes {
		row := fmt.Sprintf("| `%s` | %s | %s | %s |", s.Operation, s.Part, s.Shape, s.Confidence)
		if !strings.Contains(docs["customer"], row) {
			t.Errorf("the customer docs lack the row %s", row)
		}
		if strings.Contains(s.Operation, "/organization/") && !strings.Contains(docs["organization"], row) {
			t.Errorf("the organization docs lack the row %s", row)
		}
	}
}
