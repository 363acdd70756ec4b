package provider

import (
	"regexp"
	"slices"
	"testing"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite/contract"
)

// The local site's scope table (jsmsite.RouteScopes, which the site checks
// for service-account tokens) and the client's endpoint table (whose
// scopes errors and the least-privilege guide quote) agree on every call
// the provider makes: the site cannot import the client, so this test ties
// them.
func TestSiteScopesMatchEndpointTable(t *testing.T) {
	params := regexp.MustCompile(`\{[^}]*\}`)
	site, err := jsmsite.New(jsmsite.Config{Email: testEmail, APIToken: testAPIToken})
	if err != nil {
		t.Fatal(err)
	}
	contract.Enable(t, site) // no request is made; every site built in tests validates
	routes := map[string]string{}
	for _, r := range site.Routes() {
		routes[params.ReplaceAllString(r, "{}")] = r
	}
	for _, e := range jsm.Endpoints {
		route, ok := routes[params.ReplaceAllString(e.Name(), "{}")]
		if !ok {
			t.Errorf("%s: the local site has no route for it", e.Name())
			continue
		}
		got, want := slices.Sorted(slices.Values(jsmsite.RouteScopes[route])), slices.Sorted(slices.Values(e.Granular))
		if !slices.Equal(got, want) {
			t.Errorf("%s: the site checks the scopes %q, the client's table says %q", route, got, want)
		}
	}
}
