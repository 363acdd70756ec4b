package jsm

import (
	"slices"
	"strings"
	"testing"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite/contract"
)

// The endpoint table's scopes are Atlassian's: for every endpoint the
// vendored OpenAPI documents describe, the classic scope is the one of the
// operation's security requirement and the granular ones are exactly those
// of its x-atlassian-oauth2-scopes. The README's and docs' permission
// tables are generated from the table, so they cannot drift either.
func TestEndpoints_scopesAreTheDocuments(t *testing.T) {
	checked := 0
	for _, e := range Endpoints {
		op := contract.Find(e.Method, e.Base+e.Pattern)
		if op == nil {
			if !documentedElsewhere(e) {
				t.Errorf("%s is in no vendored document and contract.Undocumented does not list it", e.Name())
			}
			continue
		}
		checked++
		classic, granular := op.Scopes()
		if e.Scope == "" || !slices.Contains(classic, e.Scope) || len(classic) != 1 {
			t.Errorf("%s: classic scope %q, the document (%s) says %v", e.Name(), e.Scope, op.ID, classic)
		}
		got, want := slices.Sorted(slices.Values(e.Granular)), slices.Sorted(slices.Values(granular))
		if !slices.Equal(got, want) {
			t.Errorf("%s: granular scopes %v, the document (%s) says %v", e.Name(), got, op.ID, want)
		}
	}
	if checked < 20 {
		t.Errorf("only %d endpoints were found in the documents", checked)
	}
}

// documentedElsewhere: the endpoint's operation is listed in
// contract.Undocumented (by its exact route, or under a listed prefix).
func documentedElsewhere(e *Endpoint) bool {
	name := e.Method + " " + e.Base + e.Pattern
	for _, u := range contract.Undocumented {
		if u.Route == name || strings.HasSuffix(u.Route, "/") && strings.HasPrefix(name, u.Route) {
			return true
		}
	}
	return false
}

// What the documents cannot check, Atlassian's scope list for Jira Service
// Management can: a CSM delete needs its delete: scope, an entitlement
// create the write: scope of its owner's kind, and there is no
// write:entitlement scope.
func TestEndpoints_csmScopesFollowAtlassiansList(t *testing.T) {
	for _, e := range Endpoints {
		if !e.CSM() {
			continue
		}
		for _, s := range e.Granular {
			if strings.HasPrefix(s, "write:entitlement:") {
				t.Errorf("%s asks for %s, which does not exist", e.Name(), s)
			}
			if !strings.HasSuffix(s, ":jira-service-management") {
				t.Errorf("%s: scope %s is not a Jira Service Management one", e.Name(), s)
			}
		}
		if e.Method == "DELETE" && !slices.ContainsFunc(e.Granular, func(s string) bool { return strings.HasPrefix(s, "delete:") }) {
			t.Errorf("%s needs a delete: scope, has %v", e.Name(), e.Granular)
		}
	}
	for e, want := range map[*Endpoint]string{
		epCreateCustEntitlement: "write:customer:entitlement:jira-service-management",
		epCreateOrgEntitlement:  "write:organization:entitlement:jira-service-management",
	} {
		if !slices.Equal(e.Granular, []string{want}) {
			t.Errorf("%s: scopes %v, want [%s]", e.Name(), e.Granular, want)
		}
	}
}
