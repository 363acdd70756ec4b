// Package jsm is a small client for the Jira Service Management Cloud REST API
// and the Jira platform user API. It knows HTTP and JSON, nothing of Terraform.
package jsm

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Config describes how to reach and authenticate to a site.
type Config struct {
	// BaseURL is the site (https://your-domain.atlassian.net) or the gateway
	// form (https://api.atlassian.com/ex/jira/<cloudId>).
	BaseURL string
	// Email and APIToken select basic auth.
	Email    string
	APIToken string
	// AccessToken selects bearer auth (OAuth 2.0).
	AccessToken string
	// ClientID and ClientSecret select a service account's OAuth 2.0 client
	// credentials (oauth.go): the client obtains its own access tokens at
	// TokenURL (default DefaultTokenURL) and sends every call through
	// Atlassian's gateway.
	ClientID, ClientSecret string
	TokenURL               string
	// UserAgent is sent on every request.
	UserAgent string
	// HTTPClient defaults to a client with sane timeouts. Its Timeout bounds
	// each attempt; retries and pacing wrap its transport (the client itself
	// is not modified).
	HTTPClient *http.Client

	// MaxRetries is how often an attempt answered 429, 502, 503 or 504 (or
	// any 5xx with Retry-After), or lost to a connection error or timeout,
	// is retried (0 or less: DefaultMaxRetries). NoRetries never retries.
	MaxRetries int
	NoRetries  bool
	// RetryWaitMin and RetryWaitMax bound the exponential backoff used when
	// the server names no wait (0: DefaultRetryWaitMin, DefaultRetryWaitMax).
	RetryWaitMin, RetryWaitMax time.Duration
	// MaxRequestsPerSecond caps the rate of all requests together; 0: no
	// cap (each endpoint still slows down on 429, see Pacer).
	MaxRequestsPerSecond float64
	// Logger receives the request log; nil logs nothing.
	Logger Logger

	// MaxRetryWait is the longest wait before a retry that the server may
	// ask for (Retry-After, X-RateLimit-Reset) and the client sleeps
	// through; a longer one fails the call at once, with the reason and the
	// time the limit resets (0: DefaultMaxRetryWait).
	MaxRetryWait time.Duration
	// MaxCallDuration bounds one call, all its attempts and waits included
	// (0: DefaultMaxCallDuration; negative: no bound but the context's).
	MaxCallDuration time.Duration
	// LimitNames are what the caller's users call MaxRetryWait and
	// MaxCallDuration, so errors can say which setting to raise.
	LimitNames LimitNames
	// Names are what the caller's users call the client and its BaseURL,
	// so errors can say what to change.
	Names Names

	// MaxListItems is the most items one listing reads before it fails
	// (0: DefaultMaxListItems); a listing also fails after MaxListItems/10+2
	// pages or 2 KiB per item of bytes.
	MaxListItems int

	// CSMURL overrides the Customer Service Management API base
	// (DefaultCSMURL); a {cloudId} in it is replaced by the cloud ID.
	CSMURL string
	// CloudID is the site's cloud ID; empty: taken from a gateway BaseURL,
	// else read once from the site's /_edge/tenant_info on the first CSM call.
	CloudID string

	// waitFunc, when set, maps each wait before a retry that the client
	// has chosen (backoff or the server's Retry-After) to the wait it makes:
	// this package's tests observe the waits or shorten them. nil waits as
	// chosen.
	waitFunc func(time.Duration) time.Duration
}

// LimitNames name the client's limits in errors, e.g. "the provider's
// max_retry_wait"; empty names are left out.
type LimitNames struct {
	MaxRetryWait, MaxCallDuration string
}

// Names name the client and its base URL in errors, e.g. "the provider"
// and "the provider's url"; empty names are "the client" and "the base URL".
type Names struct {
	Client, BaseURL string
}

func (n Names) orDefaults() Names {
	return Names{Client: cmp.Or(n.Client, "the client"), BaseURL: cmp.Or(n.BaseURL, "the base URL")}
}

// Client calls one site. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	authz     string
	userAgent string
	hc        *http.Client

	// The retrying, paced stack (transport.go, pacer.go).
	inner           *http.Client // hc's copy that follows no redirect; under each call's retrying client
	rc              *retryablehttp.Client
	pacer           *Pacing
	log             Logger
	maxRetryWait    time.Duration
	maxCallDuration time.Duration // 0: no budget
	limitNames      LimitNames
	names           Names
	waitFunc        func(time.Duration) time.Duration // nil: wait as chosen
	maxListItems    int

	// secrets masks the credentials in server text shown to users.
	secrets masker

	csm *csmState // the CSM API base, resolved on first use (csm.go)

	// tokens, for a service account (oauth.go), obtains the access tokens;
	// nil: authz is fixed.
	tokens *tokens
	// gateway, for bearer tokens (a service account's or a fixed access
	// token), is the base of the Jira API calls: Atlassian takes bearer
	// tokens only through its gateway. nil: the base URL.
	gateway *gatewayState

	// accounts batches account reads (bulk.go).
	accounts *accountReads
	// site remembers whether the base URL showed it is a JSM site, which
	// a 404 needs before it counts as "not found" (site_check.go).
	site siteCheck
}

// ValidateBaseURL checks that raw is an absolute https URL, or http on a
// loopback host (the local JSM site), with no query or fragment. Its errors
// show the URL as scheme and host only (RedactURL): a user:password@ or a
// query may hold secrets.
func ValidateBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("the URL cannot be parsed (%s); expected e.g. https://your-domain.atlassian.net", urlParseReason(err))
	}
	shown := RedactURL(raw)
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("%s is not an absolute http(s) URL; expected e.g. https://your-domain.atlassian.net", shown)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil || u.ForceQuery {
		return nil, fmt.Errorf("the URL %s must not carry a query, a fragment or credentials (user:password@): "+
			"set the credentials with email and api_token, or access_token", shown)
	}
	if u.Scheme == "http" && !IsLoopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("%s uses http: credentials would travel in clear text; use https (http is allowed only for loopback hosts such as 127.0.0.1 or localhost)", shown)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

// ValidateSiteURL checks the site URL as ValidateBaseURL does, and that it
// is one of the two forms Jira Cloud serves its REST API at: a site's root
// (https://your-domain.atlassian.net) or Atlassian's gateway
// (https://api.atlassian.com/ex/jira/<cloudId>). Any other path is a mistake
// (a Data Center context path, a pasted /rest/api/3, a browser link) whose
// every answer would be a 404, and a 404 to a refresh drops the object from
// the state: it must fail before a single request.
func ValidateSiteURL(raw string) (*url.URL, error) {
	u, err := ValidateBaseURL(raw)
	if err != nil {
		return nil, err
	}
	if u.Path != "" && CloudIDFromURL(u) == "" {
		return nil, fmt.Errorf("%s has the path %q: Jira Cloud serves its REST API at the site's root, e.g. "+
			"https://your-domain.atlassian.net, or through Atlassian's gateway, https://api.atlassian.com/ex/jira/<cloudId>; "+
			"remove the path", RedactURL(raw), u.Path)
	}
	return u, nil
}

// urlParseReason is url.Parse's complaint without the URL, and without the
// quoted piece of it some complaints carry (part of a password, say).
func urlParseReason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return quoted.ReplaceAllString(err.Error(), "…")
}

var quoted = regexp.MustCompile(`"[^"]*"`)

// IsLoopbackHost reports whether host is localhost or a loopback IP.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// New returns a client for cfg. Exactly one auth method must be configured.
func New(cfg Config) (*Client, error) {
	base, err := ValidateSiteURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{base: base, userAgent: cfg.UserAgent, hc: cfg.HTTPClient, maxListItems: cfg.MaxListItems}
	if c.maxListItems <= 0 {
		c.maxListItems = DefaultMaxListItems
	}
	basic := cfg.Email != "" || cfg.APIToken != ""
	clientCreds := cfg.ClientID != "" || cfg.ClientSecret != ""
	switch {
	case clientCreds && (basic || cfg.AccessToken != ""):
		return nil, errors.New("both client credentials (client ID and secret) and another credential (email and API token, or an access token) are configured; choose one")
	case basic && cfg.AccessToken != "":
		return nil, errors.New("both basic auth (email, API token) and an access token are configured; choose one")
	case clientCreds:
		if cfg.ClientID == "" || cfg.ClientSecret == "" {
			return nil, errors.New("incomplete client credentials: set both the client ID and the client secret")
		}
	case cfg.AccessToken != "":
		c.authz = "Bearer " + cfg.AccessToken
	case cfg.Email != "" && cfg.APIToken != "":
		req := &http.Request{Header: http.Header{}}
		req.SetBasicAuth(cfg.Email, cfg.APIToken)
		c.authz = req.Header.Get("Authorization")
	default:
		return nil, errors.New("no complete credentials: set an email with an API token, an access token, or a client ID and secret")
	}
	c.secrets = newMasker(cfg.Email, cfg.APIToken, cfg.AccessToken, c.authz, cfg.ClientSecret)
	if c.csm, err = newCSMState(cfg, base); err != nil {
		return nil, err
	}
	if c.hc == nil {
		c.hc = NewHTTPClient()
	}
	c.initTransport(cfg)
	if clientCreds {
		tokenURL := cmp.Or(cfg.TokenURL, DefaultTokenURL)
		if err := ValidateTokenURL(tokenURL); err != nil {
			return nil, fmt.Errorf("token URL: %w", err)
		}
		c.tokens = newTokens(c, cfg.ClientID, cfg.ClientSecret, tokenURL)
	}
	if clientCreds || cfg.AccessToken != "" {
		c.gateway = &gatewayState{}
	}
	c.initAccountReads()
	return c, nil
}

// BaseURL returns the site the client talks to.
func (c *Client) BaseURL() string { return c.base.String() }

// request is one logical API call, made by Endpoint.at.
type request struct {
	ep     *Endpoint
	method string
	path   string // escaped once, relative to the base URL
	err    error  // a refused path segment: nothing may be sent
	query  url.Values
	body   any
	header http.Header
	// noResendIfMaybeApplied: a write that may duplicate its object when
	// sent twice is not retried once an attempt may have been applied: the
	// caller's Settle looks for the object instead (doWrite).
	noResendIfMaybeApplied bool
}

// do performs r and decodes a 2xx JSON answer into out (when non-nil).
// Any other answer becomes an *Error.
func (c *Client) do(ctx context.Context, r request, out any) error {
	if r.ep == nil {
		return fmt.Errorf("%s %s: the call names no documented endpoint", r.method, r.path)
	}
	if r.err != nil {
		return r.err
	}
	var payload []byte
	var err error
	if r.body != nil {
		if payload, err = json.Marshal(r.body); err != nil {
			return fmt.Errorf("encoding %s %s request: %w", r.method, r.path, err)
		}
	}
	base := c.base
	switch {
	case r.ep.CSM():
		if base, err = c.csmBase(ctx); err != nil {
			return err
		}
	case c.gateway != nil && r.ep != epTenantInfo:
		// A bearer token works only through the gateway.
		if base, err = c.gatewayBase(ctx); err != nil {
			return err
		}
	}
	req, err := c.newRequest(ctx, base, r, payload)
	if err != nil {
		return err
	}
	resp, st, err := c.send(req, r, payload)
	if err != nil {
		return &Error{Method: r.method, Path: r.path, Cause: c.secrets.cleanErr(scrubURLError(err)),
			Attempts: st.attempts, MayHaveApplied: st.mayHaveApplied, GaveUp: st.gaveUp}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body) // already in memory, at most maxBody
	if err != nil {
		return fmt.Errorf("%s %s: reading response: %w", r.method, r.path, err)
	}
	a := reply{status: resp.StatusCode, header: resp.Header, body: body, tooLarge: st.tooLarge, sent: req.URL}
	if err := decodeResponse(r.method, r.path, a, out, c.secrets, c.names); err != nil {
		err.Attempts, err.GaveUp = st.attempts, st.gaveUp // built from cleaned headers (rateLimitReason)
		err.MayHaveApplied = err.MayHaveApplied || st.mayHaveApplied
		switch {
		case c.tokens != nil && (err.StatusCode == http.StatusUnauthorized || err.StatusCode == http.StatusForbidden):
			err.Hint = r.ep.clientCredsHint(err.StatusCode, err.Hint)
		case r.ep.CSM():
			err.Hint = r.ep.csmHint(err.StatusCode, err.Hint, strings.HasPrefix(c.authz, "Basic "))
		default:
			err.Hint = r.ep.authHint(err.StatusCode, err.Hint)
		}
		c.unconfirmed(ctx, r, base, err)
		return err
	}
	return nil
}

// newRequest builds the HTTP request of r against base; its credential is
// added under the retrying client (authTransport).
func (c *Client) newRequest(ctx context.Context, base *url.URL, r request, payload []byte) (*http.Request, error) {
	// r.path is escaped already: join it to the escaped base, so nothing
	// escapes it a second time.
	target := base.Scheme + "://" + base.Host + base.EscapedPath() + r.path
	if q := r.query.Encode(); q != "" {
		target += "?" + q
	}
	req, err := http.NewRequestWithContext(ctx, r.method, target, nil)
	if err != nil {
		return nil, fmt.Errorf("building %s %s: %w", r.method, r.path, err)
	}
	if payload != nil {
		// GetBody lets the transport resend the body on a retry.
		req.Body = io.NopCloser(bytes.NewReader(payload))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(payload)), nil }
		req.ContentLength = int64(len(payload))
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if r.ep.CSM() {
		// Several CSM operations are experimental; the header is harmless
		// on the others (Atlassian's CSM API reference).
		req.Header.Set("X-ExperimentalApi", "opt-in")
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	for k, vs := range r.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	return req, nil
}

// reply is the last answer of a call.
type reply struct {
	status   int
	header   http.Header
	body     []byte // at most maxBody bytes
	tooLarge bool   // the body went on past maxBody
	sent     *url.URL
}

// decodeResponse turns any answer into nil (a 2xx in the API's own form,
// decoded into out when out is non-nil) or an *Error carrying the status;
// it never panics. A write is reported done only on a 2xx that is JSON, or
// empty where the call returns nothing (out == nil): a redirect, an HTML
// page or an oversized answer says nothing of what the site did.
func decodeResponse(method, path string, a reply, out any, m masker, names Names) *Error {
	e := &Error{Method: method, Path: path, StatusCode: a.status}
	switch {
	case a.status >= 300 && a.status <= 399:
		e.Problem = redirectProblem(a.sent, a.header.Get("Location"), names, m)
	case a.tooLarge:
		e.Problem = fmt.Sprintf("response too large (over %d MiB): not an answer of the API; a proxy or wrong URL?", maxBody>>20)
		e.MayHaveApplied = isWrite(method) && a.status >= 200 && a.status <= 299
	case a.status < 200 || a.status > 299:
		return decodeError(method, path, a.status, a.body, m)
	default:
		if e.Problem = formProblem(a.header, a.body, out != nil); e.Problem == "" {
			if out == nil {
				return nil
			}
			err := json.Unmarshal(a.body, out)
			if err == nil {
				return nil
			}
			e.Problem = m.clean("the response is not the expected JSON: "+err.Error(), messageLimit)
		}
		e.Excerpt = m.clean(string(a.body), excerptLimit)
		// The site said success in a form not its own: a proxy may or may
		// not have passed the write on.
		e.MayHaveApplied = isWrite(method)
	}
	if isWrite(method) {
		e.Hint = writeMayNotHaveHappened
	}
	return e
}

// maxBody bounds what is read of any answer: the largest real one (a page of
// 50 users) is far smaller.
const maxBody = 8 << 20

// scrubURLError drops the URL from a transport error: its query may hold an
// email address, and the error text is shown to users as is.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
