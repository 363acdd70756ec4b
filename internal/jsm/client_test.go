package jsm

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestValidateBaseURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://your-domain.atlassian.net":           true,
		"https://your-domain.atlassian.net/":          true,
		"https://api.atlassian.com/ex/jira/1234-abcd": true,
		"http://127.0.0.1:8089":                       true,
		"http://localhost:8089":                       true,
		"http://[::1]:8089":                           true,
		"http://your-domain.atlassian.net":            false,
		"http://10.0.0.1":                             false,
		"your-domain.atlassian.net":                   false,
		"ftp://your-domain.atlassian.net":             false,
		"https://your-domain.atlassian.net?x=1":       false,
		"https://user:pass@your-domain.atlassian.net": false,
		"https://your-domain.atlassian.net/#frag":     false,
		"": false,
	} {
		_, err := ValidateBaseURL(raw)
		if (err == nil) != ok {
			t.Errorf("ValidateBaseURL(%q) error = %v, want ok=%v", raw, err, ok)
		}
	}
}

// The site URL is a root or the gateway form: any other path would make
// every answer a 404, which a refresh takes for objects gone.
func TestValidateSiteURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://your-domain.atlassian.net":              true,
		"https://your-domain.atlassian.net//":            true,
		"https://api.atlassian.com/ex/jira/1234-abcd":    true,
		"https://api.atlassian.com/ex/jira/1234-abcd/":   true,
		"http://127.0.0.1:8089":                          true,
		"https://your-domain.atlassian.net/jira":         false,
		"https://your-domain.atlassian.net/rest/api/3":   false,
		"https://your-domain.atlassian.net/servicedesk/": false,
		"https://api.atlassian.com/ex/jira":              false,
		"https://api.atlassian.com/ex/jira/1234/rest":    false,
		"https://api.atlassian.com/ex/confluence/1234":   false,
		"http://your-domain.atlassian.net":               false,
	} {
		_, err := ValidateSiteURL(raw)
		if (err == nil) != ok {
			t.Errorf("ValidateSiteURL(%q) error = %v, want ok=%v", raw, err, ok)
		}
	}
	_, err := ValidateSiteURL("https://your-domain.atlassian.net/jira")
	if err == nil || !strings.Contains(err.Error(), `"/jira"`) || !strings.Contains(err.Error(), "remove the path") {
		t.Errorf("error = %v, want it to name the path and say to remove it", err)
	}
	if _, err := New(Config{BaseURL: "https://x.atlassian.net/jira", Email: "a@b.c", APIToken: "t"}); err == nil {
		t.Error("New accepted a site URL with a path")
	}
}

func TestNewAuthChoice(t *testing.T) {
	base := "https://x.atlassian.net"
	for name, tc := range map[string]struct {
		cfg Config
		ok  bool
	}{
		"basic":            {Config{BaseURL: base, Email: "a@b.c", APIToken: "t"}, true},
		"bearer":           {Config{BaseURL: base, AccessToken: "t"}, true},
		"both":             {Config{BaseURL: base, Email: "a@b.c", APIToken: "t", AccessToken: "u"}, false},
		"email only":       {Config{BaseURL: base, Email: "a@b.c"}, false},
		"token only":       {Config{BaseURL: base, APIToken: "t"}, false},
		"none":             {Config{BaseURL: base}, false},
		"http remote host": {Config{BaseURL: "http://x.atlassian.net", AccessToken: "t"}, false},
	} {
		if _, err := New(tc.cfg); (err == nil) != tc.ok {
			t.Errorf("%s: New error = %v, want ok=%v", name, err, tc.ok)
		}
	}
}

// fakeAPI records the last request and answers with a canned response.
type fakeAPI struct {
	status int
	body   string
	last   *http.Request
	lastB  string
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.last = r
	b, _ := io.ReadAll(r.Body)
	f.lastB = string(b)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.status)
	_, _ = io.WriteString(w, f.body)
}

func newTestClient(t *testing.T, f *fakeAPI, cfg Config) *Client {
	t.Helper()
	srv := httptest.NewServer(asSite(f))
	t.Cleanup(srv.Close)
	cfg.BaseURL = srv.URL + "/" // the trailing slash must not double in paths
	if cfg.AccessToken == "" {
		cfg.Email, cfg.APIToken = "admin@example.com", "secret-token"
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const userDTOJSON = `{"accountId":"qm:a713c8ea-1075-4e30-9d96-891a7d181739:5ad6d3581db05e2a66fa80b","name":"qm:x","key":"qm:x",
 "emailAddress":"fred@example.com","displayName":"Fred F. User","active":true,"timeZone":null,
 "_links":{"jiraRest":"https://s.atlassian.net/rest/api/2/user?username=qm:x","avatarUrls":{"16x16":"a","48x48":"b"},"self":"https://s.atlassian.net/rest/api/2/user?username=qm:x"}}`

func TestCreateCustomer(t *testing.T) {
	f := &fakeAPI{status: 201, body: userDTOJSON}
	c := newTestClient(t, f, Config{UserAgent: "terraform-provider-jsm/1.2.3 Terraform/1.11.4"})
	u, err := c.CreateCustomer(context.Background(), "Fred F. User", "fred@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if f.last.Method != "POST" || f.last.URL.Path != "/rest/servicedeskapi/customer" ||
		f.last.URL.Query().Get("strictConflictStatusCode") != "true" {
		t.Errorf("request %s %s", f.last.Method, f.last.URL)
	}
	var sent map[string]string
	if err := json.Unmarshal([]byte(f.lastB), &sent); err != nil || sent["displayName"] != "Fred F. User" || sent["email"] != "fred@example.com" {
		t.Errorf("body %s", f.lastB)
	}
	if user, pass, ok := f.last.BasicAuth(); !ok || user != "admin@example.com" || pass != "secret-token" {
		t.Errorf("auth %q %q %v", user, pass, ok)
	}
	if ua := f.last.Header.Get("User-Agent"); ua != "terraform-provider-jsm/1.2.3 Terraform/1.11.4" {
		t.Errorf("User-Agent %q", ua)
	}
	if u.AccountID != "qm:a713c8ea-1075-4e30-9d96-891a7d181739:5ad6d3581db05e2a66fa80b" || u.Email != "fred@example.com" ||
		u.TimeZone != "" || !u.Active || u.AccountType != "customer" || u.Links.JiraRest == "" || len(u.Links.AvatarURLs) != 2 {
		t.Errorf("user %+v", u)
	}
}

func TestCreateCustomerConflict(t *testing.T) {
	f := &fakeAPI{status: 409, body: `{"errorMessage":"An account already exists for this email address."}`}
	c := newTestClient(t, f, Config{})
	_, err := c.CreateCustomer(context.Background(), "Fred", "fred@example.com")
	if !IsConflict(err) || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("err = %v", err)
	}
}

func TestBearerAuth(t *testing.T) {
	f := &fakeAPI{status: 204}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL + "/ex/jira/cloud-1", AccessToken: "oauth-token"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.RevokePortalAccess(context.Background(), "qm:1:2"); err != nil {
		t.Fatal(err)
	}
	if got := f.last.Header.Get("Authorization"); got != "Bearer oauth-token" {
		t.Errorf("Authorization %q", got)
	}
	if f.last.Method != "PUT" || f.last.URL.EscapedPath() != "/ex/jira/cloud-1/rest/servicedeskapi/customer/user/qm:1:2/revoke-portal-only-access" {
		t.Errorf("request %s %s", f.last.Method, f.last.URL.EscapedPath())
	}
}

func TestGetUserLinksMatchCustomerAPI(t *testing.T) {
	f := &fakeAPI{status: 200, body: `{"self":"https://s.atlassian.net/rest/api/3/user?accountId=qm:1:2","accountId":"qm:1:2",
	"accountType":"customer","displayName":"Fred","active":false,"timeZone":"Europe/Paris","avatarUrls":{"16x16":"a"}}`}
	c := newTestClient(t, f, Config{})
	u, err := c.GetUser(context.Background(), "qm:1:2")
	if err != nil {
		t.Fatal(err)
	}
	if f.last.URL.Query().Get("accountId") != "qm:1:2" {
		t.Errorf("query %s", f.last.URL.RawQuery)
	}
	want := "https://s.atlassian.net/rest/api/2/user?username=qm%3A1%3A2"
	if u.Links.Self != want || u.Links.JiraRest != want || u.Email != "" || u.Active || u.TimeZone != "Europe/Paris" {
		t.Errorf("user %+v", u)
	}
}

func TestGetUserNotFound(t *testing.T) {
	f := &fakeAPI{status: 404, body: `{"errorMessages":["User with accountId 'x' does not exist."],"errors":{}}`}
	c := newTestClient(t, f, Config{})
	if _, err := c.GetUser(context.Background(), "x"); !IsNotFound(err) {
		t.Fatalf("err = %v", err)
	}
}

func TestFindUserByEmailExactMatchOnly(t *testing.T) {
	f := &fakeAPI{status: 200, body: `[
	 {"accountId":"1","emailAddress":"fred@example.com.au","displayName":"Prefix match"},
	 {"accountId":"2","displayName":"Hidden email"},
	 {"accountId":"3","emailAddress":"Fred@Example.com","displayName":"Exact"}]`}
	c := newTestClient(t, f, Config{})
	u, err := c.FindUserByEmail(context.Background(), "fred@example.com")
	if err != nil || u.AccountID != "3" {
		t.Fatalf("got %+v, %v", u, err)
	}
	if f.last.URL.Query().Get("query") != "fred@example.com" {
		t.Errorf("query %s", f.last.URL.RawQuery)
	}
	if _, err := c.FindUserByEmail(context.Background(), "fred@example.co"); !IsNotFound(err) {
		t.Errorf("a prefix must not match: %v", err)
	}
}

func TestUnexpectedSuccessBody(t *testing.T) {
	f := &fakeAPI{status: 200, body: `<html>maintenance</html>`}
	c := newTestClient(t, f, Config{})
	_, err := c.GetUser(context.Background(), "x")
	if err == nil || !strings.Contains(err.Error(), "<html>maintenance</html>") || StatusCode(err) != 200 {
		t.Fatalf("err = %v", err)
	}
}

func TestTransportErrorHidesQuery(t *testing.T) {
	c, err := New(Config{BaseURL: "http://127.0.0.1:1", Email: "a@b.c", APIToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	// Connection errors are retried: a short deadline keeps the test fast.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err = c.FindUserByEmail(ctx, "private@example.com")
	if err == nil || strings.Contains(err.Error(), "private@example.com") {
		t.Fatalf("err = %v", err)
	}
}
