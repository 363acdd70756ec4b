package jsmsite

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const (
	orgsRoute       = "GET /rest/servicedeskapi/organization"
	createOrgsRoute = "POST /rest/servicedeskapi/organization"
)

func setProxyFaults(t *testing.T, s *Site, p ProxyFaults) {
	t.Helper()
	if err := s.SetProxyFaults(p); err != nil {
		t.Fatal(err)
	}
}

// raw sends an authenticated request without following redirects and
// returns the answer with its whole body.
func (f *fixture) raw(method, path, body string) (*http.Response, string) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	req.SetBasicAuth(testEmail, testToken)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := *f.srv.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return resp, string(b)
}

func TestProxyFaults_redirect(t *testing.T) {
	f := newFixture(t, Config{})
	for _, tc := range []struct {
		to, want string
		status   int
	}{
		{RedirectSelf, f.srv.URL, 302},
		{"http://elsewhere.example:8080/", "http://elsewhere.example:8080", 307},
		{"https://127.0.0.1:1", "https://127.0.0.1:1", 301},
	} {
		setProxyFaults(t, f.site, ProxyFaults{RedirectTo: tc.to, RedirectStatus: tc.status, Methods: []string{"delete"}})
		resp, _ := f.raw("DELETE", "/rest/servicedeskapi/organization/1/user?x=1", `{"accountIds":[]}`)
		if resp.StatusCode != tc.status || resp.Header.Get("Location") != tc.want+"/rest/servicedeskapi/organization/1/user?x=1" {
			t.Errorf("%s: %d %q", tc.to, resp.StatusCode, resp.Header.Get("Location"))
		}
		// Other methods pass.
		if resp, _ := f.raw("GET", "/rest/servicedeskapi/organization", ""); resp.StatusCode != 200 {
			t.Errorf("GET under a DELETE-only redirect: %d", resp.StatusCode)
		}
	}
	if n := f.site.RequestCount("DELETE /rest/servicedeskapi/organization/{organizationId}/user", 302); n != 1 {
		t.Errorf("the redirect is not counted: %d", n)
	}
	setProxyFaults(t, f.site, ProxyFaults{})
	if resp, _ := f.raw("DELETE", "/rest/servicedeskapi/organization/1/user", `{"accountIds":[]}`); resp.StatusCode != 404 {
		t.Errorf("after clearing: %d", resp.StatusCode)
	}
}

func TestProxyFaults_htmlSuccess(t *testing.T) {
	f := newFixture(t, Config{})
	setProxyFaults(t, f.site, ProxyFaults{HTMLStatus: 200, Routes: []string{createOrgsRoute}})
	resp, body := f.raw("POST", "/rest/servicedeskapi/organization", `{"name":"Portal"}`)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, "<html>") {
		t.Fatalf("%d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if len(f.site.Organizations()) != 0 {
		t.Error("a captive portal applied the write")
	}
	setProxyFaults(t, f.site, ProxyFaults{HTMLStatus: 200, HTMLAfterApplying: true, Routes: []string{createOrgsRoute}})
	f.raw("POST", "/rest/servicedeskapi/organization", `{"name":"Proxied"}`)
	if orgs := f.site.Organizations(); len(orgs) != 1 || orgs[0].Name != "Proxied" {
		t.Errorf("HTMLAfterApplying did not apply the write: %+v", orgs)
	}
	if resp, _ := f.raw("GET", "/rest/servicedeskapi/organization", ""); resp.StatusCode != 200 ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("another route is touched: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestProxyFaults_oversizeAndTrickle(t *testing.T) {
	f := newFixture(t, Config{})
	setProxyFaults(t, f.site, ProxyFaults{OversizeBody: 9 << 20, Routes: []string{orgsRoute}})
	resp, body := f.raw("GET", "/rest/servicedeskapi/organization", "")
	if resp.StatusCode != 200 || len(body) < 9<<20 || !strings.HasPrefix(body, `{"`) || strings.TrimSpace(body)[len(strings.TrimSpace(body))-1] != '}' {
		t.Fatalf("%d, %d bytes", resp.StatusCode, len(body))
	}

	setProxyFaults(t, f.site, ProxyFaults{Trickle: 20 * time.Millisecond, TrickleBytes: 16, Routes: []string{orgsRoute}})
	start := time.Now()
	resp, body = f.raw("GET", "/rest/servicedeskapi/organization", "")
	chunks := (len(body) + 15) / 16
	if resp.StatusCode != 200 || time.Since(start) < time.Duration(chunks-1)*20*time.Millisecond || !strings.Contains(body, `"isLastPage":true`) {
		t.Errorf("%d in %v, %q", resp.StatusCode, time.Since(start), body)
	}
}

func TestProxyFaults_hostileError(t *testing.T) {
	f := newFixture(t, Config{})
	for _, html := range []bool{false, true} {
		setProxyFaults(t, f.site, ProxyFaults{HostileError: 400, HostileErrorHTML: html})
		resp, body := f.raw("POST", "/rest/servicedeskapi/organization", `{"name":"X"}`)
		if resp.StatusCode != 400 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		for _, want := range []string{"\x1b[31m", "Basic ", "\u202e", "\x7f"} {
			if !strings.Contains(body, want) && !strings.Contains(body, jsonEscaped(want)) {
				t.Errorf("html=%v: body lacks %q", html, want)
			}
		}
		if html && !strings.Contains(body, "\xff\xfe") {
			t.Error("the HTML page lacks invalid UTF-8")
		}
	}
	if len(f.site.Organizations()) != 0 {
		t.Error("a hostile error applied the write")
	}
}

// jsonEscaped is how encoding/json writes s inside a string.
func jsonEscaped(s string) string {
	r := strings.NewReplacer("\x1b", `\u001b`, "\x7f", "\x7f", "\u202e", `\u202e`)
	return r.Replace(s)
}

func TestProxyFaults_validate(t *testing.T) {
	for _, p := range []ProxyFaults{
		{RedirectTo: "ftp://x"}, {RedirectTo: "http://x/path"}, {RedirectTo: "http://u:p@x"},
		{RedirectTo: RedirectSelf, RedirectStatus: 200}, {HTMLStatus: 99}, {HostileError: 302}, {OversizeBody: -1},
	} {
		if p.Validate() == nil {
			t.Errorf("%+v accepted", p)
		}
	}
	if err := (ProxyFaults{RedirectTo: "http://127.0.0.1:8089", HTMLStatus: 200, HostileError: 503}).Validate(); err != nil {
		t.Error(err)
	}
}
