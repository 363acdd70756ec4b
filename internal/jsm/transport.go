package jsm

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Retry defaults. Atlassian answers 429 on any endpoint and 5xx during
// incidents; Terraform runs ten operations at once, so a single refusal must
// never fail an apply.
const (
	DefaultMaxRetries   = 5
	DefaultRetryWaitMin = 1 * time.Second
	DefaultRetryWaitMax = 30 * time.Second
	// DefaultMaxRetryWait is the longest wait the server may ask for
	// (Retry-After, X-RateLimit-Reset) that the client sleeps through; a
	// longer one (an hourly quota is spent) fails the call at once.
	DefaultMaxRetryWait = 5 * time.Minute
	// DefaultMaxCallDuration bounds one call, all attempts and waits
	// included, to what a CI job can afford.
	DefaultMaxCallDuration = 10 * time.Minute
	// warnWait: waits at least this long are logged at WARN, so a run that
	// seems stuck says why.
	warnWait = 5 * time.Second
)

// ErrCallBudget is in the chain of the error of a call that ran out of its
// time budget (Config.MaxCallDuration).
var ErrCallBudget = errors.New("the call's time budget ran out")

// call is the record of one logical API call across its attempts, made
// once by send (or by a token request) and handed to every layer under the
// retrying client: the retry policy, the backoff, authTransport and
// attemptTransport. The attempts of a call run one after another, so it
// needs no lock.
type call struct {
	ep                  *Endpoint // nil for a token request
	method, path, query string
	endpoint            string // the pacing key: method and path pattern
	write               bool   // the server may change state (anything but GET/HEAD)
	reqBody             []byte
	attempts            int
	// mayHaveApplied: some attempt of a write ended without a clear answer
	// (connection lost after sending, timeout, 5xx), so the server may have
	// applied it even though the call fails or a retry answers 409/404.
	mayHaveApplied bool
	started        time.Time
	budget         bool // the context's deadline is the call's time budget
	lastStatus     int  // of the last answer; 0 before any
	// gaveUp says why retrying stopped before the retries ran out (the
	// server asked for a wait too long); it ends the call's error.
	gaveUp string
	// tooLarge: the last answer's body went on past maxBody.
	tooLarge bool
	// noResendIfMaybeApplied: stop retrying once mayHaveApplied
	// (request.noResendIfMaybeApplied).
	noResendIfMaybeApplied bool
	// renewed: the service account's token was renewed after a 401, which
	// happens once a call (authTransport).
	renewed bool
	// noToken: obtaining a token failed, after its own retries: the call
	// is not retried for it.
	noToken bool
}

// initTransport builds the retrying, paced HTTP stack of a client. There is
// one per Client, and the provider builds one Client per configuration, so
// every resource shares the pacing.
func (c *Client) initTransport(cfg Config) {
	c.log = cfg.Logger
	if c.log == nil {
		c.log = nopLogger{}
	}
	c.pacer = newPacing(cfg.MaxRequestsPerSecond)
	c.waitFunc = cfg.waitFunc
	c.maxRetryWait = cmp.Or(max(cfg.MaxRetryWait, 0), DefaultMaxRetryWait)
	c.maxCallDuration = cmp.Or(cfg.MaxCallDuration, DefaultMaxCallDuration)
	c.limitNames = cfg.LimitNames
	c.names = cfg.Names.orDefaults()

	inner := *c.hc // never modify the caller's client
	// Never follow a redirect: it would carry the Authorization header to
	// wherever it points (Go keeps it from https to http on the same host),
	// and turn a POST or DELETE into a GET whose 200 looks like success.
	// The 3xx answer itself becomes an *Error (decodeResponse).
	inner.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if inner.Transport == nil {
		inner.Transport = http.DefaultTransport
	}
	c.inner = &inner

	retries := cmp.Or(max(cfg.MaxRetries, 0), DefaultMaxRetries)
	if cfg.NoRetries {
		retries = 0
	}
	waitMin := cmp.Or(max(cfg.RetryWaitMin, 0), DefaultRetryWaitMin)
	waitMax := max(cmp.Or(max(cfg.RetryWaitMax, 0), DefaultRetryWaitMax), waitMin)
	// rc holds the retry settings; each call runs its own copy, bound to
	// the call's record (retrying). Its Backoff, with no record, serves
	// the waits between re-reads of an unreliable answer.
	c.rc = &retryablehttp.Client{
		RetryWaitMin: waitMin,
		RetryWaitMax: waitMax,
		RetryMax:     retries,
		Backoff: func(waitMin, waitMax time.Duration, attempt int, resp *http.Response) time.Duration {
			return c.backoff(nil, waitMin, waitMax, attempt, resp)
		},
	}
}

// retrying is the retrying client of one call: go-retryablehttp's loop,
// with this client's retry policy and backoff reading the call's record
// st, over next (one attempt).
func (c *Client) retrying(st *call, next http.RoundTripper) *retryablehttp.Client {
	hc := *c.inner // each attempt bounded by its Timeout, no redirects
	hc.Transport = next
	return &retryablehttp.Client{
		HTTPClient:   &hc,
		Logger:       nil, // attemptTransport logs, through Logger, without the query
		RetryWaitMin: c.rc.RetryWaitMin,
		RetryWaitMax: c.rc.RetryWaitMax,
		RetryMax:     c.rc.RetryMax,
		CheckRetry: func(ctx context.Context, resp *http.Response, err error) (bool, error) {
			return c.checkRetry(ctx, st, resp, err)
		},
		Backoff: func(waitMin, waitMax time.Duration, attempt int, resp *http.Response) time.Duration {
			return c.backoff(st, waitMin, waitMax, attempt, resp)
		},
		// Hand back the last answer (a 429 or 503 after the last retry) so it
		// is decoded like any other error, status and server message included.
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

// send performs one logical call with retries and pacing, within the
// call's time budget. The answer's body is already read into memory. st,
// the call's record, tells how many attempts were made, whether a write
// may have been applied and why retrying stopped early, if it did.
func (c *Client) send(req *http.Request, r request, payload []byte) (*http.Response, *call, error) {
	st := &call{ep: r.ep, method: r.method, path: r.path, query: req.URL.RawQuery, write: isWrite(r.method), reqBody: payload,
		started: time.Now(), endpoint: r.ep.Name(), noResendIfMaybeApplied: r.noResendIfMaybeApplied}
	parent := req.Context()
	ctx, cancel := c.withBudget(parent, st)
	defer cancel() // the body is already in memory
	rreq, err := retryablehttp.FromRequest(req.WithContext(ctx))
	if err != nil {
		return nil, st, err
	}
	attempt := &attemptTransport{base: c.inner.Transport, c: c, call: st}
	resp, err := c.retrying(st, &authTransport{c: c, call: st, next: attempt}).Do(rreq)
	if err != nil && resp != nil {
		resp.Body.Close()
		resp = nil
	}
	if err != nil && parent.Err() == nil && errors.Is(context.Cause(ctx), ErrCallBudget) {
		err = c.budgetError(st)
	}
	return resp, st, err
}

// withBudget bounds ctx by the call's time budget, if there is one.
func (c *Client) withBudget(ctx context.Context, st *call) (context.Context, context.CancelFunc) {
	if c.maxCallDuration <= 0 {
		return ctx, func() {}
	}
	st.budget = true
	return context.WithTimeoutCause(ctx, c.maxCallDuration, ErrCallBudget)
}

// checkRetry retries 429, 502, 503, 504, any 5xx that names a wait
// (Retry-After), and transport failures (connection errors, timeouts), but
// never once the caller's context is done, nor when the server asks for a
// wait the client will not make (see giveUpWaiting).
func (c *Client) checkRetry(ctx context.Context, st *call, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	switch {
	case st.noResendIfMaybeApplied && st.mayHaveApplied:
		return false, nil // the caller looks for the object rather than send it twice
	case st.noToken:
		return false, nil // the token request had its own retries
	}
	if err != nil {
		// The library knows which transport errors are permanent (bad TLS
		// certificate, bad scheme, redirect loops).
		return retryablehttp.DefaultRetryPolicy(ctx, nil, err)
	}
	wait, source := serverWait(resp, time.Now())
	switch {
	case resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode == http.StatusBadGateway,
		resp.StatusCode == http.StatusServiceUnavailable, resp.StatusCode == http.StatusGatewayTimeout:
	case resp.StatusCode >= 500 && source != "":
	default:
		return false, nil
	}
	if source != "" && c.giveUpWaiting(ctx, st, resp, wait) {
		return false, nil // the answer itself is the call's error
	}
	return true, nil
}

// giveUpWaiting reports whether a wait the server asks for is longer than
// the client waits for one answer (maxRetryWait) or ends after the call's
// time budget; then it records why in the call, so the call fails at once
// with the reason and the reset time rather than sleeping first.
func (c *Client) giveUpWaiting(ctx context.Context, st *call, resp *http.Response, wait time.Duration) bool {
	now := time.Now()
	var limit, remedy string
	switch deadline, ok := ctx.Deadline(); {
	case wait > c.maxRetryWait:
		limit = fmt.Sprintf("longer than the longest wait allowed for one answer (%s%s)", c.maxRetryWait, named(c.limitNames.MaxRetryWait))
		remedy = "try again after that time"
	case ok && now.Add(wait).After(deadline) && st.budget:
		limit = fmt.Sprintf("past the end of the call's time budget (%s%s)", c.maxCallDuration, named(c.limitNames.MaxCallDuration))
		remedy = "try again later, or allow calls more time"
	default:
		return false
	}
	reason := "HTTP " + strconv.Itoa(resp.StatusCode)
	if r := c.rateLimitReason(resp); r != "" {
		reason = "RateLimit-Reason " + r
	}
	what := "the server expects to be back"
	switch {
	case strings.Contains(strings.ToLower(reason), "quota"):
		what = "the quota resets"
	case resp.StatusCode == http.StatusTooManyRequests:
		what = "the limit resets"
	}
	reset, ok := parseISOTime(resp.Header.Get("X-RateLimit-Reset"))
	if !ok || reset.Before(now) {
		reset = now.Add(wait)
	}
	st.gaveUp = fmt.Sprintf("not retried: the server asks to wait %s (%s; %s at %s), %s; %s",
		wait.Round(time.Second), reason, what, reset.UTC().Format(time.RFC3339), limit, remedy)
	return true
}

// named formats a limit's user-facing name, if the caller gave one.
func named(name string) string {
	if name == "" {
		return ""
	}
	return ", " + name
}

// rateLimitReason is the answer's RateLimit-Reason, cleaned like any server
// text shown to users and kept short; "" when there is none.
func (c *Client) rateLimitReason(resp *http.Response) string {
	return c.secrets.clean(resp.Header.Get("RateLimit-Reason"), 64)
}

// backoff is the wait before retry number attempt+1. A wait the server
// names (Retry-After, X-RateLimit-Reset) wins, plus up to 20 % so that
// workers refused together do not return together, within maxRetryWait
// (checkRetry has already failed a longer one). Otherwise it is
// exponential from waitMin, doubling to waitMax, with the 0.7 to 1.3
// jitter Atlassian advises. Waits of warnWait or more are logged at WARN.
func (c *Client) backoff(st *call, waitMin, waitMax time.Duration, attempt int, resp *http.Response) time.Duration {
	wait, source := serverWait(resp, time.Now())
	if source != "" {
		wait = min(wait, c.maxRetryWait)
		wait = min(wait+time.Duration(rand.Float64()*0.2*float64(wait)), max(wait, c.maxRetryWait))
	} else {
		source = "backoff"
		wait = expBackoff(waitMin, waitMax, attempt, rand.Float64())
	}
	if resp != nil && resp.Request != nil {
		c.logWait(st, resp, wait, source)
	}
	if c.waitFunc != nil {
		wait = c.waitFunc(wait)
	}
	return wait
}

// expBackoff is waitMin*2^attempt, capped at waitMax, times jitter mapped
// from u in [0,1) to [0.7,1.3), and still at most waitMax.
func expBackoff(waitMin, waitMax time.Duration, attempt int, u float64) time.Duration {
	d := float64(waitMin) * math.Pow(2, float64(max(attempt, 0)))
	if d > float64(waitMax) || math.IsInf(d, 0) || math.IsNaN(d) {
		d = float64(waitMax)
	}
	d *= 0.7 + 0.6*u
	return time.Duration(min(d, float64(waitMax)))
}

// serverWait is the wait the answer asks for: Retry-After in seconds or as
// an HTTP date, else X-RateLimit-Reset as an ISO 8601 time. source is ""
// when the answer names none (or resp is nil).
func serverWait(resp *http.Response, now time.Time) (time.Duration, string) {
	if resp == nil {
		return 0, ""
	}
	if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
		return d, "Retry-After"
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		if t, ok := parseISOTime(resp.Header.Get("X-RateLimit-Reset")); ok {
			return max(t.Sub(now), 0), "X-RateLimit-Reset"
		}
	}
	return 0, ""
}

// parseRetryAfter reads delay-seconds or an HTTP date; a date in the past
// means no wait. Fractions of seconds are accepted although the RFC has none.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 || math.IsNaN(secs) || math.IsInf(secs, 0) {
			return 0, false
		}
		if secs > float64(math.MaxInt64/int64(time.Second)) {
			return time.Duration(math.MaxInt64), true
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// isoLayouts are the ISO 8601 forms X-RateLimit-Reset is seen in.
var isoLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04Z0700"}

func parseISOTime(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	for _, layout := range isoLayouts {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// authTransport, under the retrying client, puts the call's credential on
// each attempt: the fixed header (basic auth or an access token), or the
// service account's current token (oauth.go). A token refused with a 401
// may have expired on the way, or been revoked: it is renewed once a call
// and the attempt sent once more (a 401 applied nothing). What that
// answers is the attempt's answer, which the retry policy judges like any
// other; a second 401 is the call's answer.
type authTransport struct {
	c    *Client
	call *call
	next http.RoundTripper
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c, st := t.c, t.call
	switch {
	case c.gateway != nil && st.ep == epTenantInfo:
		return t.next.RoundTrip(req) // tenant_info is public: a bearer token stays home
	case c.tokens == nil:
		return t.next.RoundTrip(withAuthz(req, c.authz))
	}
	tok, err := c.tokens.tokenFor(req.Context())
	if err != nil {
		st.noToken = true
		return nil, err
	}
	resp, err := t.next.RoundTrip(withAuthz(req, "Bearer "+tok))
	if err != nil || resp.StatusCode != http.StatusUnauthorized || st.renewed {
		return resp, err
	}
	st.renewed = true
	resp.Body.Close() // already in memory (attemptTransport)
	c.log.Debug(req.Context(), "the service account's access token was refused (401): renewing it and sending the call once more",
		map[string]any{"http_method": st.method, "http_path": st.path})
	if tok, err = c.tokens.renew(req.Context(), tok); err != nil {
		st.noToken = true
		return nil, err
	}
	again := withAuthz(req, "Bearer "+tok)
	if req.GetBody != nil {
		if again.Body, err = req.GetBody(); err != nil {
			return nil, err
		}
	}
	return t.next.RoundTrip(again)
}

// withAuthz is req with the Authorization header authz (none when empty);
// a RoundTripper must not change the request it is given.
func withAuthz(req *http.Request, authz string) *http.Request {
	if authz == "" {
		return req
	}
	out := req.Clone(req.Context())
	out.Header.Set("Authorization", authz)
	return out
}

// attemptTransport, under authTransport, paces every attempt, reads the
// whole answer (so a connection lost mid-body is a retryable transport
// error rather than a decoding error), records whether a write may have
// been applied, and logs the attempt.
type attemptTransport struct {
	base http.RoundTripper
	c    *Client
	call *call
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, st := req.Context(), t.call
	if err := t.c.pacer.Wait(ctx, st.endpoint); err != nil {
		return nil, err // not sent: the context ended while paced
	}
	st.attempts++
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	var body []byte
	if err == nil {
		// One byte more than the limit tells an oversized answer from one
		// that fits exactly; the rest is never read.
		body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
		resp.Body.Close()
		st.tooLarge = len(body) > maxBody
		if err != nil {
			resp = nil
		} else {
			body = body[:min(len(body), maxBody)]
			resp.Body = io.NopCloser(bytes.NewReader(body))
		}
	}
	elapsed := time.Since(start)
	t.c.pacer.Endpoint(st.endpoint).Observe(resp, start)
	if resp != nil {
		st.lastStatus = resp.StatusCode
	}

	if st.write && (err != nil && !neverSent(err) || resp != nil && resp.StatusCode >= 500) {
		st.mayHaveApplied = true
	}
	t.c.logAttempt(ctx, st, resp, err, elapsed, body)
	return resp, err
}

func isWrite(method string) bool { return method != http.MethodGet && method != http.MethodHead }

// neverSent reports errors that happen before a request leaves: the server
// cannot have applied it.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// budgetError says that a call ran out of its time budget: how long it
// tried, in how many attempts, and what it last heard.
func (c *Client) budgetError(st *call) error {
	last := "no answer came"
	if st.lastStatus != 0 {
		last = "the last answer was HTTP " + strconv.Itoa(st.lastStatus)
	}
	return fmt.Errorf("%w: gave up after %s and %d attempt(s) (the most one call may take is %s%s); %s",
		ErrCallBudget, time.Since(st.started).Round(100*time.Millisecond), st.attempts, c.maxCallDuration,
		named(c.limitNames.MaxCallDuration), last)
}

// Pacing returns the client's shared request pacing (for tests and metrics).
func (c *Client) Pacing() *Pacing { return c.pacer }
