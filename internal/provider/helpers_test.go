// Helpers of the acceptance tests, in one place: where a test runs (site
// setup, faults, environment), random names, HCL config builders, plan
// checks, and checks of the state and of the site.

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite/contract"
	"github.com/jsmtf/terraform-provider-jsm/internal/serve"
)

// ---- Where a test runs: the site, its faults, the environment ----

// testAccProviders back off for milliseconds, not seconds, between retries:
// acceptance tests inject 503s and lost answers by the hundred. Retry-After
// from the site is still honoured.
var testAccProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"jsm": serve.Protocol6(New("test", WithRetryWait(10*time.Millisecond, 200*time.Millisecond))()),
}

const (
	testEmail    = "admin@example.com"
	testAPIToken = "test-api-token" // a classic API token: the site URL takes it, the CSM gateway does not
	// testAccessToken (OAuth 2.0 bearer) and testScopedToken (a scoped API
	// token, with testEmail) are what the CSM gateway takes (csm_settings_test.go).
	testAccessToken = "test-access-token"
	testScopedToken = "test-scoped-token"
)

// testSite is where an acceptance test runs: a local JSM site of its own by
// default, or the real site named by JSM_URL (then site is nil and tests that
// need out-of-band changes skip).
type testSite struct {
	site   *jsmsite.Site
	url    string
	client *jsm.Client
	// csm: the test uses the CSM API (csmProvider, csm_helpers_test.go);
	// other tests must send it nothing.
	csm bool
	// contract holds the local site to Atlassian's documents; a violation
	// fails the test when it ends.
	contract *contract.Validator
}

func newTestSite(t *testing.T) *testSite {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests need TF_ACC=1 (make test sets it)")
	}
	if realURL := os.Getenv("JSM_URL"); realURL != "" {
		c, err := jsm.New(jsm.Config{
			BaseURL: realURL, Email: os.Getenv("JSM_EMAIL"), APIToken: os.Getenv("JSM_API_TOKEN"),
			AccessToken: os.Getenv("JSM_ACCESS_TOKEN"),
		})
		if err != nil {
			t.Fatalf("JSM_* environment: %v", err)
		}
		return &testSite{url: realURL, client: c}
	}
	site, err := jsmsite.New(jsmsite.Config{Email: testEmail, APIToken: testAPIToken, AccessToken: testAccessToken, ScopedAPIToken: testScopedToken})
	if err != nil {
		t.Fatal(err)
	}
	v := contract.Enable(t, site) // every request and answer against Atlassian's documents
	// At the root like a site URL, and under /ex/jira/<cloudId> like
	// Atlassian's gateway, where bearer tokens go.
	srv := httptest.NewServer(site.Gateway(site.CloudID()))
	t.Cleanup(srv.Close)
	c, err := jsm.New(jsm.Config{BaseURL: srv.URL, Email: testEmail, APIToken: testAPIToken})
	if err != nil {
		t.Fatal(err)
	}
	ts := &testSite{site: site, url: srv.URL, client: c, contract: v}
	t.Cleanup(func() { ts.checkNoCSM(t) })
	return ts
}

// local returns the local site, skipping the test against a real one.
func (s *testSite) local(t *testing.T) *jsmsite.Site {
	t.Helper()
	if s.site == nil {
		t.Skip("needs out-of-band changes only the local JSM site allows")
	}
	return s.site
}

// provider is the provider block for this site; against a real site the
// credentials come from the environment.
func (s *testSite) provider() string {
	if s.site == nil {
		return "provider \"jsm\" {}\n"
	}
	return fmt.Sprintf("provider \"jsm\" {\n  url       = %q\n  email     = %q\n  api_token = %q\n}\n", s.url, testEmail, testAPIToken)
}

// providerWith is the provider block of the local site with extra
// attributes (HCL lines).
func (s *testSite) providerWith(t *testing.T, attrs string) string {
	t.Helper()
	s.local(t)
	return fmt.Sprintf("provider \"jsm\" {\n  url       = %q\n  email     = %q\n  api_token = %q\n%s}\n", s.url, testEmail, testAPIToken, attrs)
}

func setProxyFaults(t *testing.T, site *jsmsite.Site, p jsmsite.ProxyFaults) {
	t.Helper()
	if err := site.SetProxyFaults(p); err != nil {
		t.Fatal(err)
	}
}

// clearJSMEnv keeps the developer's JSM_* variables out of tests that
// configure the provider in HCL alone.
func clearJSMEnv(t *testing.T) {
	for _, v := range []string{envURL, envEmail, envAPIToken, envAccessToken, envClientID, envClientSecret, envOAuthTokenURL,
		envCloudID, envCSMURL, envMaxRetries, envMaxRequestsPerSecond, envMaxRetryWait, envMaxCallDuration} {
		t.Setenv(v, "")
	}
}

// The seeded desks of the local site: 1 (IT) is open to anyone, 2 (HR) only
// to its customers.
const (
	openDeskID   = "1"
	closedDeskID = "2"
)

// setFaults switches the local site's faults on (and its counters to zero)
// before a step's plan.
func setFaults(t *testing.T, site *jsmsite.Site, f jsmsite.Faults) func() {
	return func() {
		if err := site.SetFaults(f); err != nil {
			t.Fatal(err)
		}
		site.ResetRequests()
	}
}

// ---- Random names and emails ----

// randomEmail keeps tests apart on a shared real site.
func randomEmail(prefix string) string {
	return fmt.Sprintf("%s-%s@example.com", prefix, strings.ToLower(acctest.RandString(8)))
}

// newCustomers creates n customers through the API and returns their IDs.
func newCustomers(t *testing.T, s *testSite, prefix string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		u, err := s.client.CreateCustomer(context.Background(), fmt.Sprintf("%s %d", prefix, i), randomEmail(strings.ToLower(prefix)))
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = u.AccountID
	}
	return ids
}

func randomName(prefix string) string {
	return prefix + " " + strings.ToLower(acctest.RandString(8))
}

// ---- HCL config builders ----

const customerAddr = "jsm_customer.test"

func customerConfig(s *testSite, email, name, extra string) string {
	return s.provider() + fmt.Sprintf(`
resource "jsm_customer" "test" {
  email        = %q
  display_name = %q
%s
}
`, email, name, extra)
}

const orgMembersAddr = "jsm_organization_customers.test"

func hclList(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = fmt.Sprintf("%q", id)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func orgMembersConfig(s *testSite, orgName string, ids []string) string {
	cfg := organizationConfig(s, orgName, "")
	if ids != nil {
		cfg += fmt.Sprintf(`
resource "jsm_organization_customers" "test" {
  organization_id = jsm_organization.test.id
  account_ids     = %s
}
`, hclList(ids))
	}
	return cfg
}

const orgAddr = "jsm_organization.test"

func organizationConfig(s *testSite, name, properties string) string {
	props := ""
	if properties != "" {
		props = "  properties = {\n" + properties + "\n  }\n"
	}
	return s.provider() + fmt.Sprintf("resource \"jsm_organization\" \"test\" {\n  name = %q\n%s}\n", name, props)
}

const deskCustomersAddr = "jsm_service_desk_customers.test"

func deskCustomersConfig(s *testSite, desk string, ids []string) string {
	cfg := s.provider()
	if ids != nil {
		cfg += fmt.Sprintf(`
resource "jsm_service_desk_customers" "test" {
  service_desk_id = %q
  account_ids     = %s
}
`, desk, hclList(ids))
	}
	return cfg
}

const deskOrgAddr = "jsm_service_desk_organization.test"

func deskOrgConfig(s *testSite, orgName, desk string, link bool) string {
	cfg := organizationConfig(s, orgName, "")
	if link {
		cfg += fmt.Sprintf(`
resource "jsm_service_desk_organization" "test" {
  service_desk_id = %q
  organization_id = jsm_organization.test.id
}
`, desk)
	}
	return cfg
}

// ---- Plan checks ----

func emptyPlanAfterApply() resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
}

// ---- Checks of the state, the site and diagnostics ----

// accountIDPattern matches the ID of a portal-only customer, and any other
// Atlassian account ID.
const accountIDPattern = `^(qm:[0-9a-f-]{36}:[0-9a-f]+|[0-9a-f]{24}|[0-9]+:[0-9a-f-]{36})$`

func diagText(d diag.Diagnostics) string {
	var b strings.Builder
	for _, x := range d {
		fmt.Fprintf(&b, "[%s] %s: %s\n", x.Severity(), x.Summary(), x.Detail())
	}
	return b.String()
}

// checkOnSite runs f only against the local site.
func checkOnSite(s *testSite, f resource.TestCheckFunc) resource.TestCheckFunc {
	return func(st *terraform.State) error {
		if s.site == nil {
			return nil
		}
		return f(st)
	}
}

func knownStringRegexp(p string) knownvalue.Check {
	return knownvalue.StringRegexp(regexp.MustCompile(p))
}

// wrapped matches text as Terraform prints it, wrapped at any space.
func wrapped(text string) string {
	return strings.ReplaceAll(regexp.QuoteMeta(text), " ", `\s+`)
}

// importBlockRE matches the import block of id (importBlock) as Terraform
// prints it, wrapped.
func importBlockRE(id string) string {
	return `import\s+\{\s+to\s+=\s+` + wrapped(`<the address on this message's "with" line>`) + `\s+id\s+=\s+` +
		regexp.QuoteMeta(fmt.Sprintf("%q", id)) + `\s+\}`
}

func setOfIDs(ids ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.StringExact(id)
	}
	return knownvalue.SetExact(checks)
}

// sameMembers checks a site's list of account IDs against want, in any order.
func sameMembers(what string, got []string, want ...string) error {
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	if !slices.Equal(g, w) {
		return fmt.Errorf("%s: %v, want %v", what, g, w)
	}
	return nil
}

// orgID reads the organization ID from the state.
func orgID(st *terraform.State) string { return st.RootModule().Resources[orgAddr].Primary.ID }

// jsonEqual compares two JSON documents semantically.
func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return string(ja) == string(jb)
}
