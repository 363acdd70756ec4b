package jsmsite

import (
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// A customer and an Atlassian account can share an email; search finds
// both (the Atlassian one's email hidden) and the email counts as taken.
func TestSharedEmailAndHiddenForms(t *testing.T) {
	f := newFixture(t, Config{})
	cust := f.create("Pat Doe", "pat@example.com")["accountId"].(string)
	atl, err := f.site.AddAtlassianAccount("Pat D.", "PAT@example.com", true)
	if err != nil || atl.AccountType != AccountTypeAtlassian || len(atl.AccountID) != 24 {
		t.Fatalf("AddAtlassianAccount: %+v %v", atl, err)
	}
	if a, _ := f.site.AccountByEmail("pat@example.com"); a.AccountID != cust {
		t.Errorf("AccountByEmail prefers the customer: got %+v", a)
	}
	if _, err := f.site.AddCustomer("Other", "pat@example.com"); !errors.Is(err, ErrEmailTaken) {
		t.Errorf("email shared by two accounts is free: %v", err)
	}
	for form, want := range map[string]any{HiddenEmailAbsent: "absent", HiddenEmailNull: nil, HiddenEmailEmpty: ""} {
		if err := f.site.SetAccountAnswers(AccountAnswers{HiddenEmail: form}); err != nil {
			t.Fatal(err)
		}
		ids, users := searchIDs(t, f, "query=pat%40example.com")
		if len(ids) != 2 || ids[0] != cust || ids[1] != atl.AccountID || users[0]["emailAddress"] != "pat@example.com" {
			t.Fatalf("%q: search %v %v", form, ids, users)
		}
		got, present := users[1]["emailAddress"]
		if form == HiddenEmailAbsent && present || form != HiddenEmailAbsent && (!present || got != want) {
			t.Errorf("%q: hidden email shows as %#v (present %v)", form, got, present)
		}
	}
	if err := f.site.SetAccountAnswers(AccountAnswers{HiddenEmail: "masked"}); err == nil {
		t.Error("unknown hidden-email form accepted")
	}
	// Only portal-only customers can lose portal access.
	if st, raw := f.do("PUT", "/rest/servicedeskapi/customer/user/"+atl.AccountID+"/revoke-portal-only-access", nil, nil); st != 400 {
		t.Errorf("revoke an Atlassian account: %d %s", st, raw)
	}
	if a, _ := f.site.Account(atl.AccountID); !a.Active || a.PortalAccessRevoked {
		t.Errorf("refused revoke changed the account: %+v", a)
	}
	// Deactivated accounts drop out of search; reactivation brings them back.
	f.site.SetActive(cust, false)
	if ids, _ := searchIDs(t, f, "query=pat%40example.com"); len(ids) != 1 {
		t.Errorf("inactive account found: %v", ids)
	}
	f.site.SetActive(cust, true)
	if ids, _ := searchIDs(t, f, "query=pat%40example.com"); len(ids) != 2 {
		t.Errorf("reactivated account not found: %v", ids)
	}
}

// Outage and corrupted records answer fallback values; a null time zone.
func TestFallbackAnswers(t *testing.T) {
	f := newFixture(t, Config{})
	id := f.create("Sam Roe", "sam@example.com")["accountId"].(string)
	if err := f.site.SetAccountAnswers(AccountAnswers{Unavailable: true}); err != nil {
		t.Fatal(err)
	}
	var u map[string]any
	if st, raw := f.do("GET", "/rest/api/3/user?accountId="+id, nil, &u); st != 200 || u["accountId"] != id ||
		u["accountType"] != "unknown" || u["active"] != false || u["displayName"] == "Sam Roe" {
		t.Errorf("outage answer: %d %s", st, raw)
	}
	_ = f.site.SetAccountAnswers(AccountAnswers{})
	if f.site.CorruptAccount(id) {
		t.Error("an account that is not deleted was corrupted")
	}
	f.site.DeleteAccount(id)
	if !f.site.CorruptAccount(id) {
		t.Fatal("CorruptAccount on a deleted account failed")
	}
	u = nil
	if st, raw := f.do("GET", "/rest/api/3/user?accountId="+id, nil, &u); st != 200 || u["accountId"] != "unknown" {
		t.Errorf("corrupted answer: %d %s", st, raw)
	}
	_ = f.site.SetAccountAnswers(AccountAnswers{CustomerTimeZoneNull: true})
	c := f.create("Tia Null", "tia@example.com")
	if tz, present := c["timeZone"]; !present || tz != nil {
		t.Errorf("timeZone %#v, want null", tz)
	}
	u = nil
	f.do("GET", "/rest/api/3/user?accountId="+c["accountId"].(string), nil, &u)
	if u["timeZone"] != DefaultTimeZone {
		t.Errorf("platform timeZone %v, want the site default", u["timeZone"])
	}
}

// Through Gateway, the site answers under /ex/jira/<cloudId> with links
// that keep the prefix; the root still works.
func TestGatewayPrefix(t *testing.T) {
	f := newFixture(t, Config{})
	gw := httptest.NewServer(f.site.Gateway("cloud-1"))
	t.Cleanup(gw.Close)
	f.srv = gw
	c := f.create("Gate Person", "gate@example.com")
	id := c["accountId"].(string)
	if self := c["_links"].(map[string]any)["self"]; self != gw.URL+"/rest/api/2/user?username="+id {
		t.Errorf("root self %v", self)
	}
	var u map[string]any
	if st, raw := f.do("GET", "/ex/jira/cloud-1/rest/api/3/user?accountId="+url.QueryEscape(id), nil, &u); st != 200 ||
		u["self"] != gw.URL+"/ex/jira/cloud-1/rest/api/3/user?accountId="+url.QueryEscape(id) {
		t.Errorf("gateway GET: %d %s", st, raw)
	}
}

// "Get all users" lists every account, active or not, paged by startAt;
// with AllUsersWithoutCustomers it leaves portal-only customers out.
func TestAllUsers_listsInactiveAccounts(t *testing.T) {
	f := newFixture(t, Config{})
	a, err := f.site.AddCustomer("Gone Person", "gone@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.site.AddCustomer("Here Person", "here@example.com"); err != nil {
		t.Fatal(err)
	}
	f.site.RevokePortalAccess(a.AccountID)
	_, body := f.get("/rest/api/3/users/search?startAt=0&maxResults=1000")
	if !strings.Contains(body, `"emailAddress":"gone@example.com"`) || !strings.Contains(body, `"active":false`) ||
		!strings.Contains(body, "here@example.com") {
		t.Fatalf("all users: %s", body)
	}
	if _, body := f.get("/rest/api/3/users/search?startAt=2&maxResults=1000"); !strings.Contains(body, "here@example.com") ||
		strings.Contains(body, "gone@example.com") {
		t.Fatalf("startAt=2 (after the admin and the first customer): %s", body)
	}
	if err := f.site.SetAccountAnswers(AccountAnswers{AllUsersWithoutCustomers: true}); err != nil {
		t.Fatal(err)
	}
	if _, body := f.get("/rest/api/3/users/search"); strings.Contains(body, `"accountType":"customer"`) {
		t.Fatalf("without customers: %s", body)
	}
}
