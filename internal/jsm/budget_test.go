package jsm

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// answeredAtOnce is how long, in fake time (testing/synctest, the site
// served in memory), GetUser takes when the site answers at once: what the
// client spends of its own on a call that waits for nothing (it gathers
// concurrent account reads for a moment, coalesce.go). A call that waits
// for nothing else takes exactly that, whatever the machine's speed.
func answeredAtOnce(t *testing.T) time.Duration {
	t.Helper()
	s := &rtScript{answers: []func(http.ResponseWriter, *http.Request){rtAnswer(200)}}
	c, _ := newMemClient(t, s, Config{})
	start := time.Now()
	if _, err := c.GetUser(context.Background(), "qm:1"); err != nil {
		t.Fatal(err)
	}
	return time.Since(start)
}

// A 429 for a spent hourly quota names a wait up to the next hour: beyond
// MaxRetryWait the call fails at once, without sleeping, with the reason
// and the UTC time the quota resets. In fake time the call takes exactly
// what one answered at once takes.
func TestQuota_longWaitFailsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		atOnce := answeredAtOnce(t)
		reset := time.Now().Add(40 * time.Minute).UTC().Truncate(time.Second)
		s := &rtScript{answers: []func(http.ResponseWriter, *http.Request){rtAnswer(429, "Retry-After", "2400",
			"RateLimit-Reason", "jira-quota-tenant-based", "X-RateLimit-Reset", reset.Format(time.RFC3339)), rtAnswer(200)}}
		c, w := newMemClient(t, s, Config{
			LimitNames: LimitNames{MaxRetryWait: "the setting max_retry_wait"}})
		start := time.Now()
		_, err := c.GetUser(context.Background(), "qm:1")
		if el := time.Since(start); el != atOnce || s.n.Load() != 1 || len(w.all()) != 0 {
			t.Fatalf("%d attempts, waits %v, took %v: want one attempt and no wait (%v, as a call answered at once)",
				s.n.Load(), w.all(), el, atOnce)
		}
		if StatusCode(err) != 429 {
			t.Fatalf("want the 429 itself, got %v", err)
		}
		for _, want := range []string{"GET /rest/api/3/user: HTTP 429", "Not retried: the server asks to wait 40m0s",
			"RateLimit-Reason jira-quota-tenant-based", "the quota resets at " + reset.Format(time.RFC3339),
			"longest wait allowed for one answer (5m0s, the setting max_retry_wait)"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error lacks %q: %v", want, err)
			}
		}
	})
}

// Without X-RateLimit-Reset the reset time is now plus Retry-After; a wait
// within MaxRetryWait is made. In fake time "now" is the same instant for
// the test and the client.
func TestQuota_waitBound(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &rtScript{answers: []func(http.ResponseWriter, *http.Request){
			rtAnswer(429, "Retry-After", "30", "RateLimit-Reason", "jira-quota-global-based"), rtAnswer(200)}}
		c, w := newMemClient(t, s, Config{MaxRetryWait: 10 * time.Second})
		_, err := c.GetUser(context.Background(), "qm:1")
		// Nothing waits after the answer: the client's now was this one.
		want := time.Now().Add(30 * time.Second).UTC().Truncate(time.Second)
		if err == nil || !strings.Contains(err.Error(), "the quota resets at ") || !strings.Contains(err.Error(), "(10s)") || len(w.all()) != 0 {
			t.Fatalf("got %v, waits %v", err, w.all())
		}
		got, perr := time.Parse(time.RFC3339, strings.Fields(err.Error()[strings.Index(err.Error(), "resets at ")+10:])[0][:20])
		if perr != nil || !got.Equal(want) {
			t.Errorf("reset %v (%v), want %v", got, perr, want)
		}
		s.n.Store(0)
		c, w = newMemClient(t, s, Config{MaxRetryWait: time.Minute})
		if _, err := c.GetUser(context.Background(), "qm:1"); err != nil || len(w.all()) != 1 {
			t.Fatalf("a 30 s wait within a minute is made: %v, waits %v", err, w.all())
		}
	})
}

// Any 5xx that names a wait is retried like a 429; without one a 500 is not.
func TestRetry_5xxWithRetryAfter(t *testing.T) {
	for _, code := range []int{500, 503, 507} {
		s := &rtScript{answers: []func(http.ResponseWriter, *http.Request){rtAnswer(code, "Retry-After", "2"), rtAnswer(200)}}
		c, w := newRetryClient(t, rtServe(t, s).URL, Config{})
		if _, err := c.GetUser(context.Background(), "qm:1"); err != nil || s.n.Load() != 2 {
			t.Errorf("%d with Retry-After: %v after %d attempts", code, err, s.n.Load())
		}
		if ws := w.all(); len(ws) != 1 || ws[0] < 2*time.Second {
			t.Errorf("%d: waits %v, want the 2 s asked for", code, ws)
		}
	}
	s := &rtScript{answers: []func(http.ResponseWriter, *http.Request){rtAnswer(500), rtAnswer(200)}}
	c, _ := newRetryClient(t, rtServe(t, s).URL, Config{})
	if _, err := c.GetUser(context.Background(), "qm:1"); StatusCode(err) != 500 || s.n.Load() != 1 {
		t.Errorf("a bare 500 is not retried: %v after %d attempts", err, s.n.Load())
	}
}

// The call's time budget ends retries against a site that keeps failing,
// and an attempt that hangs; the error names the endpoint, the time and
// the attempts. In fake time (testing/synctest, the site served in memory)
// answers take no time, so the call takes exactly its budget more than
// one answered at once.
func TestBudget_endsTheCall(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
	for name, tc := range map[string]struct {
		answer   func(http.ResponseWriter, *http.Request)
		last     string
		attempts string
	}{
		"always 503":    {rtAnswer(503), "the last answer was HTTP 503", ""},
		"a slow answer": {slow, "no answer came", "and 1 attempt(s)"},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				atOnce := answeredAtOnce(t)
				s := &rtScript{answers: []func(http.ResponseWriter, *http.Request){tc.answer}}
				c, _ := newMemClient(t, s, Config{MaxCallDuration: 300 * time.Millisecond, MaxRetries: 100,
					RetryWaitMin: 20 * time.Millisecond, RetryWaitMax: 50 * time.Millisecond,
					LimitNames: LimitNames{MaxCallDuration: "the setting max_call_duration"},
					waitFunc:   realWait}) // really wait, so the budget runs out
				start := time.Now()
				_, err := c.GetUser(context.Background(), "qm:1?x")
				if el := time.Since(start); el != atOnce+300*time.Millisecond {
					t.Errorf("took %v, want the budget, 300ms, more than a call answered at once (%v)", el, atOnce)
				}
				if !errors.Is(err, ErrCallBudget) {
					t.Fatalf("want ErrCallBudget, got %v", err)
				}
				for _, want := range []string{"GET /rest/api/3/user: the call's time budget ran out: gave up after 300ms ",
					"(the most one call may take is 300ms, the setting max_call_duration)", tc.last, tc.attempts} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error lacks %q: %v", want, err)
					}
				}
				if strings.Contains(err.Error(), "qm:1") {
					t.Errorf("the query leaked: %v", err)
				}
				if tc.attempts == "" && s.n.Load() < 2 {
					t.Errorf("%d attempts within the budget, want retries", s.n.Load())
				}
			})
		})
	}
}

// A wait the server asks for that would end after the budget fails at
// once; the caller's own deadline is not reported as the budget.
func TestBudget_waitPastItFailsAtOnce(t *testing.T) {
	s := &rtScript{answers: []func(http.ResponseWriter, *http.Request){rtAnswer(503, "Retry-After", "60"), rtAnswer(200)}}
	c, w := newRetryClient(t, rtServe(t, s).URL, Config{MaxCallDuration: 10 * time.Second})
	_, err := c.GetUser(context.Background(), "qm:1")
	if StatusCode(err) != 503 || s.n.Load() != 1 || len(w.all()) != 0 ||
		!strings.Contains(err.Error(), "past the end of the call's time budget (10s)") {
		t.Fatalf("got %v after %d attempts and waits %v", err, s.n.Load(), w.all())
	}

	s = &rtScript{answers: []func(http.ResponseWriter, *http.Request){rtAnswer(503)}}
	c, _ = newRetryClient(t, rtServe(t, s).URL, Config{MaxRetries: 100, RetryWaitMin: 20 * time.Millisecond,
		RetryWaitMax: 50 * time.Millisecond, waitFunc: realWait})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := c.GetUser(ctx, "qm:1"); errors.Is(err, ErrCallBudget) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("the caller's deadline: got %v", err)
	}
}

// Waits of 5 s or more are logged at WARN with their length and reason.
func TestLogging_longWaitsWarn(t *testing.T) {
	s := &rtScript{answers: []func(http.ResponseWriter, *http.Request){
		rtAnswer(429, "Retry-After", "1", "RateLimit-Reason", "jira-burst-based"),
		rtAnswer(429, "Retry-After", "7", "RateLimit-Reason", "jira-quota-tenant-based"),
		rtAnswer(503, "Retry-After", "6"), rtAnswer(200)}}
	log := &recLogger{}
	c, _ := newRetryClient(t, rtServe(t, s).URL, Config{Logger: log})
	if _, err := c.GetUser(context.Background(), "qm:1"); err != nil {
		t.Fatal(err)
	}
	var warns []logLine
	for _, l := range log.lines {
		if l.level == "WARN" {
			warns = append(warns, l)
		}
	}
	if len(warns) != 2 {
		t.Fatalf("WARN lines %v, want the 7 s and 6 s waits", warns)
	}
	for i, want := range []struct {
		ms     int64
		reason string
	}{{7000, "(jira-quota-tenant-based)"}, {6000, "(HTTP 503)"}} {
		l := warns[i]
		if ms, _ := l.fields["wait_ms"].(int64); ms < want.ms || ms > want.ms*6/5 || !strings.HasPrefix(l.msg, "waiting ") ||
			!strings.Contains(l.msg, want.reason) || l.fields["http_path"] != "/rest/api/3/user" {
			t.Errorf("WARN %q %v, want a wait of %d ms and %s", l.msg, l.fields, want.ms, want.reason)
		}
	}
}
