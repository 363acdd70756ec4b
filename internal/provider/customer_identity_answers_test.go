package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// A create answered with another, existing account (a broken server or
// proxy that answers from a cache): the apply fails saying the customer may
// have been created, and the state does not take that account, which a
// destroy would then revoke or delete. Without the proxy, the next apply
// adopts the account the create made, and the other account is untouched.
func TestAccCustomerResource_createAnsweredWithAnotherAccount(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	other, err := site.AddCustomer("Someone Else", randomEmail("someone"))
	if err != nil {
		t.Fatal(err)
	}
	var broken atomic.Bool
	broken.Store(true)
	site.Use(func(route string, next http.Handler) http.Handler {
		if route != "POST /rest/servicedeskapi/customer" {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !broken.Load() {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r) // the create happens
			var answer map[string]any
			if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &answer) != nil {
				t.Errorf("the create answered %d %s", rec.Code, rec.Body)
				return
			}
			answer["accountId"], answer["emailAddress"], answer["displayName"] = other.AccountID, other.Email, other.DisplayName
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			_ = json.NewEncoder(w).Encode(answer)
		})
	})
	email := randomEmail("answered")
	cfg := customerConfig(s, email, "Answered Person", `  on_destroy = "revoke_portal_access"`)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{
			{
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)of\s+another\s+email.*` + wrapped("nothing was recorded") + `.*` + wrapped("may have been created")),
			},
			{
				PreConfig: func() { broken.Store(false) },
				Config:    cfg,
				Check: func(st *terraform.State) error {
					made, ok := site.AccountByEmail(email)
					if got := st.RootModule().Resources[customerAddr].Primary.ID; !ok || got != made.AccountID {
						return fmt.Errorf("the state holds %s, want the account the create made (%+v)", got, made)
					}
					return nil
				},
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if a, ok := site.Account(other.AccountID); !ok || a.PortalAccessRevoked || !a.Active {
				return fmt.Errorf("the other account was touched: %+v", a)
			}
			return nil
		},
	})
}

func TestEmailChangedOnSite(t *testing.T) {
	s, null, unknown := types.StringValue, types.StringNull(), types.StringUnknown()
	for _, c := range []struct {
		name          string
		config, state types.String
		before        string
		want          bool
	}{
		{"the site changed it, the configuration did not", s("a@x.test"), s("b@x.test"), "a@x.test", true},
		{"letter case of the configuration is no difference", s("A@X.test"), s("b@x.test"), "a@x.test", true},
		{"the configuration took the site's email", s("b@x.test"), s("b@x.test"), "a@x.test", false},
		{"the configuration moved to a third email: replace", s("c@x.test"), s("b@x.test"), "a@x.test", false},
		{"no change on the site recorded: replace", s("c@x.test"), s("b@x.test"), "", false},
		{"the site went back to the configured email", s("a@x.test"), s("A@x.test"), "a@x.test", false},
		{"unknown configuration", unknown, s("b@x.test"), "a@x.test", false},
		{"null configuration", null, s("b@x.test"), "a@x.test", false},
		{"no email in the state", s("a@x.test"), null, "a@x.test", false},
	} {
		if got := emailChangedOnSite(c.config, c.state, c.before); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// An admin corrects a customer's email on the site: the refresh shows the
// site's email, and the plan, which would replace the customer (revoking
// the real account and creating another at the old email), fails with the
// two fixes. Taking the site's email into the configuration then plans
// nothing, and the account was never touched.
func TestAccCustomerResource_emailChangedOnSite(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	before, after := randomEmail("before"), randomEmail("corrected")
	extra := `  on_destroy = "revoke_portal_access"`
	var id string
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{
			{
				Config: customerConfig(s, before, "Changed Person", extra),
				Check: func(st *terraform.State) error {
					id = st.RootModule().Resources[customerAddr].Primary.ID
					return nil
				},
			},
			{
				PreConfig: func() {
					if !site.ChangeEmail(id, after) {
						t.Fatal("could not change the email on the site")
					}
				},
				Config: customerConfig(s, before, "Changed Person", extra),
				ExpectError: regexp.MustCompile(`(?s)The customer's email was changed on the site.*` + regexp.QuoteMeta(before) +
					`.*` + regexp.QuoteMeta(after) + `.*` + wrapped(fmt.Sprintf("email = %q", after))),
			},
			{
				Config:           customerConfig(s, after, "Changed Person", extra),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(*terraform.State) error {
					a, ok := site.Account(id)
					if _, made := site.AccountByEmail(before); !ok || !a.Active || a.PortalAccessRevoked || made {
						return fmt.Errorf("the account was touched, or another made at the old email: %+v, %v", a, made)
					}
					return nil
				},
			},
		},
	})
}

// A resource renamed without a moved block (as a for_each key renamed, or a
// person moved to another module instance) plans the destroy of the old
// address, which revokes the account, and the create of the new one, which
// would adopt it: the plan fails, naming the email and the moved block,
// whichever side Terraform plans second. With the moved block the plan is
// empty and the account stays active.
func TestAccCustomerResource_renamedWithoutMoved(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("renamed")
	cfg := func(name, moved string) string {
		return s.provider() + fmt.Sprintf(`
resource "jsm_customer" %q {
  email        = %q
  display_name = "Renamed Person"
  on_destroy   = "revoke_portal_access"
}
%s`, name, email, moved)
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{
			{Config: cfg("alice", "")},
			{
				Config: cfg("alice_smith", ""),
				ExpectError: regexp.MustCompile(`(?s)A destroyed customer's email is declared again.*` + regexp.QuoteMeta(email) +
					`.*moved\s+\{`),
			},
			{
				Config:           cfg("alice_smith", "moved {\n  from = jsm_customer.alice\n  to   = jsm_customer.alice_smith\n}\n"),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(*terraform.State) error {
					if a, ok := site.AccountByEmail(email); !ok || !a.Active || a.PortalAccessRevoked {
						return fmt.Errorf("the account was touched: %+v", a)
					}
					return nil
				},
			},
		},
	})
}

// create_before_destroy with a replacement (here a taint): the new object
// adopts the account first, and the deposed object's destroy, which would
// revoke it, leaves the account to its replacement.
func TestAccCustomerResource_createBeforeDestroyKeepsTheAccount(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("cbd")
	cfg := customerConfig(s, email, "Before Destroy", `  on_destroy = "revoke_portal_access"
  lifecycle {
    create_before_destroy = true
  }`)
	var id string
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{
			{Config: cfg, Check: func(st *terraform.State) error {
				id = st.RootModule().Resources[customerAddr].Primary.ID
				return nil
			}},
			{
				Config: cfg,
				Taint:  []string{customerAddr},
				Check: func(st *terraform.State) error {
					a, ok := site.Account(id)
					if got := st.RootModule().Resources[customerAddr].Primary.ID; !ok || !a.Active || a.PortalAccessRevoked || got != id {
						return fmt.Errorf("after the replacement the state holds %s and the account is %+v", got, a)
					}
					return nil
				},
			},
		},
	})
}
