package jsmsite

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Faults makes the site misbehave the way Atlassian Cloud does under load
// and during incidents. The zero value injects nothing. Faults apply to the
// API routes, not to the /__site/ routes.
type Faults struct {
	// Latency delays every answer, plus a uniform random extra up to
	// LatencyJitter.
	Latency, LatencyJitter time.Duration
	// RateLimit is a token bucket, in requests per second (0: none), of
	// Burst tokens (default: one second's worth). A request finding it empty
	// gets 429 with Retry-After, X-RateLimit-Reset and RateLimit-Reason
	// jira-burst-based, and nothing warns before it: Atlassian holds
	// API-token traffic to per-endpoint burst limits whose first sign is
	// the 429 itself.
	RateLimit float64
	Burst     int
	// CostBasedHeaders makes RateLimit answer as the points-based quota
	// of OAuth 2.0 apps does instead (Atlassian's rate-limiting page, 2026):
	// every answer carries X-RateLimit-Limit, -Remaining and -NearLimit
	// (true under 20 % left) and the advisory Beta-RateLimit,
	// Beta-RateLimit-Policy and Beta-Retry-After (betaHeaders), and the
	// 429's RateLimit-Reason is jira-quota-tenant-based (jira-cost-based is
	// no longer one of Atlassian's reasons).
	CostBasedHeaders bool
	// Fail429, Fail502 and Fail503 are the fractions of requests answered
	// 429, 502 (an HTML proxy page) and 503 without running the handler.
	Fail429, Fail502, Fail503 float64
	// RetryAfter is sent with the injected 429 and 503 answers (default 1 s,
	// rounded up to whole seconds as the header carries seconds).
	RetryAfter time.Duration
	// CommitThen502 and CommitThenDrop are fractions of writes (POST, PUT,
	// PATCH, DELETE) that are applied, then answered with a 502 or with a
	// dropped connection: the answer is lost, the change is not.
	CommitThen502, CommitThenDrop float64

	// QuotaExhausted answers every API request 429 as a site whose hourly
	// points-based quota is spent does: RateLimit-Reason
	// jira-quota-tenant-based, Retry-After and X-RateLimit-Reset naming
	// QuotaReset, or the next full hour (UTC) when QuotaReset is zero. Once
	// QuotaReset has passed, requests go through again.
	QuotaExhausted bool
	QuotaReset     time.Time
	// FailNext answers the next FailNext API requests with FailNextStatus
	// (a 5xx or 429; default 503) and Retry-After (see RetryAfter), then
	// serves normally: a deterministic outage for tests.
	FailNext       int
	FailNextStatus int
	// FailNextRoute limits FailNext to the requests of this route name
	// (see Routes); empty: any API route. FailNextDrop drops those
	// requests' connections without an answer instead (a lost answer).
	FailNextRoute string
	FailNextDrop  bool
	// StuckPaging makes the paged lists (the servicedeskapi lists and user
	// search) ignore start/startAt and always answer the first page, never
	// the last: StuckPagingRepeat echoes the start asked for, StuckPagingRestart
	// answers start 0. A broken proxy or server; the real site pages.
	StuckPaging string

	// The switches below make the site misbehave as broken servers and
	// proxies do (pathfaults.go); Atlassian does none of this.

	// NormalizeDotSegments resolves "." and ".." segments of the decoded
	// path before routing, as a careless proxy or server does: a DELETE of
	// .../organization/1/property/.. then deletes organization 1.
	NormalizeDotSegments bool
	// WrongIdentity answers organization and service desk reads with "{}"
	// (WrongIdentityEmpty) or with another object (WrongIdentityOther).
	WrongIdentity string
	// RouteRateLimit gives routes (by name, see Routes) their own token
	// bucket of this many requests per second (burst: one second's worth),
	// as Atlassian's burst limits apply per endpoint and method.
	RouteRateLimit map[string]float64
}

// StuckPaging modes.
const (
	StuckPagingRepeat  = "repeat"
	StuckPagingRestart = "restart"
)

// Validate checks that fractions are within [0,1] and sum to at most 1.
func (f Faults) Validate() error {
	fr := map[string]float64{"Fail429": f.Fail429, "Fail502": f.Fail502, "Fail503": f.Fail503,
		"CommitThen502": f.CommitThen502, "CommitThenDrop": f.CommitThenDrop}
	for name, v := range fr {
		if v < 0 || v > 1 || math.IsNaN(v) {
			return fmt.Errorf("jsmsite: fault %s = %v must be between 0 and 1", name, v)
		}
	}
	if f.Fail429+f.Fail502+f.Fail503 > 1 {
		return errors.New("jsmsite: Fail429 + Fail502 + Fail503 must not exceed 1")
	}
	if f.CommitThen502+f.CommitThenDrop > 1 {
		return errors.New("jsmsite: CommitThen502 + CommitThenDrop must not exceed 1")
	}
	switch f.StuckPaging {
	case "", StuckPagingRepeat, StuckPagingRestart:
	default:
		return fmt.Errorf("jsmsite: StuckPaging = %q must be empty, %q or %q", f.StuckPaging, StuckPagingRepeat, StuckPagingRestart)
	}
	if f.FailNextStatus != 0 && f.FailNextStatus != http.StatusTooManyRequests && (f.FailNextStatus < 500 || f.FailNextStatus > 599) {
		return fmt.Errorf("jsmsite: FailNextStatus = %d must be 429 or a 5xx", f.FailNextStatus)
	}
	if f.Latency < 0 || f.FailNext < 0 || f.LatencyJitter < 0 || f.RetryAfter < 0 || f.RateLimit < 0 || f.Burst < 0 {
		return errors.New("jsmsite: latencies, RetryAfter, RateLimit, Burst and FailNext must not be negative")
	}
	return f.validatePathFaults()
}

// StatusDropped is the status counted for a connection dropped without an
// answer.
const StatusDropped = 0

// faultInjector holds the fault settings and the request counters.
type faultInjector struct {
	mu     sync.Mutex
	f      Faults
	bucket *rate.Limiter // nil without RateLimit
	counts map[string]map[int]int
	// bulkSizes counts the bulk account reads answered, by how many
	// distinct IDs they asked for (first pages only).
	bulkSizes map[int]int
	// routeBuckets are RouteRateLimit's buckets; dotSegments counts the
	// requests whose decoded path held a dot segment.
	routeBuckets map[string]*rate.Limiter
	dotSegments  int
	// now is the site's clock (Config.Now), for the buckets and the
	// quota reset.
	now func() time.Time
}

// registerFaults installs the fault and counting middleware (outermost, so
// it counts what the client really got, auth failures included). Called
// from registerRoutes.
func (s *Site) registerFaults() {
	s.faults = &faultInjector{counts: map[string]map[int]int{}, now: s.now}
	s.Use(s.faults.middleware)
}

// PUT /__site/faults (Faults as JSON, durations in nanoseconds): replaces
// the fault settings of a running site, as SetFaults does.
func (s *Site) handleSiteFaults(w http.ResponseWriter, r *http.Request) {
	var f Faults
	if !decodeJSONBody(w, r, &f) {
		return
	}
	if err := s.SetFaults(f); err != nil {
		writePlatformError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, f)
}

// SetFaults replaces the fault settings; it may be called while serving.
// The rate-limit bucket starts full.
func (s *Site) SetFaults(f Faults) error {
	if err := f.Validate(); err != nil {
		return err
	}
	fi := s.faults
	fi.mu.Lock()
	defer fi.mu.Unlock()
	fi.f = f
	fi.bucket = nil
	if f.RateLimit > 0 {
		burst := f.Burst
		if burst <= 0 {
			burst = max(1, int(math.Ceil(f.RateLimit)))
		}
		fi.bucket = rate.NewLimiter(rate.Limit(f.RateLimit), burst)
	}
	fi.routeBuckets = routeBuckets(f.RouteRateLimit)
	return nil
}

// Faults returns the current fault settings.
func (s *Site) Faults() Faults {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	return s.faults.f
}

// Requests counts the requests served, by route name (see Routes) and
// status; a dropped connection counts as StatusDropped. The map is a copy.
func (s *Site) Requests() map[string]map[int]int {
	fi := s.faults
	fi.mu.Lock()
	defer fi.mu.Unlock()
	out := make(map[string]map[int]int, len(fi.counts))
	for route, byStatus := range fi.counts {
		out[route] = make(map[int]int, len(byStatus))
		for st, n := range byStatus {
			out[route][st] = n
		}
	}
	return out
}

// RequestCount sums Requests over routes (all when route is "") and
// statuses (all when status is negative).
func (s *Site) RequestCount(route string, status int) int {
	n := 0
	for r, byStatus := range s.Requests() {
		if route != "" && r != route {
			continue
		}
		for st, c := range byStatus {
			if status < 0 || st == status {
				n += c
			}
		}
	}
	return n
}

// ResetRequests clears the counters.
func (s *Site) ResetRequests() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.counts = map[string]map[int]int{}
	s.faults.bulkSizes = nil
}

// BulkSizes counts the bulk account reads (GET /rest/api/3/user/bulk)
// answered with a first page, by the number of distinct account IDs each
// asked for: how full the batches were.
func (s *Site) BulkSizes() map[int]int {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	return maps.Clone(s.faults.bulkSizes)
}

func (fi *faultInjector) countBulk(ids int) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	if fi.bulkSizes == nil {
		fi.bulkSizes = map[int]int{}
	}
	fi.bulkSizes[ids]++
}

func (fi *faultInjector) count(route string, status int) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	if fi.counts[route] == nil {
		fi.counts[route] = map[int]int{}
	}
	fi.counts[route][status]++
}

// countingWriter records the status; Unwrap lets http.ResponseController
// reach the connection to drop it.
type countingWriter struct {
	http.ResponseWriter
	status int
	// drop, when set, closes the connection instead of answering; it
	// counts first, so a test that saw the connection drop sees the count.
	drop func()
}

func (w *countingWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *countingWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *countingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (fi *faultInjector) middleware(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &countingWriter{ResponseWriter: w}
		dropped := false
		cw.drop = func() { dropped = true; fi.count(route, StatusDropped) }
		defer func() {
			if !dropped {
				fi.count(route, max(cw.status, http.StatusOK))
			}
		}()
		if strings.HasPrefix(r.URL.Path, "/__site/") {
			next.ServeHTTP(cw, r)
			return
		}
		fi.serve(cw, r, route, next)
	})
}

// serve applies the faults in the order a real stack would: latency, the
// rate limiter, an outage answer, and last a write whose answer is lost.
func (fi *faultInjector) serve(w *countingWriter, r *http.Request, route string, next http.Handler) {
	fi.mu.Lock()
	f, bucket, routeBucket := fi.f, fi.bucket, fi.routeBuckets[route]
	failNext := fi.f.FailNext > 0 && (f.FailNextRoute == "" || f.FailNextRoute == route)
	if failNext {
		fi.f.FailNext--
	}
	fi.mu.Unlock()
	if f.StuckPaging != "" {
		r = r.WithContext(context.WithValue(r.Context(), stuckPagingKey{}, f.StuckPaging))
	}

	if d := f.Latency + time.Duration(rand.Float64()*float64(f.LatencyJitter)); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	now := fi.now()
	if f.QuotaExhausted && quotaExhausted(w, r, f.QuotaReset, now) {
		return
	}
	if bucket != nil && !admit(w, bucket, f.CostBasedHeaders, now) || routeBucket != nil && !admit(w, routeBucket, f.CostBasedHeaders, now) {
		return
	}

	retryAfter := strconv.Itoa(max(1, int(math.Ceil(f.RetryAfter.Seconds()))))
	if failNext && f.FailNextDrop {
		dropConnection(w)
		return
	}
	if failNext {
		w.Header().Set("Retry-After", retryAfter)
		status := cmp.Or(f.FailNextStatus, http.StatusServiceUnavailable)
		if status == http.StatusTooManyRequests {
			w.Header().Set("RateLimit-Reason", "jira-burst-based")
		}
		writeHTML(w, status, fmt.Sprintf("%d %s", status, http.StatusText(status)))
		return
	}
	switch u := rand.Float64(); {
	case u < f.Fail429:
		w.Header().Set("Retry-After", retryAfter)
		w.Header().Set("RateLimit-Reason", "jira-burst-based")
		writeError(w, r, http.StatusTooManyRequests, "rate.limit.exceeded", "Rate limit exceeded.")
		return
	case u < f.Fail429+f.Fail502:
		writeHTML(w, http.StatusBadGateway, "502 Bad Gateway")
		return
	case u < f.Fail429+f.Fail502+f.Fail503:
		w.Header().Set("Retry-After", retryAfter)
		writeHTML(w, http.StatusServiceUnavailable, "503 Service Unavailable")
		return
	}

	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		switch u := rand.Float64(); {
		case u < f.CommitThen502:
			next.ServeHTTP(httptest.NewRecorder(), r) // applied; the answer is lost
			writeHTML(w, http.StatusBadGateway, "502 Bad Gateway")
			return
		case u < f.CommitThen502+f.CommitThenDrop:
			next.ServeHTTP(httptest.NewRecorder(), r)
			dropConnection(w)
			return
		}
	}
	next.ServeHTTP(w, r)
}

// admit takes a token from the bucket, or answers 429 as Atlassian does;
// costBased adds the budget headers of cost-based limiting to every answer.
// now is the site's clock.
func admit(w *countingWriter, bucket *rate.Limiter, costBased bool, now time.Time) bool {
	ok := bucket.AllowN(now, 1)
	h := w.Header()
	reason := "jira-burst-based"
	if costBased {
		burst := bucket.Burst()
		left := max(0, int(bucket.TokensAt(now)))
		h.Set("X-RateLimit-Limit", strconv.Itoa(burst))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(left))
		h.Set("X-RateLimit-NearLimit", strconv.FormatBool(float64(left) < 0.2*float64(burst)))
		betaHeaders(h, bucket, now)
		reason = "jira-quota-tenant-based"
	}
	if ok {
		return true
	}
	// Time until one token is back, in whole seconds as Retry-After carries.
	wait := time.Duration((1 - bucket.TokensAt(now)) / float64(bucket.Limit()) * float64(time.Second))
	secs := max(1, int(math.Ceil(wait.Seconds())))
	h.Set("Retry-After", strconv.Itoa(secs))
	h.Set("X-RateLimit-Reset", now.Add(wait).UTC().Format(time.RFC3339))
	h.Set("RateLimit-Reason", reason)
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = w.Write([]byte(`{"errorMessages":["Rate limit exceeded."],"errors":{}}` + "\n"))
	return false
}

// betaHeaders adds the advisory headers of the points-based quota to an
// answer: Beta-RateLimit-Policy (the quota q and its window w, seconds),
// Beta-RateLimit (what is left r, and t, seconds until the quota is full
// again), and, once nothing is left, Beta-Retry-After. Atlassian's
// rate-limiting page names them; their form is the one a developer logged
// from Jira Cloud in March 2026 (Atlassian's developer community, "2026
// point-based rate limits"): "tenant-app-quota";q=100100;w=3600.
func betaHeaders(h http.Header, bucket *rate.Limiter, now time.Time) {
	burst, perSec, tokens := float64(bucket.Burst()), float64(bucket.Limit()), max(0, bucket.TokensAt(now))
	secs := func(tokens float64) int { return int(math.Ceil(tokens / perSec)) }
	h.Set("Beta-RateLimit-Policy", fmt.Sprintf(`"tenant-app-quota";q=%d;w=%d`, int(burst), secs(burst)))
	h.Set("Beta-RateLimit", fmt.Sprintf(`"tenant-app-quota";r=%d;t=%d`, int(tokens), secs(burst-tokens)))
	if tokens < 1 {
		h.Set("Beta-Retry-After", strconv.Itoa(max(1, secs(1-tokens))))
	}
}

// quotaExhausted answers 429 as Atlassian does for a spent hourly quota,
// until reset (zero: the next full hour after now, the site's clock); it
// reports whether it answered.
func quotaExhausted(w *countingWriter, r *http.Request, reset, now time.Time) bool {
	if reset.IsZero() {
		reset = now.UTC().Truncate(time.Hour).Add(time.Hour)
	}
	if !now.Before(reset) {
		return false
	}
	h := w.Header()
	h.Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(reset.Sub(now).Seconds())))))
	h.Set("X-RateLimit-Reset", reset.UTC().Format(time.RFC3339))
	h.Set("RateLimit-Reason", "jira-quota-tenant-based")
	writeError(w, r, http.StatusTooManyRequests, "rate.limit.exceeded", "Rate limit exceeded.")
	return true
}

type stuckPagingKey struct{}

// stuckPaging is the StuckPaging mode in force for r ("" when none).
func stuckPaging(r *http.Request) string {
	m, _ := r.Context().Value(stuckPagingKey{}).(string)
	return m
}

// writeHTML answers like a proxy or load balancer in front of the site.
func writeHTML(w http.ResponseWriter, status int, title string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html><head><title>%s</title></head>\n<body><h1>%s</h1><p>The server is temporarily unable to service your request.</p></body></html>\n", title, title)
}

// dropConnection closes the connection without an answer (over HTTP/2,
// which cannot drop one, it answers 502 as a proxy would).
func dropConnection(w *countingWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		w.drop()
		conn.Close()
		return
	}
	writeHTML(w, http.StatusBadGateway, "502 Bad Gateway")
}
