package jsm

import (
	"net/http"
	"strings"
	"testing"
)

// A 403 on a customer or organization call of the JSM API, which Atlassian
// marks not exempt from app access rules, names data security policies,
// whatever the credential; other calls' 403s and other statuses do not.
func TestAppAccessRulesHint(t *testing.T) {
	for _, ep := range []*Endpoint{epCreateCustomer, epAddOrgUsers, epAddDeskCustomers, epGetOrg} {
		for name, hint := range map[string]string{
			"basic or OAuth":  ep.authHint(http.StatusForbidden, ""),
			"service account": ep.clientCredsHint(http.StatusForbidden, ""),
		} {
			for _, want := range []string{"data security policy", "app access", "exempt"} {
				if !strings.Contains(hint, want) {
					t.Errorf("%s, %s: hint lacks %q: %s", ep.Name(), name, want, hint)
				}
			}
		}
	}
	for what, hint := range map[string]string{
		"GET /user 403":     epGetUser.authHint(http.StatusForbidden, ""),
		"create 401":        epCreateCustomer.authHint(http.StatusUnauthorized, "refused"),
		"CSM product 403":   epCreateProduct.csmHint(http.StatusForbidden, "", false),
		"service desks 403": epListDesks.authHint(http.StatusForbidden, ""),
	} {
		if strings.Contains(hint, "data security policy") {
			t.Errorf("%s names data security policies: %s", what, hint)
		}
	}
}
