package jsmsite

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Service accounts exchange their OAuth 2.0 client credentials for short-lived
// bearer tokens at Atlassian's token endpoint,
// https://auth.atlassian.com/oauth/token (grant_type=client_credentials,
// client_id, client_secret in the standard form encoding; the answer is
// {"access_token", "token_type": "Bearer", "expires_in": 3600, "scope"};
// there is no refresh token). The site serves the same endpoint on its own
// server, so that a client's token URL can point at it.

// TokenPath is the route of the token endpoint.
const TokenPath = "POST /oauth/token"

// DefaultTokenLifetime is the lifetime of an issued token, as Atlassian's.
const DefaultTokenLifetime = time.Hour

// tokenStore holds the issued tokens and their expiry.
type tokenStore struct {
	mu     sync.Mutex
	expiry map[string]time.Time
	issued int
}

func (t *tokenStore) issue(lifetime time.Duration, now time.Time) string {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	tok := "jsmsite-sa-" + hex.EncodeToString(b[:])
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.expiry == nil {
		t.expiry = map[string]time.Time{}
	}
	for k, exp := range t.expiry { // forget tokens long expired
		if now.Sub(exp) > time.Minute {
			delete(t.expiry, k)
		}
	}
	t.expiry[tok] = now.Add(lifetime)
	t.issued++
	return tok
}

// valid reports whether token was issued here and has not expired.
func (t *tokenStore) valid(token string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	exp, ok := t.expiry[token]
	return ok && now.Before(exp)
}

// TokensIssued counts the tokens the token endpoint has issued.
func (s *Site) TokensIssued() int {
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	return s.tokens.issued
}

type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	Scope       string `json:"scope"`
}

type tokenErrorAnswer struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// handleToken is POST /oauth/token with the client-credentials grant. The
// client ID and secret may come in the form or as HTTP basic auth
// (RFC 6749 section 2.3.1).
func (s *Site) handleToken(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if s.cfg.ClientID == "" || s.cfg.ClientSecret == "" {
		writeJSON(w, http.StatusUnauthorized, tokenErrorAnswer{"invalid_client", "this site has no service account: start it with client credentials"})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		writeJSON(w, http.StatusBadRequest, tokenErrorAnswer{"invalid_request", "send the request as application/x-www-form-urlencoded"})
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		writeJSON(w, http.StatusBadRequest, tokenErrorAnswer{"unsupported_grant_type", "only grant_type=client_credentials is supported"})
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok {
		id, secret = u, p
	}
	if subtle.ConstantTimeCompare([]byte(id), []byte(s.cfg.ClientID)) != 1 ||
		subtle.ConstantTimeCompare([]byte(secret), []byte(s.cfg.ClientSecret)) != 1 {
		writeJSON(w, http.StatusUnauthorized, tokenErrorAnswer{"invalid_client", "Unauthorized"})
		return
	}
	lifetime := s.cfg.TokenLifetime
	if lifetime <= 0 {
		lifetime = DefaultTokenLifetime
	}
	announced := s.cfg.TokenExpiresIn
	if announced <= 0 {
		announced = lifetime
	}
	tok := s.tokens.issue(lifetime, s.now())
	writeJSON(w, http.StatusOK, tokenAnswer{AccessToken: tok, TokenType: "Bearer",
		ExpiresIn: max(1, int(announced.Round(time.Second)/time.Second)), Scope: strings.Join(s.cfg.ClientScopes, " ")})
}
