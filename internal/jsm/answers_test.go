package jsm

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"unicode"
	"unicode/utf8"
)

const (
	testSecretEmail = "admin@example.com"
	testSecretToken = "secret-token"
)

// clientFor is a client of srv with basic auth, and srv's own HTTP client
// (which trusts a TLS test server's certificate).
func clientFor(t *testing.T, srv *httptest.Server) (*Client, *http.Client) {
	t.Helper()
	hc := srv.Client()
	c, err := New(Config{BaseURL: srv.URL, Email: testSecretEmail, APIToken: testSecretToken, HTTPClient: hc, NoRetries: true})
	if err != nil {
		t.Fatal(err)
	}
	return c, hc
}

func TestRedirectsAreNeverFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(other.Close)

	for name, tc := range map[string]struct {
		tls    bool
		target func(self string) string // where the redirect points, given the site's own URL
		want   string                   // scheme and host the message must name
	}{
		"same host and scheme": {target: func(self string) string { return self }},
		"another host":         {target: func(string) string { return other.URL }, want: other.URL},
		"https to http, same host": {tls: true, target: func(self string) string {
			return "http://" + strings.TrimPrefix(self, "https://")
		}},
	} {
		t.Run(name, func(t *testing.T) {
			var hits atomic.Int32
			var srv *httptest.Server
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				if r.Method != http.MethodDelete {
					// What a followed redirect would meet: a 200 that
					// looks like the write succeeded.
					w.Header().Set("Content-Type", "application/json")
					_, _ = io.WriteString(w, `{"values":[],"isLastPage":true}`)
					return
				}
				http.Redirect(w, r, tc.target(srv.URL)+r.URL.Path+"?email=fred@example.com", http.StatusFound)
			})
			if tc.tls {
				srv = httptest.NewTLSServer(h)
			} else {
				srv = httptest.NewServer(h)
			}
			t.Cleanup(srv.Close)
			c, hc := clientFor(t, srv)
			elsewhere.Store(0)

			err := c.RemoveOrganizationMembers(context.Background(), "1", []string{"qm:1"})
			if StatusCode(err) != http.StatusFound {
				t.Fatalf("err = %v, want the 302 as an error", err)
			}
			want := tc.want
			if want == "" {
				want = tc.target(srv.URL)
			}
			msg := err.Error()
			for _, s := range []string{"redirect to " + want, "never follows", "may not have happened", "next refresh or plan"} {
				if !strings.Contains(msg, s) {
					t.Errorf("message %q lacks %q", msg, s)
				}
			}
			if strings.Contains(msg, "fred@example.com") || strings.Contains(msg, "/organization/1/user?") {
				t.Errorf("message shows the target's path or query: %q", msg)
			}
			if tc.tls && !strings.Contains(msg, "from https to http") {
				t.Errorf("message does not name the downgrade: %q", msg)
			}
			if hits.Load() != 1 || elsewhere.Load() != 0 {
				t.Errorf("requests: site %d, elsewhere %d; want 1 and 0", hits.Load(), elsewhere.Load())
			}
			if hc.CheckRedirect != nil {
				t.Error("the caller's http.Client was modified")
			}
		})
	}
}

func TestRedirectTargets(t *testing.T) {
	sent := mustURL(t, "https://x.atlassian.net/rest/servicedeskapi/organization")
	for loc, want := range map[string]string{
		"":                                  "redirect to no Location",
		"/login?email=a@b.c":                "redirect to https://x.atlassian.net,",
		"https://u:p@evil.example/p?q=1#f":  "redirect to https://evil.example,",
		"http://x.atlassian.net/":           "redirect to http://x.atlassian.net (from https to http",
		"://bad":                            "redirect to an unreadable Location",
		"//other.example/rest?token=abc123": "redirect to https://other.example,",
	} {
		got := redirectProblem(sent, loc, Names{}.orDefaults(), masker{})
		if !strings.Contains(got, want) {
			t.Errorf("Location %q: %q lacks %q", loc, got, want)
		}
		for _, secret := range []string{"u:p", "a@b.c", "abc123", "/login", "#f"} {
			if strings.Contains(got, secret) {
				t.Errorf("Location %q: %q shows %q", loc, got, secret)
			}
		}
	}
}

// apiAnswer is a server answering every request with one canned answer.
func apiAnswer(t *testing.T, status int, contentType, body string) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	c, _ := clientFor(t, srv)
	return c
}

const (
	htmlPage = "<!DOCTYPE html><html><head><title>Wi-Fi login</title></head><body>Sign in</body></html>"
	orgJSON  = `{"id":"7","name":"Acme","_links":{"self":"https://x/rest/servicedeskapi/organization/7"}}`
)

func TestWritesNeedAnAnswerInTheAPIsForm(t *testing.T) {
	ctx := context.Background()
	// A write without a result (204 in the spec): POST organization members.
	addMembers := func(c *Client) error { return c.AddOrganizationMembers(ctx, "7", []string{"qm:1"}) }
	// A write with a JSON result (201): create an organization.
	createOrg := func(c *Client) error { _, err := c.CreateOrganization(ctx, "Acme"); return err }
	// A property PUT: 200 or 201, empty on the local site, JSON per the spec.
	setProp := func(c *Client) error { return c.SetOrganizationProperty(ctx, "7", "k", []byte(`1`)) }
	for name, tc := range map[string]struct {
		call        func(*Client) error
		status      int
		contentType string
		body        string
		problem     string // "" when the write must count as done
	}{
		"204 empty":                    {call: addMembers, status: 204},
		"204 labelled json, empty":     {call: addMembers, status: 204, contentType: "application/json"},
		"200 json":                     {call: addMembers, status: 200, contentType: "application/json", body: `{}`},
		"property 201 empty":           {call: setProp, status: 201},
		"property 200 json":            {call: setProp, status: 200, contentType: "application/json;charset=UTF-8", body: `{"key":"k"}`},
		"create 201 json":              {call: createOrg, status: 201, contentType: "application/json;charset=UTF-8", body: orgJSON},
		"204 html page":                {call: addMembers, status: 200, contentType: "text/html", body: htmlPage, problem: htmlProblem},
		"200 html labelled json":       {call: addMembers, status: 200, contentType: "application/json", body: htmlPage, problem: htmlProblem},
		"200 html without type":        {call: addMembers, status: 200, body: htmlPage, problem: htmlProblem},
		"200 plain text":               {call: addMembers, status: 200, contentType: "text/plain", body: "OK", problem: "answered text/plain, not the API's JSON"},
		"200 garbage labelled json":    {call: addMembers, status: 200, contentType: "application/json", body: "OK", problem: "answered a body that is not JSON"},
		"create 200 html":              {call: createOrg, status: 200, contentType: "text/html; charset=utf-8", body: htmlPage, problem: htmlProblem},
		"create 201 empty":             {call: createOrg, status: 201, problem: "answered an empty body, not the API's JSON"},
		"property 200 html":            {call: setProp, status: 200, contentType: "text/html", body: htmlPage, problem: htmlProblem},
		"create 201 json of the wrong": {call: createOrg, status: 201, contentType: "application/json", body: `[1]`, problem: "not the expected JSON"},
	} {
		t.Run(name, func(t *testing.T) {
			err := tc.call(apiAnswer(t, tc.status, tc.contentType, tc.body))
			if tc.problem == "" {
				if err != nil {
					t.Fatalf("a success in the API's form failed: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("the write was reported done")
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.problem) || !strings.Contains(msg, writeMayNotHaveHappened) {
				t.Errorf("message %q lacks %q or the uncertainty", msg, tc.problem)
			}
			if !MayHaveApplied(err) {
				t.Error("a write answered in a foreign form may have been passed on: MayHaveApplied must hold")
			}
		})
	}
}

func TestReadAnsweredHTML(t *testing.T) {
	c := apiAnswer(t, 200, "text/html", htmlPage)
	_, err := c.GetOrganization(context.Background(), "7")
	msg := fmt.Sprint(err)
	if !strings.Contains(msg, "answered an HTML page, not the API's JSON: a proxy, captive portal or wrong URL?") ||
		!strings.Contains(msg, "Wi-Fi login") || strings.Contains(msg, "may not have happened") {
		t.Fatalf("err = %v", err)
	}
}

func TestResponseTooLarge(t *testing.T) {
	// JSON followed by whitespace: a body that decodes, if it is cut short.
	padded := func(n int) string { return orgJSON + strings.Repeat(" ", n-len(orgJSON)) }
	c := apiAnswer(t, 200, "application/json", padded(maxBody+1))
	_, err := c.GetOrganization(context.Background(), "7")
	if !strings.Contains(fmt.Sprint(err), "response too large (over 8 MiB)") || StatusCode(err) != 200 {
		t.Fatalf("err = %v", err)
	}
	c = apiAnswer(t, 200, "application/json", padded(maxBody))
	if _, err := c.GetOrganization(context.Background(), "7"); err != nil {
		t.Fatalf("an answer of exactly the limit: %v", err)
	}
	c = apiAnswer(t, 400, "application/json", `{"errorMessage":"`+strings.Repeat("x", maxBody)+`"}`)
	if _, err := c.GetOrganization(context.Background(), "7"); !strings.Contains(fmt.Sprint(err), "response too large") || StatusCode(err) != 400 {
		t.Fatalf("an oversized error: %v", err)
	}
}

// hostileText is what a broken proxy's error page can carry.
func hostileText(authz string) string {
	return "\x1b[2J\x1b]0;owned\x07Request \x1b[31mfailed\x1b[0m\u009b1m \u202eevil\u202c \xff\xfe bad bytes\x00\x07\r\n" +
		"Authorization: " + authz + "\n" + "token split: secret\x1b[0m-token"
}

func checkClean(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s not UTF-8: %q", what, s)
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			t.Errorf("%s holds %U: %q", what, r, s)
			break
		}
	}
	basic := base64.StdEncoding.EncodeToString([]byte(testSecretEmail + ":" + testSecretToken))
	for _, secret := range []string{testSecretToken, basic} {
		if strings.Contains(s, secret) {
			t.Errorf("%s shows a secret: %q", what, s)
		}
	}
}

func TestServerTextIsCleaned(t *testing.T) {
	many := make([]string, 50)
	for i := range many {
		many[i] = fmt.Sprintf("message %d", i)
	}
	for name, page := range map[string]func(authz string) (string, string){
		"html page": func(authz string) (string, string) {
			return "text/html", "<html><body><pre>" + hostileText(authz) + "</pre></body></html>"
		},
		"json messages": func(authz string) (string, string) {
			msgs := append([]string{hostileText(authz), strings.Repeat("long ", 100_000)}, many...)
			list, _ := json.Marshal(msgs)
			return "application/json", fmt.Sprintf(`{"errorMessages":%s,"errors":{}}`, list)
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ct, body := page(r.Header.Get("Authorization"))
				w.Header().Set("Content-Type", ct)
				w.WriteHeader(http.StatusBadRequest)
				_, _ = io.WriteString(w, body)
			}))
			t.Cleanup(srv.Close)
			c, _ := clientFor(t, srv)
			_, err := c.CreateOrganization(context.Background(), "Acme")
			var e *Error
			if !errors.As(err, &e) || e.StatusCode != 400 {
				t.Fatalf("err = %v", err)
			}
			msg := e.Error()
			checkClean(t, "message", msg)
			if !strings.Contains(msg, "Authorization: ***") || !strings.Contains(msg, "token split: ***") {
				t.Errorf("the echoed credentials are not masked: %q", msg)
			}
			if len(e.Messages) > maxMessages+1 || len(msg) > (maxMessages+1)*(messageLimit+10)+500 {
				t.Errorf("%d messages, %d bytes", len(e.Messages), len(msg))
			}
			if name == "json messages" && !strings.Contains(msg, "and 42 more messages") {
				t.Errorf("the dropped messages are not counted: %q", msg)
			}
		})
	}
}

func TestValidateBaseURLShowsSchemeAndHostOnly(t *testing.T) {
	for raw, want := range map[string]string{
		"https://fred:hunter2@x.atlassian.net/path-secret?q=q-secret#frag-secret": "https://x.atlassian.net must not",
		"https://x.atlassian.net/?q=q-secret":                                     "https://x.atlassian.net must not",
		"https://x.atlassian.net/#frag-secret":                                    "https://x.atlassian.net must not",
		"http://fred:hunter2@x.atlassian.net/path-secret":                         "http://x.atlassian.net must not",
		"http://x.atlassian.net/path-secret":                                      "http://x.atlassian.net uses http",
		"ftp://fred:hunter2@x.atlassian.net/path-secret":                          "ftp://x.atlassian.net is not an absolute http(s) URL",
		"https://fred:hun%zzter2@x.atlassian.net":                                 "cannot be parsed",
		"https://fred:hunter2 @x.atlassian.net/path-secret":                       "cannot be parsed",
	} {
		_, err := ValidateBaseURL(raw)
		msg := fmt.Sprint(err)
		if !strings.Contains(msg, want) {
			t.Errorf("%q: %q lacks %q", raw, msg, want)
		}
		for _, secret := range []string{"fred", "hun", "-secret"} {
			if strings.Contains(msg, secret) {
				t.Errorf("%q: %q shows %q", raw, msg, secret)
			}
		}
	}
}

func FuzzClean(f *testing.F) {
	f.Add("plain text")
	f.Add(hostileText("Basic x"))
	f.Add("\x1b[")
	f.Add("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\")
	f.Add(strings.Repeat("é", 300))
	m := newMasker(testSecretEmail, testSecretToken, "", "Basic "+base64.StdEncoding.EncodeToString([]byte(testSecretEmail+":"+testSecretToken)))
	f.Fuzz(func(t *testing.T, s string) {
		for _, in := range []string{s, s + testSecretToken + s, "secret\x1b[1m-token" + s} {
			out := m.clean(in, messageLimit)
			checkClean(t, "cleaned", out)
			if len(out) > messageLimit+len("…") {
				t.Fatalf("%d bytes", len(out))
			}
		}
	})
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
