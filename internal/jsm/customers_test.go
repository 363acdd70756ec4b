package jsm

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite/contract"
)

// countingAPI answers every request with one body and counts them.
func countingAPI(t *testing.T, body string) (*Client, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Email: "a@b.c", APIToken: "t", RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c, &n
}

// Answers that describe no account are asked again, then refused: never a
// User the caller could write into its state.
func TestGetUserRefusesAnswersAboutNoAccount(t *testing.T) {
	for name, tc := range map[string]struct{ body, want string }{
		"corrupted": {`{"accountId":"unknown","accountType":"unknown","displayName":"","active":false}`, `"unknown"`},
		"other id":  {`{"accountId":"qm:9:9","accountType":"customer","displayName":"Fred","active":true}`, `about account "qm:9:9"`},
		"no id":     {`{"accountType":"customer","displayName":"Fred","active":true}`, `about account ""`},
		"fallback":  {`{"accountId":"qm:1:2","accountType":"unknown","displayName":"Unknown","active":false}`, `fallback values`},
		"no type":   {`{"accountId":"qm:1:2","displayName":"","active":false}`, `fallback values`},
	} {
		t.Run(name, func(t *testing.T) {
			c, n := countingAPI(t, tc.body)
			u, err := c.GetUser(context.Background(), "qm:1:2")
			if u != nil || !errors.Is(err, ErrUnreliableAnswer) || !strings.Contains(err.Error(), tc.want) ||
				!strings.Contains(err.Error(), "qm:1:2") || IsNotFound(err) {
				t.Fatalf("got %+v, %v", u, err)
			}
			if got := n.Load(); got != unreliableReasks+1 {
				t.Errorf("%d requests, want %d", got, unreliableReasks+1)
			}
		})
	}
}

func TestGetUserDeletedAccountIsAnAnswer(t *testing.T) {
	c, n := countingAPI(t, `{"accountId":"qm:1:2","accountType":"customer","displayName":"Former user","emailAddress":"","active":false}`)
	u, err := c.GetUser(context.Background(), "qm:1:2")
	if err != nil || n.Load() != 1 {
		t.Fatalf("got %v after %d requests", err, n.Load())
	}
	if !u.LooksDeleted("Fred") || !u.LooksDeleted("") {
		t.Errorf("not recognised as deleted: %+v", u)
	}
}

func TestLooksDeleted(t *testing.T) {
	for name, tc := range map[string]struct {
		u     User
		known string
		want  bool
	}{
		"former user":             {User{DisplayName: "Former user"}, "Fred", true},
		"other indication":        {User{DisplayName: "Ancien utilisateur"}, "Fred", true},
		"indication, none known":  {User{DisplayName: "former user"}, "", true},
		"inactive keeps its name": {User{DisplayName: "Fred"}, "Fred", false},
		"inactive, none known":    {User{DisplayName: "Fred"}, "", false},
		"active renamed":          {User{DisplayName: "Frederick", Active: true}, "Fred", false},
		"inactive with email":     {User{DisplayName: "Former user", Email: "f@example.com"}, "Fred", false},
		"active, hidden email":    {User{DisplayName: "Former user", Active: true}, "Fred", false},
	} {
		if got := tc.u.LooksDeleted(tc.known); got != tc.want {
			t.Errorf("%s: LooksDeleted = %v, want %v", name, got, tc.want)
		}
	}
}

func TestPreferCustomer(t *testing.T) {
	cust := User{AccountID: "qm:1:2", AccountType: "customer", DisplayName: "Fred"}
	atl := User{AccountID: "5b10ac8d82e05b22cc7d4ef5", AccountType: "atlassian", DisplayName: "Fred F."}
	cust2 := User{AccountID: "qm:3:4", AccountType: "customer", DisplayName: "Fred"}
	if _, err := PreferCustomer("f@example.com", nil); !IsNotFound(err) {
		t.Errorf("none: %v", err)
	}
	if u, err := PreferCustomer("f@example.com", []User{atl}); err != nil || u.AccountID != atl.AccountID {
		t.Errorf("one atlassian: %+v %v", u, err)
	}
	if u, err := PreferCustomer("f@example.com", []User{atl, cust}); err != nil || u.AccountID != cust.AccountID {
		t.Errorf("customer and atlassian: %+v %v", u, err)
	}
	_, err := PreferCustomer("f@example.com", []User{cust, atl, cust2})
	var amb *AmbiguousError
	if !errors.As(err, &amb) {
		t.Fatalf("two customers: %v", err)
	}
	for _, want := range []string{"qm:1:2 (account type customer", "qm:3:4 (account type customer", "5b10ac8d82e05b22cc7d4ef5 (account type atlassian", "account ID of the one"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}

// The real API shows a hidden email as null, as "" or not at all.
func TestSearchByEmailSortsHiddenEmails(t *testing.T) {
	c, _ := countingAPI(t, `[
	 {"accountId":"1","accountType":"customer","emailAddress":"fred@example.com.au","displayName":"Prefix"},
	 {"accountId":"2","accountType":"atlassian","emailAddress":null,"displayName":"Fred"},
	 {"accountId":"3","accountType":"atlassian","emailAddress":"","displayName":"Fred"},
	 {"accountId":"4","accountType":"atlassian","displayName":"Other"},
	 {"accountId":"5","accountType":"customer","emailAddress":"FRED@example.com","displayName":"Fred"}]`)
	m, err := c.SearchByEmail(context.Background(), "fred@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Exact) != 1 || m.Exact[0].AccountID != "5" || len(m.Hidden) != 3 {
		t.Fatalf("got %+v", m)
	}
	if named := m.HiddenNamed("Fred"); len(named) != 2 || named[0].AccountID != "2" || named[1].AccountID != "3" {
		t.Errorf("hidden named Fred: %+v", named)
	}
}

// The customer API's links, escaped as the server chose, are stored in the
// form a refresh rebuilds from the platform API.
func TestCreatedAndReadLinksAgree(t *testing.T) {
	created := userDTO{AccountID: "qm:1:2"}
	created.Links.Self = "https://s.atlassian.net/rest/api/2/user?username=qm:1:2"
	read := platformUser{AccountID: "qm:1:2", Self: "https://s.atlassian.net/rest/api/3/user?accountId=qm%3A1%3A2"}
	a, b := created.user().Links, read.user().Links
	if a.Self != b.Self || a.JiraRest != b.JiraRest {
		t.Errorf("create stores %+v, refresh %+v", a, b)
	}
	gw := userDTO{AccountID: "qm:1:2"}
	gw.Links.Self = "https://api.atlassian.com/ex/jira/abc/rest/api/2/user?username=qm%3A1%3A2"
	gwRead := platformUser{AccountID: "qm:1:2", Self: "https://api.atlassian.com/ex/jira/abc/rest/api/3/user?accountId=qm:1:2"}
	if x, y := gw.user().Links.Self, gwRead.user().Links.Self; x != y || !strings.HasPrefix(x, "https://api.atlassian.com/ex/jira/abc/rest/api/2/") {
		t.Errorf("gateway: create %s, refresh %s", x, y)
	}
}

// A create whose answer is lost and whose retry answers 409 settles on the
// portal-only customer, even when an Atlassian account with the same email
// and name comes first in the search.
func TestCreateCustomerLostAnswerPrefersCustomer(t *testing.T) {
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodPost && posts.Add(1) == 1:
			w.WriteHeader(http.StatusBadGateway) // applied, answer lost
		case r.Method == http.MethodPost:
			w.WriteHeader(http.StatusConflict)
			_, _ = w.Write([]byte(`{"errorMessage":"An account already exists for this email address."}`))
		default:
			_, _ = w.Write([]byte(`[
			 {"accountId":"5b10ac8d82e05b22cc7d4ef5","accountType":"atlassian","emailAddress":"fred@example.com","displayName":"Fred","active":true},
			 {"accountId":"qm:1:2","accountType":"customer","emailAddress":"fred@example.com","displayName":"Fred","active":true}]`))
		}
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Email: "a@b.c", APIToken: "t", RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	u, err := c.CreateCustomer(context.Background(), "Fred", "fred@example.com")
	if err != nil || u.AccountID != "qm:1:2" {
		t.Fatalf("got %+v, %v", u, err)
	}
}

// A 400 on removing desk customers is open access only when the site says
// so (or says nothing): an unknown account ID gets no open-desk advice.
func TestRemoveServiceDeskCustomersExplainsOnlyOpenAccess(t *testing.T) {
	site, url := newFaultySite(t, jsmsite.Faults{})
	c, _ := newRetryClient(t, url, Config{NoRetries: true})
	ctx := context.Background()
	a, err := site.AddCustomer("A", "a@example.com")
	if err != nil {
		t.Fatal(err)
	}
	site.AddDeskCustomers("1", a.AccountID)

	err = c.RemoveServiceDeskCustomers(ctx, "1", []string{a.AccountID}) // desk 1 is open to anyone
	if !errors.Is(err, ErrDeskOpen) || !strings.Contains(err.Error(), "Restrict the desk") {
		t.Errorf("open desk: %v", err)
	}
	ghost := "qm:00000000-0000-4000-8000-000000000000:00000000000000000000000"
	err = c.RemoveServiceDeskCustomers(ctx, "2", []string{ghost}) // desk 2 is closed
	if errors.Is(err, ErrDeskOpen) || strings.Contains(err.Error(), "anyone") || !strings.Contains(err.Error(), "do not exist") {
		t.Errorf("unknown account: %v", err)
	}
}

// CanBrowseUsers asks for USER_PICKER alone and reads its havePermission:
// the local site follows the Browse users and groups switch, and an answer
// without the key is an error, not a "no".
func TestCanBrowseUsers(t *testing.T) {
	site, err := jsmsite.New(jsmsite.Config{Email: "admin@example.com", APIToken: "token-123"})
	if err != nil {
		t.Fatal(err)
	}
	contract.Enable(t, site)
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Email: "admin@example.com", APIToken: "token-123"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if can, err := c.CanBrowseUsers(ctx); err != nil || !can {
		t.Errorf("an admin: %v, %v", can, err)
	}
	if err := site.SetAccountAnswers(jsmsite.AccountAnswers{NoBrowseUsers: true}); err != nil {
		t.Fatal(err)
	}
	if can, err := c.CanBrowseUsers(ctx); err != nil || can {
		t.Errorf("without the permission: %v, %v", can, err)
	}

	f := &fakeAPI{status: 200, body: `{"permissions":{}}`}
	if _, err := newTestClient(t, f, Config{}).CanBrowseUsers(ctx); err == nil || !strings.Contains(err.Error(), "USER_PICKER") {
		t.Errorf("an answer without the key: %v", err)
	}
	if got := f.last.URL.Query().Get("permissions"); got != "USER_PICKER" {
		t.Errorf("asked for %q", got)
	}
}

// A create answered with an account of another email (a broken server or
// proxy) is an error that says the customer may have been created: the
// account is not this create's, and is returned to no one. Letter case and
// a hidden email (no emailAddress) are no difference.
func TestCreateCustomerAnsweredWithAnotherAccount(t *testing.T) {
	for email, wantErr := range map[string]bool{"fred@example.com": false, "Fred@Example.COM": false, "wilma@example.com": true} {
		f := &fakeAPI{status: 201, body: userDTOJSON}
		c := newTestClient(t, f, Config{})
		u, err := c.CreateCustomer(context.Background(), "Fred F. User", email)
		if !wantErr {
			if err != nil || u == nil {
				t.Errorf("%s: %+v, %v", email, u, err)
			}
			continue
		}
		if u != nil || err == nil || !strings.Contains(err.Error(), `of another email, "fred@example.com", not "wilma@example.com"; nothing was recorded`) ||
			!strings.Contains(err.Error(), "may have been created") {
			t.Errorf("%s: %+v, %v", email, u, err)
		}
	}
	hidden := strings.Replace(userDTOJSON, `"emailAddress":"fred@example.com",`, "", 1)
	if hidden == userDTOJSON {
		t.Fatal("userDTOJSON has no emailAddress to hide")
	}
	c := newTestClient(t, &fakeAPI{status: 201, body: hidden}, Config{})
	if u, err := c.CreateCustomer(context.Background(), "Fred F. User", "wilma@example.com"); err != nil || u == nil {
		t.Errorf("hidden email: %+v, %v", u, err)
	}
}
