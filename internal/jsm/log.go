package jsm

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Logger receives the client's request log: one DEBUG line per attempt
// (method, path, status, attempt, duration, rate-limit headers), the
// bodies at TRACE, and long waits at WARN. Fields never hold the
// Authorization header or tokens. Implementations must be safe for
// concurrent use.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Trace(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

type nopLogger struct{}

func (nopLogger) Debug(context.Context, string, map[string]any) {}
func (nopLogger) Trace(context.Context, string, map[string]any) {}
func (nopLogger) Warn(context.Context, string, map[string]any)  {}

// Rate-limit headers logged with every answer that carries them. The Beta-
// ones are the points-based quota's advisory headers (Atlassian's
// rate-limiting page, 2026): logged, never waited on (serverWait).
var rateLimitHeaders = []string{
	"Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
	"X-RateLimit-NearLimit", "RateLimit-Reason",
	"Beta-RateLimit", "Beta-RateLimit-Policy", "Beta-Retry-After",
}

// Bounds of the texts of a TRACE record, as JSON-escaped in the log: the
// record is one line of Terraform's plugin log, and Terraform splits a line
// of 64 KiB or more into raw pieces that it logs at DEBUG, bodies and all,
// where a DEBUG log must hold none.
const (
	logBodyLimit    = 24 << 10 // the answer's body
	logRequestLimit = 8 << 10  // the request's body
	logQueryLimit   = 2 << 10  // the query
)

// logging reports whether the client has a logger: without one, the
// request log is not built at all (cleaning the bodies for TRACE costs a
// few percent of a plan's CPU time, BENCHMARKS.md).
func (c *Client) logging() bool {
	_, nop := c.log.(nopLogger)
	return !nop
}

// logWait logs a wait before a retry: at DEBUG, and at WARN when long.
func (c *Client) logWait(st *call, resp *http.Response, wait time.Duration, source string) {
	if !c.logging() {
		return
	}
	ctx := resp.Request.Context()
	fields := map[string]any{"wait_ms": wait.Milliseconds(), "wait_source": source, "http_status": resp.StatusCode}
	if st != nil {
		fields["http_method"], fields["http_path"], fields["attempt"] = st.method, st.path, st.attempts
	}
	reason := "HTTP " + strconv.Itoa(resp.StatusCode)
	if r := c.rateLimitReason(resp); r != "" {
		reason = r
		fields["ratelimit_reason"] = reason
	}
	c.log.Debug(ctx, "waiting before retrying", fields)
	if wait >= warnWait {
		c.log.Warn(ctx, fmt.Sprintf("waiting %s before retrying (%s)", wait.Round(100*time.Millisecond), reason), fields)
	}
}

func (c *Client) logAttempt(ctx context.Context, st *call, resp *http.Response, err error, elapsed time.Duration, body []byte) {
	if !c.logging() {
		return
	}
	fields := map[string]any{
		"http_method": st.method,
		"http_path":   st.path, // never the query: it may hold an email address
		"attempt":     st.attempts,
		"duration_ms": elapsed.Milliseconds(),
	}
	if err != nil {
		fields["error"] = c.secrets.cleanErr(scrubURLError(err)).Error()
	}
	if resp != nil {
		fields["http_status"] = resp.StatusCode
		for _, h := range rateLimitHeaders {
			if v := resp.Header.Get(h); v != "" {
				fields[strings.ToLower(strings.ReplaceAll(h, "-", "_"))] = c.secrets.clean(v, logHeaderLimit)
			}
		}
	}
	c.log.Debug(ctx, "HTTP request", fields)

	// Bodies are the server's text (and ours): cleaned as any server text
	// is, so that a body echoing a credential, or carrying terminal escape
	// sequences, reaches the log masked and inert.
	trace := map[string]any{"http_method": st.method, "http_path": st.path, "attempt": st.attempts}
	if st.query != "" {
		trace["http_query"] = c.logText([]byte(st.query), logQueryLimit)
	}
	if len(st.reqBody) > 0 {
		trace["request_body"] = c.logText(st.reqBody, logRequestLimit)
	}
	if resp != nil {
		trace["http_status"] = resp.StatusCode
		trace["response_body"] = c.logText(body, logBodyLimit)
	}
	c.log.Trace(ctx, "HTTP exchange", trace)
}

// logText is a text for the TRACE log: the secrets masked in the whole of
// it first, so that clipping cannot leave part of one, then cleaned
// (masker.clean) and clipped to at most limit bytes once JSON-escaped.
func (c *Client) logText(b []byte, limit int) string {
	s := c.secrets.mask(string(b))
	if len(s) > 2*limit {
		s = s[:2*limit]
	}
	return clipEscaped(c.secrets.clean(s, limit), limit)
}

// clipEscaped clips s, at a rune boundary, to at most limit bytes as JSON
// escapes it (HTML characters included, as encoding/json does by default),
// ending a clipped text with "…".
func clipEscaped(s string, limit int) string {
	n := 0
	for i, r := range s {
		w := utf8.RuneLen(r)
		switch {
		case r == '"' || r == '\\':
			w = 2
		case r < 0x20 || r == '<' || r == '>' || r == '&' || r == '\u2028' || r == '\u2029' || r == utf8.RuneError:
			w = 6
		}
		if n+w > limit-len("…") {
			return s[:i] + "…"
		}
		n += w
	}
	return s
}
