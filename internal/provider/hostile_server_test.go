package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// Tests against a local site that misbehaves like a broken proxy, a captive
// portal or a misconfigured gateway (jsmsite.ProxyFaults): the provider
// must report honestly, never record a write that did not happen, and never
// echo what such a server sends.

const (
	orgMembersDeleteRoute = "DELETE /rest/servicedeskapi/organization/{organizationId}/user"
	orgMembersAddRoute    = "POST /rest/servicedeskapi/organization/{organizationId}/user"
	orgCreateRoute        = "POST /rest/servicedeskapi/organization"
	orgListRoute          = "GET /rest/servicedeskapi/organization"
	orgGetRoute           = "GET /rest/servicedeskapi/organization/{organizationId}"
	orgPropPutRoute       = "PUT /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}"
)

// A destroy of an organization's members answered by a redirect must fail:
// followed, it became a GET of the member list whose 200 looked like
// success, and the state forgot members the site still held.
func TestAccHostileServer_redirectedDestroyFails(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	ids := newCustomers(t, s, "Redirected", 2)
	name := randomName("Redirected")
	var org string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: orgMembersConfig(s, name, ids),
				Check: func(st *terraform.State) error {
					org = orgID(st)
					return sameMembers("organization members", site.OrganizationMembers(org), ids...)
				},
			},
			{
				PreConfig: func() {
					setProxyFaults(t, site, jsmsite.ProxyFaults{RedirectTo: jsmsite.RedirectSelf, Routes: []string{orgMembersDeleteRoute}})
				},
				Config: orgMembersConfig(s, name, nil),
				ExpectError: regexp.MustCompile(`(?s)` + wrapped("HTTP 302 Found: the site answered with a redirect to") + `\s+http://127\.0\.0\.1:\d+,\s+` +
					wrapped("which the provider never follows.") + `.*` + wrapped("The write may not have happened")),
			},
			{ // the members are still on the site, and still in the state: nothing to plan
				PreConfig: func() {
					setProxyFaults(t, site, jsmsite.ProxyFaults{})
					if err := sameMembers("organization members after the redirect", site.OrganizationMembers(org), ids...); err != nil {
						t.Fatal(err)
					}
				},
				Config:   orgMembersConfig(s, name, ids),
				PlanOnly: true,
			},
			{ // a read redirected to another host names it, and never goes there
				PreConfig: func() {
					setProxyFaults(t, site, jsmsite.ProxyFaults{RedirectTo: "http://localhost:1", Routes: []string{orgGetRoute}})
				},
				Config:      orgMembersConfig(s, name, ids),
				ExpectError: regexp.MustCompile(wrapped("HTTP 302 Found: the site answered with a redirect to http://localhost:1,")),
			},
			{
				PreConfig: func() { setProxyFaults(t, site, jsmsite.ProxyFaults{}) },
				Config:    orgMembersConfig(s, name, ids),
				PlanOnly:  true,
			},
		},
	})
}

// A write answered 200 with an HTML page (a captive portal) is an error,
// never a recorded success.
func TestAccHostileServer_htmlSuccessIsNoSuccess(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	ids := newCustomers(t, s, "Portal", 1)
	name := randomName("Portal")
	var org string
	htmlError := wrapped("HTTP 200 OK: answered an HTML page, not the API's JSON: a proxy, captive portal or wrong URL?") + `(?s).*` +
		wrapped("The write may not have happened")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{ // a create: the organization is not recorded
				PreConfig: func() {
					setProxyFaults(t, site, jsmsite.ProxyFaults{HTMLStatus: 200, Routes: []string{orgCreateRoute}})
				},
				Config:      orgMembersConfig(s, name, nil),
				ExpectError: regexp.MustCompile(wrapped("POST /rest/servicedeskapi/organization: ") + htmlError),
			},
			{
				PreConfig: func() { setProxyFaults(t, site, jsmsite.ProxyFaults{}) },
				Config:    orgMembersConfig(s, name, nil),
				Check:     func(st *terraform.State) error { org = orgID(st); return nil },
			},
			{ // adding members, a call that answers 204: today's 200 page passed for it
				PreConfig: func() {
					setProxyFaults(t, site, jsmsite.ProxyFaults{HTMLStatus: 200, Routes: []string{orgMembersAddRoute}})
				},
				Config:      orgMembersConfig(s, name, ids),
				ExpectError: regexp.MustCompile(htmlError),
			},
			{ // nothing was recorded: the next apply adds them
				PreConfig: func() {
					setProxyFaults(t, site, jsmsite.ProxyFaults{})
					if m := site.OrganizationMembers(org); len(m) != 0 {
						t.Fatalf("members %v", m)
					}
				},
				Config: orgMembersConfig(s, name, ids),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(orgMembersAddr, plancheck.ResourceActionCreate),
				}},
				Check: func(*terraform.State) error {
					return sameMembers("organization members", site.OrganizationMembers(org), ids...)
				},
			},
		},
	})
}

// A proxy that answers every request with its own 404 page (a wrong path
// on a gateway, a site being moved) must not make the refresh drop the
// customer, the organization and its members from the state: only the
// API's own 404 says an object is gone.
func TestAccHostileServer_proxy404IsNotGone(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	ids := newCustomers(t, s, "Proxied", 1)
	name := randomName("Proxied")
	cfg := orgMembersConfig(s, name, ids) + fmt.Sprintf(`
resource "jsm_customer" "test" {
  email        = %q
  display_name = "Proxied Customer"
}
`, randomEmail("proxied"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() { setProxyFaults(t, site, jsmsite.ProxyFaults{HTMLStatus: 404}) },
				Config:    cfg,
				ExpectError: regexp.MustCompile(`(?s)HTTP 404 Not Found.*` +
					wrapped("It is not taken to mean that the object is gone")),
			},
			{ // everything is still in the state: nothing to plan
				PreConfig: func() { setProxyFaults(t, site, jsmsite.ProxyFaults{}) },
				Config:    cfg,
				PlanOnly:  true,
			},
		},
	})
}

// noEscapes matches an error text without terminal escape sequences or
// bidirectional overrides anywhere (ESC, the C1 CSI, RLO, BEL).
const noEscapes = `[^\x1b\x{9b}\x{202e}\x07]*`

// An error page carrying escape sequences and the echoed Authorization
// header shows neither; its messages are capped.
func TestAccHostileServer_errorTextIsCleaned(t *testing.T) {
	for name, html := range map[string]bool{"json": false, "html": true} {
		t.Run(name, func(t *testing.T) {
			// A site per subtest: they run in parallel, and each sets its own faults.
			s := newTestSite(t)
			site := s.local(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					PreConfig: func() {
						setProxyFaults(t, site, jsmsite.ProxyFaults{HostileError: 400, HostileErrorHTML: html, Routes: []string{orgCreateRoute}})
					},
					Config: organizationConfig(s, randomName("Hostile "+name), ""),
					ExpectError: regexp.MustCompile(`(?s)\A` + noEscapes + `HTTP 400 Bad Request` + noEscapes +
						`Proxy\s+error\s+upstream\s+refused` + noEscapes + `Authorization:\s+\*\*\*` + noEscapes +
						map[bool]string{false: `and\s+43\s+more\s+messages`, true: ``}[html] + noEscapes + `\z`),
				}},
			})
		})
	}
}

// A body over the client's limit is "response too large", not a JSON error
// or, worse, an answer silently cut short that still decodes.
func TestAccHostileServer_oversizedAnswer(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Oversized")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: organizationConfig(s, name, "")},
			{
				PreConfig: func() {
					setProxyFaults(t, site, jsmsite.ProxyFaults{OversizeBody: 9 << 20, Routes: []string{orgListRoute}})
				},
				Config:      organizationConfig(s, name, "") + fmt.Sprintf("data \"jsm_organization\" \"x\" {\n  name = %q\n}\n", name),
				ExpectError: regexp.MustCompile(wrapped("GET /rest/servicedeskapi/organization: HTTP 200 OK: response too large (over 8 MiB)")),
			},
			{PreConfig: func() { setProxyFaults(t, site, jsmsite.ProxyFaults{}) }, Config: organizationConfig(s, name, "")},
		},
	})
}
