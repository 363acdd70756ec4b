package jsm

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

const (
	tEmail = "admin@example.com"
	tToken = "tok-3c8e51f0-distinctive-api-token"
)

// rtWaits records the rtWaits the client decided on and replaces them with
// none, so tests assert the policy without sleeping.
type rtWaits struct {
	mu sync.Mutex
	ds []time.Duration
}

func (w *rtWaits) hook(d time.Duration) time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ds = append(w.ds, d)
	return 0
}

func (w *rtWaits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.ds...)
}

// realWait makes every wait as the client chose it.
func realWait(d time.Duration) time.Duration { return d }

func newRetryClient(t *testing.T, url string, cfg Config) (*Client, *rtWaits) {
	t.Helper()
	cfg.BaseURL, cfg.Email, cfg.APIToken = url, tEmail, tToken
	w := &rtWaits{}
	if cfg.waitFunc == nil { // record the waits, make none
		cfg.waitFunc = w.hook
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, w
}

// rtScript answers the i-th request (from 0) with answers[i], the last one
// repeated; it counts the requests.
type rtScript struct {
	n       atomic.Int32
	answers []func(w http.ResponseWriter, r *http.Request)
}

func (s *rtScript) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(s.n.Add(1)) - 1
	s.answers[min(i, len(s.answers)-1)](w, r)
}

func rtAnswer(code int, headers ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		if code == http.StatusCreated || code == http.StatusOK {
			fmt.Fprint(w, `{"accountId":"qm:1","displayName":"A","emailAddress":"a@example.com","accountType":"customer"}`)
		} else {
			fmt.Fprintf(w, `{"errorMessage":"status %d"}`, code)
		}
	}
}

func rtServe(t *testing.T, h http.Handler) *httptest.Server {
	srv := httptest.NewServer(asSite(h))
	t.Cleanup(srv.Close)
	return srv
}

func TestRetry_429ThenCreated(t *testing.T) {
	s := &rtScript{answers: []func(http.ResponseWriter, *http.Request){rtAnswer(429, "Retry-After", "7"), rtAnswer(201)}}
	c, w := newRetryClient(t, rtServe(t, s).URL, Config{})
	u, err := c.CreateCustomer(context.Background(), "A", "a@example.com")
	if err != nil || u.AccountID != "qm:1" {
		t.Fatalf("CreateCustomer = %+v, %v", u, err)
	}
	if s.n.Load() != 2 {
		t.Errorf("%d attempts, want 2", s.n.Load())
	}
	// Retry-After is honoured, plus at most 20 % spread.
	if ws := w.all(); len(ws) != 1 || ws[0] < 7*time.Second || ws[0] > 8400*time.Millisecond {
		t.Errorf("rtWaits = %v, want one of 7 s to 8.4 s", ws)
	}
	if c.Pacing().Throttled() != 1 {
		t.Errorf("pacer saw %d 429s", c.Pacing().Throttled())
	}
}

func TestRetry_serverWaits(t *testing.T) {
	for name, tc := range map[string]struct {
		status   int
		headers  []string
		min, max time.Duration
		// dated names a header that carries the time in from now, built
		// in the subtest and written in layout (which keeps whole
		// seconds); then the wait is the time left when the answer is
		// read, plus up to 20 %, and min and max come from the times
		// taken around the call.
		dated, layout string
		in            time.Duration
	}{
		"Retry-After seconds on 503": {status: 503, headers: []string{"Retry-After", "3"}, min: 3 * time.Second, max: 3600 * time.Millisecond},
		"Retry-After HTTP date":      {status: 429, dated: "Retry-After", layout: http.TimeFormat, in: 20 * time.Second},
		"X-RateLimit-Reset":          {status: 429, dated: "X-RateLimit-Reset", layout: time.RFC3339, in: 10 * time.Second},
		"jitter within the cap":      {status: 429, headers: []string{"Retry-After", "299"}, min: 299 * time.Second, max: DefaultMaxRetryWait},
		"no header: backoff":         {status: 502, min: 700 * time.Millisecond, max: 1300 * time.Millisecond},
	} {
		t.Run(name, func(t *testing.T) {
			before := time.Now()
			at := before.Add(tc.in).Truncate(time.Second) // what the header's layout keeps
			if tc.dated != "" {
				tc.headers = []string{tc.dated, at.UTC().Format(tc.layout)}
			}
			s := &rtScript{answers: []func(http.ResponseWriter, *http.Request){rtAnswer(tc.status, tc.headers...), rtAnswer(200)}}
			c, w := newRetryClient(t, rtServe(t, s).URL, Config{})
			if _, err := c.GetUser(context.Background(), "qm:1"); err != nil {
				t.Fatal(err)
			}
			if tc.dated != "" {
				// The answer was read between before and now.
				tc.min, tc.max = time.Until(at), at.Sub(before)*6/5
			}
			if ws := w.all(); len(ws) != 1 || ws[0] < tc.min || ws[0] > tc.max {
				t.Errorf("rtWaits = %v, want one in [%v, %v]", ws, tc.min, tc.max)
			}
		})
	}
}

func TestRetry_exponentialBackoff(t *testing.T) {
	for attempt, seconds := range []int{1, 2, 4, 8, 16, 30, 30} {
		want := time.Duration(seconds) * time.Second
		if want > 30*time.Second {
			want = 30 * time.Second
		}
		lo := expBackoff(time.Second, 30*time.Second, attempt, 0)
		hi := expBackoff(time.Second, 30*time.Second, attempt, 0.9999)
		if lo != time.Duration(float64(want)*0.7) || hi > 30*time.Second || hi < lo {
			t.Errorf("attempt %d: [%v, %v], want from %v", attempt, lo, hi, time.Duration(float64(want)*0.7))
		}
	}
	if d := expBackoff(time.Second, 30*time.Second, 5000, 0.5); d != 30*time.Second {
		t.Errorf("huge attempt: %v", d)
	}
}

func TestRetry_maxRetriesBound(t *testing.T) {
	for _, tc := range []struct {
		cfg, attempts int
		none          bool
	}{{0, DefaultMaxRetries + 1, false}, {2, 3, false}, {2, 1, true}} {
		s := &rtScript{answers: []func(http.ResponseWriter, *http.Request){rtAnswer(503)}}
		c, w := newRetryClient(t, rtServe(t, s).URL, Config{MaxRetries: tc.cfg, NoRetries: tc.none})
		_, err := c.GetUser(context.Background(), "qm:1")
		var e *Error
		if !errors.As(err, &e) || e.StatusCode != 503 || e.Attempts != tc.attempts || int(s.n.Load()) != tc.attempts {
			t.Errorf("MaxRetries %d: err %v, %d requests; want 503 after %d", tc.cfg, err, s.n.Load(), tc.attempts)
		}
		if len(w.all()) != tc.attempts-1 {
			t.Errorf("MaxRetries %d: %d rtWaits", tc.cfg, len(w.all()))
		}
		if tc.attempts > 1 && !strings.Contains(err.Error(), fmt.Sprintf("after %d attempts", tc.attempts)) {
			t.Errorf("message %q does not tell the attempts", err)
		}
	}
}

func TestRetry_notRetried(t *testing.T) {
	for _, code := range []int{400, 401, 403, 404, 409, 500} {
		s := &rtScript{answers: []func(http.ResponseWriter, *http.Request){rtAnswer(code)}}
		c, _ := newRetryClient(t, rtServe(t, s).URL, Config{})
		_, err := c.GetUser(context.Background(), "qm:1")
		if StatusCode(err) != code || s.n.Load() != 1 {
			t.Errorf("%d: err %v after %d requests", code, err, s.n.Load())
		}
	}
}

// A wait the server asks for ends when the context does.
func TestRetry_contextCancelStopsWaiting(t *testing.T) {
	s := &rtScript{answers: []func(http.ResponseWriter, *http.Request){rtAnswer(429, "Retry-After", "120")}}
	c, err := New(Config{BaseURL: rtServe(t, s).URL, Email: tEmail, APIToken: tToken})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for s.n.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	done := make(chan error, 1)
	go func() { _, err := c.GetUser(ctx, "qm:1"); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second): // far below the two minutes asked for
		t.Fatal("still waiting after the context was canceled")
	}
}

func TestRetry_connectionDropped(t *testing.T) {
	s := &rtScript{answers: []func(http.ResponseWriter, *http.Request){
		func(w http.ResponseWriter, r *http.Request) {
			conn, _, _ := http.NewResponseController(w).Hijack()
			conn.Close()
		},
		rtAnswer(200),
	}}
	c, _ := newRetryClient(t, rtServe(t, s).URL, Config{})
	if _, err := c.GetUser(context.Background(), "qm:1"); err != nil || s.n.Load() != 2 {
		t.Fatalf("err %v after %d requests", err, s.n.Load())
	}
}

func TestRetry_transportErrorIsAnError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // connection refused from now on
	c, w := newRetryClient(t, url, Config{MaxRetries: 2})
	_, err := c.GetUser(context.Background(), "qm:1")
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != 0 || e.Cause == nil || e.Attempts != 3 || len(w.all()) != 2 {
		t.Fatalf("err = %#v", err)
	}
	if MayHaveApplied(err) {
		t.Error("a GET cannot have applied anything")
	}
	if strings.Contains(err.Error(), "accountId=") {
		t.Errorf("the error shows the query: %v", err)
	}
}

// newFaultySite is a local JSM site with the given faults.
func newFaultySite(t *testing.T, f jsmsite.Faults) (*jsmsite.Site, string) {
	t.Helper()
	site := newMemSite(t, f)
	return site, rtServe(t, site).URL
}

// failFirst makes the first request of route lose its answer after the
// handler ran: with a 502, or by dropping the connection.
func failFirst(route string, drop bool) jsmsite.Middleware {
	var done atomic.Bool
	return func(name string, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if name != route || done.Swap(true) {
				next.ServeHTTP(w, r)
				return
			}
			jsmsite.MarkFault(r) // a fault of the test's, not the site's answer
			next.ServeHTTP(httptest.NewRecorder(), r)
			if drop {
				conn, _, _ := http.NewResponseController(w).Hijack()
				conn.Close()
				return
			}
			w.WriteHeader(http.StatusBadGateway)
		})
	}
}

func TestCreateCustomer_lostAnswerThen409IsOurAccount(t *testing.T) {
	for _, drop := range []bool{false, true} {
		t.Run(fmt.Sprintf("drop=%v", drop), func(t *testing.T) {
			site, url := newFaultySite(t, jsmsite.Faults{})
			site.Use(failFirst("POST /rest/servicedeskapi/customer", drop))
			c, _ := newRetryClient(t, url, Config{})
			u, err := c.CreateCustomer(context.Background(), "Fred", "fred@example.com")
			if err != nil {
				t.Fatalf("CreateCustomer: %v", err)
			}
			accts := site.Accounts()
			if len(accts) != 1 || accts[0].AccountID != u.AccountID {
				t.Fatalf("site holds %+v, the call returned %s", accts, u.AccountID)
			}
			if n := site.Requests()["POST /rest/servicedeskapi/customer"][409]; n != 1 {
				t.Errorf("the retry was answered 409 %d times, want 1 (the case under test)", n)
			}
		})
	}
}

// Every attempt commits then fails: the retries run out on a 502, and the
// account found by email is the call's own.
func TestCreateCustomer_retriesExhaustedButCreated(t *testing.T) {
	site, url := newFaultySite(t, jsmsite.Faults{CommitThen502: 1})
	c, _ := newRetryClient(t, url, Config{MaxRetries: 2})
	u, err := c.CreateCustomer(context.Background(), "Fred", "fred@example.com")
	if err != nil {
		t.Fatalf("CreateCustomer: %v", err)
	}
	if a, ok := site.AccountByEmail("fred@example.com"); !ok || a.AccountID != u.AccountID || len(site.Accounts()) != 1 {
		t.Fatalf("site: %+v %v; call returned %s", a, ok, u.AccountID)
	}
}

// A 409 after a lost answer, for an account with another name, is not ours.
func TestCreateCustomer_lostAnswerThenSomeoneElsesAccount(t *testing.T) {
	site, url := newFaultySite(t, jsmsite.Faults{})
	if _, err := site.AddCustomer("Someone Else", "fred@example.com"); err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	site.Use(func(name string, next http.Handler) http.Handler { // the first create is refused by a 502
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if name == "POST /rest/servicedeskapi/customer" && n.Add(1) == 1 {
				jsmsite.MarkFault(r)
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	c, _ := newRetryClient(t, url, Config{})
	_, err := c.CreateCustomer(context.Background(), "Fred", "fred@example.com")
	if !IsConflict(err) || !MayHaveApplied(err) {
		t.Fatalf("err = %v, want the 409", err)
	}
}

func TestCreateCustomer_plain409IsAConflict(t *testing.T) {
	site, url := newFaultySite(t, jsmsite.Faults{})
	if _, err := site.AddCustomer("Fred", "fred@example.com"); err != nil {
		t.Fatal(err)
	}
	c, _ := newRetryClient(t, url, Config{})
	_, err := c.CreateCustomer(context.Background(), "Fred", "fred@example.com")
	if !IsConflict(err) || MayHaveApplied(err) {
		t.Fatalf("err = %v, want a plain 409", err)
	}
}

type logLine struct {
	level, msg string
	fields     map[string]any
}

type recLogger struct {
	mu    sync.Mutex
	lines []logLine
}

func (l *recLogger) add(level, msg string, f map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, logLine{level, msg, f})
}
func (l *recLogger) Debug(_ context.Context, msg string, f map[string]any) { l.add("DEBUG", msg, f) }
func (l *recLogger) Trace(_ context.Context, msg string, f map[string]any) { l.add("TRACE", msg, f) }
func (l *recLogger) Warn(_ context.Context, msg string, f map[string]any)  { l.add("WARN", msg, f) }

func TestLogging_attemptsWithoutSecrets(t *testing.T) {
	s := &rtScript{answers: []func(http.ResponseWriter, *http.Request){
		rtAnswer(429, "Retry-After", "1", "X-RateLimit-Remaining", "0", "RateLimit-Reason", "jira-burst-based"),
		func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `[{"accountId":"qm:1","emailAddress":"a@example.com","displayName":"A"}]`)
		}}}
	log := &recLogger{}
	c, _ := newRetryClient(t, rtServe(t, s).URL, Config{Logger: log})
	if _, err := c.FindUserByEmail(context.Background(), "a@example.com"); err != nil {
		t.Fatal(err)
	}
	var requests []logLine
	for _, l := range log.lines {
		all := fmt.Sprint(l.msg, l.fields)
		for _, secret := range []string{tToken, base64.StdEncoding.EncodeToString([]byte(tEmail + ":" + tToken)), "Authorization", "Basic "} {
			if strings.Contains(all, secret) {
				t.Errorf("%s line holds %q: %s", l.level, secret, all)
			}
		}
		if l.level == "DEBUG" && strings.Contains(all, "a@example.com") {
			t.Errorf("DEBUG line holds the query: %s", all)
		}
		if l.msg == "HTTP request" {
			requests = append(requests, l)
		}
	}
	if len(requests) != 2 {
		t.Fatalf("%d request lines, want 2: %v", len(requests), log.lines)
	}
	first, second := requests[0].fields, requests[1].fields
	if first["http_method"] != "GET" || first["http_path"] != "/rest/api/3/user/search" || first["http_status"] != 429 ||
		first["attempt"] != 1 || first["retry_after"] != "1" || first["ratelimit_reason"] != "jira-burst-based" ||
		first["x_ratelimit_remaining"] != "0" {
		t.Errorf("first attempt logged as %v", first)
	}
	if _, ok := first["duration_ms"]; !ok {
		t.Error("no duration")
	}
	if second["http_status"] != 200 || second["attempt"] != 2 {
		t.Errorf("second attempt logged as %v", second)
	}
	traced := false
	for _, l := range log.lines {
		if l.level == "TRACE" && strings.Contains(fmt.Sprint(l.fields["response_body"]), "qm:1") {
			traced = true
		}
	}
	if !traced {
		t.Error("no TRACE line with the response body")
	}
}

// TRACE bodies are server text: a body that echoes the credential, or
// carries terminal escape sequences and control characters, is logged
// masked and inert, and a long one is clipped.
func TestLogging_traceBodiesCleaned(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte(tEmail + ":" + tToken))
	long := strings.Repeat("x", 3*logBodyLimit)
	s := &rtScript{answers: []func(http.ResponseWriter, *http.Request){
		func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, "bad header: Basic %s (%s)\x00 \x1b]8;;http://evil\x07click\x1b]8;;\x07 \x1b[31mred\x1b[0m", basic, tToken)
			fmt.Fprint(w, "\x1b[2J\x07\x00 "+long)
		}}}
	log := &recLogger{}
	c, _ := newRetryClient(t, rtServe(t, s).URL, Config{Logger: log})
	if _, err := c.GetUser(context.Background(), "qm:1"); err == nil {
		t.Fatal("no error for a 400")
	}
	var body string
	for _, l := range log.lines {
		if l.level == "TRACE" {
			body = fmt.Sprint(l.fields["response_body"])
		}
	}
	if !strings.Contains(body, "bad header") || !strings.Contains(body, "red") {
		t.Fatalf("TRACE body lost its text: %.200q", body)
	}
	for _, bad := range []string{tToken, basic, "\x1b", "\x07", "\x00", "http://evil"} {
		if strings.Contains(body, bad) {
			t.Errorf("TRACE body holds %q: %.300q", bad, body)
		}
	}
	if len(body) > logBodyLimit+len("…") {
		t.Errorf("TRACE body of %d bytes, want at most %d", len(body), logBodyLimit)
	}
}

// A TRACE record is one line of Terraform's plugin log, which splits a line
// of 64 KiB or more into raw pieces logged at DEBUG: a record stays under
// that however its texts escape in JSON.
func TestLogging_traceRecordFitsOneLogLine(t *testing.T) {
	worst := strings.Repeat(`<"&>\`, 200<<10/5)
	s := &rtScript{answers: []func(http.ResponseWriter, *http.Request){
		func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, worst)
		}}}
	log := &recLogger{}
	c, _ := newRetryClient(t, rtServe(t, s).URL, Config{Logger: log})
	name := strings.Repeat("<é>", 20<<10)
	if _, err := c.CreateOrganization(context.Background(), name); err == nil {
		t.Fatal("no error for a 400")
	}
	traced := false
	for _, l := range log.lines {
		if l.level != "TRACE" {
			continue
		}
		traced = true
		line, err := json.Marshal(map[string]any{"@level": "trace", "@message": "HTTP exchange", "@module": "provider", "fields": l.fields})
		if err != nil {
			t.Fatal(err)
		}
		if len(line) >= 60<<10 {
			t.Errorf("a TRACE record of %d bytes in JSON; Terraform splits lines of 64 KiB", len(line))
		}
		if b := fmt.Sprint(l.fields["response_body"]); !strings.HasPrefix(b, `<"&>`) || !strings.HasSuffix(b, "…") {
			t.Errorf("response body not clipped at its end: %.40q … %q", b, b[max(0, len(b)-10):])
		}
	}
	if !traced {
		t.Error("no TRACE record")
	}
}

// Many goroutines share one client against a site that refuses and fails
// some requests; -race checks the shared transport and pacer.
func TestTransport_concurrentUse(t *testing.T) {
	site, url := newFaultySite(t, jsmsite.Faults{Fail429: 0.1, Fail503: 0.05, CommitThen502: 0.05, CommitThenDrop: 0.05})
	c, _ := newRetryClient(t, url, Config{MaxRetries: 20})
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				email := fmt.Sprintf("u%d-%d@example.com", w, i)
				u, err := c.CreateCustomer(context.Background(), "User", email)
				if err == nil {
					_, err = c.GetUser(context.Background(), u.AccountID)
				}
				if err != nil {
					errs <- fmt.Errorf("%s: %w", email, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(site.Accounts()); n != workers*each {
		t.Errorf("site holds %d accounts, want %d", n, workers*each)
	}
}
