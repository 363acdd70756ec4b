package jsm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// Service accounts authenticate with OAuth 2.0 client credentials: the
// client ID and secret an admin receives in Atlassian Administration are
// exchanged at DefaultTokenURL for an access token valid about an hour
// (there is no refresh token: the client asks again with the same
// credentials). The token is sent as a bearer token to Atlassian's gateway,
// https://api.atlassian.com/ex/jira/<cloudId>, and to the CSM API.

// DefaultTokenURL is Atlassian's token endpoint.
const DefaultTokenURL = "https://auth.atlassian.com/oauth/token"

// UsesServiceAccount reports whether the client authenticates with a
// service account's OAuth 2.0 client credentials.
func (c *Client) UsesServiceAccount() bool { return c.tokens != nil }

// CredentialClientCredentials names the credential kind in errors.
const CredentialClientCredentials = "OAuth 2.0 client credentials (service account)"

// gatewayPath is the path of the Jira API on Atlassian's gateway.
const gatewayPath = "/ex/jira/" + CloudIDPlaceholder

// ValidateTokenURL checks a token endpoint override: an absolute https URL,
// or http on a loopback host (the local JSM site), with no credentials or
// fragment. Its errors show the URL as scheme and host only.
func ValidateTokenURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("the URL cannot be parsed (%s); expected e.g. %s", urlParseReason(err), DefaultTokenURL)
	}
	shown := RedactURL(raw)
	switch {
	case u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		return fmt.Errorf("%s is not an absolute http(s) URL; expected e.g. %s", shown, DefaultTokenURL)
	case u.User != nil || u.Fragment != "":
		return fmt.Errorf("the URL %s must not carry credentials (user:password@) or a fragment", shown)
	case u.Scheme == "http" && !IsLoopbackHost(u.Hostname()):
		return fmt.Errorf("%s uses http: the client secret and the tokens would travel in clear text; use https "+
			"(http is allowed only for loopback hosts such as 127.0.0.1 or localhost)", shown)
	}
	return nil
}

// tokens obtains and keeps the access token of a service account: one for
// the whole process, renewed shortly before it expires and, once a call,
// after a 401 (renew, authTransport).
type tokens struct {
	fetch oauth2.TokenSource // one token request (with its retries) per Token call

	mu    sync.Mutex
	reuse oauth2.TokenSource // the current token until shortly before its expiry
	cur   string             // the token reuse last gave
}

// reuseMargin is the margin oauth2's ReuseTokenSource keeps; fetch moves
// each token's expiry so that renewal happens renewBefore ahead of it.
const reuseMargin = time.Second

// renewBefore is how long before its expiry a token of the given lifetime
// is renewed: a tenth of its lifetime, at most a minute (an hour's token:
// after 59 minutes; a one-second token of the local site: after 0.9 s).
func renewBefore(lifetime time.Duration) time.Duration {
	return min(time.Minute, lifetime/10)
}

func newTokens(c *Client, clientID, clientSecret, tokenURL string) *tokens {
	cc := &clientcredentials.Config{
		ClientID: clientID, ClientSecret: clientSecret, TokenURL: tokenURL,
		// The ID and secret go in the form body, as Atlassian documents the
		// request (grant_type, client_id, client_secret). AutoDetect would
		// try the Basic header first and, on a refusal, send a second
		// request: a wrong secret would cost two requests and the first
		// answer's reason would be lost.
		AuthStyle: oauth2.AuthStyleInParams,
	}
	t := &tokens{}
	t.fetch = tokenFunc(func() (*oauth2.Token, error) {
		start := time.Now()
		tok, err := c.requestToken(cc)
		if err != nil {
			return nil, err
		}
		c.secrets.learn(tok.AccessToken)
		if !tok.Expiry.IsZero() {
			tok.Expiry = tok.Expiry.Add(reuseMargin - renewBefore(tok.Expiry.Sub(start)))
		}
		return tok, nil
	})
	t.reuse = oauth2.ReuseTokenSourceWithExpiry(nil, t.fetch, reuseMargin)
	return t
}

// requestToken asks the token endpoint for a token through a retrying
// client of its own, with the calls' retry policy and backoff (a 429's
// Retry-After honoured, a refusal never retried) and time budget. It is
// neither paced nor logged (its bodies hold the secret and the token), and
// never follows a redirect (which would carry the secret wherever it
// points). It runs apart from the context of the call that needs it: the
// token serves the calls after it too.
func (c *Client) requestToken(cc *clientcredentials.Config) (*oauth2.Token, error) {
	st := &call{method: http.MethodPost, path: "token", endpoint: "POST token", started: time.Now()}
	ctx, cancel := c.withBudget(context.Background(), st)
	defer cancel() // oauth2 has read the answer
	hc := c.retrying(st, c.inner.Transport).StandardClient()
	hc.CheckRedirect = c.inner.CheckRedirect // the retrying client hands a redirect up as an answer
	tok, err := cc.Token(context.WithValue(ctx, oauth2.HTTPClient, hc))
	if err != nil {
		err = tokenError(err, c.secrets)
		if st.gaveUp != "" {
			err = fmt.Errorf("%w; %s", err, st.gaveUp)
		}
		return nil, err
	}
	return tok, nil
}

type tokenFunc func() (*oauth2.Token, error)

func (f tokenFunc) Token() (*oauth2.Token, error) { return f() }

// tokenFor is token, given up when ctx ends first (the request for a new
// token goes on, for the calls after it).
func (t *tokens) tokenFor(ctx context.Context) (string, error) {
	type result struct {
		tok string
		err error
	}
	done := make(chan result, 1)
	go func() {
		tok, err := t.token()
		done <- result{tok, err}
	}()
	select {
	case r := <-done:
		return r.tok, r.err
	case <-ctx.Done():
		return "", context.Cause(ctx)
	}
}

// token returns the current access token, obtaining a new one when needed.
func (t *tokens) token() (string, error) {
	t.mu.Lock()
	reuse := t.reuse
	t.mu.Unlock()
	tok, err := reuse.Token()
	if err != nil {
		return "", err
	}
	t.mu.Lock()
	t.cur = tok.AccessToken
	t.mu.Unlock()
	return tok.AccessToken, nil
}

// renew drops the token a 401 refused, unless another call has already
// replaced it, and returns the token to retry with.
func (t *tokens) renew(ctx context.Context, refused string) (string, error) {
	t.mu.Lock()
	if t.cur == refused {
		// Calls refused at the same time renew it only once: the first
		// clears cur, the others then just take the new token.
		t.reuse = oauth2.ReuseTokenSourceWithExpiry(nil, t.fetch, reuseMargin)
		t.cur = ""
	}
	t.mu.Unlock()
	return t.tokenFor(ctx)
}

// ErrTokenRefused is in the chain of an error when the token endpoint
// refused the client credentials.
var ErrTokenRefused = errors.New("the token endpoint refused the " + CredentialClientCredentials)

// tokenError explains a failed token request; the endpoint's text is
// cleaned and masked.
func tokenError(err error, m masker) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return fmt.Errorf("could not obtain an access token with the %s: %w", CredentialClientCredentials, m.cleanErr(scrubURLError(err)))
	}
	status := 0
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	reason := re.ErrorCode
	if re.ErrorDescription != "" {
		reason += ": " + re.ErrorDescription
	}
	if reason == "" {
		reason = "no reason given"
	}
	reason = m.clean(reason, messageLimit)
	switch {
	case re.ErrorCode == "invalid_client" || re.ErrorCode == "unauthorized_client" || status == http.StatusUnauthorized:
		return fmt.Errorf("%w (HTTP %d, %s). Check client_id and client_secret (JSM_CLIENT_ID, JSM_CLIENT_SECRET): "+
			"the secret may be wrong, expired or rotated, or the service account's credential revoked; "+
			"an admin creates a new one in Atlassian Administration → Directory → Service accounts", ErrTokenRefused, status, reason)
	case re.ErrorCode == "invalid_scope" || re.ErrorCode == "access_denied":
		return fmt.Errorf("%w (HTTP %d, %s): the service account's credential lacks the scopes it asked for; "+
			"an admin grants scopes in Atlassian Administration → Directory → Service accounts", ErrTokenRefused, status, reason)
	case status >= 300 && status <= 399:
		return fmt.Errorf("could not obtain an access token with the %s: the token endpoint answered a redirect (HTTP %d), "+
			"which is never followed; check the token URL", CredentialClientCredentials, status)
	}
	return fmt.Errorf("could not obtain an access token with the %s: the token endpoint answered HTTP %d (%s)",
		CredentialClientCredentials, status, reason)
}

// gatewayState resolves, on first use, the gateway base that bearer tokens
// (a service account's, or a fixed access token) need: the url itself when
// it is a gateway URL, else
// the gateway on the CSM API's host (api.atlassian.com, or the host of
// CSMURL) with the site's cloud ID.
type gatewayState struct {
	mu   sync.Mutex
	base *url.URL
}

func (c *Client) gatewayBase(ctx context.Context) (*url.URL, error) {
	g := c.gateway
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.base != nil {
		return g.base, nil
	}
	if CloudIDFromURL(c.base) != "" {
		g.base = c.base
		return g.base, nil
	}
	id, err := c.siteCloudID(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w (bearer tokens, a service account's or an access token, reach the site only through Atlassian's gateway, "+
			"https://api.atlassian.com/ex/jira/<cloudId>): %w. Set cloud_id, or url to the gateway form; "+
			"the cloud ID is shown at https://<your-site>.atlassian.net/_edge/tenant_info", ErrNoCloudID, err)
	}
	tmpl, err := url.Parse(c.csm.template)
	if err != nil {
		return nil, fmt.Errorf("CSM URL: %w", err)
	}
	u, err := ValidateBaseURL(tmpl.Scheme + "://" + tmpl.Host + strings.ReplaceAll(gatewayPath, CloudIDPlaceholder, url.PathEscape(id)))
	if err != nil {
		return nil, err
	}
	g.base = u
	return u, nil
}

// clientCredsHint explains a 401 or 403 to a service account's call.
func (e *Endpoint) clientCredsHint(status int, generic string) string {
	needs := fmt.Sprintf("%s needs the scopes %s", e.Name(), e.Scopes())
	if e.CSM() && (status == http.StatusUnauthorized || status == http.StatusForbidden) {
		return csmServiceAccountHint(status) + needs
	}
	switch status {
	case http.StatusUnauthorized:
		return "The access token obtained with the " + CredentialClientCredentials + " was refused, even after a renewal: " +
			"the service account may have been deactivated, or its credential revoked or expired (check client_id and " +
			"client_secret in Atlassian Administration → Directory → Service accounts), or the credential lacks a scope " +
			"(Jira answers some missing scopes with 401 \"scope does not match\"). " + needs
	case http.StatusForbidden:
		return "Refused for the " + CredentialClientCredentials + ": the credential lacks a scope, or the service account " +
			"lacks the permission (" + e.Permission + "). " + needs + "; an admin grants them in Atlassian Administration → " +
			"Directory → Service accounts" + e.appAccessHint()
	}
	return generic
}

// csmServiceAccountHint is the start of the hint of a CSM call refused to a
// service account's token. Atlassian's CSM pages name OAuth 2.0 (3LO),
// basic auth and Forge; an earlier version gave service accounts "limited
// support" and none documents their tokens, so a refusal may be the API's
// rule rather than a missing grant.
func csmServiceAccountHint(status int) string {
	cause := "the token was refused even after a renewal"
	if status == http.StatusForbidden {
		cause = "the credential may lack a scope or the service account the permission"
	}
	return "The Customer Service Management API refused the access token of the " + CredentialClientCredentials + ": " +
		cause + ", or the API does not take service-account tokens: Atlassian's CSM pages name OAuth 2.0 (3LO), basic " +
		"auth and Forge, and service-account tokens are not documented there. The fallback: a scoped API token, with " +
		"email and api_token (create it with the scopes below at https://id.atlassian.com/manage-profile/security/api-tokens, " +
		"\"Create API token with scopes\") and a gateway url, https://api.atlassian.com/ex/jira/<cloudId>. "
}
