package provider

import (
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// CSM resources planned with a service account: when the CSM gateway
// refuses its token (401 or 403, a switch of the local site, as Atlassian
// does not document service-account tokens there), the plan fails, saying
// so and naming the fallback, a scoped API token; the refresh of a resource
// already in state says the same. A gateway that takes the token plans.
func TestAccCSMServiceAccount_refusedAtPlan(t *testing.T) {
	site, srv := serviceAccountSite(t, time.Hour)
	cfg := fmt.Sprintf(`
provider "jsm" {
  url             = %q
  client_id       = %q
  client_secret   = %q
  oauth_token_url = %q
  csm_url         = %q
}

resource "jsm_customer_detail_field" "tier" {
  name = "Tier"
  type = "TEXT"
}
`, srv.URL, saClientID, saClientSecret, srv.URL+"/oauth/token", srv.URL+jsmsite.CSMPrefix)
	refused := func(status int) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() { site.SetCSMAnswers(jsmsite.CSMAnswers{ServiceAccountRefusal: status}) },
			Config:    cfg,
			PlanOnly:  true,
			ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)Customer Service Management API refused the service account.*HTTP %d.*`, status) +
				wrapped("service-account tokens are not documented there") + `.*` + wrapped("a scoped API token") + `.*` +
				wrapped("https://api.atlassian.com/ex/jira/<cloudId>")),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			refused(http.StatusUnauthorized),
			refused(http.StatusForbidden),
			{PreConfig: func() { site.SetCSMAnswers(jsmsite.CSMAnswers{}) }, Config: cfg},
			refused(http.StatusForbidden),
			{PreConfig: func() { site.SetCSMAnswers(jsmsite.CSMAnswers{}) }, Config: cfg, PlanOnly: true},
		},
	})
}

// The docs and the refusals' needs say that Atlassian does not document
// service-account tokens on the CSM API, instead of listing them among the
// credentials it takes.
func TestCSMServiceAccountDocsSayUndocumented(t *testing.T) {
	texts := map[string]string{"csmLifecycleNeeds": csmLifecycleNeeds("RenameCustomerAccount")}
	for _, f := range []string{"provider-configuration", "customer-lifecycle"} {
		b, err := os.ReadFile("../../templates/guides/" + f + ".md.tmpl")
		if err != nil {
			t.Fatal(err)
		}
		texts[f] = strings.Join(strings.Fields(string(b)), " ")
	}
	for name, text := range texts {
		if !regexp.MustCompile(`(?i)not document(ed)? (a )?service.account'?s? tokens?|service.account'?s? tokens? (is|are) not documented|does not document (a )?service.account`).MatchString(text) {
			t.Errorf("%s does not say service-account tokens are undocumented on the CSM API", name)
		}
		if strings.Contains(text, "(a service account") || strings.Contains(text, "uses the same token") {
			t.Errorf("%s still lists service accounts among the CSM API's credentials", name)
		}
	}
}
