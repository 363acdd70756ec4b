package provider

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite/contract"
)

// With TF_LOG=TRACE the provider logs every request, and neither the API
// token, nor the access token, nor the basic-auth header value appears
// anywhere in the log. Not parallel: it sets process environment variables,
// which is how terraform-plugin-testing routes the logs of in-process
// providers (TF_LOG, TF_LOG_PATH).
func TestAccProvider_logsWithoutSecrets(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests need TF_ACC=1")
	}
	if os.Getenv("JSM_URL") != "" {
		t.Skip("needs credentials only the local JSM site knows")
	}
	const (
		email       = "log-admin@example.com"
		apiToken    = "tok-Q7Rz-distinctive-api-token-5e1d"
		accessToken = "acc-W3kx-distinctive-access-token-9b2f"
	)
	basic := base64.StdEncoding.EncodeToString([]byte(email + ":" + apiToken))
	site, err := jsmsite.New(jsmsite.Config{Email: email, APIToken: apiToken, AccessToken: accessToken})
	if err != nil {
		t.Fatal(err)
	}
	// Every other request is refused, so retries and rate-limit headers
	// are logged too.
	var n atomic.Int32
	site.Use(func(_ string, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1)%2 == 1 {
				w.Header().Set("Retry-After", "0")
				w.Header().Set("X-RateLimit-Remaining", "0")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	contract.Enable(t, site)
	srv := httptest.NewServer(site.Gateway(site.CloudID()))
	t.Cleanup(srv.Close)

	logFile := filepath.Join(t.TempDir(), "provider.log")
	clearJSMEnv(t)
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH", logFile)
	t.Setenv("TF_ACC_LOG_PATH", "")
	t.Setenv("TF_LOG_PATH_MASK", "")

	resourceBlock := fmt.Sprintf(`
resource "jsm_customer" "test" {
  email        = %q
  display_name = "Logged Customer"
}
`, randomEmail("logged"))
	// The credentials come from the environment: the test framework itself
	// logs each step's configuration at TRACE, and that is not the
	// provider's doing.
	t.Setenv(envURL, srv.URL)
	t.Setenv(envEmail, email)
	t.Setenv(envAPIToken, apiToken)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: resourceBlock},
			{ // the same, through bearer auth
				PreConfig: func() {
					t.Setenv(envEmail, "")
					t.Setenv(envAPIToken, "")
					t.Setenv(envAccessToken, accessToken)
					// The bearer token goes through the gateway, on the
					// CSM API's host.
					t.Setenv(envCSMURL, srv.URL+jsmsite.CSMPrefix)
				},
				Config: resourceBlock,
			},
		},
	})

	raw, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log := string(raw)
	for _, want := range []string{"jsm: HTTP request", "http_path=/rest/servicedeskapi/customer", "http_status=201",
		"http_status=429", "retry_after=0", "x_ratelimit_remaining=0", "response_body=", "attempt=2"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q (%d bytes)", want, len(log))
		}
	}
	for name, secret := range map[string]string{"API token": apiToken, "access token": accessToken, "basic auth value": basic} {
		if strings.Contains(log, secret) {
			i := strings.Index(log, secret)
			t.Errorf("the log holds the %s: …%s…", name, log[max(0, i-200):min(len(log), i+100)])
		}
	}
}
