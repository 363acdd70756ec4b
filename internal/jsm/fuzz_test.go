package jsm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// checkError holds for every *Error made from an answer: it names the
// status, and any excerpt is short, single-line and valid UTF-8.
func checkError(t *testing.T, e *Error, status int) {
	t.Helper()
	if e.StatusCode != status {
		t.Fatalf("status %d, want %d", e.StatusCode, status)
	}
	msg := e.Error()
	if !strings.Contains(msg, fmt.Sprintf("HTTP %d", status)) {
		t.Fatalf("message %q does not name the status", msg)
	}
	if len(e.Excerpt) > excerptLimit+len("…") || !utf8.ValidString(e.Excerpt) || strings.ContainsAny(e.Excerpt, "\n\r") {
		t.Fatalf("bad excerpt %q", e.Excerpt)
	}
	if len(e.Messages) > maxMessages+1 {
		t.Fatalf("%d messages", len(e.Messages))
	}
	for _, m := range append([]string{e.Excerpt}, e.Messages...) {
		if !utf8.ValidString(m) || len(m) > messageLimit+len("…") {
			t.Fatalf("message not UTF-8 or too long: %q", m)
		}
		if i := strings.IndexFunc(m, unicode.IsControl); i >= 0 {
			t.Fatalf("control character in %q", m)
		}
	}
}

func FuzzDecodeError(f *testing.F) {
	f.Add(400, []byte(`{"errorMessage":"bad","i18nErrorMessage":{"i18nKey":"k","parameters":[]}}`))
	f.Add(404, []byte(`{"errorMessages":["gone"],"errors":{"a":"b"},"status":404}`))
	f.Add(502, []byte("<html><body>Bad gateway</body></html>"))
	f.Add(500, []byte(`{"errorMessages":["trunc`))
	f.Add(401, []byte(`{"message":"Unauthorized; scope does not match"}`))
	f.Add(400, []byte(hostileText("Basic eA==")))
	f.Add(400, []byte(`{"errorMessages":["\u001b[31mred\u009b\u0007","a","b","c","d","e","f","g","h","i","j","k"],"errors":{"\u001b]0;x\u0007":"v"}}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		checkError(t, decodeError(http.MethodGet, "/rest/api/3/user", status, body, masker{}), status)
	})
}

// FuzzDecodeResponse feeds any answer to the decoding of every response
// shape the client reads.
func FuzzDecodeResponse(f *testing.F) {
	f.Add(200, []byte(`{"accountId":"qm:1","emailAddress":null,"displayName":"A","active":true,"timeZone":null,"_links":{"self":"https://x/rest/api/2/user?username=qm:1","avatarUrls":{"16x16":"u"}}}`))
	f.Add(201, []byte(`{"accountId":"qm:1","emailAddress":"a@example.com","_links":null}`))
	f.Add(200, []byte(`[{"self":"https://x.atlassian.net/rest/api/3/user?accountId=1","accountId":"1","accountType":"atlassian"}]`))
	f.Add(200, []byte(`{"accountId":"qm:1","displayN`))
	f.Add(200, []byte("<!DOCTYPE html><html>maintenance</html>"))
	f.Add(200, []byte(`{"self":"::not a url","accountId":"1"}`))
	f.Add(503, []byte(""))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		ok2xx := status >= 200 && status <= 299
		var dto userDTO
		var pu platformUser
		var page []platformUser
		for _, out := range []any{&dto, &pu, &page, nil} {
			err := decodeResponse(http.MethodGet, "/p", reply{status: status, header: http.Header{}, body: body}, out, masker{}, Names{})
			switch {
			case err != nil:
				checkError(t, err, status)
			case !ok2xx:
				t.Fatalf("status %d decoded without error", status)
			}
		}
		_ = dto.user()
		_ = pu.user()
		for _, p := range page {
			_ = p.user()
		}
	})
}

// roundTripFunc answers every request from a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// FuzzClientAnswer runs the whole client path (transport, retry policy,
// decoding) on one arbitrary answer, with any headers the backoff reads.
func FuzzClientAnswer(f *testing.F) {
	f.Add(uint16(200), "application/json", "", "", []byte(`{"accountId":"qm:1"}`))
	f.Add(uint16(429), "application/json", "3", "2024-05-16T17:30:00Z", []byte(`{"errorMessages":["Rate limit exceeded."]}`))
	f.Add(uint16(503), "text/html", "Wed, 21 Oct 2015 07:28:00 GMT", "", []byte("<html>down</html>"))
	f.Add(uint16(200), "application/json", "", "", []byte(`{"accountId":`))
	f.Add(uint16(302), "text/html", "", "", []byte("<html>moved</html>"))
	f.Add(uint16(200), "text/plain", "", "", []byte(`{"accountId":"qm:1"}`))
	f.Fuzz(func(t *testing.T, status uint16, contentType, retryAfter, reset string, body []byte) {
		code := int(status%500) + 100 // 100 to 599
		hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			h := http.Header{}
			h.Set("Content-Type", contentType)
			h.Set("Retry-After", retryAfter)
			h.Set("X-RateLimit-Reset", reset)
			return &http.Response{StatusCode: code, Header: h, Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
		})}
		c, err := New(Config{BaseURL: "https://x.atlassian.net", Email: "e@example.com", APIToken: "t", HTTPClient: hc, MaxRetries: 1,
			waitFunc: func(time.Duration) time.Duration { return 0 }})
		if err != nil {
			t.Fatal(err)
		}
		u, err := c.GetUser(context.Background(), "qm:1")
		if err == nil && (u == nil || u.AccountID == "") {
			t.Fatalf("no error and no account for %d %q", code, body)
		}
		var e *Error
		if errors.As(err, &e) && (code < 200 || code > 299) {
			checkError(t, e, code)
		}
	})
}

func FuzzServerWait(f *testing.F) {
	f.Add("120", "")
	f.Add("Fri, 31 Dec 1999 23:59:59 GMT", "")
	f.Add("", "2024-05-16T17:30Z")
	f.Add("1e308", "")
	f.Add("-1", "2024-05-16T17:30:00.123+02:00")
	f.Fuzz(func(t *testing.T, retryAfter, reset string) {
		h := http.Header{}
		h.Set("Retry-After", retryAfter)
		h.Set("X-RateLimit-Reset", reset)
		d, _ := serverWait(&http.Response{StatusCode: http.StatusTooManyRequests, Header: h}, time.Now())
		if d < 0 {
			t.Fatalf("negative wait %v", d)
		}
		c := &Client{maxRetryWait: DefaultMaxRetryWait, log: nopLogger{}}
		if w := c.backoff(nil, time.Second, 30*time.Second, 3, &http.Response{StatusCode: 429, Header: h}); w < 0 || w > DefaultMaxRetryWait {
			t.Fatalf("wait %v out of bounds", w)
		}
	})
}

// FuzzPathBuilder: a path is either refused before anything is sent, or
// every segment is escaped exactly once (unescaping gives the value back),
// and the URL built from it, decoded as a server does (backslashes read as
// slashes, as some do) and cleaned of dot segments as a normalizing proxy
// does (path.Clean), is still the intended route: the pattern's literal
// segments in place and its segment count intact, so that no value can
// move a request to another object.
func FuzzPathBuilder(f *testing.F) {
	for _, s := range []string{"a b", "..", ".", "%2e%2E", "a/b", "日本", "%", "a\x00b", "\xff", "12", "qm:1",
		"../../2", `..\..\2`, "a/..", "./x", "..%2F..%2F2", "x/../../../2", ".a.", "...", "a\\b"} {
		f.Add("12", s)
	}
	f.Fuzz(func(t *testing.T, id, key string) {
		for _, r := range []request{epGetOrgProp.at(id, key), epDeleteOrgProp.at(id, key), epRevokePortalAccess.at(key),
			epGetDesk.at(key), epDeleteCustField.at(key), epDeleteProduct.at(key), epGetEntitlement.at(key),
			epSetCustDetail.at(key)} {
			if r.err != nil {
				if r.path != r.ep.Pattern {
					t.Fatalf("a refused request carries the path %q", r.path)
				}
				continue
			}
			if strings.ContainsAny(r.path, "?#") {
				t.Fatalf("path %q holds a query or fragment delimiter", r.path)
			}
			segs := strings.Split(r.path, "/")
			if r.ep == epGetOrgProp {
				if dec, _ := url.PathUnescape(segs[len(segs)-1]); dec != key {
					t.Fatalf("key %q came back as %q", key, dec)
				}
			}
			u, err := url.Parse("https://x.example" + r.path)
			if err != nil || u.EscapedPath() != r.path {
				t.Fatalf("url.URL changes %q to %q (%v)", r.path, u.EscapedPath(), err)
			}
			decoded := strings.ReplaceAll(u.Path, `\`, "/")
			cleaned := path.Clean(decoded)
			want := strings.Split(r.ep.Pattern, "/")
			got := strings.Split(cleaned, "/")
			if cleaned != decoded || len(got) != len(want) {
				t.Fatalf("%s with %q: the decoded path %q cleans to %q, not a path of the route %s", r.ep.Name(), key, decoded, cleaned, r.ep.Pattern)
			}
			for i, w := range want {
				if !placeholder.MatchString(w) && got[i] != w {
					t.Fatalf("%s with %q: segment %d is %q, want %q (cleaned path %q)", r.ep.Name(), key, i, got[i], w, cleaned)
				}
			}
		}
	})
}
