package provider

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite/contract"
	"github.com/jsmtf/terraform-provider-jsm/internal/testclock"
)

const (
	saClientID     = "sa-Zk4p-client-id"
	saClientSecret = "sa-Hq8v-distinctive-client-secret-3c7a"
)

// serviceAccountSite is a local site with a service account whose tokens
// live for lifetime and hold the given granular scopes (none given: every
// scope), served with its gateway prefix.
func serviceAccountSite(t *testing.T, lifetime time.Duration, scopes ...string) (*jsmsite.Site, *httptest.Server) {
	t.Helper()
	return serviceAccountSiteWith(t, jsmsite.Config{TokenLifetime: lifetime, ClientScopes: scopes})
}

// serviceAccountSiteWith is serviceAccountSite with more of the site's
// token settings.
func serviceAccountSiteWith(t *testing.T, cfg jsmsite.Config) (*jsmsite.Site, *httptest.Server) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests need TF_ACC=1")
	}
	if os.Getenv("JSM_URL") != "" {
		t.Skip("needs a service account only the local JSM site knows")
	}
	cfg.Email, cfg.APIToken, cfg.ClientID, cfg.ClientSecret = testEmail, testAPIToken, saClientID, saClientSecret
	site, err := jsmsite.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	contract.Enable(t, site)
	srv := httptest.NewServer(site.Gateway(site.CloudID()))
	t.Cleanup(srv.Close)
	return site, srv
}

// A service account end to end, with TRACE logging: the provider gets its
// tokens at the site's token endpoint, finds the cloud ID from the site
// URL, sends every call through the gateway (JSM and CSM calls alike), and
// its tokens, which die after 1 s on the site's clock, long before the hour
// the token answer announces (so that renewal before expiry cannot save
// them), expire again and again in the middle of an apply of 200
// customers: each call refused 401 renews the token once and goes
// through, and the apply has no failure. (Renewal before expiry is shown
// by the client's unit tests.) Neither the secret nor any token reaches
// the log. Not parallel: it sets process environment variables (see
// TestAccProvider_logsWithoutSecrets).
func TestAccServiceAccount_endToEnd(t *testing.T) {
	// The site's clock, not the wall clock, times the tokens: every answer
	// takes 10 ms on it, so a token lives for 100 answers however fast or
	// loaded the machine is, and the apply's 200 creations outlive the
	// apply's first token. From a 401 until the refused call has been
	// answered once more (the same method, URL and body), the clock stands
	// still: the renewed token is as fresh when the call comes back as an
	// hour-long token of Atlassian's would be.
	clock := testclock.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	site, srv := serviceAccountSiteWith(t, jsmsite.Config{TokenLifetime: time.Second, TokenExpiresIn: time.Hour, Now: clock.Now})
	var (
		refused atomic.Int32 // the 401 answers of expired tokens
		mu      sync.Mutex
		pending = map[string]int{} // calls refused 401 and not yet answered again
	)
	site.Use(func(_ string, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			call := r.Method + " " + r.URL.RequestURI() + "\n" + string(body)
			mu.Lock()
			again := pending[call] > 0
			if len(pending) == 0 {
				clock.Advance(10 * time.Millisecond)
			}
			mu.Unlock()
			rec := &statusRecorder{ResponseWriter: w, beforeStatus: func(status int) {
				if status == http.StatusUnauthorized { // before the client can see it
					mu.Lock()
					pending[call]++
					mu.Unlock()
				}
			}}
			next.ServeHTTP(rec, r)
			if again {
				mu.Lock()
				if pending[call]--; pending[call] <= 0 {
					delete(pending, call)
				}
				mu.Unlock()
			}
			if rec.status == http.StatusUnauthorized {
				refused.Add(1)
			}
		})
	})

	logFile := filepath.Join(t.TempDir(), "provider.log")
	clearJSMEnv(t)
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH", logFile)
	t.Setenv("TF_ACC_LOG_PATH", "")
	t.Setenv("TF_LOG_PATH_MASK", "")
	// The credentials come from the environment: the test framework logs
	// each step's configuration at TRACE.
	t.Setenv(envURL, srv.URL) // the site URL: the cloud ID is discovered
	t.Setenv(envClientID, saClientID)
	t.Setenv(envClientSecret, saClientSecret)
	t.Setenv(envOAuthTokenURL, srv.URL+"/oauth/token")
	t.Setenv(envCSMURL, srv.URL+jsmsite.CSMPrefix) // the gateway's host

	config := fmt.Sprintf(`
resource "jsm_customer" "many" {
  count        = 200
  email        = "sa-${count.index}-%s"
  display_name = "Service Account Customer ${count.index}"
}

resource "jsm_product" "p" {
  name = "Made by a service account"
}
`, randomEmail("many"))
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: config,
			Check: resource.ComposeTestCheckFunc(
				func(*terraform.State) error {
					if n := len(site.Accounts()); n < 200 {
						return fmt.Errorf("the site holds %d accounts", n)
					}
					if p := site.Products(); len(p) != 1 {
						return fmt.Errorf("products %v", p)
					}
					if n := site.TokensIssued(); n < 2 {
						return fmt.Errorf("%d tokens issued in %s: no renewal was seen", n, time.Since(start))
					}
					if refused.Load() == 0 {
						return fmt.Errorf("no call was refused with an expired token in %s: the renewal after a 401 was not exercised", time.Since(start))
					}
					return nil
				},
				resource.TestCheckResourceAttrSet("jsm_customer.many.199", "id"),
			),
		}, {
			// A proxy echoes the request's Authorization header, the token,
			// in an error page: the log and the diagnostic show it masked.
			PreConfig: func() {
				setProxyFaults(t, site, jsmsite.ProxyFaults{HostileError: http.StatusBadRequest,
					Routes: []string{"GET /rest/servicedeskapi/servicedesk"}})
			},
			Config:      config + `data "jsm_service_desks" "all" {}` + "\n",
			ExpectError: regexp.MustCompile(`HTTP 400`),
		}, {
			PreConfig: func() { setProxyFaults(t, site, jsmsite.ProxyFaults{}) },
			Config:    config,
		}},
	})
	t.Logf("%d tokens issued, %d calls refused 401 and renewed, in %s", site.TokensIssued(), refused.Load(), time.Since(start).Round(time.Millisecond))

	raw, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log := string(raw)
	for _, want := range []string{"http_path=/rest/servicedeskapi/customer", "http_status=401", "http_status=400", "***",
		"access token was refused (401): renewing it"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q (%d bytes)", want, len(log))
		}
	}
	for name, secret := range map[string]string{"client secret": saClientSecret, "an access token": "jsmsite-sa-"} {
		if i := strings.Index(log, secret); i >= 0 {
			t.Errorf("the log holds %s: …%s…", name, log[max(0, i-200):min(len(log), i+100)])
		}
	}
}

// A wrong secret fails with an error that names the credential kind and
// what to check; a second 401 is not retried in a loop.
func TestAccServiceAccount_wrongSecret(t *testing.T) {
	site, srv := serviceAccountSite(t, time.Hour)
	cfg := fmt.Sprintf(`
provider "jsm" {
  url             = %q
  client_id       = %q
  client_secret   = "not-the-secret-41f0"
  oauth_token_url = %q
}

data "jsm_service_desks" "all" {}
`, srv.URL+"/ex/jira/"+site.CloudID(), saClientID, srv.URL+"/oauth/token")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      cfg,
			ExpectError: regexp.MustCompile(`(?s)` + wrapped("OAuth 2.0 client credentials (service account)") + `.*invalid_client.*client_secret`),
		}},
	})
	if n := site.TokensIssued(); n != 0 {
		t.Errorf("%d tokens issued for a wrong secret", n)
	}
}

// A credential without a scope a call needs: the site answers 403, and the
// error names the credential kind and the scopes of the refused call; a
// read-only credential plans, and its apply fails at the first write.
func TestAccServiceAccount_missingScope(t *testing.T) {
	readOnly := []string{"read:application-role:jira", "read:avatar:jira", "read:group:jira", "read:user.property:jira", "read:user:jira"}
	site, srv := serviceAccountSite(t, time.Hour, readOnly...)
	cfg := fmt.Sprintf(`
provider "jsm" {
  url             = %q
  client_id       = %q
  client_secret   = %q
  oauth_token_url = %q
}

resource "jsm_customer" "c" {
  email        = %q
  display_name = "Scoped Out"
}
`, srv.URL+"/ex/jira/"+site.CloudID(), saClientID, saClientSecret, srv.URL+"/oauth/token", randomEmail("scoped"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg, PlanOnly: true, ExpectNonEmptyPlan: true},
			{
				Config: cfg,
				ExpectError: regexp.MustCompile(`(?s)HTTP 403.*` + wrapped("OAuth 2.0 client credentials (service account)") +
					`.*` + wrapped("lacks a scope") + `.*write:customer:jira-service-management`),
			},
		},
	})
	if n := len(site.Accounts()); n != 0 {
		t.Errorf("the site holds %d accounts", n)
	}
}

// The token URL must be https except on loopback hosts; the client
// credentials exclude the other credentials, naming where each came from.
func TestAccServiceAccount_settingsRefused(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests need TF_ACC=1")
	}
	provider := func(extra string) string {
		return fmt.Sprintf("provider \"jsm\" {\n  url = \"https://example.atlassian.net\"\n  client_id = %q\n%s}\n"+
			"data \"jsm_service_desks\" \"all\" {}\n", saClientID, extra)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      provider("  client_secret = \"s3cret-value\"\n  oauth_token_url = \"http://auth.example.com/oauth/token\"\n"),
				ExpectError: regexp.MustCompile(`(?s)Invalid OAuth token URL.*oauth_token_url.*uses\s+http`),
			},
			{
				Config:      provider("  client_secret = \"s3cret-value\"\n  access_token = \"an-access-token\"\n"),
				ExpectError: regexp.MustCompile(`(?s)Conflicting authentication settings.*` + wrapped("client_id attribute") + `.*` + wrapped("access_token attribute")),
			},
			{
				Config:      provider(""),
				ExpectError: regexp.MustCompile(`(?s)Missing client secret.*` + envClientSecret),
			},
		},
	})
}

// statusRecorder remembers the status an answer was given; beforeStatus,
// when set, learns it before the answer goes out.
type statusRecorder struct {
	http.ResponseWriter
	status       int
	beforeStatus func(status int)
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	if r.beforeStatus != nil {
		r.beforeStatus(status)
	}
	r.ResponseWriter.WriteHeader(status)
}
