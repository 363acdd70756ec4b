package provider

import (
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

var testAccProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"jsm": providerserver.NewProtocol6WithError(New("test")()),
}

const (
	testEmail    = "admin@example.com"
	testAPIToken = "test-api-token"
)

// testSite is where an acceptance test runs: a local JSM site of its own by
// default, or the real site named by JSM_URL (then site is nil and tests that
// need out-of-band changes skip).
type testSite struct {
	site   *jsmsite.Site
	url    string
	client *jsm.Client
	// csm: the test uses the CSM API (csm_test.go); other tests must send
	// it nothing.
	csm bool
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
	site, err := jsmsite.New(jsmsite.Config{Email: testEmail, APIToken: testAPIToken})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	c, err := jsm.New(jsm.Config{BaseURL: srv.URL, Email: testEmail, APIToken: testAPIToken})
	if err != nil {
		t.Fatal(err)
	}
	ts := &testSite{site: site, url: srv.URL, client: c}
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

// randomEmail keeps tests apart on a shared real site.
func randomEmail(prefix string) string {
	return fmt.Sprintf("%s-%s@example.com", prefix, strings.ToLower(acctest.RandString(8)))
}

// accountIDPattern matches the ID of a portal-only customer, and any other
// Atlassian account ID.
const accountIDPattern = `^(qm:[0-9a-f-]{36}:[0-9a-f]+|[0-9a-f]{24}|[0-9]+:[0-9a-f-]{36})$`
