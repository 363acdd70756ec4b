package jsmsite

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func optIn(r *http.Request) {
	r.Header.Set("Authorization", "Bearer "+testBearer)
	r.Header.Set("X-ExperimentalApi", "opt-in")
}

// The account operations act on customer accounts only, need the
// experimental header, and change what JSM's own reads answer: a rename
// the display name, a delete the account itself (then answered as a
// deleted account, and its email free again).
func TestCSMCustomerAccounts(t *testing.T) {
	f := newFixture(t, Config{})
	cust, err := f.site.AddCustomer("Fred", "fred@example.com")
	if err != nil {
		t.Fatal(err)
	}
	atl, err := f.site.AddAtlassianAccount("Ann", "ann@example.com", false)
	if err != nil {
		t.Fatal(err)
	}
	path := func(id string) string { return f.csm("/customer/account/" + id) }
	rename := map[string]string{"displayName": "Fred Renamed"}

	if st, raw := f.doCSM("PUT", path(cust.AccountID), rename, nil); st != 412 || !strings.Contains(raw, "X-ExperimentalApi") {
		t.Errorf("without the header: %d %s", st, raw)
	}
	if st, raw := f.doAuth("PUT", path(atl.AccountID), rename, nil, optIn); st != 404 {
		t.Errorf("an Atlassian account: %d %s", st, raw)
	}
	var out customerAccountDTO
	if st, raw := f.doAuth("PUT", path(cust.AccountID), rename, &out, optIn); st != 200 || out.ID != cust.AccountID || out.DisplayName != "Fred Renamed" {
		t.Fatalf("rename: %d %s", st, raw)
	}
	var user struct{ DisplayName string }
	if st, raw := f.do("GET", "/rest/api/3/user?accountId="+cust.AccountID, nil, &user); st != 200 || user.DisplayName != "Fred Renamed" {
		t.Errorf("JSM's read after the rename: %d %s", st, raw)
	}
	if st, raw := f.doAuth("GET", path(cust.AccountID), nil, &out, optIn); st != 200 || out.DisplayName != "Fred Renamed" || out.Email != "fred@example.com" {
		t.Errorf("read: %d %s", st, raw)
	}

	f.site.SetCSMAnswers(CSMAnswers{AccountAnswersOther: true})
	if st, raw := f.doAuth("PUT", path(cust.AccountID), map[string]string{"displayName": "Fred Again"}, nil, optIn); st != 200 ||
		!strings.Contains(raw, `"customer"`) {
		t.Errorf("another shape: %d %s", st, raw)
	}
	if a, _ := f.site.Account(cust.AccountID); a.DisplayName != "Fred Again" {
		t.Errorf("a rename answered in another shape is made all the same: %q", a.DisplayName)
	}
	f.site.SetCSMAnswers(CSMAnswers{AccountAPIOff: true})
	if st, _ := f.doAuth("DELETE", path(cust.AccountID), nil, nil, optIn); st != 404 {
		t.Errorf("a site without the API: %d", st)
	}
	f.site.SetCSMAnswers(CSMAnswers{})

	if st, raw := f.doAuth("DELETE", path(atl.AccountID), nil, nil, optIn); st != 404 {
		t.Errorf("deleting an Atlassian account: %d %s", st, raw)
	}
	if st, raw := f.doAuth("DELETE", path(cust.AccountID), nil, nil, optIn); st != 204 {
		t.Fatalf("delete: %d %s", st, raw)
	}
	if a, _ := f.site.Account(cust.AccountID); !a.Deleted {
		t.Errorf("not deleted: %+v", a)
	}
	if st, _ := f.doAuth("GET", path(cust.AccountID), nil, nil, optIn); st != 404 {
		t.Errorf("read after delete: %d", st)
	}
	if _, err := f.site.AddCustomer("Fred", "fred@example.com"); err != nil {
		t.Errorf("the email is not free again: %v", err)
	}
}

// An organization rename keeps its ID, members and service desks; a name
// another organization holds is refused.
func TestCSMOrganizationRename(t *testing.T) {
	f := newFixture(t, Config{})
	cust, err := f.site.AddCustomer("Fred", "fred@example.com")
	if err != nil {
		t.Fatal(err)
	}
	org := f.site.AddOrganization("Acme")
	other := f.site.AddOrganization("Globex")
	id := strconv.FormatInt(org.ID, 10)
	f.site.AddOrganizationMembers(id, cust.AccountID)
	path := f.csm("/organization/" + id)
	if st, _ := f.doCSM("PUT", path, map[string]string{"name": "Acme 2"}, nil); st != 412 {
		t.Errorf("without the header: %d", st)
	}
	if st, raw := f.doAuth("PUT", path, map[string]string{"name": other.Name}, nil, optIn); st != 400 {
		t.Errorf("a taken name: %d %s", st, raw)
	}
	var out map[string]string
	if st, raw := f.doAuth("PUT", path, map[string]string{"name": "Acme 2"}, &out, optIn); st != 200 || out["id"] != id || out["name"] != "Acme 2" {
		t.Fatalf("rename: %d %s", st, raw)
	}
	o, _ := f.site.Organization(id)
	if o.Name != "Acme 2" || len(o.Members) != 1 || o.Members[0] != cust.AccountID {
		t.Errorf("after the rename: %+v", o)
	}
}

// RenameAnswersNoContent answers both renames 204 with no body, the rename
// made; RenameNotApplied answers success and keeps the old name.
func TestCSMRenameAnswers(t *testing.T) {
	f := newFixture(t, Config{})
	cust, err := f.site.AddCustomer("Fred", "fred@example.com")
	if err != nil {
		t.Fatal(err)
	}
	org := f.site.AddOrganization("Acme")
	orgID := strconv.FormatInt(org.ID, 10)
	rename := func(name string) (int, string, int, string) {
		st1, raw1 := f.doAuth("PUT", f.csm("/customer/account/"+cust.AccountID), map[string]string{"displayName": name}, nil, optIn)
		st2, raw2 := f.doAuth("PUT", f.csm("/organization/"+orgID), map[string]string{"name": name}, nil, optIn)
		return st1, raw1, st2, raw2
	}
	names := func() (string, string) {
		a, _ := f.site.Account(cust.AccountID)
		o, _ := f.site.Organization(orgID)
		return a.DisplayName, o.Name
	}
	f.site.SetCSMAnswers(CSMAnswers{RenameAnswersNoContent: true})
	if st1, raw1, st2, raw2 := rename("Renamed"); st1 != 204 || raw1 != "" || st2 != 204 || raw2 != "" {
		t.Errorf("204 answers: %d %q, %d %q", st1, raw1, st2, raw2)
	}
	if a, o := names(); a != "Renamed" || o != "Renamed" {
		t.Errorf("a rename answered 204 is made: %q, %q", a, o)
	}
	f.site.SetCSMAnswers(CSMAnswers{RenameNotApplied: true})
	if st1, raw1, st2, raw2 := rename("Dropped"); st1 != 200 || st2 != 200 {
		t.Errorf("success answers: %d %s, %d %s", st1, raw1, st2, raw2)
	}
	if a, o := names(); a != "Renamed" || o != "Renamed" {
		t.Errorf("a rename not applied keeps the names: %q, %q", a, o)
	}
}

// The shared patterns answer only their own routes: a path that is
// neither answers 404, not the listing or the details write.
func TestCSMSharedPatternsRefuseOtherPaths(t *testing.T) {
	f := newFixture(t, Config{})
	cust, err := f.site.AddCustomer("Fred", "fred@example.com")
	if err != nil {
		t.Fatal(err)
	}
	org := fmt.Sprint(f.site.AddOrganization("Acme").ID)
	for _, c := range []struct{ method, path string }{
		{"GET", "/customer/" + cust.AccountID + "/other"},
		{"PUT", "/customer/" + cust.AccountID + "/other"},
		{"PUT", "/organization/" + org + "/other"},
	} {
		if st, raw := f.doCSM(c.method, f.csm(c.path), map[string]any{}, nil); st != 404 {
			t.Errorf("%s %s: %d %s", c.method, c.path, st, raw)
		}
	}
}
