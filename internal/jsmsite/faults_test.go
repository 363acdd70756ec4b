package jsmsite

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const createRoute = "POST /rest/servicedeskapi/customer"

func setFaults(t *testing.T, s *Site, f Faults) {
	t.Helper()
	if err := s.SetFaults(f); err != nil {
		t.Fatal(err)
	}
}

func TestFaults_countsByRouteAndStatus(t *testing.T) {
	f := newFixture(t, Config{})
	f.create("A", "a@example.com")
	f.do("POST", "/rest/servicedeskapi/customer?strictConflictStatusCode=true",
		map[string]string{"displayName": "A", "email": "a@example.com"}, nil)
	f.doAuth("GET", "/rest/api/3/myself", nil, nil, nil) // no credentials: 401 is counted too
	f.do("GET", "/no/such/route", nil, nil)

	got := f.site.Requests()
	if got[createRoute][201] != 1 || got[createRoute][409] != 1 {
		t.Errorf("create counts = %v", got[createRoute])
	}
	if got["GET /rest/api/3/myself"][401] != 1 {
		t.Errorf("myself counts = %v", got["GET /rest/api/3/myself"])
	}
	if got[RouteNotFound][404] != 1 {
		t.Errorf("not-found counts = %v", got[RouteNotFound])
	}
	if n := f.site.RequestCount("", -1); n != 4 {
		t.Errorf("total = %d, want 4", n)
	}
	var stats struct {
		Requests map[string]map[string]int `json:"requests"`
	}
	f.do("GET", "/__site/stats", nil, &stats)
	if stats.Requests[createRoute]["409"] != 1 {
		t.Errorf("/__site/stats = %v", stats.Requests)
	}
	f.site.ResetRequests()
	if n := f.site.RequestCount("", -1); n != 0 {
		t.Errorf("after reset: %d", n)
	}
}

func TestFaults_outageAnswersSkipTheHandler(t *testing.T) {
	for _, tc := range []struct {
		faults     Faults
		status     int
		retryAfter string
		body       string
	}{
		{Faults{Fail429: 1, RetryAfter: 1500 * time.Millisecond}, 429, "2", "Rate limit"},
		{Faults{Fail502: 1}, 502, "", "<html>"},
		{Faults{Fail503: 1}, 503, "1", "<html>"},
	} {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			f := newFixture(t, Config{})
			setFaults(t, f.site, tc.faults)
			req, _ := http.NewRequest("POST", f.srv.URL+"/rest/servicedeskapi/customer",
				strings.NewReader(`{"displayName":"A","email":"a@example.com"}`))
			req.Header.Set("Content-Type", "application/json")
			req.SetBasicAuth(testEmail, testToken)
			resp, err := f.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var body strings.Builder
			buf := make([]byte, 4096)
			n, _ := resp.Body.Read(buf)
			body.Write(buf[:n])
			resp.Body.Close()
			if resp.StatusCode != tc.status || resp.Header.Get("Retry-After") != tc.retryAfter ||
				!strings.Contains(body.String(), tc.body) {
				t.Errorf("got %d, Retry-After %q, body %q", resp.StatusCode, resp.Header.Get("Retry-After"), body.String())
			}
			if len(f.site.Accounts()) != 0 {
				t.Error("the handler ran")
			}
			// The out-of-band routes stay reliable.
			if st, _ := f.do("GET", "/__site/accounts", nil, nil); st != 200 {
				t.Errorf("/__site/accounts: %d", st)
			}
		})
	}
}

func TestFaults_commitThenFail(t *testing.T) {
	t.Run("502", func(t *testing.T) {
		f := newFixture(t, Config{})
		setFaults(t, f.site, Faults{CommitThen502: 1})
		st, _ := f.do("POST", "/rest/servicedeskapi/customer?strictConflictStatusCode=true",
			map[string]string{"displayName": "A", "email": "a@example.com"}, nil)
		if st != 502 {
			t.Errorf("status %d, want 502", st)
		}
		if _, ok := f.site.AccountByEmail("a@example.com"); !ok {
			t.Error("the write was not applied")
		}
		// Reads are never "committed then failed".
		if st, _ := f.do("GET", "/rest/api/3/myself", nil, nil); st != 200 {
			t.Errorf("GET: %d", st)
		}
	})
	t.Run("drop", func(t *testing.T) {
		f := newFixture(t, Config{})
		setFaults(t, f.site, Faults{CommitThenDrop: 1})
		req, _ := http.NewRequest("POST", f.srv.URL+"/rest/servicedeskapi/customer",
			strings.NewReader(`{"displayName":"A","email":"a@example.com"}`))
		req.Header.Set("Content-Type", "application/json")
		req.SetBasicAuth(testEmail, testToken)
		resp, err := f.srv.Client().Do(req)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("got an answer, %d; want a dropped connection", resp.StatusCode)
		}
		if _, ok := f.site.AccountByEmail("a@example.com"); !ok {
			t.Error("the write was not applied")
		}
		if n := f.site.Requests()[createRoute][StatusDropped]; n != 1 {
			t.Errorf("dropped count = %d", n)
		}
	})
}

// By default the bucket answers as Atlassian's burst limits do for API-token
// traffic: nothing warns before the 429, which carries Retry-After,
// X-RateLimit-Reset and RateLimit-Reason jira-burst-based. CostBasedHeaders
// answers as the points-based quota of OAuth apps does: budget and Beta-
// headers on every answer, and a 429 naming the tenant's quota.
func TestFaults_rateLimit(t *testing.T) {
	for _, costBased := range []bool{false, true} {
		t.Run(fmt.Sprintf("costBased=%v", costBased), func(t *testing.T) {
			// The site's clock stands still until the test moves it: no
			// token comes back between the requests.
			f, clock := newClockedFixture(t, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
			// Refills a token in 2 s.
			setFaults(t, f.site, Faults{RateLimit: 0.5, Burst: 2, CostBasedHeaders: costBased})
			get := func() *http.Response {
				req, _ := http.NewRequest("GET", f.srv.URL+"/rest/api/3/myself", nil)
				req.SetBasicAuth(testEmail, testToken)
				resp, err := f.srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp
			}
			first, second, third := get(), get(), get()
			if first.StatusCode != 200 || second.StatusCode != 200 {
				t.Fatalf("within the burst: %d, %d", first.StatusCode, second.StatusCode)
			}
			budget := func(h http.Header) string {
				return h.Get("X-RateLimit-Limit") + "/" + h.Get("X-RateLimit-Remaining") + "/" + h.Get("X-RateLimit-NearLimit")
			}
			beta := func(h http.Header) string {
				return h.Get("Beta-RateLimit-Policy") + " | " + h.Get("Beta-RateLimit") + " | " + h.Get("Beta-Retry-After")
			}
			if costBased {
				if budget(first.Header) != "2/1/false" || budget(second.Header) != "2/0/true" {
					t.Errorf("budget headers: %q, %q", budget(first.Header), budget(second.Header))
				}
				// The advisory headers of the points-based quota: the
				// policy, what is left and when it is full again, and,
				// once nothing is left, when the next request may go.
				if b := beta(first.Header); b != `"tenant-app-quota";q=2;w=4 | "tenant-app-quota";r=1;t=2 | ` {
					t.Errorf("Beta- headers of the first answer: %q", b)
				}
				if b := beta(second.Header); b != `"tenant-app-quota";q=2;w=4 | "tenant-app-quota";r=0;t=4 | 2` {
					t.Errorf("Beta- headers of the second answer: %q", b)
				}
			} else {
				for _, h := range []http.Header{first.Header, second.Header, third.Header} {
					if b := budget(h); b != "//" {
						t.Errorf("budget headers under a burst limit: %q", b)
					}
					if b := beta(h); b != " |  | " {
						t.Errorf("Beta- headers under a burst limit: %q", b)
					}
				}
			}
			if third.StatusCode != 429 {
				t.Fatalf("over the limit: %d", third.StatusCode)
			}
			// The bucket is empty: one token is back in exactly 2 s.
			if ra := third.Header.Get("Retry-After"); ra != "2" {
				t.Errorf("Retry-After %q, want 2", ra)
			}
			if reset, want := third.Header.Get("X-RateLimit-Reset"), clock.Now().Add(2*time.Second).Format(time.RFC3339); reset != want {
				t.Errorf("X-RateLimit-Reset %q, want %q", reset, want)
			}
			// Atlassian's current reasons: jira-cost-based is no longer one.
			want := map[bool]string{false: "jira-burst-based", true: "jira-quota-tenant-based"}[costBased]
			if got := third.Header.Get("RateLimit-Reason"); got != want {
				t.Errorf("RateLimit-Reason %q, want %q", got, want)
			}
			// A token is back 2 s later, not before.
			clock.Advance(2*time.Second - time.Millisecond)
			if st := get().StatusCode; st != 429 {
				t.Errorf("before the refill: %d, want 429", st)
			}
			clock.Advance(time.Millisecond)
			if st := get().StatusCode; st != 200 {
				t.Errorf("after the refill: %d, want 200", st)
			}
		})
	}
}

func TestFaults_validate(t *testing.T) {
	for _, bad := range []Faults{{Fail429: 1.5}, {Fail502: -0.1}, {Fail429: 0.6, Fail503: 0.6},
		{CommitThen502: 0.7, CommitThenDrop: 0.7}, {Latency: -time.Second}} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
	f := newFixture(t, Config{})
	if err := f.site.SetFaults(Faults{Fail429: 2}); err == nil {
		t.Error("SetFaults accepted an invalid fraction")
	}
}

// Faults change while requests run; -race checks the settings and counters.
func TestFaults_concurrent(t *testing.T) {
	f := newFixture(t, Config{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 10 {
				req, _ := http.NewRequest("GET", f.srv.URL+"/rest/api/3/myself", nil)
				req.SetBasicAuth(testEmail, testToken)
				if resp, err := f.srv.Client().Do(req); err == nil {
					resp.Body.Close()
				}
				if j%3 == 0 {
					_ = f.site.SetFaults(Faults{Fail503: float64(i%2) / 2, RateLimit: 1000})
				}
				_ = f.site.Requests()
			}
		}()
	}
	wg.Wait()
	if n := f.site.RequestCount("GET /rest/api/3/myself", -1); n != 80 {
		t.Errorf("counted %d requests, want 80", n)
	}
}

// get sends an authenticated GET and returns the answer with its body read.
func (f *fixture) get(path string) (*http.Response, string) {
	f.t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
	req.SetBasicAuth(testEmail, testToken)
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestFaults_quotaExhausted(t *testing.T) {
	// On the site's clock, 1 min 29.5 s before the next full hour (UTC, as
	// the site is in another zone): Retry-After rounds up to 90.
	zone := time.FixedZone("UTC+5:30", 5*3600+1800)
	f, clock := newClockedFixture(t, time.Date(2026, 3, 2, 15, 28, 30, 5e8, zone))
	setFaults(t, f.site, Faults{QuotaExhausted: true})
	resp, body := f.get("/rest/servicedeskapi/organization")
	if resp.StatusCode != 429 || resp.Header.Get("RateLimit-Reason") != "jira-quota-tenant-based" ||
		resp.Header.Get("X-RateLimit-Reset") != "2026-03-02T10:00:00Z" ||
		resp.Header.Get("Retry-After") != "90" || !strings.Contains(body, "Rate limit") {
		t.Fatalf("got %d %v %s", resp.StatusCode, resp.Header, body)
	}
	// Until a QuotaReset, the quota stays spent; from it on, it is back.
	reset := clock.Now().Add(10 * time.Second)
	setFaults(t, f.site, Faults{QuotaExhausted: true, QuotaReset: reset})
	resp, _ = f.get("/rest/servicedeskapi/organization")
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "10" || resp.Header.Get("X-RateLimit-Reset") != reset.UTC().Format(time.RFC3339) {
		t.Fatalf("before the reset: %d %v", resp.StatusCode, resp.Header)
	}
	clock.Advance(10 * time.Second)
	if resp, _ := f.get("/rest/servicedeskapi/organization"); resp.StatusCode != 200 {
		t.Fatalf("at the reset: %d", resp.StatusCode)
	}
}

func TestFaults_failNext(t *testing.T) {
	f := newFixture(t, Config{})
	setFaults(t, f.site, Faults{FailNext: 2, FailNextStatus: 500})
	for i, want := range []int{500, 500, 200} {
		resp, _ := f.get("/rest/servicedeskapi/organization")
		if resp.StatusCode != want || want == 500 && resp.Header.Get("Retry-After") != "1" {
			t.Fatalf("request %d: %d, Retry-After %q; want %d", i, resp.StatusCode, resp.Header.Get("Retry-After"), want)
		}
	}
	if f.site.Faults().FailNext != 0 {
		t.Fatal("FailNext is not counted down")
	}
}

func TestFaults_stuckPaging(t *testing.T) {
	f := newFixture(t, Config{})
	f.createOrg("A")
	for mode, wantStart := range map[string]string{StuckPagingRepeat: `"start":1`, StuckPagingRestart: `"start":0`} {
		setFaults(t, f.site, Faults{StuckPaging: mode})
		_, body := f.get("/rest/servicedeskapi/organization?start=1")
		if !strings.Contains(body, wantStart) || !strings.Contains(body, `"isLastPage":false`) || !strings.Contains(body, `"name":"A"`) {
			t.Errorf("%s: %s", mode, body)
		}
	}
	setFaults(t, f.site, Faults{StuckPaging: StuckPagingRepeat})
	if _, body := f.get("/rest/api/3/user/search?query=admin&startAt=1"); !strings.Contains(body, "accountId") {
		t.Errorf("user search ignores startAt: %s", body)
	}
	if err := (Faults{StuckPaging: "x"}).Validate(); err == nil {
		t.Error("unknown StuckPaging accepted")
	}
	if err := (Faults{FailNextStatus: 404}).Validate(); err == nil {
		t.Error("FailNextStatus 404 accepted")
	}
}
