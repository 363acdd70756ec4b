package jsmsite

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

func (f *fixture) csm(path string) string {
	return strings.Replace(CSMPrefix, "{cloudId}", f.site.CloudID(), 1) + path
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
	if st, raw := f.do("POST", f.csm("/customer/details"), field, nil); st != 200 {
		t.Fatalf("create: %d %s", st, raw)
	}
	if st, raw := f.do("POST", f.csm("/customer/details"), map[string]any{"name": " region ", "type": map[string]any{"name": "TEXT"}}, nil); st != 400 ||
		!strings.Contains(raw, "already exists") {
		t.Errorf("a taken name (another case, spaces): %d %s", st, raw)
	}
	put := func(kind, id, fieldName string, values []string) (int, string) {
		return f.do("PUT", f.csm("/"+kind+"/"+id+"/details?fieldName="+fieldName), map[string]any{"values": values}, nil)
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
	if st, raw := f.do("GET", f.csm("/customer/"+cust.AccountID), nil, &got); st != 200 || got.ID != cust.AccountID ||
		len(got.Details) != 1 || got.Details[0].Values[0] != "EU" {
		t.Fatalf("read back: %d %s", st, raw)
	}
	// The shared PUT pattern keeps both route names.
	if st, raw := f.do("PUT", f.csm("/customer/details/Region"), map[string]any{"name": "Area", "options": []string{"EU", "APAC"}}, nil); st != 200 {
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
	f.do("POST", f.csm("/organization/details"), map[string]any{"name": "Tier", "type": map[string]any{"name": "TEXT"}}, nil)
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
	if st, _ := f.do("DELETE", f.csm("/customer/details/Area"), nil, nil); st != 204 {
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
	if st, raw := f.do("POST", f.csm("/customer/details"), map[string]any{"name": "Big", "type": map[string]any{"name": "SELECT", "options": opts}}, nil); st != 400 {
		t.Errorf("51 options: %d %s", st, raw)
	}
	for i := range 50 {
		if st, raw := f.do("POST", f.csm("/customer/details"), map[string]any{"name": fmt.Sprint("F", i), "type": map[string]any{"name": "TEXT"}}, nil); st != 200 {
			t.Fatalf("field %d: %d %s", i, st, raw)
		}
	}
	if st, raw := f.do("POST", f.csm("/customer/details"), map[string]any{"name": "F50", "type": map[string]any{"name": "TEXT"}}, nil); st != 400 ||
		!strings.Contains(raw, "maximum") {
		t.Errorf("51st field: %d %s", st, raw)
	}
}

// The switches: the feature off answers 404, a refused (classic) token 401,
// an unknown cloud ID 404.
func TestCSMSwitches(t *testing.T) {
	f := newFixture(t, Config{})
	if st, _ := f.do("GET", strings.Replace(CSMPrefix, "{cloudId}", "other", 1)+"/customer/details", nil, nil); st != 404 {
		t.Errorf("another cloud ID: %d", st)
	}
	f.site.SetCSMAnswers(CSMAnswers{FeatureOff: true})
	if st, _ := f.do("GET", f.csm("/customer/details"), nil, nil); st != 404 {
		t.Errorf("feature off: %d", st)
	}
	f.site.SetCSMAnswers(CSMAnswers{RefuseBasicAuth: true})
	if st, _ := f.do("GET", f.csm("/product"), nil, nil); st != 401 {
		t.Errorf("refused basic auth: %d", st)
	}
	if st, raw := f.doAuth("GET", f.csm("/product"), nil, nil, func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+testBearer) }); st != 200 {
		t.Errorf("bearer with basic refused: %d %s", st, raw)
	}
}

func TestCSMProductsPage(t *testing.T) {
	f := newFixture(t, Config{})
	for i := range 3 {
		f.do("POST", f.csm("/product"), map[string]string{"name": fmt.Sprint("P", i)}, nil)
	}
	var page struct {
		Results        []Product
		NextPageCursor string
	}
	f.do("GET", f.csm("/product?limit=2"), nil, &page)
	if len(page.Results) != 2 || page.NextPageCursor == "" {
		t.Fatalf("first page %+v", page)
	}
	next := page.NextPageCursor
	page.NextPageCursor = ""
	f.do("GET", f.csm("/product?limit=2&cursor="+next), nil, &page)
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
	f.do("POST", f.csm("/organization/details"), map[string]any{"name": "Tier", "type": map[string]any{"name": "TEXT"}}, nil)
	f.do("PUT", f.csm("/organization/"+org.ID+"/details?fieldName=Tier"), map[string]any{"values": []string{"Gold"}}, nil)
	var p Product
	f.do("POST", f.csm("/product"), map[string]string{"name": "W"}, &p)
	if st, raw := f.do("POST", f.csm("/organization/"+org.ID+"/entitlement"), map[string]string{"productId": p.ID}, nil); st != 200 {
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
	if st, _ := f.do("GET", f.csm("/product"), nil, nil); st != 503 {
		t.Errorf("first answer %d, want the injected 503", st)
	}
	if st, _ := f.do("GET", f.csm("/product"), nil, nil); st != 200 {
		t.Errorf("second answer %d", st)
	}
	if f.site.RequestCount(route, 503) != 1 || f.site.RequestCount(route, 200) != 1 {
		t.Errorf("counters %v", f.site.Requests()[route])
	}
}
