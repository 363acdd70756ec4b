package jsmsite

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

const (
	testEmail  = "admin@example.com"
	testToken  = "secret-token"
	testBearer = "secret-access"
)

var accountIDRe = regexp.MustCompile(`^qm:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}:[0-9a-f]{23}$`)

type fixture struct {
	t    *testing.T
	site *Site
	srv  *httptest.Server
}

func newFixture(t *testing.T, cfg Config) *fixture {
	t.Helper()
	if cfg.Email == "" {
		cfg.Email, cfg.APIToken, cfg.AccessToken = testEmail, testToken, testBearer
	}
	site, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// At the root like a site URL, and under /ex/jira/<cloudId> like
	// Atlassian's gateway.
	srv := httptest.NewServer(site.Gateway(site.CloudID()))
	t.Cleanup(srv.Close)
	return &fixture{t: t, site: site, srv: srv}
}

// do sends an authenticated (basic) request and decodes a JSON answer into
// out when out is non-nil. It returns the status and raw body.
func (f *fixture) do(method, path string, body any, out any) (int, string) {
	f.t.Helper()
	return f.doAuth(method, path, body, out, func(r *http.Request) { r.SetBasicAuth(testEmail, testToken) })
}

func (f *fixture) doAuth(method, path string, body any, out any, auth func(*http.Request)) (int, string) {
	f.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = strings.NewReader(string(b))
	}
	req, err := http.NewRequest(method, f.srv.URL+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != nil {
		auth(req)
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			f.t.Fatalf("%s %s: decoding %q: %v", method, path, raw, err)
		}
	}
	return resp.StatusCode, string(raw)
}

func (f *fixture) create(name, email string) map[string]any {
	f.t.Helper()
	var out map[string]any
	st, raw := f.do("POST", "/rest/servicedeskapi/customer?strictConflictStatusCode=true",
		map[string]string{"displayName": name, "email": email}, &out)
	if st != http.StatusCreated {
		f.t.Fatalf("create %s: status %d: %s", email, st, raw)
	}
	return out
}

type jsmErr struct {
	ErrorMessage     string `json:"errorMessage"`
	I18nErrorMessage *struct {
		I18nKey    string   `json:"i18nKey"`
		Parameters []string `json:"parameters"`
	} `json:"i18nErrorMessage"`
}

type platErr struct {
	ErrorMessages []string          `json:"errorMessages"`
	Errors        map[string]string `json:"errors"`
}

func checkJSMError(t *testing.T, raw string) jsmErr {
	t.Helper()
	var e jsmErr
	if err := json.Unmarshal([]byte(raw), &e); err != nil || e.ErrorMessage == "" || e.I18nErrorMessage == nil ||
		e.I18nErrorMessage.I18nKey == "" || e.I18nErrorMessage.Parameters == nil {
		t.Fatalf("not a JSM error body: %s", raw)
	}
	return e
}

func checkPlatformError(t *testing.T, raw string) platErr {
	t.Helper()
	var e platErr
	if err := json.Unmarshal([]byte(raw), &e); err != nil || len(e.ErrorMessages) == 0 || e.Errors == nil {
		t.Fatalf("not a platform error body: %s", raw)
	}
	return e
}

func TestCreateCustomerShape(t *testing.T) {
	f := newFixture(t, Config{})
	c := f.create("Fred F. User", "Fred@Example.com")

	id, _ := c["accountId"].(string)
	if !accountIDRe.MatchString(id) {
		t.Fatalf("accountId %q does not have the qm:<uuid>:<23 hex> form", id)
	}
	want := map[string]any{
		"accountId": id, "name": id, "key": id,
		"emailAddress": "fred@example.com", "displayName": "Fred F. User",
		"active": true, "timeZone": DefaultTimeZone,
	}
	for k, v := range want {
		if c[k] != v {
			t.Errorf("%s = %v, want %v", k, c[k], v)
		}
	}
	links, _ := c["_links"].(map[string]any)
	self := f.srv.URL + "/rest/api/2/user?username=" + id // unescaped, as in Atlassian's example
	if links["self"] != self || links["jiraRest"] != self {
		t.Errorf("_links self/jiraRest = %v / %v, want %s", links["self"], links["jiraRest"], self)
	}
	av, _ := links["avatarUrls"].(map[string]any)
	for _, size := range []string{"16x16", "24x24", "32x32", "48x48"} {
		if s, _ := av[size].(string); !strings.HasPrefix(s, "https://") {
			t.Errorf("avatarUrls[%s] = %v", size, av[size])
		}
	}
	if a, ok := f.site.AccountByEmail("FRED@example.COM"); !ok || a.AccountID != id || a.AccountType != AccountTypeCustomer {
		t.Errorf("AccountByEmail = %+v, %v", a, ok)
	}

	// The self link resolves against the fake itself.
	var u map[string]any
	if st, raw := f.do("GET", strings.TrimPrefix(self, f.srv.URL), nil, &u); st != 200 || u["accountId"] != id {
		t.Errorf("GET self link: %d %s", st, raw)
	}
}

func TestCreateCustomerFullNameAlias(t *testing.T) {
	f := newFixture(t, Config{TimeZone: "Australia/Sydney"})
	var out map[string]any
	st, raw := f.do("POST", "/rest/servicedeskapi/customer", map[string]string{"fullName": "Old Style", "email": "old@example.com"}, &out)
	if st != 201 || out["displayName"] != "Old Style" || out["timeZone"] != "Australia/Sydney" {
		t.Fatalf("%d %s", st, raw)
	}
}

func TestCreateCustomerConflict(t *testing.T) {
	f := newFixture(t, Config{})
	f.create("A", "dup@example.com")
	body := map[string]string{"displayName": "B", "email": "DUP@example.com"}
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"", 400},
		{"?strictConflictStatusCode=false", 400},
		{"?strictConflictStatusCode=true", 409},
	} {
		st, raw := f.do("POST", "/rest/servicedeskapi/customer"+tc.query, body, nil)
		if st != tc.want {
			t.Errorf("%q: status %d, want %d: %s", tc.query, st, tc.want, raw)
		}
		e := checkJSMError(t, raw)
		if e.ErrorMessage != "An account already exists for this email address." {
			t.Errorf("message %q", e.ErrorMessage)
		}
	}
	// The admin's email is taken too: emails are unique per site.
	if st, _ := f.do("POST", "/rest/servicedeskapi/customer?strictConflictStatusCode=true",
		map[string]string{"displayName": "X", "email": "Admin@Example.com"}, nil); st != 409 {
		t.Errorf("admin email: status %d, want 409", st)
	}
	if n := len(f.site.Accounts()); n != 1 {
		t.Errorf("%d accounts, want 1", n)
	}
}

func TestCreateCustomerValidation(t *testing.T) {
	f := newFixture(t, Config{})
	for _, tc := range []struct {
		name, email, wantMsg string
	}{
		{"N", "", "An email address is required."},
		{"N", "not-an-email", "The email address 'not-an-email' is invalid."},
		{"N", "Fred <fred@example.com>", "The email address 'Fred <fred@example.com>' is invalid."},
		{"N", "<fred@example.com>", "The email address '<fred@example.com>' is invalid."},
		{"N", " fred@example.com", "The email address ' fred@example.com' is invalid."},
		{"N", "fred @example.com", "The email address 'fred @example.com' is invalid."},
		{"N", "fred@localhost", "The email address 'fred@localhost' is invalid."},
		{"N", "a@b@c.d", "The email address 'a@b@c.d' is invalid."},
		{"", "ok@example.com", "A display name is required."},
		{"   ", "ok@example.com", "A display name is required."},
	} {
		st, raw := f.do("POST", "/rest/servicedeskapi/customer?strictConflictStatusCode=true",
			map[string]string{"displayName": tc.name, "email": tc.email}, nil)
		if st != 400 {
			t.Errorf("%q/%q: status %d, want 400", tc.name, tc.email, st)
			continue
		}
		if e := checkJSMError(t, raw); e.ErrorMessage != tc.wantMsg {
			t.Errorf("%q/%q: message %q, want %q", tc.name, tc.email, e.ErrorMessage, tc.wantMsg)
		}
	}
	// Malformed JSON and a wrong content type.
	req, _ := http.NewRequest("POST", f.srv.URL+"/rest/servicedeskapi/customer", strings.NewReader("{"))
	req.SetBasicAuth(testEmail, testToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("malformed JSON: status %d", resp.StatusCode)
	}
	req, _ = http.NewRequest("POST", f.srv.URL+"/rest/servicedeskapi/customer", strings.NewReader(`{"displayName":"a","email":"a@b.co"}`))
	req.SetBasicAuth(testEmail, testToken)
	req.Header.Set("Content-Type", "text/plain")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 415 {
		t.Errorf("text/plain: status %d, want 415", resp.StatusCode)
	}
	if n := len(f.site.Accounts()); n != 0 {
		t.Errorf("%d accounts after invalid requests", n)
	}
}

func TestAuth(t *testing.T) {
	f := newFixture(t, Config{})
	basic := func(u, p string) func(*http.Request) { return func(r *http.Request) { r.SetBasicAuth(u, p) } }
	bearer := func(tok string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
	}
	ok := []func(*http.Request){basic(testEmail, testToken), basic("ADMIN@example.com", testToken)}
	for i, auth := range ok {
		if st, raw := f.doAuth("GET", "/rest/api/3/myself", nil, nil, auth); st != 200 {
			t.Errorf("good credentials #%d: %d %s", i, st, raw)
		}
	}
	// A bearer token works through the gateway only, as on Atlassian's.
	gateway := "/ex/jira/" + f.site.CloudID()
	if st, raw := f.doAuth("GET", gateway+"/rest/api/3/myself", nil, nil, bearer(testBearer)); st != 200 {
		t.Errorf("access token through the gateway: %d %s", st, raw)
	}
	if st, raw := f.doAuth("GET", gateway+"/rest/api/3/myself", nil, nil, bearer("nope")); st != 401 {
		t.Errorf("wrong access token through the gateway: %d %s", st, raw)
	}
	bad := map[string]func(*http.Request){
		"no auth":                      nil,
		"wrong token":                  basic(testEmail, "nope"),
		"wrong email":                  basic("other@example.com", testToken),
		"wrong bearer":                 bearer("nope"),
		"token as bearer":              bearer(testToken),
		"access token on the site URL": bearer(testBearer),
	}
	for name, auth := range bad {
		// Platform paths answer in the platform shape...
		st, raw := f.doAuth("GET", "/rest/api/3/myself", nil, nil, auth)
		if st != 401 {
			t.Errorf("%s: status %d, want 401", name, st)
		}
		if e := checkPlatformError(t, raw); e.ErrorMessages[0] != msgUnauthenticated {
			t.Errorf("%s: %q", name, e.ErrorMessages[0])
		}
		// ...JSM paths in the JSM shape, and nothing is created.
		st, raw = f.doAuth("POST", "/rest/servicedeskapi/customer",
			map[string]string{"displayName": "X", "email": "x@example.com"}, nil, auth)
		if st != 401 {
			t.Errorf("%s: JSM status %d, want 401", name, st)
		}
		checkJSMError(t, raw)
	}
	if n := len(f.site.Accounts()); n != 0 {
		t.Errorf("unauthenticated create made %d accounts", n)
	}

	resp, err := http.Get(f.srv.URL + "/rest/api/3/user?accountId=x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Basic ") {
		t.Errorf("WWW-Authenticate = %q", resp.Header.Values("WWW-Authenticate"))
	}

	// With no access token configured, bearer auth is off entirely.
	g := newFixture(t, Config{Email: testEmail, APIToken: testToken})
	if st, _ := g.doAuth("GET", "/rest/api/3/myself", nil, nil, bearer("")); st != 401 {
		t.Errorf("empty bearer with bearer disabled: %d", st)
	}
}

func TestMyself(t *testing.T) {
	f := newFixture(t, Config{})
	var u map[string]any
	f.do("GET", "/rest/api/3/myself", nil, &u)
	if u["accountId"] != f.site.Admin().AccountID || u["accountType"] != "atlassian" || u["emailAddress"] != testEmail {
		t.Errorf("myself = %v", u)
	}
}

func TestGetUser(t *testing.T) {
	f := newFixture(t, Config{})
	c := f.create("Mia Krystof", "mia@example.com")
	id := c["accountId"].(string)

	var u map[string]any
	st, raw := f.do("GET", "/rest/api/3/user?accountId="+id, nil, &u)
	if st != 200 {
		t.Fatalf("%d %s", st, raw)
	}
	for k, v := range map[string]any{
		"accountId": id, "accountType": "customer", "emailAddress": "mia@example.com",
		"displayName": "Mia Krystof", "active": true, "timeZone": DefaultTimeZone, "locale": "en_US",
		"self": f.srv.URL + "/rest/api/3/user?accountId=" + strings.ReplaceAll(id, ":", "%3A"),
	} {
		if u[k] != v {
			t.Errorf("%s = %v, want %v", k, u[k], v)
		}
	}
	if av, _ := u["avatarUrls"].(map[string]any); len(av) != 4 {
		t.Errorf("avatarUrls = %v", u["avatarUrls"])
	}

	st, raw = f.do("GET", "/rest/api/3/user?accountId=qm:nope", nil, nil)
	if st != 404 {
		t.Errorf("unknown: %d", st)
	}
	checkPlatformError(t, raw)

	st, raw = f.do("GET", "/rest/api/3/user", nil, nil)
	if st != 400 {
		t.Errorf("missing accountId: %d", st)
	}
	checkPlatformError(t, raw)

	// Hidden email: the account is still readable, without emailAddress.
	f.site.SetEmailHidden(id, true)
	u = nil
	f.do("GET", "/rest/api/3/user?accountId="+id, nil, &u)
	if _, present := u["emailAddress"]; present {
		t.Errorf("hidden email returned: %v", u)
	}
}

func searchIDs(t *testing.T, f *fixture, query string) ([]string, []map[string]any) {
	t.Helper()
	var users []map[string]any
	st, raw := f.do("GET", "/rest/api/3/user/search?"+query, nil, &users)
	if st != 200 {
		t.Fatalf("search %s: %d %s", query, st, raw)
	}
	if !strings.HasPrefix(strings.TrimSpace(raw), "[") {
		t.Fatalf("search %s: not a plain array: %s", query, raw)
	}
	ids := []string{}
	for _, u := range users {
		ids = append(ids, u["accountId"].(string))
	}
	return ids, users
}

func TestSearch(t *testing.T) {
	f := newFixture(t, Config{})
	john := f.create("John Smith", "js@example.com")["accountId"].(string)
	johnson := f.create("Ann Other", "johnson@example.com")["accountId"].(string)
	mary := f.create("Mary Jones", "mary@example.com")["accountId"].(string)

	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"query=john", []string{john, johnson}}, // display name prefix, email prefix
		{"query=JOHN", []string{john, johnson}}, // case-insensitive
		{"query=smith", nil},                    // a later word of the name does not match (spec: prefix of the value)
		{"query=mary%40example.com", []string{mary}},
		{"query=example.com", nil}, // not a prefix of anything
		{"query=ohn", nil},         // infix does not match
		{"query=j&maxResults=1", []string{john}},
		{"query=j&startAt=1", []string{johnson}},
		{"query=j&maxResults=0", nil},
		{"accountId=" + mary, []string{mary}},
	} {
		got, _ := searchIDs(t, f, tc.query)
		if fmt.Sprint(got) != fmt.Sprint(append([]string{}, tc.want...)) {
			t.Errorf("%s: got %v, want %v", tc.query, got, tc.want)
		}
	}

	// A hidden email still matches, but is not returned.
	f.site.SetEmailHidden(johnson, true)
	ids, users := searchIDs(t, f, "query=johnson")
	if len(ids) != 1 || ids[0] != johnson {
		t.Fatalf("hidden email search: %v", ids)
	}
	if _, present := users[0]["emailAddress"]; present {
		t.Errorf("hidden email returned: %v", users[0])
	}

	// Revoked customers are inactive and drop out of the search.
	f.site.RevokePortalAccess(mary)
	if ids, _ := searchIDs(t, f, "query=mary"); len(ids) != 0 {
		t.Errorf("revoked account found: %v", ids)
	}

	for _, q := range []string{"", "query=", "query=a&accountId=b", "query=a&startAt=-1", "query=a&maxResults=x"} {
		st, raw := f.do("GET", "/rest/api/3/user/search?"+q, nil, nil)
		if st != 400 {
			t.Errorf("%q: status %d, want 400", q, st)
		}
		checkPlatformError(t, raw)
	}
}

func TestRevoke(t *testing.T) {
	f := newFixture(t, Config{})
	id := f.create("Rev Oked", "rev@example.com")["accountId"].(string)
	path := "/rest/servicedeskapi/customer/user/" + id + "/revoke-portal-only-access"
	for i := 0; i < 2; i++ { // idempotent
		if st, raw := f.do("PUT", path, nil, nil); st != 204 || raw != "" {
			t.Fatalf("revoke #%d: %d %q", i, st, raw)
		}
	}
	a, _ := f.site.Account(id)
	if !a.PortalAccessRevoked || a.Active {
		t.Errorf("after revoke: %+v", a)
	}
	var u map[string]any
	f.do("GET", "/rest/api/3/user?accountId="+id, nil, &u)
	if u["active"] != false {
		t.Errorf("GET user after revoke: active = %v", u["active"])
	}
	// The email stays taken.
	if st, _ := f.do("POST", "/rest/servicedeskapi/customer?strictConflictStatusCode=true",
		map[string]string{"displayName": "Again", "email": "rev@example.com"}, nil); st != 409 {
		t.Errorf("recreate after revoke: %d, want 409", st)
	}

	st, raw := f.do("PUT", "/rest/servicedeskapi/customer/user/qm:unknown/revoke-portal-only-access", nil, nil)
	if st != 404 {
		t.Errorf("unknown: %d", st)
	}
	checkJSMError(t, raw)
}

func TestOutOfBand(t *testing.T) {
	f := newFixture(t, Config{})
	a, err := f.site.AddCustomer("Seed", "Seed@Example.com")
	if err != nil || a.Email != "seed@example.com" {
		t.Fatalf("AddCustomer: %+v, %v", a, err)
	}
	if _, err := f.site.AddCustomer("Seed 2", "seed@example.com"); !errors.Is(err, ErrEmailTaken) {
		t.Errorf("duplicate AddCustomer: %v", err)
	}
	if !f.site.RenameAccount(a.AccountID, "Renamed") {
		t.Fatal("rename failed")
	}
	if got, _ := f.site.Account(a.AccountID); got.DisplayName != "Renamed" {
		t.Errorf("after rename: %+v", got)
	}

	// Over HTTP.
	var patched Account
	st, raw := f.do("PATCH", "/__site/accounts/"+a.AccountID, map[string]any{"displayName": "Via HTTP", "emailHidden": true}, &patched)
	if st != 200 || patched.DisplayName != "Via HTTP" || !patched.EmailHidden {
		t.Errorf("PATCH: %d %s", st, raw)
	}
	var list []Account
	if f.do("GET", "/__site/accounts", nil, &list); len(list) != 1 || list[0].AccountID != a.AccountID {
		t.Errorf("list: %+v", list)
	}
	if st, _ := f.do("DELETE", "/__site/accounts/"+a.AccountID, nil, nil); st != 204 {
		t.Errorf("DELETE: %d", st)
	}
	if st, _ := f.do("DELETE", "/__site/accounts/"+a.AccountID, nil, nil); st != 404 {
		t.Errorf("second DELETE: %d", st)
	}
	// A deleted account still answers, blanked, as the User schema says.
	var gone map[string]any
	if st, raw := f.do("GET", "/rest/api/3/user?accountId="+a.AccountID, nil, &gone); st != 200 ||
		gone["displayName"] != "Former user" || gone["emailAddress"] != "" || gone["active"] != false ||
		gone["accountId"] != a.AccountID || gone["accountType"] != AccountTypeCustomer {
		t.Errorf("GET deleted user: %d %s", st, raw)
	}
	if ids, _ := searchIDs(t, f, "query=former"); len(ids) != 0 {
		t.Errorf("deleted account found by search: %v", ids)
	}
	// The switch for sites that answer 404.
	if err := f.site.SetAccountAnswers(AccountAnswers{DeletedAnswer404: true}); err != nil {
		t.Fatal(err)
	}
	if st, _ := f.do("GET", "/rest/api/3/user?accountId="+a.AccountID, nil, nil); st != 404 {
		t.Errorf("GET deleted user with DeletedAnswer404: %d", st)
	}
	if st, _ := f.do("PUT", "/rest/servicedeskapi/customer/user/"+a.AccountID+"/revoke-portal-only-access", nil, nil); st != 404 {
		t.Errorf("revoke a deleted account: %d", st)
	}
	// After a delete the email is free again.
	f.create("Back", "seed@example.com")
	if st, _ := f.doAuth("GET", "/__site/accounts", nil, nil, nil); st != 401 {
		t.Errorf("/__site without auth: %d", st)
	}
}

func TestNotFound(t *testing.T) {
	f := newFixture(t, Config{})
	st, raw := f.do("GET", "/rest/api/3/nothing", nil, nil)
	if st != 404 {
		t.Errorf("%d", st)
	}
	checkPlatformError(t, raw)
	st, raw = f.do("DELETE", "/rest/servicedeskapi/customer", nil, nil) // wrong method
	if st != 404 {
		t.Errorf("%d", st)
	}
	checkJSMError(t, raw)
}

func TestMiddlewareSeesRouteNames(t *testing.T) {
	f := newFixture(t, Config{})
	var mu sync.Mutex
	counts := map[string]int{}
	f.site.Use(func(route string, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			counts[route]++
			mu.Unlock()
			next.ServeHTTP(w, r)
		})
	})
	f.create("M", "m@example.com")
	f.do("GET", "/rest/api/3/myself", nil, nil)
	f.do("GET", "/nope", nil, nil)
	want := map[string]int{"POST /rest/servicedeskapi/customer": 1, "GET /rest/api/3/myself": 1, RouteNotFound: 1}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("counts = %v, want %v", counts, want)
	}
}

func TestStateFilePersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	f1 := newFixture(t, Config{StateFile: path})
	a := f1.create("Persisted One", "one@example.com")["accountId"].(string)
	b := f1.create("Persisted Two", "two@example.com")["accountId"].(string)
	f1.site.SetEmailHidden(b, true)
	f1.do("PUT", "/rest/servicedeskapi/customer/user/"+a+"/revoke-portal-only-access", nil, nil)

	f2 := newFixture(t, Config{StateFile: path})
	got := f2.site.Accounts()
	if len(got) != 2 || got[0].AccountID != a || got[1].AccountID != b {
		t.Fatalf("reloaded accounts: %+v", got)
	}
	if !got[0].PortalAccessRevoked || !got[1].EmailHidden || got[1].Created.IsZero() {
		t.Errorf("flags lost: %+v", got)
	}
	if st, _ := f2.do("POST", "/rest/servicedeskapi/customer?strictConflictStatusCode=true",
		map[string]string{"displayName": "X", "email": "ONE@example.com"}, nil); st != 409 {
		t.Errorf("uniqueness after reload: %d", st)
	}
	f2.site.DeleteAccount(a)
	f3 := newFixture(t, Config{StateFile: path})
	if got, _ := f3.site.Account(a); !got.Deleted || got.Email != "" {
		t.Errorf("delete not persisted: %+v", got)
	}
	if _, err := f3.site.AddCustomer("New One", "one@example.com"); err != nil {
		t.Errorf("the deleted account's email is not free after reload: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temp files left behind: %v", entries)
	}

	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{StateFile: path}); err == nil {
		t.Error("corrupt state file accepted")
	}
}

func TestConcurrentCreates(t *testing.T) {
	f := newFixture(t, Config{StateFile: filepath.Join(t.TempDir(), "state.json")})
	const n = 40
	var wg sync.WaitGroup
	ids := make([]string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out map[string]any
			st, raw := f.do("POST", "/rest/servicedeskapi/customer?strictConflictStatusCode=true",
				map[string]string{"displayName": fmt.Sprintf("User %d", i), "email": fmt.Sprintf("user%d@example.com", i)}, &out)
			if st != 201 {
				t.Errorf("create %d: %d %s", i, st, raw)
				return
			}
			ids[i], _ = out["accountId"].(string)
			// Reads race with the writes on purpose.
			f.site.Accounts()
			searchIDs(t, f, "query=user")
		}()
	}
	// Racing duplicates of one email: exactly one wins.
	var mu sync.Mutex
	created := 0
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, _ := f.do("POST", "/rest/servicedeskapi/customer?strictConflictStatusCode=true",
				map[string]string{"displayName": "Dup", "email": "race@example.com"}, nil)
			if st == 201 {
				mu.Lock()
				created++
				mu.Unlock()
			} else if st != 409 {
				t.Errorf("duplicate race: status %d", st)
			}
		}()
	}
	wg.Wait()
	if created != 1 {
		t.Errorf("%d creates of the same email succeeded", created)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if !accountIDRe.MatchString(id) || seen[id] {
			t.Errorf("bad or duplicate id %q", id)
		}
		seen[id] = true
	}
	if got := len(f.site.Accounts()); got != n+1 {
		t.Errorf("%d accounts, want %d", got, n+1)
	}
}

// User search takes the matches "up to the thousandth user" (Atlassian's
// findUsers): no page reaches past the 1,000th match.
func TestSearch_stopsAtTheThousandthMatch(t *testing.T) {
	f := newFixture(t, Config{})
	for i := range 1010 {
		if _, err := f.site.AddCustomer(fmt.Sprintf("Capped %04d", i), fmt.Sprintf("capped%04d@example.com", i)); err != nil {
			t.Fatal(err)
		}
	}
	for q, want := range map[string]int{"startAt=950&maxResults=100": 50, "startAt=1000&maxResults=50": 0, "startAt=990&maxResults=5": 5} {
		if got, _ := searchIDs(t, f, "query=capped&"+q); len(got) != want {
			t.Errorf("%s: %d accounts, want %d", q, len(got), want)
		}
	}
}
