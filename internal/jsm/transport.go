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

type callKey struct{}

// call follows one logical API call across its attempts. The attempts of a
// call run one after another on the caller's goroutine, so it needs no lock.
type call struct {
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
	// lookFirst: stop retrying once mayHaveApplied (request.lookFirst).
	lookFirst bool
}

func callFrom(ctx context.Context) *call {
	c, _ := ctx.Value(callKey{}).(*call)
	return c
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
	base := inner.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	inner.Transport = &attemptTransport{base: base, c: c}

	retries := cmp.Or(max(cfg.MaxRetries, 0), DefaultMaxRetries)
	if cfg.NoRetries {
		retries = 0
	}
	waitMin := cmp.Or(max(cfg.RetryWaitMin, 0), DefaultRetryWaitMin)
	waitMax := max(cmp.Or(max(cfg.RetryWaitMax, 0), DefaultRetryWaitMax), waitMin)
	c.rc = &retryablehttp.Client{
		HTTPClient:   &inner,
		Logger:       nil, // attemptTransport logs, through Logger, without the query
		RetryWaitMin: waitMin,
		RetryWaitMax: waitMax,
		RetryMax:     retries,
		CheckRetry:   c.checkRetry,
		Backoff:      c.backoff,
		// Hand back the last answer (a 429 or 503 after the last retry) so it
		// is decoded like any other error, status and server message included.
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

// checkRetry retries 429, 502, 503, 504, any 5xx that names a wait
// (Retry-After), and transport failures (connection errors, timeouts), but
// never once the caller's context is done, nor when the server asks for a
// wait the client will not make (see giveUpWaiting).
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if st := callFrom(ctx); st != nil && st.lookFirst && st.mayHaveApplied {
		return false, nil // the caller looks for the object rather than send it twice
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
	if source != "" && c.giveUpWaiting(ctx, resp, wait) {
		return false, nil // the answer itself is the call's error
	}
	return true, nil
}

// giveUpWaiting reports whether a wait the server asks for is longer than
// the client waits for one answer (maxRetryWait) or ends after the call's
// time budget; then it records why in the call, so the call fails at once
// with the reason and the reset time rather than sleeping first.
func (c *Client) giveUpWaiting(ctx context.Context, resp *http.Response, wait time.Duration) bool {
	st := callFrom(ctx)
	if st == nil {
		return false
	}
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
func (c *Client) backoff(waitMin, waitMax time.Duration, attempt int, resp *http.Response) time.Duration {
	wait, source := serverWait(resp, time.Now())
	if source != "" {
		wait = min(wait, c.maxRetryWait)
		wait = min(wait+time.Duration(rand.Float64()*0.2*float64(wait)), max(wait, c.maxRetryWait))
	} else {
		source = "backoff"
		wait = expBackoff(waitMin, waitMax, attempt, rand.Float64())
	}
	if resp != nil && resp.Request != nil {
		c.logWait(resp, wait, source)
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

// attemptTransport runs under the retrying client: it paces every attempt,
// reads the whole answer (so a connection lost mid-body is a retryable
// transport error rather than a decoding error), records whether a write
// may have been applied, and logs the attempt.
type attemptTransport struct {
	base http.RoundTripper
	c    *Client
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	st := callFrom(ctx)
	if st == nil { // not sent by Client.do; keep the bookkeeping local
		st = &call{method: req.Method, path: req.URL.Path, write: isWrite(req.Method), endpoint: req.Method + " " + req.URL.Path}
	}
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

// send performs one logical call with retries and pacing, within the
// call's time budget. The answer's body is already read into memory. st
// tells how many attempts were made, whether a write may have been applied
// and why retrying stopped early, if it did.
func (c *Client) send(req *http.Request, r request, payload []byte) (*http.Response, *call, error) {
	st := &call{method: r.method, path: r.path, query: req.URL.RawQuery, write: isWrite(r.method), reqBody: payload,
		started: time.Now(), endpoint: r.ep.Name()}
	st.lookFirst = r.lookFirst
	parent := req.Context()
	ctx := context.WithValue(parent, callKey{}, st)
	if c.maxCallDuration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, c.maxCallDuration, ErrCallBudget)
		defer cancel() // the body is already in memory
		st.budget = true
	}
	rreq, err := retryablehttp.FromRequest(req.WithContext(ctx))
	if err != nil {
		return nil, st, err
	}
	resp, err := c.rc.Do(rreq)
	if err != nil && resp != nil {
		resp.Body.Close()
		resp = nil
	}
	if err != nil && parent.Err() == nil && errors.Is(context.Cause(ctx), ErrCallBudget) {
		err = c.budgetError(st)
	}
	return resp, st, err
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
