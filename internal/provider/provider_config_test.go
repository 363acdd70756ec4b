package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

func TestAccProvider_invalidConfiguration(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t) // needs to control the credentials
	_ = site
	clearJSMEnv(t)
	resourceBlock := `
resource "jsm_customer" "test" {
  email        = "config@example.com"
  display_name = "Config Test"
}
`
	for name, tc := range map[string]struct {
		provider, want string
	}{
		"missing credentials": {
			fmt.Sprintf(`provider "jsm" { url = %q }`, s.url),
			`(?s)Missing credentials.*JSM_EMAIL.*JSM_API_TOKEN.*JSM_ACCESS_TOKEN`,
		},
		"missing api token": {
			fmt.Sprintf(`provider "jsm" {
  url   = %q
  email = "admin@example.com"
}`, s.url),
			`(?s)Missing API token.*JSM_API_TOKEN`,
		},
		"missing url": {
			`provider "jsm" {
  email     = "admin@example.com"
  api_token = "x"
}`,
			`(?s)Missing JSM site URL.*JSM_URL`,
		},
		"both auth methods": {
			fmt.Sprintf(`provider "jsm" {
  url          = %q
  email        = "admin@example.com"
  api_token    = "x"
  access_token = "y"
}`, s.url),
			`(?s)access_token.*cannot be specified when.*email`,
		},
		"http to a remote host": {
			`provider "jsm" {
  url          = "http://example.atlassian.net"
  access_token = "y"
}`,
			`(?s)Invalid JSM site URL.*uses http.*use https`,
		},
		"not a URL": {
			`provider "jsm" {
  url          = "example.atlassian.net"
  access_token = "y"
}`,
			`(?s)Invalid JSM site URL.*not an absolute http\(s\) URL`,
		},
		// The URL is shown as scheme and host: never the password or query.
		"credentials and a query in the url": {
			`provider "jsm" {
  url          = "https://fred:hunter2@example.atlassian.net/jira?token=abc"
  access_token = "y"
}`,
			`(?s)Invalid JSM site URL.*the URL https://example\.atlassian\.net must not carry a query`,
		},
		// Every answer under a wrong path would be a 404, which a refresh
		// takes for objects gone: the plan must stop before any request.
		"a path in the url": {
			fmt.Sprintf(`provider "jsm" {
  url       = "%s/jira"
  email     = %q
  api_token = %q
}`, s.url, testEmail, testAPIToken),
			`(?s)Invalid JSM site URL.*has the path "/jira".*remove the\s+path`,
		},
		"wrong token": {
			fmt.Sprintf(`provider "jsm" {
  url       = %q
  email     = %q
  api_token = "not-the-token"
}`, s.url, testEmail),
			// at plan time: a green plan would promise an apply that cannot run
			`(?s)The site refused the provider's credentials.*HTTP 401.*credentials were refused`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config:      tc.provider + "\n" + resourceBlock,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}

// The environment supplies what HCL leaves out, and HCL wins over it.
func TestAccProvider_basic(t *testing.T) {
	s := newTestSite(t)
	s.local(t)
	clearJSMEnv(t)
	t.Setenv(envURL, s.url)
	t.Setenv(envEmail, testEmail)
	t.Setenv(envAPIToken, "wrong-token-from-env")
	email := randomEmail("env")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      "provider \"jsm\" {}\n" + customerConfig(&testSite{site: nil}, email, "Env Person", "")[len("provider \"jsm\" {}\n"):],
				ExpectError: regexp.MustCompile(`HTTP 401`),
			},
			{
				Config: fmt.Sprintf("provider \"jsm\" {\n  api_token = %q\n}\n", testAPIToken) +
					customerConfig(&testSite{site: nil}, email, "Env Person", "")[len("provider \"jsm\" {}\n"):],
			},
		},
	})
}

// A provider setting that comes from a resource not yet created is unknown at
// plan time: the plan fails with the attribute named, never with a panic or
// a request to a half-known site.
func TestAccProvider_unknownConfiguration(t *testing.T) {
	s := newTestSite(t)
	s.local(t)
	clearJSMEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "terraform_data" "site" {
  input = %q
}

provider "jsm" {
  url       = terraform_data.site.output
  email     = %q
  api_token = %q
}

resource "jsm_customer" "test" {
  email        = "unknown-config@example.com"
  display_name = "Unknown Config"
}
`, s.url, testEmail, testAPIToken),
			ExpectError: regexp.MustCompile(`(?s)Unknown provider configuration.*"url" depends on a value not known`),
		}},
	})
	if n := len(s.site.Accounts()); n != 0 {
		t.Errorf("the site holds %d accounts; nothing may be created with an unknown configuration", n)
	}
}
