package jsm

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// recorder answers every request 200 with a body most shapes decode, and
// records method and escaped path.
type recorder struct {
	mu   sync.Mutex
	seen []string
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec.mu.Lock()
	rec.seen = append(rec.seen, r.Method+" "+r.URL.EscapedPath())
	rec.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"id":"7","accountId":"qm:1","projectKey":"SD","isLastPage":true,"values":[],"cloudId":"c1"}`))
}

func patternRegexp(e *Endpoint) *regexp.Regexp {
	parts := placeholder.Split(e.Base+e.Pattern, -1)
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	return regexp.MustCompile("^" + e.Method + " " + strings.Join(parts, `[^/]+`) + "$")
}

// Every call the client can make goes to an endpoint of the table, and the
// table holds no endpoint the client never calls: the permission docs and
// the 401/403 hints are complete.
func TestEndpoints_coverEveryCall(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(c *Client){
		"CreateCustomer": func(c *Client) { _, _ = c.CreateCustomer(ctx, "A", "a@example.com") },
		"GetUser": func(c *Client) {
			_, _ = c.GetUser(ctx, "qm:1")
			_ = c.bulkUsers(ctx, []string{"qm:1", "qm:2"}, new(atomic.Int32)) // what overlapping reads send
		},
		"GetUserForImport": func(c *Client) {
			_, _ = c.GetUserForImport(ctx, "qm:1")
			_ = c.bulkUsers(ctx, []string{"qm:1", "qm:2"}, new(atomic.Int32))
		},
		"FindUserByEmail":            func(c *Client) { _, _ = c.FindUserByEmail(ctx, "a@example.com") },
		"SearchByEmail":              func(c *Client) { _, _ = c.SearchByEmail(ctx, "a@example.com") },
		"EachAccount":                func(c *Client) { _, _ = c.EachAccount(ctx, 1, func(User) bool { return true }) },
		"RevokePortalAccess":         func(c *Client) { _ = c.RevokePortalAccess(ctx, "qm:1") },
		"ListOrganizations":          func(c *Client) { _, _ = c.ListOrganizations(ctx) },
		"FindOrganizationByName":     func(c *Client) { _, _ = c.FindOrganizationByName(ctx, "x") },
		"CreateOrganization":         func(c *Client) { _, _ = c.CreateOrganization(ctx, "x") },
		"GetOrganization":            func(c *Client) { _, _ = c.GetOrganization(ctx, "7") },
		"DeleteOrganization":         func(c *Client) { _ = c.DeleteOrganization(ctx, "7") },
		"OrganizationMembers":        func(c *Client) { _, _ = c.OrganizationMembers(ctx, "7", 0) },
		"AddOrganizationMembers":     func(c *Client) { _ = c.AddOrganizationMembers(ctx, "7", []string{"qm:1"}) },
		"RemoveOrganizationMembers":  func(c *Client) { _ = c.RemoveOrganizationMembers(ctx, "7", []string{"qm:1"}) },
		"OrganizationPropertyKeys":   func(c *Client) { _, _ = c.OrganizationPropertyKeys(ctx, "7") },
		"GetOrganizationProperty":    func(c *Client) { _, _ = c.GetOrganizationProperty(ctx, "7", "k") },
		"SetOrganizationProperty":    func(c *Client) { _ = c.SetOrganizationProperty(ctx, "7", "k", json.RawMessage(`1`)) },
		"DeleteOrganizationProperty": func(c *Client) { _ = c.DeleteOrganizationProperty(ctx, "7", "k") },
		"GetServiceDesk":             func(c *Client) { _, _ = c.GetServiceDesk(ctx, "SD") },
		"OrganizationServiceDesks":   func(c *Client) { _, _ = c.OrganizationServiceDesks(ctx, "7") },
		"ServiceDesks":               func(c *Client) { _, _ = c.ServiceDesks(ctx) },
		"ServiceDeskCustomers":       func(c *Client) { _, _ = c.ServiceDeskCustomers(ctx, "7", "q") },
		"ServiceDeskCustomerIDs":     func(c *Client) { _, _ = c.ServiceDeskCustomerIDs(ctx, "7", 0) },
		"AddServiceDeskCustomers":    func(c *Client) { _ = c.AddServiceDeskCustomers(ctx, "7", []string{"qm:1"}) },
		"RemoveServiceDeskCustomers": func(c *Client) { _ = c.RemoveServiceDeskCustomers(ctx, "7", []string{"qm:1"}) },
		"ServiceDeskOrganizationIDs": func(c *Client) { _, _ = c.ServiceDeskOrganizationIDs(ctx, "7") },
		"AddServiceDeskOrganization": func(c *Client) { _ = c.AddServiceDeskOrganization(ctx, "7", "8") },
		"EachOrganization":           func(c *Client) { _ = c.EachOrganization(ctx, func(Organization) bool { return true }) },
		"EachOrganizationMember":     func(c *Client) { _ = c.EachOrganizationMember(ctx, "7", func(User) bool { return true }) },
		"EachServiceDeskCustomer":    func(c *Client) { _ = c.EachServiceDeskCustomer(ctx, "7", "q", func(User) bool { return true }) },
		"SearchUsers":                func(c *Client) { _ = c.SearchUsers(ctx, "fr", func(User) bool { return true }) },
		"CanBrowseUsers":             func(c *Client) { _, _ = c.CanBrowseUsers(ctx) },
		"RemoveServiceDeskOrganization": func(c *Client) {
			_ = c.RemoveServiceDeskOrganization(ctx, "7", "8")
		},
		"TenantCloudID": func(c *Client) { _, _ = c.TenantCloudID(ctx) },
		"ListProducts":  func(c *Client) { _, _ = c.ListProducts(ctx) },
		"CreateProduct": func(c *Client) { _, _ = c.CreateProduct(ctx, "P") },
		"GetProduct":    func(c *Client) { _, _ = c.GetProduct(ctx, "p1") },
		"RenameProduct": func(c *Client) { _, _ = c.RenameProduct(ctx, "p1", "Q") },
		"DeleteProduct": func(c *Client) { _ = c.DeleteProduct(ctx, "p1") },
		"CreateEntitlement": func(c *Client) {
			_, _ = c.CreateEntitlement(ctx, EntitlementOfCustomer, "qm:1", "p1")
			_, _ = c.CreateEntitlement(ctx, EntitlementOfOrganization, "7", "p1")
		},
		"GetEntitlement":    func(c *Client) { _, _ = c.GetEntitlement(ctx, "e1") },
		"DeleteEntitlement": func(c *Client) { _ = c.DeleteEntitlement(ctx, "e1") },
		"ListEntitlements": func(c *Client) {
			_, _ = c.ListEntitlements(ctx, EntitlementOfCustomer, "qm:1", "p1")
			_, _ = c.ListEntitlements(ctx, EntitlementOfOrganization, "7", "")
		},
		"ProductsFeatureOn":     func(c *Client) { _ = c.ProductsFeatureOn(ctx) },
		"CustomerAccount":       func(c *Client) { _, _ = c.CustomerAccount(ctx, "qm:1") },
		"RenameCustomerAccount": func(c *Client) { _, _ = c.RenameCustomerAccount(ctx, "qm:1", "B") },
		"DeleteCustomerAccount": func(c *Client) { _ = c.DeleteCustomerAccount(ctx, "qm:1") },
		"RenameOrganization":    func(c *Client) { _ = c.RenameOrganization(ctx, "7", "N") },
	}
	// The detail calls, made for each kind.
	ownerIDs := map[*DetailKind]string{CustomerDetails: "qm:1", OrganizationDetails: "7", EntitlementDetails: "e1"}
	kindCalls := map[string]func(c *Client, k *DetailKind){
		"ListDetailFields": func(c *Client, k *DetailKind) { _, _ = c.ListDetailFields(ctx, k) },
		"CreateDetailField": func(c *Client, k *DetailKind) {
			_, _ = c.CreateDetailField(ctx, k, DetailField{Name: "R", Type: "TEXT"})
		},
		"EditDetailField":   func(c *Client, k *DetailKind) { _, _ = c.EditDetailField(ctx, k, "R", DetailField{Name: "S"}) },
		"DeleteDetailField": func(c *Client, k *DetailKind) { _ = c.DeleteDetailField(ctx, k, "R") },
		"Details":           func(c *Client, k *DetailKind) { _, _ = c.Details(ctx, k, ownerIDs[k]) },
		"SetDetail":         func(c *Client, k *DetailKind) { _ = c.SetDetail(ctx, k, ownerIDs[k], "R", []string{"x"}) },
	}
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	ct := reflect.TypeOf(&Client{})
	for i := range ct.NumMethod() {
		m := ct.Method(i)
		if m.Type.NumIn() > 1 && m.Type.In(1) == ctxType && calls[m.Name] == nil && kindCalls[m.Name] == nil {
			t.Errorf("Client.%s makes requests but is not exercised here: add it, and its endpoint to Endpoints", m.Name)
		}
	}

	rec := &recorder{}
	srv := rtServe(t, rec).URL
	c, _ := newRetryClient(t, srv, Config{NoRetries: true, CSMURL: srv + csmPrefix})
	// sent checks that call sends only requests to the endpoints EndpointsOf
	// names for it, and at least one.
	sent := func(name string, k *DetailKind, call func()) {
		if !IsClientCall(name) {
			t.Errorf("Client.%s is named by no endpoint (Endpoint.by)", name)
		}
		from := len(rec.seen)
		call()
		if len(rec.seen) == from {
			t.Errorf("Client.%s sent nothing", name)
		}
		for _, seen := range rec.seen[from:] {
			listed := false
			for _, e := range EndpointsOf(k, name) {
				listed = listed || patternRegexp(e).MatchString(seen)
			}
			if !listed {
				t.Errorf("Client.%s sent %s, which is not among its endpoints (Endpoint.by, DetailKind)", name, seen)
			}
		}
	}
	for name, call := range calls {
		sent(name, nil, func() { call(c) })
	}
	for name, call := range kindCalls {
		for _, k := range []*DetailKind{CustomerDetails, OrganizationDetails, EntitlementDetails} {
			sent(name, k, func() { call(c, k) })
		}
	}
	hit := map[*Endpoint]bool{}
	for _, seen := range rec.seen {
		var match *Endpoint
		for _, e := range Endpoints {
			// A literal segment wins over a variable one, as in routers.
			if patternRegexp(e).MatchString(seen) && (match == nil ||
				strings.Count(e.Pattern, "{") < strings.Count(match.Pattern, "{")) {
				match = e
			}
		}
		if match == nil {
			t.Errorf("request %s matches no endpoint of the table", seen)
			continue
		}
		hit[match] = true
	}
	for _, e := range Endpoints {
		if !hit[e] {
			t.Errorf("endpoint %s is in the table but no call uses it", e.Name())
		}
		if e.Permission == "" || (e.Scope == "" && !e.CSM() && e != epTenantInfo) || (len(e.Granular) == 0 && e != epTenantInfo) {
			t.Errorf("endpoint %s lacks its permission or scopes", e.Name())
		}
	}
}

// A 403 names the permission and both scope kinds of the call that failed.
func TestEndpoints_forbiddenNamesTheCallsGrant(t *testing.T) {
	f := &fakeAPI{status: 403, body: `{"errorMessage":"You do not have permission."}`}
	c := newTestClient(t, f, Config{NoRetries: true})
	err := c.AddOrganizationMembers(context.Background(), "7", []string{"qm:1"})
	msg := err.Error()
	for _, want := range []string{"POST /rest/servicedeskapi/organization/{organizationId}/user", permAgent,
		"`manage:servicedesk-customer` (classic)", "write:organization.user:jira-service-management", "(granular)"} {
		if !strings.Contains(msg, want) {
			t.Errorf("403 message lacks %q:\n%s", want, msg)
		}
	}
	f.status = 401
	_, err = c.GetUser(context.Background(), "qm:1")
	if msg := err.Error(); !strings.Contains(msg, "`read:jira-user` (classic) or `read:application-role:jira`, `read:group:jira`, `read:user:jira`, `read:avatar:jira` (granular)") ||
		!strings.Contains(msg, "credentials were refused") {
		t.Errorf("401 message: %s", msg)
	}
}

// Keys with a space, a percent sign, a slash and non-ASCII letters travel
// escaped once, and the local site (which decodes once, as a real server
// does) stores exactly the key.
func TestEndpoints_propertyKeyEscapedOnce(t *testing.T) {
	site, base := newFaultySite(t, jsmsite.Faults{})
	var raw []string
	var mu sync.Mutex
	site.Use(func(_ string, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			raw = append(raw, r.URL.EscapedPath())
			mu.Unlock()
			next.ServeHTTP(w, r)
		})
	})
	c, _ := newRetryClient(t, base, Config{})
	ctx := context.Background()
	org := site.AddOrganization("Acme")
	id := strconv.FormatInt(org.ID, 10)
	keys := []string{"a b", "100%", "Grüße", "日本", "a+b", "x%20y", "a.b", "..a"}
	for _, k := range keys {
		if err := c.SetOrganizationProperty(ctx, id, k, json.RawMessage(`{"k":1}`)); err != nil {
			t.Fatalf("set %q: %v", k, err)
		}
		if _, ok := site.OrganizationProperty(id, k); !ok {
			t.Errorf("the site did not store %q", k)
		}
		if v, err := c.GetOrganizationProperty(ctx, id, k); err != nil || string(v) != `{"k":1}` {
			t.Errorf("get %q: %s, %v", k, v, err)
		}
	}
	got, err := c.OrganizationPropertyKeys(ctx, id)
	if err != nil || len(got) != len(keys) {
		t.Fatalf("keys %q, %v", got, err)
	}
	if want := "/rest/servicedeskapi/organization/" + id + "/property/a%20b"; raw[0] != want {
		t.Errorf("sent %s, want %s", raw[0], want)
	}
	for _, k := range keys {
		if err := c.DeleteOrganizationProperty(ctx, id, k); err != nil {
			t.Errorf("delete %q: %v", k, err)
		}
	}
}

// No request leaves for a path segment that is a dot segment, holds control
// characters, or is an ID of the wrong form.
func TestEndpoints_refusedSegmentsSendNothing(t *testing.T) {
	rec := &recorder{}
	srv := rtServe(t, rec).URL
	c, _ := newRetryClient(t, srv, Config{NoRetries: true, CSMURL: srv + csmPrefix, CloudID: "c1"})
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"property ..":      func() error { return c.DeleteOrganizationProperty(ctx, "7", "..") },
		"property .":       func() error { return c.SetOrganizationProperty(ctx, "7", ".", json.RawMessage(`1`)) },
		"property ctl":     func() error { _, err := c.GetOrganizationProperty(ctx, "7", "a\x1b[31m"); return err },
		"property empty":   func() error { return c.DeleteOrganizationProperty(ctx, "7", "") },
		"property ../../2": func() error { return c.DeleteOrganizationProperty(ctx, "7", "../../2") },
		"property slash":   func() error { return c.SetOrganizationProperty(ctx, "7", "a/b", json.RawMessage(`1`)) },
		"property bslash":  func() error { _, err := c.GetOrganizationProperty(ctx, "7", `..\..\2`); return err },
		"property a\\b":    func() error { return c.DeleteOrganizationProperty(ctx, "7", `a\b`) },
		"field ..":         func() error { return c.DeleteDetailField(ctx, CustomerDetails, "..") },
		"field slash": func() error {
			_, err := c.EditDetailField(ctx, OrganizationDetails, "a/b", DetailField{Name: "c"})
			return err
		},
		"field ./x":        func() error { return c.DeleteDetailField(ctx, EntitlementDetails, "./x") },
		"product ../x":     func() error { return c.DeleteProduct(ctx, "../x") },
		"entitlement ..":   func() error { return c.DeleteEntitlement(ctx, "..") },
		"org id path":      func() error { return c.DeleteOrganization(ctx, "7/../8") },
		"org id ..":        func() error { return c.DeleteOrganization(ctx, "..") },
		"org id text":      func() error { _, err := c.GetOrganization(ctx, "abc"); return err },
		"desk id slash":    func() error { return c.AddServiceDeskOrganization(ctx, "1/2", "8") },
		"account id ..":    func() error { return c.RevokePortalAccess(ctx, "..") },
		"account id slash": func() error { return c.RevokePortalAccess(ctx, "qm:1/../x") },
		"account id space": func() error { return c.RevokePortalAccess(ctx, "qm:1 x") },
	} {
		if err := call(); err == nil || !strings.Contains(err.Error(), "refusing to send") {
			t.Errorf("%s: error %v", name, err)
		}
	}
	if len(rec.seen) != 0 {
		t.Errorf("requests were sent: %v", rec.seen)
	}
}

// A read answered for another object (or none) is an error.
func TestEndpoints_readOfAnotherIDFails(t *testing.T) {
	f := &fakeAPI{status: 200}
	c := newTestClient(t, f, Config{NoRetries: true})
	ctx := context.Background()
	for _, body := range []string{`{}`, `{"id":"13","name":"Other"}`, `{"id":"012"}`} {
		f.body = body
		if o, err := c.GetOrganization(ctx, "12"); err == nil || !strings.Contains(err.Error(), "asked for organization 12") {
			t.Errorf("organization answer %s: %+v, %v", body, o, err)
		}
	}
	f.body = `{"id":"12","name":"Acme"}`
	if _, err := c.GetOrganization(ctx, "12"); err != nil {
		t.Error(err)
	}
	for ref, body := range map[string]string{
		"3":              `{"id":"4","projectKey":"SD"}`,
		"SD":             `{"id":"4","projectKey":"OTHER"}`,
		"projectId:1000": `{"id":"4","projectId":"1001","projectKey":"SD"}`,
		"projectKey:SD":  `{}`,
	} {
		f.body = body
		if _, err := c.GetServiceDesk(ctx, ref); err == nil || !strings.Contains(err.Error(), "asked for service desk") {
			t.Errorf("desk %s answered %s: %v", ref, body, err)
		}
	}
	for ref, body := range map[string]string{
		"4": `{"id":"4","projectKey":"SD"}`, "sd": `{"id":"4","projectKey":"SD"}`,
		"projectKey:SD": `{"id":"4","projectKey":"SD"}`, "projectId:1000": `{"id":"4","projectId":"1000"}`,
	} {
		f.body = body
		if _, err := c.GetServiceDesk(ctx, ref); err != nil {
			t.Errorf("desk %s: %v", ref, err)
		}
	}
}

func TestCheckAccountID(t *testing.T) {
	for id, ok := range map[string]bool{
		"5b10ac8d82e05b22cc7d4ef5":                                        true,
		"557058:f58131cb-b67d-43c7-b30d-6b58d40bd077":                     true,
		"qm:a713c8ea-1075-4e30-9d96-891a7d181739:5ad6d3581db05e2a66fa80b": true,
		"": false, ".": false, "..": false, "a/b": false, "a b": false, "a\tb": false, "a%2F": false,
		"a?b": false, "a#b": false, "é": false, strings.Repeat("a", 129): false,
	} {
		if got := CheckAccountID(id) == ""; got != ok {
			t.Errorf("CheckAccountID(%q) ok = %v, want %v", id, got, ok)
		}
	}
}

// The key "../../2" travels as ..%2F..%2F2; behind a server or proxy that
// decodes %2F and then resolves dot segments (the site's
// NormalizeDotSegments), DELETE .../organization/1/property/..%2F..%2F2 is
// DELETE .../organization/2. The client refuses such a key, so nothing is
// sent and organization 2 stays.
func TestEndpoints_encodedSlashKeyNeverReachesAnotherOrganization(t *testing.T) {
	site, base := newFaultySite(t, jsmsite.Faults{NormalizeDotSegments: true})
	c, _ := newRetryClient(t, base, Config{NoRetries: true})
	ctx := context.Background()
	one, two := site.AddOrganization("One"), site.AddOrganization("Two")
	id1, id2 := strconv.FormatInt(one.ID, 10), strconv.FormatInt(two.ID, 10)
	for _, key := range []string{"../../" + id2, "..%2F..%2F" + id2, `..\..\` + id2, "x/../../../" + id2} {
		err := c.DeleteOrganizationProperty(ctx, id1, key)
		if _, ok := site.Organization(id2); !ok {
			t.Fatalf("DeleteOrganizationProperty(%s, %q) deleted organization %s (error %v)", id1, key, id2, err)
		}
		if _, ok := site.Organization(id1); !ok {
			t.Fatalf("DeleteOrganizationProperty(%s, %q) deleted organization %s (error %v)", id1, key, id1, err)
		}
		if strings.Contains(key, "%") {
			continue // escaped once more: a key of its own, harmless
		}
		if err == nil || !strings.Contains(err.Error(), "refusing to send") {
			t.Errorf("DeleteOrganizationProperty(%s, %q): %v", id1, key, err)
		}
	}
	if n := site.DotSegmentRequests(); n != 0 {
		t.Errorf("%d requests with a dot segment reached the site", n)
	}
}
