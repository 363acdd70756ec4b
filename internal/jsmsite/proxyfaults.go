package jsmsite

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// ProxyFaults makes the site answer like a broken proxy, captive portal or
// misconfigured gateway in front of it would: misbehaviours no real
// Atlassian site shows, so they are opt-in only. The zero value does
// nothing. They apply to the API routes matching Routes and Methods, never
// to the /__site/ routes, and inside the request counting of Faults (so
// Requests counts the status the client got).
type ProxyFaults struct {
	// Routes limits the faults to these route names (see Routes), Methods
	// to these methods; empty means every API route, every method.
	Routes  []string
	Methods []string

	// RedirectTo answers with a redirect to this scheme and host (e.g.
	// "http://127.0.0.1:8089" from an https site, or another host), keeping
	// the request's path and query, as a proxy forcing a login or a moved
	// site does. "self" redirects to the site itself, as the request
	// reached it: a write then becomes a GET of the same path if followed.
	// RedirectStatus is the status (default 302 Found).
	RedirectTo     string
	RedirectStatus int

	// HTMLStatus answers with this status and an HTML page (a captive
	// portal's login page), without running the API; 0: off. With
	// HTMLAfterApplying the request is applied first and only its answer is
	// replaced, as a proxy that rewrites answers does.
	HTMLStatus        int
	HTMLAfterApplying bool

	// OversizeBody pads the API's own answer with this many bytes of
	// whitespace after the JSON (a body that still decodes if cut short);
	// 0: off.
	OversizeBody int
	// Trickle sends the answer's body one chunk of TrickleBytes (default 1)
	// every Trickle; 0: off.
	Trickle      time.Duration
	TrickleBytes int

	// HostileError answers with this status (4xx or 5xx) and an error body
	// a broken proxy might send: terminal escape sequences, C0 and C1
	// controls, bidirectional overrides, invalid UTF-8, a 100 kB message,
	// 50 messages, and the request's Authorization header echoed back; 0:
	// off. HostileErrorHTML sends it as an HTML page instead of the JSM
	// error JSON.
	HostileError     int
	HostileErrorHTML bool
}

// RedirectSelf is the RedirectTo value that points back at the site.
const RedirectSelf = "self"

// Validate checks the statuses and sizes.
func (p ProxyFaults) Validate() error {
	switch {
	case p.RedirectTo != "" && p.RedirectTo != RedirectSelf && !isSchemeHost(p.RedirectTo):
		return fmt.Errorf("jsmsite: RedirectTo %q must be %q or a scheme and host such as http://127.0.0.1:8089", p.RedirectTo, RedirectSelf)
	case p.RedirectStatus != 0 && (p.RedirectStatus < 300 || p.RedirectStatus > 399):
		return fmt.Errorf("jsmsite: RedirectStatus %d is not a 3xx status", p.RedirectStatus)
	case p.HTMLStatus != 0 && (p.HTMLStatus < 200 || p.HTMLStatus > 599):
		return fmt.Errorf("jsmsite: HTMLStatus %d is not an HTTP status", p.HTMLStatus)
	case p.HostileError != 0 && (p.HostileError < 400 || p.HostileError > 599):
		return fmt.Errorf("jsmsite: HostileError %d is not a 4xx or 5xx status", p.HostileError)
	case p.OversizeBody < 0 || p.Trickle < 0 || p.TrickleBytes < 0:
		return errors.New("jsmsite: OversizeBody, Trickle and TrickleBytes must not be negative")
	}
	return nil
}

func isSchemeHost(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		strings.Trim(u.Path, "/") == "" && u.RawQuery == "" && u.User == nil
}

type proxyFaults struct {
	mu sync.Mutex
	p  ProxyFaults
}

// registerProxyFaults installs the proxy middleware, inside the counting of
// faults.go. Called from registerRoutes.
func (s *Site) registerProxyFaults() {
	s.proxy = &proxyFaults{}
	s.Use(s.proxy.middleware)
}

// SetProxyFaults replaces the proxy misbehaviours; it may be called while
// serving.
func (s *Site) SetProxyFaults(p ProxyFaults) error {
	if err := p.Validate(); err != nil {
		return err
	}
	s.proxy.mu.Lock()
	defer s.proxy.mu.Unlock()
	p.Routes, p.Methods = slices.Clone(p.Routes), slices.Clone(p.Methods)
	s.proxy.p = p
	return nil
}

// ProxyFaults returns the current proxy misbehaviours.
func (s *Site) ProxyFaults() ProxyFaults {
	s.proxy.mu.Lock()
	defer s.proxy.mu.Unlock()
	return s.proxy.p
}

func (pf *proxyFaults) middleware(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pf.mu.Lock()
		p := pf.p
		pf.mu.Unlock()
		if strings.HasPrefix(r.URL.Path, "/__site/") || !p.matches(route, r.Method) {
			next.ServeHTTP(w, r)
			return
		}
		p.serve(w, r, next)
	})
}

func (p ProxyFaults) matches(route, method string) bool {
	return (len(p.Routes) == 0 || slices.Contains(p.Routes, route)) &&
		(len(p.Methods) == 0 || slices.ContainsFunc(p.Methods, func(m string) bool { return strings.EqualFold(m, method) }))
}

func (p ProxyFaults) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	switch {
	case p.RedirectTo != "":
		target := strings.TrimRight(p.RedirectTo, "/")
		if target == RedirectSelf {
			target = baseURL(r)
		}
		status := p.RedirectStatus
		if status == 0 {
			status = http.StatusFound
		}
		w.Header().Set("Location", target+r.URL.RequestURI())
		writeHTML(w, status, fmt.Sprintf("%d %s", status, http.StatusText(status)))
	case p.HostileError != 0:
		writeHostileError(w, r, p.HostileError, p.HostileErrorHTML)
	case p.HTMLStatus != 0:
		if p.HTMLAfterApplying {
			next.ServeHTTP(httptest.NewRecorder(), r)
		}
		writeHTML(w, p.HTMLStatus, "Sign in to the network")
	case p.OversizeBody > 0 || p.Trickle > 0:
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if p.OversizeBody > 0 {
			body = append(body, bytes.Repeat([]byte(" "), p.OversizeBody)...)
		}
		maps.Copy(w.Header(), rec.Header())
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		p.writeBody(w, r, body)
	default:
		next.ServeHTTP(w, r)
	}
}

// writeBody writes body whole, or trickles it when Trickle is set.
func (p ProxyFaults) writeBody(w http.ResponseWriter, r *http.Request, body []byte) {
	if p.Trickle <= 0 {
		_, _ = w.Write(body)
		return
	}
	chunk := max(p.TrickleBytes, 1)
	rc := http.NewResponseController(w)
	for len(body) > 0 {
		n := min(chunk, len(body))
		if _, err := w.Write(body[:n]); err != nil {
			return
		}
		_ = rc.Flush()
		body = body[n:]
		select {
		case <-time.After(p.Trickle):
		case <-r.Context().Done():
			return
		}
	}
}

// HostileText is the text a hostile error body carries, around the echoed
// Authorization header; tests look for its pieces.
func HostileText(authz string) string {
	return "\x1b[2J\x1b]0;owned\x07Proxy error \x1b[31mupstream refused\x1b[0m \u009b1m\u202eesrever\u202c \x00\x07\x7f\r\n" +
		"Authorization: " + authz + "\r\n"
}

// writeHostileError answers like a proxy error page that echoes the request.
func writeHostileError(w http.ResponseWriter, r *http.Request, status int, html bool) {
	text := HostileText(r.Header.Get("Authorization"))
	if html {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		// Raw bytes: invalid UTF-8 survives only outside JSON strings.
		fmt.Fprintf(w, "<html><body><h1>%d</h1><pre>%s\xff\xfe\xc3</pre></body></html>", status, text)
		return
	}
	msgs := []string{text + "\xff\xfe invalid UTF-8", strings.Repeat("very long message ", 100_000/18)}
	for i := range 50 {
		msgs = append(msgs, fmt.Sprintf("message %d", i))
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(platformError{ErrorMessages: msgs, Errors: map[string]string{"\x1b]0;field\x07": "\x1b[1mbold"}})
}
