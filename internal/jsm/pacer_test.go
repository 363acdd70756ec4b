package jsm

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
	"github.com/jsmtf/terraform-provider-jsm/internal/testclock"
)

func answer(code int, headers ...string) *http.Response {
	h := http.Header{}
	for i := 0; i+1 < len(headers); i += 2 {
		h.Set(headers[i], headers[i+1])
	}
	return &http.Response{StatusCode: code, Header: h}
}

func newTestPacer() (*Pacer, *testclock.Clock) {
	clk := testclock.New(time.Unix(1_700_000_000, 0))
	p := newPacer()
	p.now = clk.Now
	return p, clk
}

// feed observes n answers of code spread over d, each sent just before
// its answer.
func feed(p *Pacer, clk *testclock.Clock, n, code int, d time.Duration) {
	for range n {
		clk.Advance(d / time.Duration(n))
		p.Observe(answer(code), clk.Now().Add(-time.Millisecond))
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6*math.Max(1, b) }

// Unlimited, a 429 after a second of 30 answers halves that rate; 429s to
// requests sent before the cut do not cut again; every second adds a tenth
// of the rate at the cut back (additive increase).
func TestPacer_AIMD(t *testing.T) {
	p, clk := newTestPacer()
	feed(p, clk, 30, 200, time.Second)
	if p.Limit() != 0 {
		t.Fatalf("limited at %v before any 429", p.Limit())
	}
	sentBefore := clk.Now()
	feed(p, clk, 1, 429, time.Millisecond)
	// The 30 answers and the refusal, from the first answer (at 1/30 s) to
	// the refusal (at 1.001 s).
	rate := 31 / (1.001 - 1.0/30)
	want := rate * paceCut
	if !near(p.Limit(), want) {
		t.Fatalf("after the first 429: %v, want %v", p.Limit(), want)
	}
	for range 9 { // the other workers' requests, sent before the cut
		clk.Advance(time.Millisecond)
		p.Observe(answer(429), sentBefore)
	}
	if !near(p.Limit(), want) || p.Throttled() != 10 {
		t.Fatalf("429s of requests sent before the cut: limit %v, throttled %d; want %v and 10", p.Limit(), p.Throttled(), want)
	}
	feed(p, clk, 40, 200, 4*time.Second)
	if step := rate * paceStep; !near(p.Limit(), want+4*step) {
		t.Errorf("after four seconds without too many 429s: %v, want %v", p.Limit(), want+4*step)
	}
	was := p.Limit()
	feed(p, clk, 1, 429, time.Millisecond)
	if !near(p.Limit(), was*paceCut) {
		t.Errorf("a 429 sent after the cut: %v, want %v", p.Limit(), was*paceCut)
	}
}

// A 429's Retry-After holds its cut: requests sent before that wait ends
// meet the same spent budget, and their 429s do not cut again.
func TestPacer_cutHoldsForTheRetryAfter(t *testing.T) {
	p, clk := newTestPacer()
	feed(p, clk, 30, 200, time.Second)
	clk.Advance(time.Millisecond)
	p.Observe(answer(429, "Retry-After", "1"), clk.Now())
	cut := p.Limit()
	for range 5 {
		clk.Advance(100 * time.Millisecond)
		p.Observe(answer(429, "Retry-After", "1"), clk.Now())
	}
	if p.Limit() != cut {
		t.Fatalf("429s during the first one's Retry-After cut again: %v, want %v", p.Limit(), cut)
	}
	clk.Advance(time.Second)
	p.Observe(answer(429, "Retry-After", "1"), clk.Now())
	if !near(p.Limit(), cut*paceCut) {
		t.Errorf("a 429 after the wait: %v, want %v", p.Limit(), cut*paceCut)
	}
}

// A few answers say little of a rate: a 429 among them leaves the pacer
// unlimited (the request's own Retry-After covers it). Transport errors
// and 5xx say nothing of the rate. Cuts stop at the floor.
func TestPacer_ignoresWhatSaysNothingOfTheRate(t *testing.T) {
	p, clk := newTestPacer()
	feed(p, clk, 3, 200, time.Second)
	feed(p, clk, 1, 429, time.Millisecond)
	if p.Limit() != 0 {
		t.Errorf("cut to %v after 4 answers", p.Limit())
	}
	p.Observe(nil, clk.Now())
	p.Observe(answer(503), clk.Now())
	feed(p, clk, 30, 200, time.Second)
	for range 20 {
		feed(p, clk, 1, 429, time.Millisecond)
	}
	if p.Limit() != paceFloor {
		t.Errorf("after 20 cuts: %v, want the floor %v", p.Limit(), paceFloor)
	}
}

// The pacer's Wait really spaces requests at the limit.
func TestPacer_waitSpacesRequests(t *testing.T) {
	p := newPacer()
	p.set(time.Now(), 50)
	start := time.Now()
	for range 11 {
		if err := p.lim.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// Ten gaps of 20 ms at least; only a lower bound, which cannot flake.
	if el := time.Since(start); el < 190*time.Millisecond {
		t.Errorf("11 requests at 50/s took %v", el)
	}
}

func TestPacer_concurrent(t *testing.T) {
	pg := newPacing(0)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second) // bounds a test that only feeds -race
	defer cancel()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 100 {
				_ = pg.Wait(ctx, "GET /a")
				code := 200
				if (i+j)%25 == 0 {
					code = 429
				}
				pg.Endpoint("GET /a").Observe(answer(code), time.Now())
				_ = pg.Delay("GET /a")
				_ = pg.Endpoint("GET /a").Limit()
			}
		})
	}
	wg.Wait()
	if pg.Throttled() == 0 {
		t.Error("no 429 recorded")
	}
}

// Against a server limit of R requests per second, N requests from one or
// ten workers take about N/R seconds, and every one succeeds.
// Measured only (timings vary); run with -v to see the numbers.
func TestPacer_underServerLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a few seconds")
	}
	const limit, total, workers = 100.0, 400, 10
	for _, workers := range []int{1, workers} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			site, url := newFaultySite(t, jsmsite.Faults{RateLimit: limit, Burst: 10})
			// Organization reads: account reads would batch, and the
			// server's bound is on requests.
			org := fmt.Sprint(site.AddOrganization("Acme").ID)
			c, _ := newRetryClient(t, url, Config{MaxRetries: 50, waitFunc: realWait})
			start := time.Now()
			var wg sync.WaitGroup
			jobs := make(chan int, total)
			for i := range total {
				jobs <- i
			}
			close(jobs)
			for range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range jobs {
						if _, err := c.GetOrganization(context.Background(), org); err != nil {
							t.Error(err)
						}
					}
				}()
			}
			wg.Wait()
			el := time.Since(start)
			refused := site.RequestCount(epGetOrg.Name(), 429)
			t.Logf("%d requests at a server limit of %v/s: %v (N/R = %v), %d refused",
				total, limit, el.Round(10*time.Millisecond), time.Duration(total/limit*float64(time.Second)), refused)
			// The server's bucket bounds the time from below, so this cannot flake.
			if floor := time.Duration((total - 10) / limit * float64(time.Second)); el < floor {
				t.Errorf("finished in %v, faster than the server allows (%v)", el, floor)
			}
		})
	}
}

// One endpoint's 429s cut that endpoint's rate only.
func TestPacing_slowDownIsPerEndpoint(t *testing.T) {
	pg := newPacing(0)
	clk := testclock.New(time.Unix(1_700_000_000, 0))
	search := pg.Endpoint(epSearchUser.Name())
	search.now = clk.Now
	feed(search, clk, 2, 200, time.Second)
	feed(search, clk, 20, 429, time.Second)
	if search.Limit() == 0 {
		t.Fatal("the refused endpoint was not slowed down")
	}
	if l := pg.Endpoint(epGetOrg.Name()).Limit(); l != 0 {
		t.Errorf("another endpoint is limited to %v/s", l)
	}
	if pg.Endpoint(epSearchUser.Name()) != search {
		t.Error("an endpoint got a second pacer")
	}
	if pg.Throttled() != 20 {
		t.Errorf("Throttled = %d, want 20", pg.Throttled())
	}
}

// A configured maximum holds for all endpoints together.
func TestPacing_maximumIsGlobal(t *testing.T) {
	pg := newPacing(50)
	ctx := context.Background()
	start := time.Now()
	for i := range 20 {
		name := epGetOrg.Name()
		if i%2 == 1 {
			name = epSearchUser.Name()
		}
		if err := pg.Wait(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	// 20 requests at 50/s take 19/50 s together; per endpoint, half that.
	if el := time.Since(start); el < 300*time.Millisecond {
		t.Errorf("20 requests over two endpoints took %v at a maximum of 50/s", el)
	}
}

// A storm of 429s on user search (its own burst limit, as on Atlassian)
// does not slow organization reads. In fake time (testing/synctest: the
// site is served in memory, and time moves only when every goroutine
// waits), reads that wait for no pacer take no time at all, so the 30
// reads must take exactly none, whatever the machine's speed; paced at
// the search endpoint's few requests per second they would take seconds.
func TestPacing_searchStormDoesNotSlowOrganizationReads(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		site := newMemSite(t, jsmsite.Faults{
			RouteRateLimit: map[string]float64{"GET /rest/api/3/user/search": 2},
		})
		org := site.AddOrganization("Acme")
		id := fmt.Sprint(org.ID)
		c, _ := newMemClient(t, site, Config{MaxRetries: 100,
			waitFunc: func(time.Duration) time.Duration { return 5 * time.Millisecond }})
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for ctx.Err() == nil {
					_, _ = c.FindUserByEmail(ctx, "nobody@example.com")
				}
			})
		}
		defer func() { cancel(); wg.Wait() }()
		search := c.Pacing().Endpoint(epSearchUser.Name())
		deadline := time.Now().Add(5 * time.Second)
		// A few cuts in a row bring user search down to the site's pace.
		for l := search.Limit(); site.RequestCount("GET /rest/api/3/user/search", 429) < 5 || l == 0 || l > 10; l = search.Limit() {
			if time.Now().After(deadline) {
				t.Fatalf("no 429 storm on user search: %v, limit %v", site.Requests(), search.Limit())
			}
			time.Sleep(10 * time.Millisecond)
		}
		start := time.Now()
		for range 30 {
			if d := c.Pacing().Delay(epGetOrg.Name()); d != 0 {
				t.Fatalf("an organization read would wait %v for its turn during a search storm", d)
			}
			if _, err := c.GetOrganization(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		if el := time.Since(start); el != 0 {
			t.Errorf("30 organization reads waited %v during a search storm, want no wait", el)
		}
		if n := site.RequestCount(epGetOrg.Name(), -1); n != 30 {
			t.Errorf("%d organization reads reached the site, want 30", n)
		}
		if l := c.Pacing().Endpoint(epGetOrg.Name()).Limit(); l != 0 {
			t.Errorf("organization reads are paced at %v/s", l)
		}
		if l := search.Limit(); l == 0 || l > 10 {
			t.Errorf("user search is paced at %v/s", l)
		}
	})
}
