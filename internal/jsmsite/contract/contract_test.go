package contract

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

const (
	email  = "admin@example.com"
	token  = "token-1"
	bearer = "access-1" // the CSM API takes OAuth 2.0 access tokens
)

func newSite(t *testing.T) (*jsmsite.Site, *Validator, *httptest.Server) {
	t.Helper()
	site, err := jsmsite.New(jsmsite.Config{Email: email, APIToken: token, AccessToken: bearer})
	if err != nil {
		t.Fatal(err)
	}
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	v.Attach(site)
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	return site, v, srv
}

func call(t *testing.T, srv *httptest.Server, method, path, body string) int {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(email, token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// answerWith makes the site answer route with body, inside the validator.
func answerWith(site *jsmsite.Site, route, body string) {
	site.Use(func(name string, next http.Handler) http.Handler {
		if name != route {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, body)
		})
	})
}

func wantViolation(t *testing.T, v *Validator, operation, side, field string) {
	t.Helper()
	for _, viol := range v.Violations() {
		if viol.Operation == operation && viol.Side == side && viol.Field == field {
			if s := viol.String(); !strings.Contains(s, operation) || !strings.Contains(s, field) {
				t.Errorf("violation %q names neither the operation nor the field", s)
			}
			return
		}
	}
	t.Errorf("no violation of %s, %s, field %q; got %v", operation, side, field, v.Violations())
}

// The check can fail: an account ID that is a number, a field the
// document does not have, a request missing a required field, a query
// parameter of the wrong type or that the operation does not have, a body
// sent where none is taken.
func TestValidator_flagsShapesTheDocumentsForbid(t *testing.T) {
	site, v, srv := newSite(t)
	answerWith(site, "GET /rest/api/3/user", `{"accountId": 5, "accountType": "customer", "active": true, "displayName": "A", "self": "https://x/rest/api/3/user?accountId=5"}`)
	answerWith(site, "GET /rest/servicedeskapi/organization/{organizationId}", `{"id": "1", "name": "A", "colour": "red"}`)
	call(t, srv, http.MethodGet, "/rest/api/3/user?accountId=qm:1", "")
	call(t, srv, http.MethodGet, "/rest/servicedeskapi/organization/1", "")
	call(t, srv, http.MethodPost, "/rest/servicedeskapi/organization", `{}`)
	call(t, srv, http.MethodGet, "/rest/api/3/user/search?maxResults=many", "")
	call(t, srv, http.MethodDelete, "/rest/servicedeskapi/organization/1/property/k", `{"key":"k"}`)
	call(t, srv, http.MethodGet, "/rest/servicedeskapi/organization?maxResults=10", "")
	wantViolation(t, v, "GET /rest/api/3/user (getUser)", "answer 200", "accountId")
	wantViolation(t, v, "GET /rest/servicedeskapi/organization/{organizationId} (getOrganization)", "answer 200", "colour")
	wantViolation(t, v, "POST /rest/servicedeskapi/organization (createOrganization)", "request", "name")
	wantViolation(t, v, "GET /rest/api/3/user/search (findUsers)", "request", "query parameter maxResults")
	wantViolation(t, v, "DELETE /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey} (deleteProperty)", "request", "(request body)")
	wantViolation(t, v, "GET /rest/servicedeskapi/organization (getOrganizations)", "request", "query parameter maxResults")
	if n := len(v.Violations()); n != 6 {
		t.Errorf("want 6 violations, got %d: %v", n, v.Violations())
	}
}

// The platform operations the client uses beyond reading one account are
// checked too: bulk reads, permissions, and the listing of all accounts.
func TestValidator_checksThePlatformUserOperations(t *testing.T) {
	site, v, srv := newSite(t)
	answerWith(site, "GET /rest/api/3/user/bulk", `{"isLast": "yes", "values": []}`)
	answerWith(site, "GET /rest/api/3/mypermissions", `{"permissions": {"USER_PICKER": {"havePermission": "yes"}}}`)
	answerWith(site, "GET /rest/api/3/users/search", `{"values": []}`)
	call(t, srv, http.MethodGet, "/rest/api/3/user/bulk?accountId=qm:1", "")
	call(t, srv, http.MethodGet, "/rest/api/3/mypermissions?permissions=USER_PICKER", "")
	call(t, srv, http.MethodGet, "/rest/api/3/users/search?startAt=0&maxResults=10", "")
	wantViolation(t, v, "GET /rest/api/3/user/bulk (bulkGetUsers)", "answer 200", "isLast")
	wantViolation(t, v, "GET /rest/api/3/mypermissions (getMyPermissions)", "answer 200", "permissions.USER_PICKER.havePermission")
	wantViolation(t, v, "GET /rest/api/3/users/search (getAllUsers)", "answer 200", "")
}

// A path no document has, and Undocumented does not list, is a violation;
// listed ones are not validated.
func TestValidator_undocumentedPaths(t *testing.T) {
	_, v, srv := newSite(t)
	call(t, srv, http.MethodGet, "/rest/api/3/groups/picker", "")
	call(t, srv, http.MethodGet, "/_edge/tenant_info", "")
	call(t, srv, http.MethodGet, "/__site/accounts", "")
	got := v.Violations()
	if len(got) != 1 || got[0].Operation != "GET /rest/api/3/groups/picker" {
		t.Errorf("want one violation for GET /rest/api/3/groups/picker, got %v", got)
	}
}

// Faults the site injects on purpose are not violations: those answered
// outside the API never reach the validator, and marked ones are skipped.
func TestValidator_ignoresInjectedFaults(t *testing.T) {
	site, v, srv := newSite(t)
	if err := site.SetFaults(jsmsite.Faults{FailNext: 1, FailNextStatus: http.StatusBadGateway}); err != nil {
		t.Fatal(err)
	}
	if got := call(t, srv, http.MethodGet, "/rest/servicedeskapi/organization/1", ""); got != http.StatusBadGateway {
		t.Fatalf("status %d, want the injected 502", got)
	}
	if err := site.SetFaults(jsmsite.Faults{}); err != nil {
		t.Fatal(err)
	}
	if err := site.SetProxyFaults(jsmsite.ProxyFaults{HTMLStatus: http.StatusOK}); err != nil {
		t.Fatal(err)
	}
	call(t, srv, http.MethodGet, "/rest/servicedeskapi/organization", "")
	if got := v.Violations(); len(got) != 0 {
		t.Errorf("injected faults were reported: %v", got)
	}
}

// Every route of the site is either an operation of the documents or
// listed in Undocumented, and every Undocumented entry is a route: the
// list stays the one place that says what escapes validation.
func TestUndocumented_matchesTheSite(t *testing.T) {
	site, err := jsmsite.New(jsmsite.Config{Email: email, APIToken: token})
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, route := range site.Routes() {
		if route == jsmsite.RouteNotFound {
			continue
		}
		m, p, _ := strings.Cut(route, " ")
		if Find(m, p) != nil {
			continue
		}
		listed := false
		for _, u := range Undocumented {
			if route == u.Route || strings.HasSuffix(u.Route, "/") && strings.HasPrefix(route, u.Route) {
				used[u.Route], listed = true, true
			}
		}
		if !listed {
			t.Errorf("route %s is in no document and not in Undocumented", route)
		}
	}
	for _, u := range Undocumented {
		if !used[u.Route] && !strings.HasPrefix(u.Route, "PUT /__site/") && !strings.HasPrefix(u.Route, "POST /__site/") &&
			!strings.HasPrefix(u.Route, "PATCH /__site/") && !strings.HasPrefix(u.Route, "DELETE /__site/") {
			t.Errorf("Undocumented lists %s, which the site does not serve", u.Route)
		}
		if u.Source == "" {
			t.Errorf("Undocumented %s names no source", u.Route)
		}
	}
}

// The site's own answers to what the provider does keep to the documents:
// customers, accounts, organizations and their properties, service desks.
func TestSite_answersFollowTheDocuments(t *testing.T) {
	site, v, srv := newSite(t)
	a, err := site.AddCustomer("Ann Example", "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct{ method, path, body string }{
		{"POST", "/rest/servicedeskapi/customer?strictConflictStatusCode=true", `{"displayName":"Bob","email":"bob@example.com"}`},
		{"POST", "/rest/servicedeskapi/customer?strictConflictStatusCode=true", `{"displayName":"Bob","email":"bob@example.com"}`},
		{"GET", "/rest/api/3/user?accountId=" + a.AccountID, ""},
		{"GET", "/rest/api/3/user?accountId=qm:none", ""},
		{"GET", "/rest/api/3/user/search?query=ann&maxResults=10", ""},
		{"GET", "/rest/api/3/myself", ""},
		{"GET", "/rest/api/3/user/bulk?accountId=" + a.AccountID + "&accountId=qm:none&maxResults=10", ""},
		{"GET", "/rest/api/3/mypermissions?permissions=USER_PICKER", ""},
		{"GET", "/rest/api/3/users/search?startAt=0&maxResults=1000", ""},
		{"POST", "/rest/servicedeskapi/organization", `{"name":"Acme"}`},
		{"GET", "/rest/servicedeskapi/organization?start=0&limit=50", ""},
		{"GET", "/rest/servicedeskapi/organization/1", ""},
		{"PUT", "/rest/servicedeskapi/organization/1/property/k", `{"a":1}`},
		{"PUT", "/rest/servicedeskapi/organization/1/property/k", `{"a":2}`},
		{"GET", "/rest/servicedeskapi/organization/1/property", ""},
		{"GET", "/rest/servicedeskapi/organization/1/property/k", ""},
		{"DELETE", "/rest/servicedeskapi/organization/1/property/k", ""},
		{"POST", "/rest/servicedeskapi/organization/1/user", `{"accountIds":["` + a.AccountID + `"]}`},
		{"GET", "/rest/servicedeskapi/organization/1/user", ""},
		{"GET", "/rest/servicedeskapi/servicedesk/1", ""},
		{"POST", "/rest/servicedeskapi/servicedesk/1/organization", `{"organizationId":1}`},
		{"GET", "/rest/servicedeskapi/servicedesk/1/organization", ""},
		{"DELETE", "/rest/servicedeskapi/servicedesk/1/organization", `{"organizationId":1}`},
		{"DELETE", "/rest/servicedeskapi/organization/1/user", `{"accountIds":["` + a.AccountID + `"]}`},
		{"DELETE", "/rest/servicedeskapi/organization/1", ""},
		{"GET", "/rest/servicedeskapi/organization/1", ""},
	}
	for _, s := range steps {
		call(t, srv, s.method, s.path, s.body)
	}
	for _, viol := range v.Violations() {
		t.Error(viol)
	}
}

// A null email or time zone is what real sites send and AccountAnswers
// simulates; the documents forbid it, so the site marks those answers and
// the validator leaves them alone. The same shape unmarked is a violation.
func TestSite_marksDeliberateDepartures(t *testing.T) {
	site, v, srv := newSite(t)
	a, err := site.AddCustomer("Ann Example", "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if !site.SetEmailHidden(a.AccountID, true) {
		t.Fatal("no account to hide the email of")
	}
	if err := site.SetAccountAnswers(jsmsite.AccountAnswers{HiddenEmail: jsmsite.HiddenEmailNull, CustomerTimeZoneNull: true}); err != nil {
		t.Fatal(err)
	}
	call(t, srv, "GET", "/rest/api/3/user?accountId="+a.AccountID, "")
	call(t, srv, "POST", "/rest/servicedeskapi/customer?strictConflictStatusCode=true", `{"displayName":"Bob","email":"bob@example.com"}`)
	if got := v.Violations(); len(got) != 0 {
		t.Errorf("deliberate departures were reported: %v", got)
	}
	answerWith(site, "GET /rest/api/3/user", `{"accountId":"qm:1","emailAddress":null}`)
	call(t, srv, "GET", "/rest/api/3/user?accountId="+a.AccountID, "")
	wantViolation(t, v, "GET /rest/api/3/user (getUser)", "answer 200", "emailAddress")
}

// A connection dropped without an answer (a test's or a fault's) is no
// answer to validate.
func TestValidator_droppedConnectionIsNoAnswer(t *testing.T) {
	site, v, srv := newSite(t)
	site.Use(func(name string, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(httptest.NewRecorder(), r)
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close()
			}
		})
	})
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/rest/servicedeskapi/organization", nil)
	req.SetBasicAuth(email, token)
	if resp, err := srv.Client().Do(req); err == nil {
		_ = resp.Body.Close()
		t.Fatalf("got an answer (%d), want a dropped connection", resp.StatusCode)
	}
	if got := v.Violations(); len(got) != 0 {
		t.Errorf("a dropped connection was validated: %v", got)
	}
}

// mutateAnswers rewrites, inside the validator, the JSON answers of the
// routes that start with prefix: a test-only way to make the site answer in
// another shape than it does.
func mutateAnswers(site *jsmsite.Site, prefix string, mutate func(any)) {
	site.Use(func(name string, next http.Handler) http.Handler {
		if !strings.HasPrefix(name, prefix) {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var doc any
			body := rec.Body.Bytes()
			if json.Unmarshal(body, &doc) == nil {
				mutate(doc)
				body, _ = json.Marshal(doc)
			}
			for k, vs := range rec.Header() {
				w.Header()[k] = vs
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
		})
	})
}

// eachObject calls f on every object in v, however deep.
func eachObject(v any, f func(map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		f(v)
		for _, c := range v {
			eachObject(c, f)
		}
	case []any:
		for _, c := range v {
			eachObject(c, f)
		}
	}
}

// Mutation: a site whose user answers drop accountType keeps to Atlassian's
// schemas (no field is required there), but the client judges accounts by
// it (unreliable, PreferCustomer): every user answer without it is a
// violation.
func TestNeeded_droppedAccountTypeFails(t *testing.T) {
	site, v, srv := newSite(t)
	a, err := site.AddCustomer("Ann Example", "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	mutateAnswers(site, "GET /rest/api/3/user", func(doc any) {
		eachObject(doc, func(o map[string]any) { delete(o, "accountType") })
	})
	call(t, srv, http.MethodGet, "/rest/api/3/user?accountId="+a.AccountID, "")
	call(t, srv, http.MethodGet, "/rest/api/3/user/bulk?accountId="+a.AccountID+"&accountId=qm:none", "")
	call(t, srv, http.MethodGet, "/rest/api/3/user/search?query=ann", "")
	wantViolation(t, v, "GET /rest/api/3/user (getUser)", "answer 200", "accountType")
	wantViolation(t, v, "GET /rest/api/3/user/bulk (bulkGetUsers)", "answer 200", "values.0.accountType")
	wantViolation(t, v, "GET /rest/api/3/user/search (findUsers)", "answer 200", "0.accountType")
}

// Mutation: the CSM API has no published document, so only Needed holds
// the site's CSM answers to what the client reads: a product whose name
// comes back as title is a violation.
func TestNeeded_csmProductNameRenamedFails(t *testing.T) {
	site, v, srv := newSite(t)
	mutateAnswers(site, "GET "+jsmsite.CSMPrefix+"/product", func(doc any) {
		eachObject(doc, func(o map[string]any) {
			if n, ok := o["name"]; ok {
				o["title"] = n
				delete(o, "name")
			}
		})
	})
	mutateAnswers(site, "POST "+jsmsite.CSMPrefix+"/product", func(doc any) {
		eachObject(doc, func(o map[string]any) { o["title"] = o["name"]; delete(o, "name") })
	})
	csm := strings.Replace(jsmsite.CSMPrefix, "{cloudId}", site.CloudID(), 1)
	for _, c := range []struct{ method, path, body string }{
		{http.MethodPost, csm + "/product", `{"name":"Widgets"}`},
		{http.MethodGet, csm + "/product?limit=10", ""},
		{http.MethodGet, csm + "/product/", ""}, // the ID is the created product's
	} {
		if strings.HasSuffix(c.path, "/") {
			c.path += site.Products()[0].ID
		}
		req, _ := http.NewRequest(c.method, srv.URL+c.path, strings.NewReader(c.body))
		req.Header.Set("Authorization", "Bearer "+bearer)
		req.Header.Set("Content-Type", "application/json")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			t.Fatalf("%s %s: status %d", c.method, c.path, resp.StatusCode)
		}
	}
	wantViolation(t, v, "POST "+jsmsite.CSMPrefix+"/product", "answer 200", "name")
	wantViolation(t, v, "GET "+jsmsite.CSMPrefix+"/product", "answer 200", "results.0.name")
	wantViolation(t, v, "GET "+jsmsite.CSMPrefix+"/product/{productId}", "answer 200", "name")
}

// A hidden email is legitimately absent, and the client takes it so; a
// shown one dropped is a violation.
func TestNeeded_emailOnlyWhereShown(t *testing.T) {
	site, v, srv := newSite(t)
	shown, err := site.AddCustomer("Ann Example", "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	hidden, err := site.AddCustomer("Bob Example", "bob@example.com")
	if err != nil {
		t.Fatal(err)
	}
	site.SetEmailHidden(hidden.AccountID, true)
	call(t, srv, http.MethodGet, "/rest/api/3/user?accountId="+hidden.AccountID, "")
	if got := v.Violations(); len(got) != 0 {
		t.Fatalf("a hidden email was reported: %v", got)
	}
	mutateAnswers(site, "GET /rest/api/3/user", func(doc any) {
		eachObject(doc, func(o map[string]any) { delete(o, "emailAddress") })
	})
	call(t, srv, http.MethodGet, "/rest/api/3/user?accountId="+shown.AccountID, "")
	wantViolation(t, v, "GET /rest/api/3/user (getUser)", "answer 200", "emailAddress")
}

// Mutation: a user search answer that reaches past the 1,000th match
// breaks Atlassian's findUsers ("up to the thousandth user").
func TestValidator_searchPastTheThousandthUser(t *testing.T) {
	site, v, srv := newSite(t)
	var users []string
	for i := range 10 {
		users = append(users, fmt.Sprintf(`{"accountId":"qm:%d","accountType":"customer","active":true,"displayName":"U","self":"https://x/u"}`, i))
	}
	answerWith(site, "GET /rest/api/3/user/search", "["+strings.Join(users, ",")+"]")
	call(t, srv, http.MethodGet, "/rest/api/3/user/search?query=u&startAt=990&maxResults=10", "")
	if got := v.Take(); len(got) != 0 {
		t.Fatalf("an answer up to the 1,000th user was reported: %v", got)
	}
	call(t, srv, http.MethodGet, "/rest/api/3/user/search?query=u&startAt=995&maxResults=10", "")
	wantViolation(t, v, "GET /rest/api/3/user/search (findUsers)", "answer 200", "(body)")
}
