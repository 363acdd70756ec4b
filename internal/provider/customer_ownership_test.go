package provider

import (
	"fmt"
	"regexp"
	"testing"

	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// Another state created the account; this one declares the same email with
// on_destroy = "delete" and adopts it. Destroying this state's resource
// only forgets the account, which stays the other state's, active. Deleting
// an adopted account takes adopted_on_destroy, written, and it is never
// more than on_destroy.
func TestAccCustomerResource_adoptedIsNotOwned(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("shared")
	other, err := site.AddCustomer("Shared Person", email) // state A's customer
	if err != nil {
		t.Fatal(err)
	}
	deletes := func(want int) error {
		if n := countRequests(site, routeDeleteAccount); n != want {
			return fmt.Errorf("%d account deletes sent, want %d", n, want)
		}
		return nil
	}
	csm := "  csm_lifecycle = true\n  on_destroy    = \"delete\"\n"
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{
			{
				Config:      csmCustomerConfig(t, s, email, "Shared Person", "  csm_lifecycle = true\n  adopted_on_destroy = \"delete\"\n"),
				ExpectError: regexp.MustCompile(`(?s)adopted_on_destroy does more than on_destroy.*` + wrapped(`on_destroy = "forget"`)),
			},
			{Config: csmCustomerConfig(t, s, email, "Shared Person", csm)},
			{
				Config: s.csmProvider(t, ""),
				Check: func(*terraform.State) error {
					if a, ok := site.Account(other.AccountID); !ok || a.Deleted || !a.Active || a.PortalAccessRevoked {
						return fmt.Errorf("the other state's account was touched: %+v", a)
					}
					return deletes(0)
				},
			},
			// Said explicitly, the adopted account is this configuration's to delete.
			{Config: csmCustomerConfig(t, s, email, "Shared Person", csm+"  adopted_on_destroy = \"delete\"\n")},
			{
				Config: s.csmProvider(t, ""),
				Check: func(*terraform.State) error {
					if a, _ := site.Account(other.AccountID); !a.Deleted {
						return fmt.Errorf("adopted_on_destroy = \"delete\" did not delete the account: %+v", a)
					}
					return deletes(1)
				},
			},
		},
	})
}

// An imported account is found, not created: on_destroy does not revoke it.
func TestAccCustomerResource_importedIsNotOwned(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("imported")
	a, err := site.AddCustomer("Imported Person", email)
	if err != nil {
		t.Fatal(err)
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{
			{Config: customerConfig(s, email, "Imported Person", `  on_destroy = "revoke_portal_access"`) +
				fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", customerAddr, a.AccountID)},
			{
				Config: s.provider(),
				Check: func(*terraform.State) error {
					if got, _ := site.Account(a.AccountID); !got.Active || got.PortalAccessRevoked {
						return fmt.Errorf("the imported account's access was revoked: %+v", got)
					}
					return nil
				},
			},
		},
	})
}

// A second resource declaring an email whose account another resource of
// the state manages: the plan fails, naming the account, whichever of the
// two Terraform plans first. Two resources that hold one account already
// (the second imported it) get a warning, and the plan that would destroy
// one of them with a revoke fails while the other keeps the account.
func TestAccCustomerResource_heldElsewhere(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("held")
	block := func(name, extra string) string {
		return fmt.Sprintf("resource \"jsm_customer\" %q {\n  email        = %q\n  display_name = \"Held Person\"\n%s}\n", name, email, extra)
	}
	revoke := "  on_destroy = \"revoke_portal_access\"\n"
	var id string
	active := func(*terraform.State) error {
		if a, ok := site.Account(id); !ok || !a.Active || a.PortalAccessRevoked {
			return fmt.Errorf("the account was touched: %+v", a)
		}
		return nil
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{
			{Config: s.provider() + block("first", revoke), Check: func(st *terraform.State) error {
				id = st.RootModule().Resources["jsm_customer.first"].Primary.ID
				return nil
			}},
			{
				Config:      s.provider() + block("first", revoke) + block("second", ""),
				ExpectError: regexp.MustCompile(`(?s)(Another jsm_customer declares this email|Another jsm_customer manages this\s+email's account).*` + regexp.QuoteMeta(email)),
			},
			{
				Config: s.provider() + block("first", revoke) + block("second", "") +
					"import {\n  to = jsm_customer.second\n  id = \"" + email + "\"\n}\n",
				Check: active,
			},
			{
				Config: s.provider() + block("second", ""),
				ExpectError: regexp.MustCompile(`(?s)(account is kept by another resource|would revoke or delete an account this\s+resource manages).*` +
					regexp.QuoteMeta(email) + `.*removed\s+\{`),
			},
			{Config: s.provider() + block("first", revoke) + block("second", ""), Check: active},
		},
	})
}
