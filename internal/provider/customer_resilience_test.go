package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// 200 customers in one apply while the site refuses 10 % of requests with
// 429, fails 5 % with 503 and loses the answer of 5 % of writes after
// applying them: the apply succeeds, the site holds exactly 200 accounts,
// the state holds each one's real ID, and the next plan is empty.
func TestAccCustomerResource_resilientBulkApply(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	const n = 200
	prefix := strings.TrimSuffix(randomEmail("bulk"), "@example.com")
	if err := site.SetFaults(jsmsite.Faults{
		Fail429: 0.10, Fail503: 0.05, RetryAfter: time.Second,
		CommitThen502: 0.025, CommitThenDrop: 0.025,
	}); err != nil {
		t.Fatal(err)
	}
	// With one request in five failing, ten retries make a spurious
	// failure of the whole run about one in a million.
	cfg := fmt.Sprintf(`provider "jsm" {
  url         = %q
  email       = %q
  api_token   = %q
  max_retries = 10
}

resource "jsm_customer" "bulk" {
  count        = %d
  email        = "%s-${count.index}@example.com"
  display_name = "Bulk Customer ${count.index}"
}
`, s.url, testEmail, testAPIToken, n, prefix)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:           cfg,
			ConfigPlanChecks: emptyPlanAfterApply(),
			Check: func(st *terraform.State) error {
				accounts := site.Accounts()
				if len(accounts) != n {
					return fmt.Errorf("the site holds %d accounts, want %d", len(accounts), n)
				}
				for i := range n {
					addr := fmt.Sprintf("jsm_customer.bulk.%d", i)
					rs, ok := st.RootModule().Resources[addr]
					if !ok {
						return fmt.Errorf("%s is not in the state", addr)
					}
					email := fmt.Sprintf("%s-%d@example.com", prefix, i)
					a, ok := site.AccountByEmail(email)
					if !ok {
						return fmt.Errorf("no account on the site for %s", email)
					}
					if rs.Primary.ID != a.AccountID || rs.Primary.Attributes["account_id"] != a.AccountID {
						return fmt.Errorf("%s holds %s, the site's account for %s is %s", addr, rs.Primary.ID, email, a.AccountID)
					}
				}
				// The faults did happen, the lost-create case included.
				post := site.Requests()["POST /rest/servicedeskapi/customer"]
				if post[409] == 0 || post[502]+post[jsmsite.StatusDropped] == 0 ||
					site.RequestCount("", 429) == 0 || site.RequestCount("", 503) == 0 {
					return fmt.Errorf("faults not seen: create route %v, 429s %d, 503s %d",
						post, site.RequestCount("", 429), site.RequestCount("", 503))
				}
				t.Logf("create route: %v; all 429: %d, all 503: %d", post, site.RequestCount("", 429), site.RequestCount("", 503))
				return nil
			},
		}},
	})
}
