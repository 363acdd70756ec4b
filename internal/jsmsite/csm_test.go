package jsmsite

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func (f *fixture) csm(path string) string {
	return strings.Replace(CSMPrefix, "{cloudId}", f.site.CloudID(), 1) + path
}

// doCSM sends a request with the bearer token: the CSM gateway refuses
// the classic API token by default.
func (f *fixture) doCSM(method, path string, body any, out any) (int, string) {
	f.t.Helper()
	return f.doAuth(method, path, body, out, withBearer(testBearer))
}

func TestCSMTenantInfoIsPublic(t *testing.T) {
	f := newFixture(t, Config{})
	var out struct{ CloudID string }
	st, raw := f.doAuth("GET", "/_edge/tenant_info", nil, &out, nil)
	if st != 200 || out.CloudID != f.site.CloudID() || out.CloudID == "" {
		t.Fatalf("tenant_info: %d %s", st, raw)
	}
	if n := f.site.RequestCount("GET /_edge/tenant_info", 200); n != 1 {
		t.Errorf("tenant_info counted %d times", n)
	}
}

// Fields are created, listed, renamed, given new options and deleted with
// their values; values read back through GET customer and organization.
func TestCSMFieldsAndValues(t *testing.T) {
	f := newFixture(t, Config{})
	cust, err := f.site.AddCustomer("Fred", "fred@example.com")
	if err != nil {
		t.Fatal(err)
	}
	org := f.createOrg("Acme")
	field := map[string]any{"name": "Region", "type": map[string]any{"name": "SELECT", "options": []string{"AU", "EU"}}}
	if st, raw := f.doCSM("POST", f.csm("/customer/details"), field, nil); st != 200 {
		t.Fatalf("create: %d %s", st, raw)
	}
	if st, raw := f.doCSM("POST", f.csm("/customer/details"), map[string]any{"name": " region ", "type": map[string]any{"name": "TEXT"}}, nil); st != 400 ||
		!strings.Contains(raw, "already exists") {
		t.Errorf("a taken name (another case, spaces): %d %s", st, raw)
	}
	put := func(kind, id, fieldName string, values []string) (int, string) {
		return f.doCSM("PUT", f.csm("/"+kind+"/"+id+"/details?fieldName="+fieldName), map[string]any{"values": values}, nil)
	}
	if st, raw := put("customer", cust.AccountID, "Region", []string{"US"}); st != 400 || !strings.Contains(raw, `\"US\" is not an option of the field \"Region\"`) {
		t.Errorf("a value outside the options: %d %s", st, raw)
	}
	if st, raw := put("customer", cust.AccountID, "Region", []string{"EU"}); st != 200 {
		t.Fatalf("set: %d %s", st, raw)
	}
	var got struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Details []struct {
			Name   string   `json:"name"`
			Values []string `json:"values"`
		} `json:"details"`
	}
	if st, raw := f.doCSM("GET", f.csm("/customer/"+cust.AccountID), nil, &got); st != 200 || got.ID != cust.AccountID ||
		len(got.Details) != 1 || got.Details[0].Values[0] != "EU" {
		t.Fatalf("read back: %d %s", st, raw)
	}
	// The shared PUT pattern keeps both route names.
	if st, raw := f.doCSM("PUT", f.csm("/customer/details/Region"), map[string]any{"name": "Area", "options": []string{"EU", "APAC"}}, nil); st != 200 {
		t.Fatalf("edit: %d %s", st, raw)
	}
	for _, r := range []string{"PUT " + CSMPrefix + "/customer/details/{fieldName}", "PUT " + CSMPrefix + "/customer/{customerId}/details"} {
		if f.site.RequestCount(r, 200) != 1 {
			t.Errorf("route %s counted %v", r, f.site.Requests()[r])
		}
	}
	if v := f.site.DetailValues(KindCustomer, cust.AccountID); v["Area"][0] != "EU" {
		t.Errorf("values after rename: %v", v)
	}
	// Organizations: the same, in their own namespace.
	f.doCSM("POST", f.csm("/organization/details"), map[string]any{"name": "Tier", "type": map[string]any{"name": "TEXT"}}, nil)
	if st, raw := put("organization", org.ID, "Tier", []string{"Gold"}); st != 200 {
		t.Fatalf("org set: %d %s", st, raw)
	}
	if st, raw := put("organization", org.ID, "Area", []string{"EU"}); st != 400 {
		t.Errorf("a customer field on an organization: %d %s", st, raw)
	}
	if st, _ := put("organization", "999", "Tier", []string{"x"}); st != 404 {
		t.Errorf("unknown organization: %d", st)
	}
	// Deleting the field deletes its values.
	if st, _ := f.doCSM("DELETE", f.csm("/customer/details/Area"), nil, nil); st != 204 {
		t.Fatalf("delete: %d", st)
	}
	if v := f.site.DetailValues(KindCustomer, cust.AccountID); len(v) != 0 {
		t.Errorf("values survive their field: %v", v)
	}
}

func TestCSMLimits(t *testing.T) {
	f := newFixture(t, Config{})
	opts := make([]string, 51)
	for i := range opts {
		opts[i] = fmt.Sprint("o", i)
	}
	if st, raw := f.doCSM("POST", f.csm("/customer/details"), map[string]any{"name": "Big", "type": map[string]any{"name": "SELECT", "options": opts}}, nil); st != 400 {
		t.Errorf("51 options: %d %s", st, raw)
	}
	for i := range 50 {
		if st, raw := f.doCSM("POST", f.csm("/customer/details"), map[string]any{"name": fmt.Sprint("F", i), "type": map[string]any{"name": "TEXT"}}, nil); st != 200 {
			t.Fatalf("field %d: %d %s", i, st, raw)
		}
	}
	if st, raw := f.doCSM("POST", f.csm("/customer/details"), map[string]any{"name": "F50", "type": map[string]any{"name": "TEXT"}}, nil); st != 400 ||
		!strings.Contains(raw, "maximum") {
		t.Errorf("51st field: %d %s", st, raw)
	}
}

// The switches: each feature off answers 404 on its paths, listings
// included; an unknown cloud ID 404.
func TestCSMFeatureSwitches(t *testing.T) {
	f := newFixture(t, Config{})
	if st, _ := f.doCSM("GET", strings.Replace(CSMPrefix, "{cloudId}", "other", 1)+"/customer/details", nil, nil); st != 404 {
		t.Errorf("another cloud ID: %d", st)
	}
	profiles := []string{"/customer/details", "/organization/details"}
	products := []string{"/product", "/entitlement/details"}
	for _, c := range []struct {
		answers       CSMAnswers
		profilesFound bool
		productsFound bool
	}{
		{CSMAnswers{}, true, true},
		{CSMAnswers{ProfilesOff: true}, false, true},
		{CSMAnswers{ProductsOff: true}, true, false},
		{CSMAnswers{FeatureOff: true}, false, false},
	} {
		f.site.SetCSMAnswers(c.answers)
		for _, p := range append(profiles, products...) {
			want := 200
			if slices.Contains(profiles, p) && !c.profilesFound || slices.Contains(products, p) && !c.productsFound {
				want = 404
			}
			if st, raw := f.doCSM("GET", f.csm(p), nil, nil); st != want {
				t.Errorf("%+v: GET %s: %d %s, want %d", c.answers, p, st, raw, want)
			}
		}
	}
}

// Credentials on the gateway: by default the classic API token is refused
// on the CSM API (401), a bearer or a scoped token accepted; the scoped
// token is refused on the site URL and accepted through the /ex/jira
// gateway.
func TestCSMCredentials(t *testing.T) {
	const scoped = "scoped-secret"
	f := newFixture(t, Config{Email: testEmail, APIToken: testToken, AccessToken: testBearer, ScopedAPIToken: scoped})
	if st, raw := f.do("GET", f.csm("/product"), nil, nil); st != 401 || !strings.Contains(raw, "Unauthorized") {
		t.Errorf("classic token on the CSM API: %d %s", st, raw)
	}
	for name, auth := range map[string]func(*http.Request){"bearer": withBearer(testBearer), "scoped": withBasic(testEmail, scoped)} {
		if st, raw := f.doAuth("GET", f.csm("/product"), nil, nil, auth); st != 200 {
			t.Errorf("%s on the CSM API: %d %s", name, st, raw)
		}
	}
	if st, _ := f.doAuth("GET", "/rest/api/3/myself", nil, nil, withBasic(testEmail, scoped)); st != 401 {
		t.Errorf("scoped token on the site URL: %d", st)
	}
	gw := httptest.NewServer(f.site.Gateway(f.site.CloudID()))
	t.Cleanup(gw.Close)
	req, _ := http.NewRequest("GET", gw.URL+"/ex/jira/"+f.site.CloudID()+"/rest/api/3/myself", nil)
	req.SetBasicAuth(testEmail, scoped)
	resp, err := gw.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("scoped token through the gateway: %d", resp.StatusCode)
	}
	f.site.SetCSMAnswers(CSMAnswers{AcceptClassicToken: true})
	if st, raw := f.do("GET", f.csm("/product"), nil, nil); st != 200 {
		t.Errorf("classic token accepted by the switch: %d %s", st, raw)
	}
}

// Only eligible accounts are customers of the CSM API: every path about
// an Atlassian account without the customer role, an agent, an inactive
// or deleted account, or the site admin answers 404.
func TestCSMEligibleCustomers(t *testing.T) {
	f := newFixture(t, Config{})
	f.doCSM("POST", f.csm("/customer/details"), map[string]any{"name": "Tier", "type": map[string]any{"name": "TEXT"}}, nil)
	var p Product
	f.doCSM("POST", f.csm("/product"), map[string]string{"name": "W"}, &p)
	cust, _ := f.site.AddCustomer("Cust", "cust@example.com")
	atl, _ := f.site.AddAtlassianAccount("Atl", "atl@example.com", false)
	agent, _ := f.site.AddAtlassianAccount("Agent", "agent@example.com", false)
	f.site.SetRoles(agent.AccountID, true, true)
	inactive, _ := f.site.AddCustomer("Gone", "gone@example.com")
	f.site.SetActive(inactive.AccountID, false)
	deleted, _ := f.site.AddCustomer("Del", "del@example.com")
	f.site.DeleteAccount(deleted.AccountID)
	paths := func(id string) map[string][2]string {
		return map[string][2]string{
			"GET /customer/{id}":              {"GET", "/customer/" + id},
			"PUT /customer/{id}/details":      {"PUT", "/customer/" + id + "/details?fieldName=Tier"},
			"GET /customer/{id}/entitlement":  {"GET", "/customer/" + id + "/entitlement"},
			"POST /customer/{id}/entitlement": {"POST", "/customer/" + id + "/entitlement"},
		}
	}
	check := func(who, id string, want int) {
		t.Helper()
		for name, mp := range paths(id) {
			var body any
			switch mp[0] {
			case "PUT":
				body = map[string]any{"values": []string{"Gold"}}
			case "POST":
				body = map[string]string{"productId": p.ID}
			}
			if st, raw := f.doCSM(mp[0], f.csm(mp[1]), body, nil); st != want {
				t.Errorf("%s, %s: %d %s, want %d", who, name, st, raw, want)
			}
		}
	}
	check("a customer account", cust.AccountID, 200)
	check("an Atlassian account without the customer role", atl.AccountID, 404)
	check("an agent", agent.AccountID, 404)
	check("an inactive account", inactive.AccountID, 404)
	check("a deleted account", deleted.AccountID, 404)
	check("the site admin", f.site.Admin().AccountID, 404)
	f.site.SetRoles(atl.AccountID, true, false)
	check("an Atlassian account with the customer role", atl.AccountID, 200)
}

// Entitlements are listed per customer (with its organizations') or per
// organization, optionally of one product; a create's answer takes the
// shape CSMAnswers.EntitlementCreateAnswer says, and creates all the same.
func TestCSMEntitlementListingAndAnswers(t *testing.T) {
	f := newFixture(t, Config{})
	cust, _ := f.site.AddCustomer("Cust", "cust@example.com")
	org := f.createOrg("Acme")
	f.site.AddOrganizationMembers(org.ID, cust.AccountID)
	var p, q Product
	f.doCSM("POST", f.csm("/product"), map[string]string{"name": "P"}, &p)
	f.doCSM("POST", f.csm("/product"), map[string]string{"name": "Q"}, &q)
	var e1 Entitlement
	f.doCSM("POST", f.csm("/customer/"+cust.AccountID+"/entitlement"), map[string]string{"productId": p.ID}, &e1)
	f.site.SetCSMAnswers(CSMAnswers{EntitlementCreateAnswer: EntitlementAnswerNoID})
	st, raw := f.doCSM("POST", f.csm("/organization/"+org.ID+"/entitlement"), map[string]string{"productId": q.ID}, nil)
	if st != 200 || strings.Contains(raw, `"id"`) {
		t.Errorf("no-id answer: %d %s", st, raw)
	}
	f.site.SetCSMAnswers(CSMAnswers{EntitlementCreateAnswer: EntitlementAnswerArray})
	if st, raw := f.doCSM("POST", f.csm("/organization/"+org.ID+"/entitlement"), map[string]string{"productId": p.ID}, nil); st != 200 || !strings.HasPrefix(raw, "[") {
		t.Errorf("array answer: %d %s", st, raw)
	}
	if n := len(f.site.Entitlements()); n != 3 {
		t.Fatalf("%d entitlements, want 3", n)
	}
	var list struct{ Results []Entitlement }
	count := func(path string) int {
		t.Helper()
		list.Results = nil
		if st, raw := f.doCSM("GET", f.csm(path), nil, &list); st != 200 {
			t.Fatalf("%s: %d %s", path, st, raw)
		}
		return len(list.Results)
	}
	if n := count("/customer/" + cust.AccountID + "/entitlement"); n != 3 {
		t.Errorf("customer's entitlements, with its organization's: %d", n)
	}
	if n := count("/customer/" + cust.AccountID + "/entitlement?product=" + p.ID); n != 2 {
		t.Errorf("customer's entitlements to P: %d", n)
	}
	if n := count("/organization/" + org.ID + "/entitlement?product=" + q.ID); n != 1 {
		t.Errorf("organization's entitlements to Q: %d", n)
	}
	if st, _ := f.doCSM("GET", f.csm("/organization/999/entitlement"), nil, nil); st != 404 {
		t.Errorf("unknown organization: %d", st)
	}
}

func TestCSMProductsPage(t *testing.T) {
	f := newFixture(t, Config{})
	for i := range 3 {
		f.doCSM("POST", f.csm("/product"), map[string]string{"name": fmt.Sprint("P", i)}, nil)
	}
	var page struct {
		Results        []Product
		NextPageCursor string
	}
	f.doCSM("GET", f.csm("/product?limit=2"), nil, &page)
	if len(page.Results) != 2 || page.NextPageCursor == "" {
		t.Fatalf("first page %+v", page)
	}
	next := page.NextPageCursor
	page.NextPageCursor = ""
	f.doCSM("GET", f.csm("/product?limit=2&cursor="+next), nil, &page)
	if len(page.Results) != 1 || page.Results[0].Name != "P2" || page.NextPageCursor != "" {
		t.Fatalf("last page %+v", page)
	}
}

// Fields, values, products and entitlements survive a restart with a state
// file, like the rest of the site.
func TestCSMStatePersists(t *testing.T) {
	state := filepath.Join(t.TempDir(), "site.json")
	f := newFixture(t, Config{StateFile: state})
	org := f.createOrg("Acme")
	f.doCSM("POST", f.csm("/organization/details"), map[string]any{"name": "Tier", "type": map[string]any{"name": "TEXT"}}, nil)
	f.doCSM("PUT", f.csm("/organization/"+org.ID+"/details?fieldName=Tier"), map[string]any{"values": []string{"Gold"}}, nil)
	var p Product
	f.doCSM("POST", f.csm("/product"), map[string]string{"name": "W"}, &p)
	if st, raw := f.doCSM("POST", f.csm("/organization/"+org.ID+"/entitlement"), map[string]string{"productId": p.ID}, nil); st != 200 {
		t.Fatalf("entitle: %d %s", st, raw)
	}
	again, err := New(Config{Email: testEmail, APIToken: testToken, StateFile: state})
	if err != nil {
		t.Fatal(err)
	}
	if v := again.DetailValues(KindOrganization, org.ID); fmt.Sprint(v) != "map[Tier:[Gold]]" {
		t.Errorf("values after restart: %v", v)
	}
	if len(again.Products()) != 1 || len(again.Entitlements()) != 1 || len(again.DetailFields(KindOrganization)) != 1 {
		t.Errorf("after restart: %v %v %v", again.Products(), again.Entitlements(), again.DetailFields(KindOrganization))
	}
}

// Faults and counters apply to the CSM routes like to the others.
func TestCSMFaultsApply(t *testing.T) {
	f := newFixture(t, Config{})
	if err := f.site.SetFaults(Faults{FailNext: 1, FailNextStatus: 503}); err != nil {
		t.Fatal(err)
	}
	route := "GET " + CSMPrefix + "/product"
	if st, _ := f.doCSM("GET", f.csm("/product"), nil, nil); st != 503 {
		t.Errorf("first answer %d, want the injected 503", st)
	}
	if st, _ := f.doCSM("GET", f.csm("/product"), nil, nil); st != 200 {
		t.Errorf("second answer %d", st)
	}
	if f.site.RequestCount(route, 503) != 1 || f.site.RequestCount(route, 200) != 1 {
		t.Errorf("counters %v", f.site.Requests()[route])
	}
}

func withBasic(u, p string) func(*http.Request) {
	return func(r *http.Request) { r.SetBasicAuth(u, p) }
}

func withBearer(tok string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
}
