package provider

import (
	"net/http/httptest"
	"regexp"
	"testing"

	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// A gateway URL with a wrong cloud ID answers every call with the API's
// own JSON 404, as if every object were gone. The refresh fails, naming the
// URL, instead of emptying the state; with the right URL again, nothing was
// lost and the plan is empty.
func TestAccProvider_wrongSiteEmptiesNoState(t *testing.T) {
	s := newTestSite(t)
	right, wrong := gatewaySite(t, s, "cloud-1", "cloud-1"), gatewaySite(t, s, "cloud-1", "cloud-2")
	email := randomEmail("wrongsite")
	cfg := func(s *testSite) string {
		return customerConfig(s, email, "Wrong Site", "") + `
resource "jsm_organization" "test" {
  name = "Wrong Site Org ` + email + `"
}
`
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []tfresource.TestStep{
			{Config: cfg(right)},
			{
				Config: cfg(wrong),
				ExpectError: regexp.MustCompile(`(?s)` + regexp.QuoteMeta(wrong.url) + `.*` +
					wrapped("nothing leaves the state on its word")),
			},
			{Config: cfg(right), ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}

// gatewaySite is s's local site behind a gateway of the cloud ID served,
// addressed through the gateway URL of the cloud ID asked (another one names
// no site of that gateway).
func gatewaySite(t *testing.T, s *testSite, served, asked string) *testSite {
	t.Helper()
	site := s.local(t)
	srv := httptest.NewServer(site.Gateway(served))
	t.Cleanup(srv.Close)
	return &testSite{site: site, url: srv.URL + "/ex/jira/" + asked, client: s.client}
}
