package jsm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

const (
	testClientID     = "sa-client-id"
	testClientSecret = "sa-client-secret-0123456789"
)

// tokenServer is a token endpoint and a gateway in one: it issues tokens
// "tok-<n>" and answers GET /ex/jira/cloud-1/rest/api/3/user as the user,
// or with the status refuse decides for the token sent.
type tokenServer struct {
	*httptest.Server
	issued     atomic.Int64
	lifetime   int // expires_in, seconds
	forms      chan string
	fail503    atomic.Int32 // token requests still to answer 503
	fail429    atomic.Int32 // token requests still to answer 429 with Retry-After: retryAfter
	retryAfter string

	mu     sync.Mutex
	refuse func(token string) int // 0: answer the user
	calls  []string               // the Authorization of each API call
}

func newTokenServer(t *testing.T) *tokenServer {
	ts := &tokenServer{lifetime: 3600, forms: make(chan string, 100)}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		if ts.fail503.Add(-1) >= 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		if ts.fail429.Add(-1) >= 0 {
			w.Header().Set("Retry-After", ts.retryAfter)
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_ = r.ParseForm()
		ts.forms <- r.PostForm.Encode()
		w.Header().Set("Content-Type", "application/json")
		if r.PostForm.Get("client_secret") != testClientSecret || r.PostForm.Get("client_id") != testClientID {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"error":"invalid_client","error_description":"Unauthorized: %s"}`, r.PostForm.Get("client_secret"))
			return
		}
		n := ts.issued.Add(1)
		fmt.Fprintf(w, `{"access_token":"tok-%d-abcdefgh","token_type":"Bearer","expires_in":%d,"scope":"read:jira-user"}`, n, ts.lifetime)
	})
	mux.HandleFunc("GET /ex/jira/cloud-1/rest/api/3/user", func(w http.ResponseWriter, r *http.Request) {
		authz := r.Header.Get("Authorization")
		ts.mu.Lock()
		ts.calls = append(ts.calls, authz)
		refuse := ts.refuse
		ts.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if refuse != nil {
			if st := refuse(strings.TrimPrefix(authz, "Bearer ")); st != 0 {
				w.WriteHeader(st)
				fmt.Fprintf(w, `{"errorMessages":["refused %s"],"errors":{}}`, authz)
				return
			}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"accountId": r.URL.Query().Get("accountId"), "displayName": "A", "active": true, "accountType": "customer"})
	})
	mux.HandleFunc("GET /jsm/csm/cloudid/cloud-1/api/v1/product", func(w http.ResponseWriter, r *http.Request) {
		ts.mu.Lock()
		refuse := ts.refuse
		ts.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if refuse != nil {
			if st := refuse(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")); st != 0 {
				w.WriteHeader(st)
				fmt.Fprintf(w, `{"code":%d,"message":"%s"}`, st, http.StatusText(st))
				return
			}
		}
		fmt.Fprint(w, `{"results":[]}`)
	})
	mux.HandleFunc("GET /_edge/tenant_info", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			t.Error("tenant_info got credentials")
		}
		fmt.Fprint(w, `{"cloudId":"cloud-1"}`)
	})
	ts.Server = httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

func (ts *tokenServer) client(t *testing.T, secret string) *Client {
	t.Helper()
	c, err := New(Config{BaseURL: ts.URL + "/ex/jira/cloud-1", ClientID: testClientID, ClientSecret: secret,
		TokenURL: ts.URL + "/oauth/token", NoRetries: true})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (ts *tokenServer) callLog() []string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]string(nil), ts.calls...)
}

func TestClientCredentials_oneTokenForManyCalls(t *testing.T) {
	ts := newTokenServer(t)
	c := ts.client(t, testClientSecret)
	for i := range 5 {
		if _, err := c.GetUser(context.Background(), fmt.Sprintf("qm:%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := ts.issued.Load(); n != 1 {
		t.Errorf("%d tokens obtained for 5 calls, want 1", n)
	}
	form := <-ts.forms
	for _, want := range []string{"grant_type=client_credentials", "client_id=" + testClientID, "client_secret=" + testClientSecret} {
		if !strings.Contains(form, want) {
			t.Errorf("token request form %q lacks %q", form, want)
		}
	}
	for _, a := range ts.callLog() {
		if a != "Bearer tok-1-abcdefgh" {
			t.Errorf("call sent Authorization %q", a)
		}
	}
}

func TestClientCredentials_renewsBeforeExpiry(t *testing.T) {
	ts := newTokenServer(t)
	ts.lifetime = 1
	c := ts.client(t, testClientSecret)
	if _, err := c.GetUser(context.Background(), "qm:1"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond)
	if _, err := c.GetUser(context.Background(), "qm:1"); err != nil {
		t.Fatal(err)
	}
	if n := ts.issued.Load(); n != 2 {
		t.Errorf("%d tokens obtained, want 2 (one renewal after expiry)", n)
	}
}

func TestClientCredentials_renewsOnceAfter401(t *testing.T) {
	ts := newTokenServer(t)
	ts.refuse = func(tok string) int { // the first token is refused
		if strings.HasPrefix(tok, "tok-1-") {
			return http.StatusUnauthorized
		}
		return 0
	}
	c := ts.client(t, testClientSecret)
	if _, err := c.GetUser(context.Background(), "qm:1"); err != nil {
		t.Fatalf("the call failed instead of renewing the token: %v", err)
	}
	if got := ts.callLog(); len(got) != 2 || got[1] != "Bearer tok-2-abcdefgh" {
		t.Errorf("calls %q, want the refused one then one with a new token", got)
	}
}

func TestClientCredentials_second401IsAnError(t *testing.T) {
	ts := newTokenServer(t)
	ts.refuse = func(string) int { return http.StatusUnauthorized }
	c := ts.client(t, testClientSecret)
	_, err := c.GetUser(context.Background(), "qm:1")
	if err == nil {
		t.Fatal("no error")
	}
	if n := len(ts.callLog()); n != 2 {
		t.Errorf("%d calls, want 2 (one renewal, no loop)", n)
	}
	if n := ts.issued.Load(); n != 2 {
		t.Errorf("%d tokens, want 2", n)
	}
	msg := err.Error()
	for _, want := range []string{"401", CredentialClientCredentials, "read:jira-user"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "tok-") {
		t.Errorf("error shows a token: %q", msg)
	}
}

func TestClientCredentials_403NamesScopes(t *testing.T) {
	ts := newTokenServer(t)
	ts.refuse = func(string) int { return http.StatusForbidden }
	c := ts.client(t, testClientSecret)
	_, err := c.GetUser(context.Background(), "qm:1")
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{CredentialClientCredentials, "lacks a scope", "read:jira-user"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "tok-") {
		t.Errorf("error shows a token: %q", err)
	}
}

func TestClientCredentials_wrongSecret(t *testing.T) {
	ts := newTokenServer(t)
	c := ts.client(t, "wrong-secret-987654")
	_, err := c.GetUser(context.Background(), "qm:1")
	if !errors.Is(err, ErrTokenRefused) {
		t.Fatalf("error %v is not ErrTokenRefused", err)
	}
	for _, want := range []string{CredentialClientCredentials, "client_secret", "invalid_client"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "wrong-secret-987654") {
		t.Errorf("error shows the secret: %q", err)
	}
	if n := len(ts.callLog()); n != 0 {
		t.Errorf("%d API calls without a token", n)
	}
	if n := len(ts.forms); n != 1 {
		t.Errorf("%d token requests, want 1 (the secret in the form body, no second try)", n)
	}
}

func TestClientCredentials_siteURLDiscoversGateway(t *testing.T) {
	ts := newTokenServer(t)
	c, err := New(Config{BaseURL: ts.URL, ClientID: testClientID, ClientSecret: testClientSecret,
		TokenURL: ts.URL + "/oauth/token", CSMURL: ts.URL + csmPrefix, NoRetries: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetUser(context.Background(), "qm:1"); err != nil {
		t.Fatal(err)
	}
	if c.CloudID() != "cloud-1" {
		t.Errorf("cloud ID %q", c.CloudID())
	}
}

// A fixed access token is a bearer token too: Atlassian takes it only
// through the gateway, so a site URL leads there, and tenant_info (public)
// gets no credential.
func TestAccessToken_siteURLGoesThroughGateway(t *testing.T) {
	ts := newTokenServer(t)
	c, err := New(Config{BaseURL: ts.URL, AccessToken: "fixed-token", CSMURL: ts.URL + csmPrefix, NoRetries: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetUser(context.Background(), "qm:1"); err != nil {
		t.Fatal(err)
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if !slices.Equal(ts.calls, []string{"Bearer fixed-token"}) {
		t.Errorf("gateway calls with %q", ts.calls)
	}
	if len(ts.forms) != 0 {
		t.Error("a fixed access token asked the token endpoint")
	}
}

func TestClientCredentials_masksLearnedTokens(t *testing.T) {
	ts := newTokenServer(t)
	c := ts.client(t, testClientSecret)
	if _, err := c.GetUser(context.Background(), "qm:1"); err != nil {
		t.Fatal(err)
	}
	if got := c.Clean("echo tok-1-abcdefgh and "+testClientSecret, 200); strings.Contains(got, "tok-1") || strings.Contains(got, testClientSecret) {
		t.Errorf("not masked: %q", got)
	}
}

func TestValidateTokenURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		DefaultTokenURL:                     true,
		"http://127.0.0.1:8089/oauth/token": true,
		"http://localhost/oauth/token":      true,
		"http://auth.example.com/token":     false,
		"https://u:p@auth.example.com/":     false,
		"auth.example.com/token":            false,
	} {
		if err := ValidateTokenURL(raw); (err == nil) != ok {
			t.Errorf("ValidateTokenURL(%q) = %v, want ok=%v", raw, err, ok)
		}
	}
	if _, err := New(Config{BaseURL: "https://x.atlassian.net", ClientID: "a", ClientSecret: "b", TokenURL: "http://auth.example.com/t"}); err == nil {
		t.Error("New took an http token URL")
	}
}

func TestClientCredentials_exclusive(t *testing.T) {
	for name, cfg := range map[string]Config{
		"with basic":        {ClientID: "a", ClientSecret: "b", Email: "e@x", APIToken: "t"},
		"with access token": {ClientID: "a", ClientSecret: "b", AccessToken: "t"},
		"no secret":         {ClientID: "a"},
		"no id":             {ClientSecret: "b"},
	} {
		cfg.BaseURL = "https://x.atlassian.net"
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// A token endpoint that hangs does not hold a call past its context. In
// fake time (testing/synctest, the endpoint served in memory) the call ends
// exactly when its context does, whatever the machine's speed. An
// organization read asks for its token itself; an account read does from
// the batch it joins (coalesce.go), which the reader leaves when its
// context ends whatever the token does, so it alone would not tell.
func TestClientCredentials_hungTokenEndpointHonoursContext(t *testing.T) {
	for name, call := range map[string]func(context.Context, *Client) error{
		"GetOrganization": func(ctx context.Context, c *Client) error { _, err := c.GetOrganization(ctx, "1"); return err },
		"GetUser":         func(ctx context.Context, c *Client) error { _, err := c.GetUser(ctx, "qm:1"); return err },
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				release := make(chan struct{})
				hung := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					select {
					case <-release:
					case <-r.Context().Done():
					}
				})
				t.Cleanup(func() { close(release) }) // the token request goes on, for the calls after it
				c, err := New(Config{BaseURL: memURL + "/ex/jira/cloud-1", ClientID: testClientID, ClientSecret: testClientSecret,
					TokenURL: memURL + "/oauth/token", NoRetries: true, HTTPClient: handlerClient(hung)})
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
				defer cancel()
				start := time.Now()
				if err := call(ctx, c); !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("error %v, want the context's deadline", err)
				}
				if d := time.Since(start); d != 200*time.Millisecond {
					t.Errorf("the call took %s, want the context's 200ms", d)
				}
			})
		})
	}
}

// A token endpoint that answers 503 once is asked again; a refusal (401)
// is not.
func TestClientCredentials_transientTokenFailureRetried(t *testing.T) {
	ts := newTokenServer(t)
	ts.fail503.Store(1)
	c, err := New(Config{BaseURL: ts.URL + "/ex/jira/cloud-1", ClientID: testClientID, ClientSecret: testClientSecret,
		TokenURL: ts.URL + "/oauth/token", waitFunc: func(time.Duration) time.Duration { return time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetUser(context.Background(), "qm:1"); err != nil {
		t.Fatalf("a 503 of the token endpoint was not retried: %v", err)
	}
	wrong, err := New(Config{BaseURL: ts.URL + "/ex/jira/cloud-1", ClientID: testClientID, ClientSecret: "wrong-secret-1234",
		TokenURL: ts.URL + "/oauth/token", waitFunc: func(time.Duration) time.Duration { return time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	for len(ts.forms) > 0 {
		<-ts.forms
	}
	if _, err := wrong.GetUser(context.Background(), "qm:1"); !errors.Is(err, ErrTokenRefused) {
		t.Fatalf("error %v", err)
	}
	if n := len(ts.forms); n != 1 {
		t.Errorf("a refused secret was sent %d times", n)
	}
}

// A token request answered 429 waits as the server asks, through the
// calls' backoff (Retry-After, plus at most 20 %), then is sent again.
func TestClientCredentials_tokenRequestHonoursRetryAfter(t *testing.T) {
	ts := newTokenServer(t)
	ts.fail429.Store(1)
	ts.retryAfter = "7"
	waits := &rtWaits{}
	c, err := New(Config{BaseURL: ts.URL + "/ex/jira/cloud-1", ClientID: testClientID, ClientSecret: testClientSecret,
		TokenURL: ts.URL + "/oauth/token", waitFunc: waits.hook})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetUser(context.Background(), "qm:1"); err != nil {
		t.Fatal(err)
	}
	if n := ts.issued.Load(); n != 1 {
		t.Errorf("%d tokens issued, want 1", n)
	}
	if ws := waits.all(); len(ws) != 1 || ws[0] < 7*time.Second || ws[0] > 8400*time.Millisecond {
		t.Errorf("waits %v, want one of 7 s to 8.4 s", ws)
	}
}

// A token request whose 429 asks for a wait longer than the client makes
// fails at once, saying so, as a call's would.
func TestClientCredentials_tokenRequestGivesUpOnLongWait(t *testing.T) {
	ts := newTokenServer(t)
	ts.fail429.Store(1)
	ts.retryAfter = "3600"
	waits := &rtWaits{}
	c, err := New(Config{BaseURL: ts.URL + "/ex/jira/cloud-1", ClientID: testClientID, ClientSecret: testClientSecret,
		TokenURL: ts.URL + "/oauth/token", waitFunc: waits.hook})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetUser(context.Background(), "qm:1")
	if err == nil || !strings.Contains(err.Error(), "429") || !strings.Contains(err.Error(), "not retried: the server asks to wait 1h0m0s") {
		t.Fatalf("error %v, want the 429 and the wait not made", err)
	}
	if ws := waits.all(); len(ws) != 0 {
		t.Errorf("waits %v, want none", ws)
	}
}

// The call a 401 refused is sent again with a renewed token under the
// retrying client: a 503 to that resend is retried like any answer, and
// the token is not renewed a second time.
func TestClientCredentials_resendAfter401IsRetried(t *testing.T) {
	ts := newTokenServer(t)
	var tok2 atomic.Int32
	ts.refuse = func(tok string) int {
		switch {
		case strings.HasPrefix(tok, "tok-1-"):
			return http.StatusUnauthorized
		case tok2.Add(1) == 1:
			return http.StatusServiceUnavailable
		}
		return 0
	}
	waits := &rtWaits{}
	c, err := New(Config{BaseURL: ts.URL + "/ex/jira/cloud-1", ClientID: testClientID, ClientSecret: testClientSecret,
		TokenURL: ts.URL + "/oauth/token", waitFunc: waits.hook})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetUser(context.Background(), "qm:1"); err != nil {
		t.Fatalf("the call failed: %v", err)
	}
	want := []string{"Bearer tok-1-abcdefgh", "Bearer tok-2-abcdefgh", "Bearer tok-2-abcdefgh"}
	if got := ts.callLog(); !slices.Equal(got, want) {
		t.Errorf("calls %q, want %q", got, want)
	}
	if n := ts.issued.Load(); n != 2 {
		t.Errorf("%d tokens, want 2", n)
	}
	if ws := waits.all(); len(ws) != 1 {
		t.Errorf("waits %v, want one (the backoff before retrying the 503)", ws)
	}
}

// With retries on, a second 401 is the answer still: one renewal a call,
// and a 401 is never retried.
func TestClientCredentials_second401WithRetries(t *testing.T) {
	ts := newTokenServer(t)
	ts.refuse = func(string) int { return http.StatusUnauthorized }
	c, err := New(Config{BaseURL: ts.URL + "/ex/jira/cloud-1", ClientID: testClientID, ClientSecret: testClientSecret,
		TokenURL: ts.URL + "/oauth/token", waitFunc: func(time.Duration) time.Duration { return 0 }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetUser(context.Background(), "qm:9")
	if StatusCode(err) != http.StatusUnauthorized {
		t.Fatalf("error %v, want the 401", err)
	}
	if n := len(ts.callLog()); n != 2 {
		t.Errorf("%d calls, want 2 (one renewal, no retry)", n)
	}
}

// A token endpoint answering a redirect is never followed: it would carry
// the secret wherever it points.
func TestClientCredentials_tokenRedirectNotFollowed(t *testing.T) {
	var followed atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) {
		followed.Add(1)
		fmt.Fprint(w, `{"access_token":"tok-x","token_type":"Bearer","expires_in":3600}`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL + "/ex/jira/cloud-1", ClientID: testClientID, ClientSecret: testClientSecret,
		TokenURL: srv.URL + "/oauth/token", NoRetries: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetUser(context.Background(), "qm:1")
	if err == nil || !strings.Contains(err.Error(), "redirect") {
		t.Errorf("error %v, want one naming the redirect", err)
	}
	if n := followed.Load(); n != 0 {
		t.Errorf("the redirect was followed %d times", n)
	}
}

// A 401 or 403 from the CSM API to a service account's token says that
// Atlassian does not document service-account tokens there, and names the
// fallback, a scoped API token through the gateway URL; JSM calls' 403s do
// not.
func TestClientCredentials_CSMRefusalNamesFallback(t *testing.T) {
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		ts := newTokenServer(t)
		ts.refuse = func(string) int { return status }
		c, err := New(Config{BaseURL: ts.URL + "/ex/jira/cloud-1", ClientID: testClientID, ClientSecret: testClientSecret,
			TokenURL: ts.URL + "/oauth/token", CSMURL: ts.URL + "/jsm/csm/cloudid/{cloudId}/api/v1", NoRetries: true})
		if err != nil {
			t.Fatal(err)
		}
		if !c.UsesServiceAccount() {
			t.Error("the client does not know it uses a service account")
		}
		_, err = c.ListProducts(context.Background())
		for _, want := range []string{fmt.Sprint(status), "service account", "not documented", "scoped API token", "email",
			"api_token", "https://api.atlassian.com/ex/jira/<cloudId>", "read:product:jira-service-management"} {
			if !strings.Contains(fmt.Sprint(err), want) {
				t.Errorf("%d: error lacks %q: %v", status, want, err)
			}
		}
		_, err = c.GetUser(context.Background(), "qm:1")
		if strings.Contains(fmt.Sprint(err), "not documented") {
			t.Errorf("%d: a JSM call's refusal speaks of the CSM API: %v", status, err)
		}
	}
	basic, err := New(Config{BaseURL: "https://x.atlassian.net", Email: "e@example.com", APIToken: "t"})
	if err != nil || basic.UsesServiceAccount() {
		t.Errorf("basic auth taken for a service account: %v", err)
	}
}
