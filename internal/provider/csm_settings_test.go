package provider

import (
	"fmt"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// The cloud ID: from the gateway form of url or from cloud_id, no
// discovery request; a wrong one fails with the hint.
func TestAccCSM_cloudIDSources(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	s.csm = true
	gw := httptest.NewServer(site.Gateway(site.CloudID()))
	t.Cleanup(gw.Close)
	product := `resource "jsm_product" "p" { name = "Widget" }` + "\n"
	// A scoped API token: taken through the gateway, by the CSM API too.
	gateway := fmt.Sprintf("provider \"jsm\" {\n  url = %q\n  email = %q\n  api_token = %q\n  csm_url = %q\n}\n",
		gw.URL+"/ex/jira/"+site.CloudID(), testEmail, testScopedToken, gw.URL+jsmsite.CSMPrefix)
	noDiscovery := func(*terraform.State) error {
		if n := countRequests(site, routeTenantInfo); n != 0 {
			return fmt.Errorf("tenant_info was asked %d times", n)
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: gateway + product, Check: resource.ComposeTestCheckFunc(noDiscovery,
				func(*terraform.State) error {
					if p := site.Products(); len(p) != 1 || p[0].Name != "Widget" {
						return fmt.Errorf("products %v", p)
					}
					return nil
				})},
			{Config: s.csmProvider(t, fmt.Sprintf("  cloud_id = %q\n", site.CloudID())) + product, Check: noDiscovery},
			{Config: s.csmProvider(t, "  cloud_id = \"not a cloud id\"\n") + product, PlanOnly: true,
				ExpectError: regexp.MustCompile(`Invalid cloud ID`)},
			// Another site's cloud ID answers 404 everywhere, like a feature
			// that is off: the product stays in the state.
			{Config: s.csmProvider(t, "  cloud_id = \"0000-wrong\"\n") + product,
				ExpectError: regexp.MustCompile(`(?s)` + wrapped("check cloud_id") + `.*HTTP 404.*` + wrapped("cloud ID is not this site's"))},
			{Config: s.csmProvider(t, "") + product, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}

// A site without the feature, and the gateway's default refusal of a
// classic API token: clear errors at plan time, the latter saying what
// credential the CSM API needs.
func TestAccCSM_clearErrors(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	field := fieldConfig("customer", "r", "Region", "TEXT", "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{PreConfig: func() { site.SetCSMAnswers(jsmsite.CSMAnswers{FeatureOff: true}) }, Config: s.csmProvider(t, "") + field, PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)HTTP 404.*` + wrapped("Customer and organization profiles feature is not enabled"))},
			{PreConfig: func() { site.SetCSMAnswers(jsmsite.CSMAnswers{}) }, Config: s.classicCSMProvider(t) + field, PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)HTTP 401.*` + wrapped("a classic (unscoped) API token, which the site URL accepts, is the likely cause") +
					`.*` + wrapped("The CSM API needs an OAuth 2.0 access token (access_token), or basic auth with an email and a scoped API token") +
					`.*read:customer.detail-field:jira-service-management`)},
		},
	})
}
