package jsm

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"unicode"
)

// checkHostileText fails when text, which a hostile server filled, is not
// capped at max bytes, holds the token or the Authorization value, or
// holds control characters.
func checkHostileText(t *testing.T, what, text string, limit int) {
	t.Helper()
	if len(text) > limit {
		t.Errorf("%s: %d bytes, want at most %d: %.200s…", what, len(text), limit, text)
	}
	for _, secret := range []string{tToken, base64.StdEncoding.EncodeToString([]byte(tEmail + ":" + tToken))} {
		if strings.Contains(text, secret) {
			t.Errorf("%s holds a secret: %.300s", what, text)
		}
	}
	if i := strings.IndexFunc(text, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }); i >= 0 {
		t.Errorf("%s holds a control character at %d: %q", what, i, text[max(0, i-20):min(len(text), i+20)])
	}
}

// hugeEcho is what a hostile server echoes: the token, an escape sequence
// and two MiB.
var hugeEcho = tToken + "\x1b[2J" + strings.Repeat("A", 2<<20)

// A server whose answer has a 2 MiB malformed header line holding the token
// makes net/http fail with an error quoting the whole line: the call's error
// and the DEBUG log carry it cleaned, capped and masked.
func TestHostile_transportErrorIsCleaned(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				if _, err := http.ReadRequest(bufio.NewReader(conn)); err != nil {
					return
				}
				fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Echo-%s %s\r\n\r\n{}", tToken, strings.ReplaceAll(hugeEcho, "\x1b[2J", ""))
			}()
		}
	}()
	log := &recLogger{}
	c, _ := newRetryClient(t, "http://"+ln.Addr().String(), Config{NoRetries: true, Logger: log})
	_, err = c.GetOrganization(context.Background(), "1")
	var e *Error
	if !errors.As(err, &e) || e.Cause == nil {
		t.Fatalf("want a transport error, got %v", err)
	}
	if !strings.Contains(err.Error(), "malformed") || !strings.Contains(err.Error(), secretMask) {
		t.Errorf("the error does not name the cause or the mask: %.300s", err)
	}
	checkHostileText(t, "the error", err.Error(), 2*messageLimit)
	logged := 0
	for _, l := range log.lines {
		if s, ok := l.fields["error"].(string); ok {
			logged++
			checkHostileText(t, l.level+" log error", s, messageLimit+len("…"))
		}
	}
	if logged == 0 {
		t.Error("the transport error was not logged")
	}
}

// Server values the client quotes in its own messages (a cloud ID, IDs read
// or returned, a cursor, a redirect's host) are cleaned, capped and masked.
func TestHostile_quotedServerValuesAreCleaned(t *testing.T) {
	quoted := `"` + strings.ReplaceAll(hugeEcho, `"`, "") + `"`
	mux := http.NewServeMux()
	answer := func(pattern, body string) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, body)
		})
	}
	esc := strings.ReplaceAll(quoted, "\x1b", `\u001b`)
	answer("GET /_edge/tenant_info", `{"cloudId":`+esc+`}`)
	answer("POST /rest/servicedeskapi/organization", `{"id":`+esc+`,"name":"A"}`)
	answer("GET /rest/servicedeskapi/organization/7", `{"id":`+esc+`,"name":"A"}`)
	answer("GET /rest/servicedeskapi/servicedesk/7", `{"id":`+esc+`,"projectKey":"SD"}`)
	answer("GET "+strings.ReplaceAll(csmPrefix, CloudIDPlaceholder, "c1")+"/product/p1", `{"id":`+esc+`,"name":"P"}`)
	answer("GET "+strings.ReplaceAll(csmPrefix, CloudIDPlaceholder, "c1")+"/entitlement/e1", `{"id":`+esc+`}`)
	answer("GET "+strings.ReplaceAll(csmPrefix, CloudIDPlaceholder, "c1")+"/organization/7", `{"id":`+esc+`,"details":[]}`)
	mux.HandleFunc("DELETE /rest/servicedeskapi/organization/8", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Location", "https://"+tToken+"."+strings.Repeat("a", 60000)+".example/x")
		w.WriteHeader(http.StatusFound)
	})
	answer("GET /rest/api/3/user", `{"accountId":`+esc+`,"accountType":"atlassian"}`)
	mux.HandleFunc("GET /rest/api/3/user/search", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if start := r.URL.Query().Get("startAt"); start != "" && start != "0" {
			fmt.Fprint(w, `[]`)
			return
		}
		fmt.Fprint(w, `[{"accountId":"qm:1","emailAddress":"a@example.com","accountType":"atlassian","displayName":`+esc+`},`+
			`{"accountId":"qm:2","emailAddress":"a@example.com","accountType":`+esc+`,"displayName":"B"}]`)
	})
	srv := rtServe(t, mux).URL
	c, _ := newRetryClient(t, srv, Config{NoRetries: true, CSMURL: srv + csmPrefix, CloudID: "c1"})
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"TenantCloudID":       func() error { _, err := c.TenantCloudID(ctx); return err },
		"CreateOrganization":  func() error { _, err := c.CreateOrganization(ctx, "A"); return err },
		"GetOrganization":     func() error { _, err := c.GetOrganization(ctx, "7"); return err },
		"GetServiceDesk":      func() error { _, err := c.GetServiceDesk(ctx, "7"); return err },
		"GetProduct":          func() error { _, err := c.GetProduct(ctx, "p1"); return err },
		"GetEntitlement":      func() error { _, err := c.GetEntitlement(ctx, "e1"); return err },
		"OrganizationDetails": func() error { _, err := c.Details(ctx, OrganizationDetails, "7"); return err },
		"redirect":            func() error { return c.DeleteOrganization(ctx, "8") },
		"GetUser":             func() error { _, err := c.GetUser(ctx, "qm:1"); return err },
		"FindUserByEmail":     func() error { _, err := c.FindUserByEmail(ctx, "a@example.com"); return err },
	} {
		err := call()
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		checkHostileText(t, name, err.Error(), 1500)
	}
}

// Rate-limit header values logged at DEBUG are cleaned, capped and masked.
func TestHostile_rateLimitHeadersLoggedCleaned(t *testing.T) {
	huge := tToken + strings.Repeat("9", 64<<10)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /rest/servicedeskapi/organization/7", func(w http.ResponseWriter, _ *http.Request) {
		for _, h := range rateLimitHeaders {
			if h != "Retry-After" {
				w.Header().Set(h, huge)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id":"7","name":"A"}`)
	})
	log := &recLogger{}
	c, _ := newRetryClient(t, rtServe(t, mux).URL, Config{NoRetries: true, Logger: log})
	if _, err := c.GetOrganization(context.Background(), "7"); err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, l := range log.lines {
		if l.level != "DEBUG" {
			continue
		}
		for k, v := range l.fields {
			if s, ok := v.(string); ok && (strings.HasPrefix(k, "x_ratelimit") || strings.HasPrefix(k, "ratelimit") || strings.HasPrefix(k, "beta_")) {
				seen++
				checkHostileText(t, "DEBUG field "+k, s, logHeaderLimit+len("…"))
			}
		}
	}
	if seen < len(rateLimitHeaders)-1 {
		t.Errorf("%d rate-limit fields logged, want every header: %v", seen, log.lines)
	}
}
