package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// readCustomer runs the resource's Read on a state built from the site's
// account, and returns what it left and said.
func readCustomer(t *testing.T, s *testSite, a jsmsite.Account) (removed bool, diags diag.Diagnostics) {
	t.Helper()
	ctx := context.Background()
	r := &customerResource{client: s.client, run: &runState{}}
	var sch resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sch)
	m := customerResourceModel{OnDestroy: types.StringValue(onDestroyForget), AdoptExisting: types.BoolValue(true)}
	m.ID, m.AccountID = types.StringValue(a.AccountID), types.StringValue(a.AccountID)
	m.Email, m.DisplayName = types.StringValue(a.Email), types.StringValue(a.DisplayName)
	m.AccountType, m.Active, m.TimeZone = types.StringValue(a.AccountType), types.BoolValue(true), types.StringValue(a.TimeZone)
	m.Links = types.ObjectNull(linksAttrTypes)
	st := tfsdk.State{Schema: sch.Schema}
	if d := st.Set(ctx, &m); d.HasError() {
		t.Fatal(d)
	}
	resp := resource.ReadResponse{State: st}
	r.Read(ctx, resource.ReadRequest{State: st}, &resp)
	return resp.State.Raw.IsNull(), resp.Diagnostics
}

// Refresh tells a deleted account (gone, with a warning naming it) from an
// inactive one (kept, with the fix) and from answers about no account
// (an error; the state stays).
func TestCustomerRead_lifecycle(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	add := func(name string) jsmsite.Account {
		a, err := site.AddCustomer(name, randomEmail("read"))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}

	deleted := add("Deleted Person")
	site.DeleteAccount(deleted.AccountID)
	removed, d := readCustomer(t, s, deleted)
	if !removed || d.HasError() || !strings.Contains(diagText(d), deleted.AccountID) ||
		!strings.Contains(diagText(d), "right-to-be-forgotten") || !strings.Contains(diagText(d), deleted.Email) {
		t.Errorf("deleted: removed %v\n%s", removed, diagText(d))
	}

	inactive := add("Inactive Person")
	site.SetActive(inactive.AccountID, false)
	removed, d = readCustomer(t, s, inactive)
	if removed || d.HasError() || d.WarningsCount() != 1 || !strings.Contains(diagText(d), "Atlassian Administration") {
		t.Errorf("inactive: removed %v\n%s", removed, diagText(d))
	}

	outage := add("Outage Person")
	_ = site.SetAccountAnswers(jsmsite.AccountAnswers{Unavailable: true})
	removed, d = readCustomer(t, s, outage)
	_ = site.SetAccountAnswers(jsmsite.AccountAnswers{})
	if removed || !d.HasError() || !strings.Contains(diagText(d), "fallback values") {
		t.Errorf("outage: removed %v\n%s", removed, diagText(d))
	}

	corrupted := add("Corrupted Person")
	site.DeleteAccount(corrupted.AccountID)
	site.CorruptAccount(corrupted.AccountID)
	removed, d = readCustomer(t, s, corrupted)
	if removed || !d.HasError() || !strings.Contains(diagText(d), `"unknown"`) {
		t.Errorf("corrupted: removed %v\n%s", removed, diagText(d))
	}
}

// A customer deleted by a right-to-be-forgotten request leaves the state
// and is created again, whether the site answers 200 "Former user" (the
// documented answer) or 404.
func TestAccCustomerResource_deletedIsCreatedAgain(t *testing.T) {
	for name, answers := range deletedAnswers {
		t.Run(name, func(t *testing.T) {
			s, site := siteAnswering(t, answers)
			email := randomEmail("forgotten")
			cfg := customerConfig(s, email, "Forgotten Person", "")
			ids := statecheck.CompareValue(compare.ValuesDiffer())
			var first string
			tfresource.ParallelTest(t, tfresource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []tfresource.TestStep{
					{
						Config:            cfg,
						ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(customerAddr, tfjsonpath.New("id"))},
						Check: func(st *terraform.State) error {
							first = st.RootModule().Resources[customerAddr].Primary.ID
							return nil
						},
					},
					{
						PreConfig: func() {
							if !site.DeleteAccount(first) {
								t.Fatal("nothing to delete")
							}
						},
						Config: cfg,
						ConfigPlanChecks: tfresource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionCreate)},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							ids.AddStateValue(customerAddr, tfjsonpath.New("id")),
							statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("display_name"), knownvalue.StringExact("Forgotten Person")),
							statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("active"), knownvalue.Bool(true)),
						},
						Check: func(*terraform.State) error {
							if old, _ := site.Account(first); !old.Deleted {
								return fmt.Errorf("the deleted account changed: %+v", old)
							}
							return nil
						},
					},
				},
			})
		})
	}
}

// An outage answer or a corrupted record fails the refresh and changes
// nothing; once the site answers again the plan is empty.
func TestAccCustomerResource_unreliableAnswersKeepState(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("outage")
	cfg := customerConfig(s, email, "Steady Person", "")
	same := statecheck.CompareValue(compare.ValuesSame())
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{same.AddStateValue(customerAddr, tfjsonpath.New("id"))}},
			{
				PreConfig:   func() { _ = site.SetAccountAnswers(jsmsite.AccountAnswers{Unavailable: true}) },
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Could not read the JSM customer.*fallback\s+values.*Nothing\s+was\s+changed`),
			},
			{
				PreConfig:        func() { _ = site.SetAccountAnswers(jsmsite.AccountAnswers{}) },
				Config:           cfg,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					same.AddStateValue(customerAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("display_name"), knownvalue.StringExact("Steady Person")),
				},
			},
			{
				PreConfig: func() {
					a, _ := site.AccountByEmail(email)
					site.DeleteAccount(a.AccountID)
					site.CorruptAccount(a.AccountID)
				},
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Could not read the JSM customer.*accountId\s+is\s+"unknown"`),
			},
		},
	})
}

// A customer whose access on_destroy revoked is re-declared (re-onboarding):
// the plan, not the apply, fails, naming the inactive account and the
// import block; once an admin restores access the plan adopts it.
func TestAccCustomerResource_redeclareRevoked(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("revoked")
	cfg := customerConfig(s, email, "Returning Person", `  on_destroy = "revoke_portal_access"`)
	var first string
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{
			{Config: cfg, Check: func(st *terraform.State) error {
				first = st.RootModule().Resources[customerAddr].Primary.ID
				return nil
			}},
			{Config: s.provider(), Check: func(*terraform.State) error {
				if a, _ := site.Account(first); !a.PortalAccessRevoked {
					return fmt.Errorf("access not revoked: %+v", a)
				}
				return nil
			}},
			{
				Config: cfg, PlanOnly: true,
				// (first is known only once the steps run: the account ID is
				// matched by its shape, which the unit test below pins.)
				ExpectError: regexp.MustCompile(`(?s)The email belongs to an inactive JSM account.*` +
					wrapped(fmt.Sprintf("The email %s belongs to the inactive account qm:", email)) + `.*` +
					wrapped("restore the account in Atlassian Administration") + `.*` +
					strings.TrimSuffix(importBlockRE("qm:"), `"\s+\}`)),
			},
			{
				PreConfig: func() { site.SetActive(first, true) }, // an admin restores access
				Config:    cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("id"), knownvalue.StringFunc(func(v string) error {
						if v != first {
							return fmt.Errorf("adopted %s, want %s", v, first)
						}
						return nil
					})),
				},
			},
		},
	})
}

// Where "Get all users" leaves portal-only customers out (Atlassian's
// reference allows it), the plan cannot tell a revoked customer from a new
// email: it plans the create, and the apply's "email taken" names the
// likely causes, the revoked account first, and the import block.
func TestAccCustomerResource_redeclareRevokedUnseen(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("unseen")
	a, err := site.AddCustomer("Returning Person", email)
	if err != nil {
		t.Fatal(err)
	}
	site.RevokePortalAccess(a.AccountID)
	if err := site.SetAccountAnswers(jsmsite.AccountAnswers{AllUsersWithoutCustomers: true}); err != nil {
		t.Fatal(err)
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{{
			Config: customerConfig(s, email, "Returning Person", ""),
			ExpectError: regexp.MustCompile(`(?s)Could not create the JSM customer.*no\s+active\s+account.*` +
				`1\.\s+the\s+account\s+is\s+inactive.*revoked.*` + importBlockRE("<account ID>")),
		}},
	})
}

// A portal-only customer and an Atlassian account share an email: adoption,
// import by email and the data source all take the customer, whatever the
// order of search results.
func TestAccCustomerResource_sharedEmailPrefersCustomer(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	if err := site.SetAccountAnswers(jsmsite.AccountAnswers{SearchNewestFirst: true}); err != nil {
		t.Fatal(err)
	}
	email := randomEmail("shared")
	cust, err := site.AddCustomer("Shared Person", email)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := site.AddAtlassianAccount("Shared Person", email, false); err != nil {
		t.Fatal(err)
	}
	isCustomer := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("id"), knownvalue.StringExact(cust.AccountID)),
		statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("account_type"), knownvalue.StringExact("customer")),
		statecheck.ExpectKnownValue("data.jsm_customer.by_email", tfjsonpath.New("id"), knownvalue.StringExact(cust.AccountID)),
	}
	cfg := customerConfig(s, email, "Shared Person", "") + fmt.Sprintf("data \"jsm_customer\" \"by_email\" {\n  email = %q\n}\n", email)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{
			{Config: cfg, ConfigStateChecks: isCustomer},
			{ResourceName: customerAddr, ImportState: true, ImportStateId: email, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"email"}},
		},
	})
}

// Hidden emails: the one active account with a hidden email and the
// configured name is adopted (with a warning); two such accounts are an
// error that lists both.
func TestAccCustomerResource_hiddenEmailAdoptedByName(t *testing.T) {
	for _, form := range []string{jsmsite.HiddenEmailAbsent, jsmsite.HiddenEmailNull, jsmsite.HiddenEmailEmpty} {
		t.Run("form "+form, func(t *testing.T) {
			s := newTestSite(t)
			site := s.local(t)
			if err := site.SetAccountAnswers(jsmsite.AccountAnswers{HiddenEmail: form}); err != nil {
				t.Fatal(err)
			}
			email := randomEmail("hidden")
			a, err := site.AddCustomer("Hidden Person", email)
			if err != nil {
				t.Fatal(err)
			}
			site.SetEmailHidden(a.AccountID, true)
			tfresource.ParallelTest(t, tfresource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []tfresource.TestStep{
					{ // another name: not adopted, and the guidance says why
						Config:      customerConfig(s, email, "Someone Else", ""),
						ExpectError: regexp.MustCompile(`(?s)no\s+active\s+account.*hide\s+the\s+email.*named\s+"Someone Else"`),
					},
					{
						Config:           customerConfig(s, email, "Hidden Person", ""),
						ConfigPlanChecks: emptyPlanAfterApply(),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("id"), knownvalue.StringExact(a.AccountID)),
							statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("email"), knownvalue.StringExact(email)),
						},
					},
				},
			})
		})
	}
}

func TestAccCustomerResource_hiddenEmailAmbiguous(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("twins")
	a, _ := site.AddAtlassianAccount("Twin Person", email, true)
	b, _ := site.AddAtlassianAccount("Twin Person", email+".au", true)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{{
			Config: customerConfig(s, email, "Twin Person", ""),
			ExpectError: regexp.MustCompile(`(?s)2\s+accounts\s+fit.*` + regexp.QuoteMeta(a.AccountID) + `\s+\(account\s+type\s+atlassian.*` +
				regexp.QuoteMeta(b.AccountID) + `\s+\(account\s+type\s+atlassian.*` + importBlockRE("<account ID>")),
		}},
	})
}

// on_destroy = "revoke_portal_access" on an Atlassian account, or on an
// inactive one, skips the call with a warning; destroy succeeds.
func TestAccCustomerResource_revokeOnlyWhereItApplies(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	atlEmail, inactiveEmail := randomEmail("atlassian"), randomEmail("inactive")
	atl, err := site.AddAtlassianAccount("Staff Person", atlEmail, false)
	if err != nil {
		t.Fatal(err)
	}
	revoke := `  on_destroy = "revoke_portal_access"`
	cfg := customerConfig(s, atlEmail, "Staff Person", revoke) + strings.Replace(
		customerConfig(s, inactiveEmail, "Inactive Person", revoke)[len(s.provider()):], `"test"`, `"inactive"`, 1)
	route := "PUT /rest/servicedeskapi/customer/user/{accountId}/revoke-portal-only-access"
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("account_type"), knownvalue.StringExact("atlassian")),
				},
			},
			{ // the other customer is deactivated: refresh keeps it, inactive
				PreConfig: func() {
					a, _ := site.AccountByEmail(inactiveEmail)
					site.SetActive(a.AccountID, false)
				},
				Config:           cfg,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("jsm_customer.inactive", tfjsonpath.New("active"), knownvalue.Bool(false)),
				},
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if a, _ := site.Account(atl.AccountID); !a.Active || a.PortalAccessRevoked {
				return fmt.Errorf("the Atlassian account changed: %+v", a)
			}
			if n := site.RequestCount(route, -1); n != 0 {
				return fmt.Errorf("%d revoke calls, want none", n)
			}
			return nil
		},
	})
}

// Create and refresh store the same links and time zone, also when the
// customer API answers no time zone, and refresh changes nothing.
func TestAccCustomerResource_stableAcrossRefresh(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	if err := site.SetAccountAnswers(jsmsite.AccountAnswers{CustomerTimeZoneNull: true}); err != nil {
		t.Fatal(err)
	}
	cfg := customerConfig(s, randomEmail("stable"), "Stable Person", "")
	links := statecheck.CompareValue(compare.ValuesSame())
	tz := statecheck.CompareValue(compare.ValuesSame())
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{
			{
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					links.AddStateValue(customerAddr, tfjsonpath.New("links")),
					tz.AddStateValue(customerAddr, tfjsonpath.New("time_zone")),
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("time_zone"), knownvalue.StringExact(jsmsite.DefaultTimeZone)),
				},
			},
			{ // a second refresh, then a plan: nothing changed
				Config:           cfg,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					links.AddStateValue(customerAddr, tfjsonpath.New("links")),
					tz.AddStateValue(customerAddr, tfjsonpath.New("time_zone")),
				},
			},
		},
	})
}

// The customer list's query matches the start of a word of the name, or of
// the email, as the spec's examples show; never a part inside a word.
func TestAccCustomersDataSource_prefixQuery(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	john, err := site.AddCustomer("John Smith", "js-query@example.com")
	if err != nil {
		t.Fatal(err)
	}
	site.AddDeskCustomers("HR", john.AccountID)
	cfg := s.provider() + "data \"jsm_service_desk\" \"hr\" {\n  project_key = \"HR\"\n}\n"
	counts := map[string]int{"smi": 1, "jo": 1, "js-q": 1, "ohn": 0, "mith": 0, "query": 0}
	var checks []statecheck.StateCheck
	for q, n := range counts {
		cfg += fmt.Sprintf("data \"jsm_customers\" %q {\n  service_desk_id = data.jsm_service_desk.hr.id\n  query = %q\n}\n", "q_"+strings.ReplaceAll(q, "-", "_"), q)
		checks = append(checks, statecheck.ExpectKnownValue("data.jsm_customers.q_"+strings.ReplaceAll(q, "-", "_"),
			tfjsonpath.New("customers"), knownvalue.ListSizeExact(n)))
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps:                    []tfresource.TestStep{{Config: cfg, ConfigStateChecks: checks}},
	})
}

// Through the gateway form of the URL, create and refresh store the same
// links, which keep the gateway's path.
func TestAccCustomerResource_stableThroughGateway(t *testing.T) {
	gw := gatewaySite(t, newTestSite(t), "cloud-1", "cloud-1")
	email := randomEmail("gateway")
	cfg := customerConfig(gw, email, "Gateway Person", "")
	links := statecheck.CompareValue(compare.ValuesSame())
	linkPrefix := regexp.MustCompile("^" + regexp.QuoteMeta(gw.url+"/rest/api/2/user?username="))
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{
			{
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					links.AddStateValue(customerAddr, tfjsonpath.New("links")),
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("links").AtMapKey("self"), knownvalue.StringRegexp(linkPrefix)),
				},
			},
			{
				Config:            cfg,
				ConfigPlanChecks:  tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{links.AddStateValue(customerAddr, tfjsonpath.New("links"))},
			},
		},
	})
}

// A revoke that fails on destroy names the customer (a destroy's
// diagnostics carry no address) and says the customer stays, to retry.
func TestAccCustomerResource_failedRevokeNamesTheCustomer(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("revokefail")
	cfg := customerConfig(s, email, "Revoke Fail", `  on_destroy = "revoke_portal_access"`)
	route := "PUT /rest/servicedeskapi/customer/user/{accountId}/revoke-portal-only-access"
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					setProxyFaults(t, site, jsmsite.ProxyFaults{HTMLStatus: http.StatusInternalServerError, Routes: []string{route}})
				},
				Config:  cfg,
				Destroy: true,
				ExpectError: regexp.MustCompile(`(?s)Could not revoke the portal access.*` + regexp.QuoteMeta(email) +
					`.*` + wrapped("The customer stays in the state: destroy again to retry.")),
			},
			{PreConfig: func() { setProxyFaults(t, site, jsmsite.ProxyFaults{}) }, Config: cfg},
		},
		CheckDestroy: func(*terraform.State) error {
			if a, ok := site.AccountByEmail(email); !ok || !a.PortalAccessRevoked {
				return fmt.Errorf("the account's portal access was not revoked on the last destroy: %+v", a)
			}
			return nil
		},
	})
}

// The apply meets the same inactive account when the plan could not tell
// (it changed in between, or the plan stopped looking up): the create's
// "email taken" names it and the fix, not a list of possible causes.
func TestCustomerExistingAccount_namesTheInactiveAccount(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("inactive")
	a, err := site.AddCustomer("Gone Person", email)
	if err != nil {
		t.Fatal(err)
	}
	r := &customerResource{client: s.client, run: &runState{}}
	var diags diag.Diagnostics
	if _, err := r.existingAccount(context.Background(), email, "Gone Person", &diags); err != nil {
		t.Fatalf("an active account: %v", err)
	}
	site.RevokePortalAccess(a.AccountID)
	_, err = (&customerResource{client: s.client, run: &runState{}}).existingAccount(context.Background(), email, "Gone Person", &diags)
	if err == nil || !strings.Contains(err.Error(), "belongs to the inactive account "+a.AccountID) ||
		!regexp.MustCompile(importBlockRE(a.AccountID)).MatchString(err.Error()) {
		t.Fatalf("err = %v", err)
	}
	// Not inactive, not visible: the causes, most likely first.
	_, err = (&customerResource{client: s.client, run: &runState{}}).existingAccount(context.Background(), randomEmail("nobody"), "X", &diags)
	if err == nil || !strings.Contains(err.Error(), "1. the account is inactive") {
		t.Fatalf("err = %v", err)
	}
}
