package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

const routeCreateCustomer = "POST /rest/servicedeskapi/customer"

// Someone signed up on the portal under another name before the pull
// request merged: the plan fails (nothing is written), and with
// on_name_mismatch = "keep_site_name" the apply adopts the account, keeps
// the site's name, and later plans are empty, even after an admin renames
// it.
func TestAccCustomerResource_planPredictsNameMismatch(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("signedup")
	portal, err := site.AddCustomer("Portal Person", email)
	if err != nil {
		t.Fatal(err)
	}
	keep := `  on_name_mismatch = "keep_site_name"`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:   customerConfig(s, email, "Declared Person", ""),
				PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)another display name.*` + regexp.QuoteMeta(portal.AccountID) +
					`.*named\s+"Portal\s+Person".*on_name_mismatch\s+=\s+"keep_site_name"`),
			},
			{
				PreConfig: func() {
					if n := site.RequestCount(routeCreateCustomer, -1); n != 0 {
						t.Fatalf("the failed plan sent %d creates", n)
					}
				},
				Config:           customerConfig(s, email, "Declared Person", keep),
				ConfigPlanChecks: emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("account_id"), knownvalue.StringExact(portal.AccountID)),
					statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New("display_name"), knownvalue.StringExact("Declared Person")),
				},
				Check: func(*terraform.State) error {
					if a, _ := site.Account(portal.AccountID); a.DisplayName != "Portal Person" || len(site.Accounts()) != 1 {
						return fmt.Errorf("site holds %d accounts, the adopted one named %q", len(site.Accounts()), a.DisplayName)
					}
					return nil
				},
			},
			{ // renamed by an admin: not compared
				PreConfig:        func() { site.RenameAccount(portal.AccountID, "Renamed By Admin") },
				Config:           customerConfig(s, email, "Declared Person", keep),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// An existing account under adopt_existing = false, or two customers
// holding the email, fail the plan, not the apply.
func TestAccCustomerResource_planPredictsRefusals(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("taken")
	if _, err := site.AddCustomer("Taken Person", email); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      customerConfig(s, email, "Taken Person", "  adopt_existing = false"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)adopt_existing.*already has the account.*import\s+\{\s+to\s+=`),
			},
		},
	})
	if n := site.RequestCount(routeCreateCustomer, -1); n != 0 {
		t.Errorf("a refused plan sent %d creates", n)
	}
}

// predictCreate's warnings name the account the apply will adopt, say when
// privacy settings leave the answer open, and when the look-up failed;
// a new email gets no diagnostic and costs one search.
func TestCustomerPredictCreate(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	existing, _ := site.AddCustomer("Known Person", "known@example.com")
	hidden, _ := site.AddAtlassianAccount("Hidden Person", "hidden@example.com", true)
	plan := func(email, name string) customerResourceModel {
		return customerResourceModel{
			customerAccount: customerAccount{Email: types.StringValue(email), DisplayName: types.StringValue(name)},
			AdoptExisting:   types.BoolValue(true), OnNameMismatch: types.StringValue(nameMismatchFail),
		}
	}
	run := &runState{} // one run, whose permission check is asked once
	predict := func(c *jsm.Client, m customerResourceModel) diag.Diagnostics {
		defer func() { // each call stands for a plan of its own: it claims its create anew
			run.mu.Lock()
			defer run.mu.Unlock()
			run.seen = nil
		}()
		var d diag.Diagnostics
		(&customerResource{client: c, run: run}).predictCreate(context.Background(), m, true, true, &d)
		return d
	}
	text := func(d diag.Diagnostics) string {
		var b strings.Builder
		for _, x := range d {
			fmt.Fprintf(&b, "%s: %s | %s\n", x.Severity(), x.Summary(), x.Detail())
		}
		return b.String()
	}

	site.ResetRequests()
	if d := predict(s.client, plan("new@example.com", "New Person")); len(d) != 0 {
		t.Errorf("a new email: %s", text(d))
	}
	// The first empty answer also asks, once, whether the credential may
	// see accounts at all, and lists every account once, for inactive ones
	// (one page and the empty page that ends the list).
	if n := site.RequestCount("GET /rest/api/3/user/search", 200); n != 1 || site.RequestCount("GET /rest/api/3/mypermissions", 200) != 1 ||
		site.RequestCount("GET /rest/api/3/users/search", 200) != 2 || site.RequestCount("", -1) != 4 {
		t.Errorf("a new email cost %v, want one search, one permission check and one listing of two pages", site.Requests())
	}
	site.ResetRequests()
	if d := predict(s.client, plan("new2@example.com", "New Person")); len(d) != 0 || site.RequestCount("", -1) != 1 {
		t.Errorf("another new email: %s, %v", text(d), site.Requests())
	}

	d := predict(s.client, plan("known@example.com", "Known Person"))
	if d.HasError() || d.WarningsCount() != 1 || !strings.Contains(text(d), "adopts") || !strings.Contains(text(d), existing.AccountID) {
		t.Errorf("an existing account: %s", text(d))
	}

	d = predict(s.client, plan("hidden@example.com", "Hidden Person"))
	if d.HasError() || !strings.Contains(text(d), "cannot tell") || !strings.Contains(text(d), "hide their email") {
		t.Errorf("a hidden email (%s): %s", hidden.AccountID, text(d))
	}

	keep := plan("known@example.com", "Other Name")
	keep.OnNameMismatch = types.StringValue(nameMismatchKeep)
	if d := predict(s.client, keep); d.HasError() || !strings.Contains(text(d), "under its own name") {
		t.Errorf("keep_site_name: %s", text(d))
	}

	unknown := plan("known@example.com", "Known Person")
	unknown.DisplayName = types.StringUnknown()
	if d := predict(s.client, unknown); len(d) != 0 {
		t.Errorf("a name known only at apply: %s", text(d))
	}

	noRetry, err := jsm.New(jsm.Config{BaseURL: s.url, Email: testEmail, APIToken: testAPIToken, NoRetries: true})
	if err != nil {
		t.Fatal(err)
	}
	setFaults(t, site, jsmsite.Faults{FailNext: 1, FailNextStatus: http.StatusServiceUnavailable, FailNextRoute: "GET /rest/api/3/user/search"})()
	d = predict(noRetry, plan("known@example.com", "Known Person"))
	if d.HasError() || !strings.Contains(text(d), "cannot tell") || !strings.Contains(text(d), "503") {
		t.Errorf("a failed look-up: %s", text(d))
	}
}

// One plan looks up at most planLookupLimit new customers, and says once
// that it stopped.
func TestCustomerPredictCreateStopsAtTheLimit(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	c, err := jsm.New(jsm.Config{BaseURL: s.url, Email: testEmail, APIToken: testAPIToken})
	if err != nil {
		t.Fatal(err)
	}
	r := &customerResource{client: c, run: &runState{}}
	site.ResetRequests()
	warnings := 0
	for i := range planLookupLimit + 5 {
		var d diag.Diagnostics
		r.predictCreate(context.Background(), customerResourceModel{
			customerAccount: customerAccount{Email: types.StringValue(fmt.Sprintf("p%d@example.com", i)), DisplayName: types.StringValue("P")},
			AdoptExisting:   types.BoolValue(true), OnNameMismatch: types.StringValue(nameMismatchFail),
		}, true, true, &d)
		if d.WarningsCount() > 0 {
			warnings++
			if i != planLookupLimit || !strings.Contains(diagText(d), "stopped looking up") {
				t.Errorf("customer %d: %s", i, diagText(d))
			}
		}
	}
	if n := site.RequestCount("GET /rest/api/3/user/search", 200); n != planLookupLimit || warnings != 1 {
		t.Errorf("%d searches and %d warnings, want %d and 1", n, warnings, planLookupLimit)
	}
}

// A credential without Browse users and groups sees no account: the plan
// says so once, however many new customers it looks up, instead of
// predicting creates that an existing account would fail.
func TestCustomerPredictCreate_blindCredential(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	if _, err := site.AddCustomer("Known Person", "known@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := site.SetAccountAnswers(jsmsite.AccountAnswers{NoBrowseUsers: true}); err != nil {
		t.Fatal(err)
	}
	c, err := jsm.New(jsm.Config{BaseURL: s.url, Email: testEmail, APIToken: testAPIToken})
	if err != nil {
		t.Fatal(err)
	}
	r := &customerResource{client: c, run: &runState{}}
	var warnings []string
	for _, email := range []string{"known@example.com", "new@example.com", "other@example.com"} {
		var d diag.Diagnostics
		r.predictCreate(context.Background(), customerResourceModel{
			customerAccount: customerAccount{Email: types.StringValue(email), DisplayName: types.StringValue("Known Person")},
			AdoptExisting:   types.BoolValue(false), OnNameMismatch: types.StringValue(nameMismatchFail),
		}, true, true, &d)
		if d.HasError() {
			t.Errorf("%s: %s", email, diagText(d))
		}
		if d.WarningsCount() > 0 {
			warnings = append(warnings, diagText(d))
		}
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "Browse users and groups") || !strings.Contains(warnings[0], "known@example.com") {
		t.Errorf("warnings: %q", warnings)
	}
	if n := site.RequestCount("GET /rest/api/3/mypermissions", 200); n != 1 {
		t.Errorf("%d permission checks, want 1", n)
	}
	// Get all users needs Browse users and groups too: the plan does not
	// list the accounts of a site it cannot see.
	if n := site.RequestCount("GET /rest/api/3/users/search", -1); n != 0 {
		t.Errorf("%d account listing pages, want none", n)
	}
}

// Two resources declaring one email (in any letter case) fail the plan:
// the apply would create the account once and adopt it for the second,
// and both would manage it.
func TestAccCustomerResource_sameEmailTwiceFailsThePlan(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("twice")
	cfg := s.provider() + fmt.Sprintf(`
resource "jsm_customer" "a" {
  email        = %q
  display_name = "Twice"
}

resource "jsm_customer" "b" {
  email        = %q
  display_name = "Twice"
}
`, email, strings.ToUpper(email))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      cfg,
			ExpectError: regexp.MustCompile(`Two jsm_customer resources declare the same email`),
		}},
		CheckDestroy: func(*terraform.State) error {
			if _, ok := site.AccountByEmail(email); ok {
				return fmt.Errorf("the plan failed, yet the site holds an account for %s", email)
			}
			return nil
		},
	})
}

// A run says each notice once: a destroy of hundreds of customers gives one
// "forgotten" warning, not hundreds.
func TestRunStateSaysANoticeOnce(t *testing.T) {
	st := &runState{}
	if !st.once("forgotten") || st.once("forgotten") || !st.once("revoked") {
		t.Error("each notice must be said once, and only once")
	}
}

// A service account's refused secret fails the plan of a new customer, as a
// refused token does: the guide's pipelines plan with client credentials.
func TestAccCustomerResource_refusedSecretFailsThePlan(t *testing.T) {
	site, srv := serviceAccountSite(t, time.Hour)
	cfg := fmt.Sprintf("provider \"jsm\" {\n  url             = %q\n  client_id       = %q\n  client_secret   = \"not-the-secret\"\n"+
		"  oauth_token_url = %q\n}\n", srv.URL+"/ex/jira/"+site.CloudID(), saClientID, srv.URL+"/oauth/token") +
		"resource \"jsm_customer\" \"x\" {\n  email        = \"refused@example.com\"\n  display_name = \"Refused\"\n}\n"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: cfg, PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)The site refused the provider's credentials.*invalid_client`),
		}},
	})
}

// A display_name over 255 characters fails the plan, naming the attribute;
// characters are counted, not bytes: 255 two-byte letters plan.
func TestAccCustomerResource_displayNameLimit(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("long-name")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      customerConfig(s, email, strings.Repeat("é", 256), ""),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)display_name.*at most 255.*got: 256`),
			},
			{
				Config:             customerConfig(s, email, strings.Repeat("é", 255), ""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
	if n := site.RequestCount(routeCreateCustomer, -1); n != 0 {
		t.Errorf("a plan sent %d creates", n)
	}
}
