// Helpers of the tests that use the Customer Service Management API: the
// tests themselves sit beside their resources and data sources.

package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

const routeTenantInfo = "GET /_edge/tenant_info"

// checkNoCSM fails a test that did not ask for the CSM API but sent it a
// request: a configuration without details must behave exactly as before.
func (s *testSite) checkNoCSM(t *testing.T) {
	if s.csm || s.site == nil {
		return
	}
	for route, counts := range s.site.Requests() {
		if strings.Contains(route, "/jsm/csm/") || route == routeTenantInfo {
			t.Errorf("a test without details sent %v requests to %s", counts, route)
		}
	}
}

// csmProvider is the provider block of a test that uses the CSM API of the
// local site: csm_url points at it, with {cloudId} for the provider to
// fill from /_edge/tenant_info. It authenticates with an OAuth 2.0 access
// token: the CSM gateway refuses the classic API token (TestAccCSM_clearErrors),
// and a scoped token is refused on the site URL (TestAccCSM_cloudIDSources
// uses one through the gateway).
func (s *testSite) csmProvider(t *testing.T, extra string) string {
	t.Helper()
	s.local(t)
	s.csm = true
	return fmt.Sprintf("provider \"jsm\" {\n  url          = %q\n  access_token = %q\n  csm_url      = %q\n%s}\n",
		s.url, testAccessToken, s.url+jsmsite.CSMPrefix, extra)
}

// classicCSMProvider is csmProvider with the classic API token, which the
// CSM gateway refuses by default.
func (s *testSite) classicCSMProvider(t *testing.T) string {
	t.Helper()
	s.local(t)
	s.csm = true
	return fmt.Sprintf("provider \"jsm\" {\n  url       = %q\n  email     = %q\n  api_token = %q\n  csm_url   = %q\n}\n",
		s.url, testEmail, testAPIToken, s.url+jsmsite.CSMPrefix)
}

// csmClient is a client of the local site's CSM API, for out-of-band setup.
func (s *testSite) csmClient(t *testing.T) *jsm.Client {
	t.Helper()
	c, err := jsm.New(jsm.Config{BaseURL: s.url, AccessToken: testAccessToken, CSMURL: s.url + jsmsite.CSMPrefix})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func countRequests(site *jsmsite.Site, route string) int {
	n := 0
	for _, c := range site.Requests()[route] {
		n += c
	}
	return n
}

func fieldConfig(kind, label, name, typ, options string) string {
	opts := ""
	if options != "" {
		opts = "  options = " + options + "\n"
	}
	return fmt.Sprintf("resource \"jsm_%s_detail_field\" %q {\n  name = %q\n  type = %q\n%s}\n", kind, label, name, typ, opts)
}

func detailsConfig(s *testSite, t *testing.T, email, details string) string {
	return s.csmProvider(t, "") +
		fieldConfig("customer", "region", "Region", "SELECT", `["AU", "EU", "US"]`) +
		fieldConfig("customer", "tags", "Tags", "MULTISELECT", `["a", "b", "c"]`) +
		fmt.Sprintf(`resource "jsm_customer" "fred" {
  email        = %q
  display_name = "Fred"
}
resource "jsm_customer_details" "fred" {
  customer_id = jsm_customer.fred.id
  details     = %s
}
`, email, details)
}
