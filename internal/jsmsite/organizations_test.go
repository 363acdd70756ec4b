package jsmsite

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

type pageOf[T any] struct {
	Size       int  `json:"size"`
	Start      int  `json:"start"`
	Limit      int  `json:"limit"`
	IsLastPage bool `json:"isLastPage"`
	Values     []T  `json:"values"`
	Links      struct {
		Base, Context, Next, Prev string
	} `json:"_links"`
}

type orgOut struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	UUID        string `json:"uuid"`
	SCIMManaged *bool  `json:"scimManaged"`
	Links       struct {
		Self string `json:"self"`
	} `json:"_links"`
}

func (f *fixture) createOrg(name string) orgOut {
	f.t.Helper()
	var o orgOut
	st, raw := f.do("POST", "/rest/servicedeskapi/organization", map[string]string{"name": name}, &o)
	if st != http.StatusCreated {
		f.t.Fatalf("create org %q: %d %s", name, st, raw)
	}
	return o
}

func TestOrganizationCreateAndExistingName(t *testing.T) {
	f := newFixture(t, Config{})
	a := f.createOrg("Charlie Cakes")
	if a.ID != "1" || a.Name != "Charlie Cakes" || a.UUID == "" || a.SCIMManaged == nil || *a.SCIMManaged ||
		a.Links.Self != f.srv.URL+"/rest/servicedeskapi/organization/1" {
		t.Fatalf("created %+v", a)
	}
	if b := f.createOrg("Other"); b.ID != "2" {
		t.Fatalf("second org id %q, want 2", b.ID)
	}
	// The name is taken (in any letter case): 201 with the existing one.
	if again := f.createOrg("charlie cakes"); again.ID != "1" || again.UUID != a.UUID {
		t.Fatalf("existing name answered %+v, want org 1", again)
	}
	if n := len(f.site.Organizations()); n != 2 {
		t.Fatalf("%d organizations, want 2", n)
	}
	for name, body := range map[string]string{"empty": "", "blank": "  ", "too long": strings.Repeat("x", 201)} {
		st, raw := f.do("POST", "/rest/servicedeskapi/organization", map[string]string{"name": body}, nil)
		if st != http.StatusBadRequest {
			t.Errorf("%s name: %d %s", name, st, raw)
		}
		checkJSMError(t, raw)
	}
	if st, _ := f.do("POST", "/rest/servicedeskapi/organization", map[string]string{"name": strings.Repeat("é", 200)}, nil); st != http.StatusCreated {
		t.Errorf("200 characters: %d, want 201", st)
	}

	var got orgOut
	if st, raw := f.do("GET", "/rest/servicedeskapi/organization/1", nil, &got); st != 200 || got.Name != "Charlie Cakes" {
		t.Fatalf("get: %d %s", st, raw)
	}
	for _, id := range []string{"99", "abc"} {
		st, raw := f.do("GET", "/rest/servicedeskapi/organization/"+id, nil, nil)
		if st != http.StatusNotFound {
			t.Errorf("get %s: %d", id, st)
		}
		checkJSMError(t, raw)
	}
	if st, _ := f.do("DELETE", "/rest/servicedeskapi/organization/1", nil, nil); st != http.StatusNoContent {
		t.Fatalf("delete: %d", st)
	}
	if st, _ := f.do("DELETE", "/rest/servicedeskapi/organization/1", nil, nil); st != http.StatusNotFound {
		t.Fatalf("delete again: %d", st)
	}
	// IDs are never reused.
	if c := f.createOrg("Charlie Cakes"); c.ID != "4" {
		t.Fatalf("recreated org id %q, want 4", c.ID)
	}
}

func TestOrganizationListPaging(t *testing.T) {
	f := newFixture(t, Config{})
	for i := range 120 {
		f.site.AddOrganization(fmt.Sprintf("Org %03d", i))
	}
	var p pageOf[orgOut]
	if st, raw := f.do("GET", "/rest/servicedeskapi/organization?limit=500", nil, &p); st != 200 {
		t.Fatalf("%d %s", st, raw)
	}
	if p.Limit != 50 || p.Size != 50 || len(p.Values) != 50 || p.IsLastPage || p.Start != 0 {
		t.Fatalf("first page: limit %d size %d values %d last %v", p.Limit, p.Size, len(p.Values), p.IsLastPage)
	}
	if p.Links.Base != f.srv.URL+"/rest/servicedeskapi" || !strings.Contains(p.Links.Next, "start=50") || p.Links.Prev != "" {
		t.Fatalf("links %+v", p.Links)
	}
	seen := map[string]bool{}
	start := 0
	for {
		var p pageOf[orgOut]
		f.do("GET", fmt.Sprintf("/rest/servicedeskapi/organization?start=%d&limit=200", start), nil, &p)
		for _, o := range p.Values {
			seen[o.ID] = true
		}
		if p.IsLastPage {
			if p.Links.Next != "" || p.Size != 20 {
				t.Fatalf("last page: %+v", p)
			}
			break
		}
		start += p.Size
	}
	if len(seen) != 120 {
		t.Fatalf("saw %d organizations, want 120", len(seen))
	}
	if st, raw := f.do("GET", "/rest/servicedeskapi/organization?start=-1", nil, nil); st != 400 {
		t.Fatalf("bad start: %d %s", st, raw)
	}
}

func TestOrganizationMembers(t *testing.T) {
	f := newFixture(t, Config{})
	org := f.createOrg("Members Inc")
	a := f.create("A", "a@example.com")["accountId"].(string)
	b := f.create("B", "b@example.com")["accountId"].(string)
	path := "/rest/servicedeskapi/organization/" + org.ID + "/user"

	// Unknown IDs: 400 naming them, the valid one added anyway.
	st, raw := f.do("POST", path, map[string][]string{"accountIds": {a, "qm:nobody"}}, nil)
	if st != http.StatusBadRequest || !strings.Contains(checkJSMError(t, raw).ErrorMessage, "qm:nobody") {
		t.Fatalf("unknown: %d %s", st, raw)
	}
	if m := f.site.OrganizationMembers(org.ID); len(m) != 1 || m[0] != a {
		t.Fatalf("members %v, want [%s]", m, a)
	}
	for range 2 { // idempotent
		if st, raw := f.do("POST", path, map[string][]string{"accountIds": {a, b}}, nil); st != http.StatusNoContent {
			t.Fatalf("add: %d %s", st, raw)
		}
	}
	var p pageOf[map[string]any]
	f.do("GET", path, nil, &p)
	if len(p.Values) != 2 || !p.IsLastPage || p.Values[0]["emailAddress"] == nil {
		t.Fatalf("members page %+v", p)
	}
	if st, _ := f.do("DELETE", path, map[string][]string{"accountIds": {a}}, nil); st != http.StatusNoContent {
		t.Fatalf("remove: %d", st)
	}
	if m := f.site.OrganizationMembers(org.ID); len(m) != 1 || m[0] != b {
		t.Fatalf("members %v, want [%s]", m, b)
	}
	// A deleted (right-to-be-forgotten) account disappears from the list.
	f.site.DeleteAccount(b)
	p = pageOf[map[string]any]{}
	f.do("GET", path, nil, &p)
	if len(p.Values) != 0 {
		t.Fatalf("deleted account still listed: %+v", p.Values)
	}
	if st, _ := f.do("POST", "/rest/servicedeskapi/organization/77/user", map[string][]string{"accountIds": {a}}, nil); st != 404 {
		t.Fatalf("missing org: %d", st)
	}
	// accountId filter on the organization list.
	var orgs pageOf[orgOut]
	f.site.AddOrganizationMembers(org.ID, a)
	f.createOrg("Unrelated")
	f.do("GET", "/rest/servicedeskapi/organization?accountId="+a, nil, &orgs)
	if len(orgs.Values) != 1 || orgs.Values[0].ID != org.ID {
		t.Fatalf("orgs of %s: %+v", a, orgs.Values)
	}
}

func TestOrganizationProperties(t *testing.T) {
	f := newFixture(t, Config{})
	org := f.createOrg("Props")
	path := "/rest/servicedeskapi/organization/" + org.ID + "/property/"
	if st, _ := f.do("PUT", path+"attrs", map[string]any{"mail": "x@example.com"}, nil); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	if st, _ := f.do("PUT", path+"attrs", map[string]any{"phone": "1"}, nil); st != http.StatusOK {
		t.Fatalf("replace: %d", st)
	}
	var got struct {
		Key   string          `json:"key"`
		Value json.RawMessage `json:"value"`
	}
	if st, _ := f.do("GET", path+"attrs", nil, &got); st != 200 || got.Key != "attrs" || string(got.Value) != `{"phone":"1"}` {
		t.Fatalf("get: %d %+v %s", st, got, got.Value)
	}
	var keys struct {
		Keys []struct{ Key string } `json:"keys"`
	}
	f.do("GET", strings.TrimSuffix(path, "/"), nil, &keys)
	if len(keys.Keys) != 1 || keys.Keys[0].Key != "attrs" {
		t.Fatalf("keys %+v", keys)
	}
	if st, _ := f.do("GET", path+"nope", nil, nil); st != 404 {
		t.Fatalf("missing property: %d", st)
	}
	if st, _ := f.do("PUT", path+strings.Repeat("k", 256), 1, nil); st != 400 {
		t.Fatalf("long key: %d", st)
	}
	if st, _ := f.do("PUT", path+"big", strings.Repeat("x", 33000), nil); st != 400 {
		t.Fatalf("big value: %d", st)
	}
	if st, _ := f.do("DELETE", path+"attrs", nil, nil); st != 204 {
		t.Fatalf("delete: %d", st)
	}
	if st, _ := f.do("DELETE", path+"attrs", nil, nil); st != 404 {
		t.Fatalf("delete again: %d", st)
	}
}

func TestServiceDesks(t *testing.T) {
	f := newFixture(t, Config{})
	var p pageOf[map[string]any]
	f.do("GET", "/rest/servicedeskapi/servicedesk", nil, &p)
	if len(p.Values) != 2 || p.Values[0]["projectKey"] != "IT" || p.Values[1]["projectKey"] != "HR" {
		t.Fatalf("seeded desks %+v", p.Values)
	}
	for _, idOrKey := range []string{"2", "HR", "projectKey:HR", "projectId:10001"} {
		var d map[string]any
		if st, raw := f.do("GET", "/rest/servicedeskapi/servicedesk/"+idOrKey, nil, &d); st != 200 || d["id"] != "2" || d["projectName"] != "HR Help" {
			t.Fatalf("get %s: %d %s", idOrKey, st, raw)
		}
	}
	if st, raw := f.do("GET", "/rest/servicedeskapi/servicedesk/NOPE", nil, nil); st != 404 {
		t.Fatalf("missing: %d %s", st, raw)
	}
}

func TestDeskCustomers(t *testing.T) {
	f := newFixture(t, Config{})
	a := f.create("Alice Smith", "alice@example.com")["accountId"].(string)
	b := f.create("Bob Jones", "bob@corp.example.com")["accountId"].(string)
	path := "/rest/servicedeskapi/servicedesk/2/customer"
	optIn := func(r *http.Request) {
		r.SetBasicAuth(testEmail, testToken)
		r.Header.Set(ExperimentalHeader, "opt-in")
	}

	// Adding is not experimental; unknown IDs are 400, valid ones added.
	st, raw := f.do("POST", path, map[string][]string{"accountIds": {a, b, "qm:ghost"}}, nil)
	if st != 400 || !strings.Contains(raw, "qm:ghost") {
		t.Fatalf("add: %d %s", st, raw)
	}
	if c := f.site.DeskCustomers("2"); len(c) != 2 {
		t.Fatalf("desk customers %v", c)
	}
	// Listing and removing are experimental.
	for _, m := range []string{"GET", "DELETE"} {
		var body any
		if m == "DELETE" {
			body = map[string][]string{"accountIds": {a}}
		}
		st, raw := f.do(m, path, body, nil)
		if st != http.StatusPreconditionFailed || !strings.Contains(checkJSMError(t, raw).ErrorMessage, "X-ExperimentalApi: opt-in") {
			t.Fatalf("%s without opt-in: %d %s", m, st, raw)
		}
	}
	var p pageOf[map[string]any]
	f.doAuth("GET", path+"?query=BOB%40C", nil, &p, optIn)
	if len(p.Values) != 1 || p.Values[0]["accountId"] != b {
		t.Fatalf("query by email prefix: %+v", p.Values)
	}
	// Prefixes only, as the spec's examples show: no part inside a word.
	for _, q := range []string{"corp", "mith", "lice"} {
		p = pageOf[map[string]any]{}
		f.doAuth("GET", path+"?query="+q, nil, &p, optIn)
		if len(p.Values) != 0 {
			t.Fatalf("query %q matched inside a word: %+v", q, p.Values)
		}
	}
	p = pageOf[map[string]any]{}
	f.doAuth("GET", path+"?query=smi", nil, &p, optIn)
	if len(p.Values) != 1 || p.Values[0]["accountId"] != a {
		t.Fatalf("query by name part: %+v", p.Values)
	}
	if st, raw := f.doAuth("DELETE", path, map[string][]string{"accountIds": {a}}, nil, optIn); st != 204 {
		t.Fatalf("remove: %d %s", st, raw)
	}
	if c := f.site.DeskCustomers("2"); len(c) != 1 || c[0] != b {
		t.Fatalf("after remove %v", c)
	}

	// Desk 1 (IT) is open to anyone: removal is refused, adding works.
	open := "/rest/servicedeskapi/servicedesk/1/customer"
	if st, _ := f.do("POST", open, map[string][]string{"accountIds": {a}}, nil); st != 204 {
		t.Fatalf("add to open desk: %d", st)
	}
	st, raw = f.doAuth("DELETE", open, map[string][]string{"accountIds": {a}}, nil, optIn)
	if st != 400 || !strings.Contains(checkJSMError(t, raw).ErrorMessage, "open access") {
		t.Fatalf("remove from open desk: %d %s", st, raw)
	}
	f.site.SetDeskOpenAccess("IT", false)
	if st, _ := f.doAuth("DELETE", open, map[string][]string{"accountIds": {a}}, nil, optIn); st != 204 {
		t.Fatalf("remove after closing: %d", st)
	}
}

func TestDeskOrganizations(t *testing.T) {
	f := newFixture(t, Config{})
	org := f.createOrg("Linked")
	path := "/rest/servicedeskapi/servicedesk/1/organization"
	for range 2 {
		if st, raw := f.do("POST", path, map[string]int{"organizationId": 1}, nil); st != 204 {
			t.Fatalf("link: %d %s", st, raw)
		}
	}
	var p pageOf[orgOut]
	f.do("GET", path, nil, &p)
	if len(p.Values) != 1 || p.Values[0].ID != org.ID {
		t.Fatalf("linked %+v", p.Values)
	}
	if st, _ := f.do("POST", path, map[string]int{"organizationId": 9}, nil); st != 404 {
		t.Fatalf("unknown org: %d", st)
	}
	if st, _ := f.do("POST", "/rest/servicedeskapi/servicedesk/9/organization", map[string]int{"organizationId": 1}, nil); st != 404 {
		t.Fatalf("unknown desk: %d", st)
	}
	for range 2 {
		if st, _ := f.do("DELETE", path, map[string]int{"organizationId": 1}, nil); st != 204 {
			t.Fatalf("unlink: %d", st)
		}
	}
	f.do("POST", path, map[string]int{"organizationId": 1}, nil)
	f.site.DeleteOrganization(org.ID)
	if d := f.site.DeskOrganizations("1"); len(d) != 0 {
		t.Fatalf("deleted org still linked: %v", d)
	}
}

func TestDirectoryStatePersists(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state.json")
	f := newFixture(t, Config{StateFile: file})
	a := f.create("A", "a@example.com")["accountId"].(string)
	org := f.createOrg("Persisted")
	f.do("POST", "/rest/servicedeskapi/organization/"+org.ID+"/user", map[string][]string{"accountIds": {a}}, nil)
	f.do("PUT", "/rest/servicedeskapi/organization/"+org.ID+"/property/k", []int{1, 2}, nil)
	f.do("POST", "/rest/servicedeskapi/servicedesk/2/customer", map[string][]string{"accountIds": {a}}, nil)
	f.do("POST", "/rest/servicedeskapi/servicedesk/2/organization", map[string]string{"organizationId": "x"}, nil) // ignored: bad body
	f.do("POST", "/rest/servicedeskapi/servicedesk/2/organization", map[string]int{"organizationId": 1}, nil)
	f.site.SetDeskOpenAccess("1", false)
	f.site.DeleteOrganization(f.createOrg("Gone").ID)

	g := newFixture(t, Config{StateFile: file})
	o, ok := g.site.Organization(org.ID)
	if !ok || o.Name != "Persisted" || o.UUID != org.UUID || len(o.Members) != 1 || string(o.Properties["k"]) != "[1,2]" {
		t.Fatalf("reloaded org %+v (found %v)", o, ok)
	}
	d, _ := g.site.ServiceDesk("HR")
	if len(d.Customers) != 1 || len(d.Organizations) != 1 {
		t.Fatalf("reloaded desk %+v", d)
	}
	if it, _ := g.site.ServiceDesk("IT"); it.OpenAccess {
		t.Fatal("open access flag not persisted")
	}
	if n := g.createOrg("New"); n.ID != "3" {
		t.Fatalf("id after reload %q, want 3 (ids are not reused)", n.ID)
	}
}
