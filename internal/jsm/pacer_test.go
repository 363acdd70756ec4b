package jsm

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// fakeClock drives a pacer's notion of now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func answer(code int, headers ...string) *http.Response {
	h := http.Header{}
	for i := 0; i+1 < len(headers); i += 2 {
		h.Set(headers[i], headers[i+1])
	}
	return &http.Response{StatusCode: code, Header: h}
}

func newTestPacer(maxRate float64) (*Pacer, *fakeClock) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	p := NewPacer(maxRate)
	p.now = clk.now
	p.winStart = clk.now()
	return p, clk
}

// window feeds one window of answers: ok admitted, refused 429s, spread
// over paceWindow, the last answer closing the window.
func window(p *Pacer, clk *fakeClock, ok, refused int, headers ...string) {
	n := ok + refused
	for i := range n {
		clk.add(time.Duration(i+1)*paceWindow/time.Duration(n) - time.Duration(i)*paceWindow/time.Duration(n))
		code := 200
		if i < refused {
			code = 429
		}
		p.Observe(context.Background(), answer(code, headers...), nil)
	}
}

// perSec is the rate of n answers in a window.
func perSec(n int) float64 { return float64(n) / paceWindow.Seconds() }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6*math.Max(1, b) }

func TestPacer_cutsToWhatTheServerAdmits(t *testing.T) {
	p, clk := newTestPacer(0)
	if p.Limit() != 0 {
		t.Fatalf("starts limited at %v", p.Limit())
	}
	window(p, clk, 14, 6) // 30 % refused, 14 admitted in the second
	if got := p.Limit(); !near(got, perSec(14)*paceMargin) {
		t.Fatalf("after a window with 30 %% refused: %v, want %v", got, perSec(14)*paceMargin)
	}
	if p.Throttled() != 6 {
		t.Errorf("Throttled = %d", p.Throttled())
	}
}

// A constant one in ten refused must not slow a run down.
func TestPacer_occasionalRefusalsDoNotCut(t *testing.T) {
	p, clk := newTestPacer(0)
	for range 20 {
		window(p, clk, 45, 5)
	}
	if p.Limit() != 0 {
		t.Errorf("limited at %v by 10 %% refusals", p.Limit())
	}
	p, clk = newTestPacer(20)
	window(p, clk, 10, 10) // cut to 9.5
	for range 20 {
		window(p, clk, 9, 1)
	}
	if p.Limit() != 20 {
		t.Errorf("did not recover to the ceiling under 10 %% refusals: %v", p.Limit())
	}
}

func TestPacer_recoversGradually(t *testing.T) {
	p, clk := newTestPacer(0)
	window(p, clk, 10, 10) // cut from unlimited to what was admitted
	want := perSec(10) * paceMargin
	for i := range 4 { // never refused at a limit: doubling
		window(p, clk, 20, 0)
		if want *= 2; !near(p.Limit(), want) {
			t.Fatalf("window %d: %v, want %v", i, p.Limit(), want)
		}
	}
	trouble := want
	window(p, clk, 6, 4) // 40 % refused: cut, but at most halved
	if want = max(perSec(6)*paceMargin, want/2); !near(p.Limit(), want) {
		t.Fatalf("second cut: %v, want %v", p.Limit(), want)
	}
	for i := 0; p.Limit() < trouble*2; i++ {
		prev := p.Limit()
		window(p, clk, 20, 0)
		factor := paceGrow // near the rate that was refused: a quarter more
		if 2*prev < trouble {
			factor = 2
		}
		if !near(p.Limit(), prev*factor) {
			t.Fatalf("window %d: %v -> %v, want ×%v", i, prev, p.Limit(), factor)
		}
	}
}

func TestPacer_5xxAndTransportErrorsSayNothing(t *testing.T) {
	p, clk := newTestPacer(10)
	for range 50 {
		clk.add(100 * time.Millisecond)
		p.Observe(context.Background(), answer(503), nil)
		p.Observe(context.Background(), nil, nil)
	}
	if p.Limit() != 10 {
		t.Errorf("rate moved to %v", p.Limit())
	}
}

func TestPacer_smallWindowsWait(t *testing.T) {
	p, clk := newTestPacer(10)
	window(p, clk, 2, 3) // five answers in a second: too few to judge
	if p.Limit() != 10 {
		t.Errorf("judged a window of five answers: %v", p.Limit())
	}
	clk.add(5 * time.Second)
	p.Observe(context.Background(), answer(429), nil) // ...unless it lasted long
	if p.Limit() >= 10 {
		t.Errorf("a long window of mostly refusals did not cut: %v", p.Limit())
	}
}

func TestPacer_ceilingAndFloor(t *testing.T) {
	p, clk := newTestPacer(4)
	if p.Limit() != 4 {
		t.Fatalf("starts at %v, want the configured 4", p.Limit())
	}
	window(p, clk, 2, 8)
	if !near(p.Limit(), perSec(2)*paceMargin) {
		t.Errorf("after a window with 80 %% refused: %v", p.Limit())
	}
	for range 20 {
		window(p, clk, 10, 0)
	}
	if p.Limit() != 4 {
		t.Errorf("recovered to %v, want exactly the ceiling 4", p.Limit())
	}
	for range 10 { // each window at most halves the rate
		window(p, clk, 0, 10)
	}
	if p.Limit() != paceFloor {
		t.Errorf("after windows of refusals only: %v, want the floor %v", p.Limit(), paceFloor)
	}
}

func TestPacer_nearLimitEasesOff(t *testing.T) {
	p, clk := newTestPacer(0)
	window(p, clk, 30, 0, "X-RateLimit-NearLimit", "true")
	if !near(p.Limit(), perSec(30)) {
		t.Fatalf("unlimited, then a window near the limit: %v, want the %v/s it ran at", p.Limit(), perSec(30))
	}
	window(p, clk, 30, 0, "X-RateLimit-NearLimit", "true")
	if !near(p.Limit(), perSec(30)*paceMargin) {
		t.Errorf("limited, then near the limit: %v, want %v", p.Limit(), perSec(30)*paceMargin)
	}
	window(p, clk, 10, 0) // never refused: doubling
	if !near(p.Limit(), perSec(30)*paceMargin*2) {
		t.Errorf("did not rise once the budget recovered: %v", p.Limit())
	}
}

// The first 429 of a window halves the limit at once, so the other workers
// do not all meet the empty budget; the window's judgment then applies.
func TestPacer_brakesOnTheFirst429(t *testing.T) {
	p, clk := newTestPacer(40)
	clk.add(100 * time.Millisecond)
	p.Observe(context.Background(), answer(429), nil)
	if got := float64(p.lim.Limit()); got != 20 {
		t.Fatalf("limiter at %v after a 429, want 20", got)
	}
	p.Observe(context.Background(), answer(429), nil)
	if got := float64(p.lim.Limit()); got != 20 {
		t.Fatalf("braked twice in a window: %v", got)
	}
	window(p, clk, 19, 0) // the window closes: 2 refused in 21, under the target
	if got := float64(p.lim.Limit()); got != 40 || p.Limit() != 40 {
		t.Errorf("brake not released: limiter %v, limit %v", got, p.Limit())
	}
}

// The pacer's Wait really spaces requests at the limit.
func TestPacer_waitSpacesRequests(t *testing.T) {
	p := NewPacer(50)
	start := time.Now()
	for range 11 {
		if err := p.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// Ten gaps of 20 ms at least; only a lower bound, which cannot flake.
	if el := time.Since(start); el < 190*time.Millisecond {
		t.Errorf("11 requests at 50/s took %v", el)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := NewPacer(0.2).Wait(ctx); err == nil {
		t.Error("Wait ignored a canceled context")
	}
}

func TestPacer_concurrent(t *testing.T) {
	p := NewPacer(0)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second) // bounds a test that only feeds -race
	defer cancel()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 100 {
				_ = p.Wait(ctx)
				code := 200
				if (i+j)%25 == 0 {
					code = 429
				}
				p.Observe(context.Background(), answer(code), nopLogger{})
				_ = p.Limit()
			}
		}()
	}
	wg.Wait()
	if p.Throttled() == 0 {
		t.Error("no 429 recorded")
	}
}

// Against a server limit of R requests per second, N requests from ten
// workers take about N/R seconds, and the pacer keeps refusals few.
// Measured only (timings vary); run with -v to see the numbers.
func TestPacer_underServerLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a few seconds")
	}
	const limit, total, workers = 100.0, 400, 10
	for _, paced := range []bool{true, false} {
		t.Run(fmt.Sprintf("paced=%v", paced), func(t *testing.T) {
			site, url := newFaultySite(t, jsmsite.Faults{RateLimit: limit, Burst: 10})
			acct, err := site.AddCustomer("A", "a@example.com")
			if err != nil {
				t.Fatal(err)
			}
			// Each read alone: coalesced reads would make fewer requests
			// than reads, and the server's bound is on requests.
			c, _ := newRetryClient(t, url, Config{MaxRetries: 50,
				waitFunc:         realWait,
				fixedRate:        !paced, // unpaced: every worker for itself
				NoReadCoalescing: true})
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
						if _, err := c.GetUser(context.Background(), acct.AccountID); err != nil {
							t.Error(err)
						}
					}
				}()
			}
			wg.Wait()
			el := time.Since(start)
			refused := site.RequestCount("GET /rest/api/3/user", 429)
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
	pg := newPacing(0, false)
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	search := pg.Endpoint(epSearchUser.Name())
	search.now, search.winStart = clk.now, clk.now()
	window(search, clk, 2, 20)
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
	pg := newPacing(50, false)
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
// does not slow organization reads.
func TestPacing_searchStormDoesNotSlowOrganizationReads(t *testing.T) {
	site, base := newFaultySite(t, jsmsite.Faults{
		RouteRateLimit: map[string]float64{"GET /rest/api/3/user/search": 2},
	})
	org := site.AddOrganization("Acme")
	id := fmt.Sprint(org.ID)
	c, _ := newRetryClient(t, base, Config{MaxRetries: 100,
		waitFunc: func(time.Duration) time.Duration { return 5 * time.Millisecond }})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, _ = c.FindUserByEmail(ctx, "nobody@example.com")
			}
		}()
	}
	defer func() { cancel(); wg.Wait() }()
	deadline := time.Now().Add(5 * time.Second)
	for site.RequestCount("GET /rest/api/3/user/search", 429) < 5 || c.Pacing().Endpoint(epSearchUser.Name()).Limit() == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no 429 storm on user search: %v, limit %v", site.Requests(), c.Pacing().Endpoint(epSearchUser.Name()).Limit())
		}
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now()
	for range 30 {
		if _, err := c.GetOrganization(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	// Unpaced, 30 loopback reads take milliseconds; paced at the search
	// endpoint's few requests per second they would take many seconds.
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("30 organization reads took %v during a search storm", el)
	}
	if l := c.Pacing().Endpoint(epGetOrg.Name()).Limit(); l != 0 {
		t.Errorf("organization reads are paced at %v/s", l)
	}
	if l := c.Pacing().Endpoint(epSearchUser.Name()).Limit(); l == 0 || l > 10 {
		t.Errorf("user search is paced at %v/s", l)
	}
}

// A pacer is paced once a maximum is configured, or once the server has
// refused a request, even when the refusals were too few to cut the rate
// (account reads then coalesce: bulk.go).
func TestPacer_paced(t *testing.T) {
	if p, _ := newTestPacer(5); !p.Paced() {
		t.Error("a configured maximum: not paced")
	}
	p, clk := newTestPacer(0)
	window(p, clk, 20, 0)
	if p.Paced() {
		t.Error("no refusal, no maximum: paced")
	}
	window(p, clk, 19, 1) // 5 %: no cut
	if p.Limit() != 0 || !p.Paced() {
		t.Errorf("after one refusal: limit %v, paced %v; want unlimited and paced", p.Limit(), p.Paced())
	}
}

// Delay tells how long the next request would wait, without taking its
// turn.
func TestPacer_delayTakesNoTurn(t *testing.T) {
	p, _ := newTestPacer(0)
	if d := p.Delay(); d != 0 {
		t.Errorf("unlimited: delay %v", d)
	}
	p = NewPacer(10) // burst 1: the first request goes at once
	for range 3 {
		if d := p.Delay(); d != 0 {
			t.Fatalf("delay %v before any request, want 0 every time", d)
		}
	}
	if err := p.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := p.Delay(); d <= 0 || d > 100*time.Millisecond {
		t.Errorf("after a request at 10/s: delay %v, want up to 100ms", d)
	}
}

// refusalCycle feeds what a token bucket of rate perSec answers a client
// that sends whenever the pacer lets it: ok admitted answers spread over
// one second, then a 429.
func refusalCycle(p *Pacer, clk *fakeClock, ok int) {
	for range ok {
		clk.add(time.Second / time.Duration(ok+1))
		p.Observe(context.Background(), answer(200), nil)
	}
	clk.add(time.Second / time.Duration(ok+1))
	p.Observe(context.Background(), answer(429, "Retry-After", "1"), nil)
}

// Holding at refusals: after two refusals the pacer runs just under what
// the server admitted between them, and never probes above it again; a
// pacer without the option stays unlimited under the same few refusals
// (under paceTarget of each window) and keeps meeting 429s.
func TestPacer_holdAtRefusals(t *testing.T) {
	held, clk := newTestPacer(0)
	held.HoldAtRefusals()
	plain, plainClk := newTestPacer(0)
	for _, c := range []struct {
		p   *Pacer
		clk *fakeClock
	}{{held, clk}, {plain, plainClk}} {
		c.p.Observe(context.Background(), answer(429), nil) // the first: nothing to measure yet
		for range 3 {
			refusalCycle(c.p, c.clk, 19) // 19 admitted in the second between refusals
		}
	}
	want := 19 * paceMargin
	if !near(held.Limit(), want) {
		t.Fatalf("held at %v, want %v (95 %% of the 19/s admitted between refusals)", held.Limit(), want)
	}
	for range 19 { // no refusals for 9.5 s: no probing above the held rate
		window(held, clk, 9, 0)
	}
	if !near(held.Limit(), want) {
		t.Errorf("after 9.5 s without refusals: %v, want still %v", held.Limit(), want)
	}
	for range 21 { // 20 s: a tenth more after each 10 s
		window(held, clk, 9, 0)
	}
	if want := want * paceHoldStep * paceHoldStep; !near(held.Limit(), want) {
		t.Errorf("after 20 s without refusals: %v, want %v (two slow probes)", held.Limit(), want)
	}
	if plain.Limit() != 0 {
		t.Errorf("without the option: limited at %v, want unlimited (the rule is opt-in)", plain.Limit())
	}
}

// A windowed cut below the held rate recovers up to it, not beyond.
func TestPacer_holdCapsRecovery(t *testing.T) {
	p, clk := newTestPacer(0)
	p.HoldAtRefusals()
	p.Observe(context.Background(), answer(429), nil)
	refusalCycle(p, clk, 19)
	window(p, clk, 2, 8) // most refused: cut to what was admitted
	if p.Limit() >= 19*paceMargin {
		t.Fatalf("not cut: %v", p.Limit())
	}
	for range 18 { // 9 s: recovered, and not yet probing
		window(p, clk, 20, 0)
	}
	if !near(p.Limit(), 19*paceMargin) {
		t.Errorf("recovered to %v, want the held %v", p.Limit(), 19*paceMargin)
	}
}

// The first refusal has no previous one to measure from: the pacer spreads
// the answers admitted in the seconds before it over that time and the
// Retry-After. Without a Retry-After it has nothing to go by, and answers
// older than paceHoldLookback do not count.
func TestPacer_holdsFromTheFirstRefusal(t *testing.T) {
	p, clk := newTestPacer(0)
	p.HoldAtRefusals()
	for range 20 { // a bucket of 20 drained in 100 ms
		clk.add(5 * time.Millisecond)
		p.Observe(context.Background(), answer(200), nil)
	}
	clk.add(5 * time.Millisecond)
	log := &recLogger{}
	p.name = "GET /x"
	p.Observe(context.Background(), answer(429, "Retry-After", "1"), log)
	// 20 answers from the first (at 5 ms) to the refusal (105 ms): 0.1 s,
	// plus the second the refusal asks to wait.
	want := 20 / 1.1 * paceMargin
	if !near(p.Limit(), want) {
		t.Errorf("after the first refusal: %v, want %v", p.Limit(), want)
	}
	// The DEBUG log says what the rate was set from.
	if len(log.lines) != 1 || log.lines[0].level != "DEBUG" || log.lines[0].fields["measured"] != "first refusal" ||
		log.lines[0].fields["admitted"] != 20 || log.lines[0].fields["endpoint"] != "GET /x" ||
		!near(log.lines[0].fields["requests_per_second"].(float64), want) {
		t.Errorf("logged %+v", log.lines)
	}

	p, clk = newTestPacer(0)
	p.HoldAtRefusals()
	window(p, clk, 20, 0)
	p.Observe(context.Background(), answer(429), nil)
	if p.held != 0 {
		t.Errorf("a first refusal without Retry-After held the rate at %v", p.held)
	}

	p, clk = newTestPacer(0)
	p.HoldAtRefusals()
	for range paceMinSample - 1 { // too few answers to tell a rate
		clk.add(5 * time.Millisecond)
		p.Observe(context.Background(), answer(200), nil)
	}
	p.Observe(context.Background(), answer(429, "Retry-After", "1"), nil)
	if p.held != 0 {
		t.Errorf("a refusal after %d answers held the rate at %v", paceMinSample-1, p.held)
	}

	p, clk = newTestPacer(0)
	p.HoldAtRefusals()
	for range 20 { // a busy start, then 20 s of nothing: stale
		window(p, clk, 50, 0)
	}
	clk.add(20 * time.Second)
	for range 10 {
		clk.add(100 * time.Millisecond)
		p.Observe(context.Background(), answer(200), nil)
	}
	clk.add(100 * time.Millisecond)
	p.Observe(context.Background(), answer(429, "Retry-After", "1"), nil)
	if want := 10 / 2.0 * paceMargin; !near(p.held, want) { // 1 s of answers, 1 s of Retry-After
		t.Errorf("with a busy start 20 s before: held %v, want %v (only the last 10 s count)", p.held, want)
	}
	if len(p.okTimes) != 0 {
		t.Errorf("%d answer times kept after the first refusal", len(p.okTimes))
	}
}

// A site that says half its budget or more is spent makes requests scarce
// (coalesced reads batch) before it refuses any, without slowing them.
func TestPacer_pacedWhenNearTheLimit(t *testing.T) {
	p, clk := newTestPacer(0)
	window(p, clk, 20, 0, "X-RateLimit-NearLimit", "false")
	if p.Paced() {
		t.Fatal("paced while the budget is not near its end")
	}
	clk.add(time.Millisecond)
	p.Observe(context.Background(), answer(200, "X-RateLimit-NearLimit", "true"), nil)
	if !p.Paced() || p.Limit() != 0 {
		t.Errorf("after a near-limit answer: paced %v, limit %v; want paced and unlimited", p.Paced(), p.Limit())
	}
	for _, c := range []struct {
		limit, left string
		low         bool
	}{
		{"20", "10", false}, {"20", "9", true}, {"20", "0", true}, {"20", "-1", false},
		{"0", "0", false}, {"", "3", false}, {"20", "", false}, {"many", "3", false},
	} {
		p, clk := newTestPacer(0)
		clk.add(time.Millisecond)
		p.Observe(context.Background(), answer(200, "X-RateLimit-Limit", c.limit, "X-RateLimit-Remaining", c.left), nil)
		if p.Paced() != c.low {
			t.Errorf("limit %q, remaining %q: paced %v, want %v", c.limit, c.left, p.Paced(), c.low)
		}
	}
}

// Endpoints that share a pacer are spaced, cut and held as one.
func TestPacing_share(t *testing.T) {
	pg := newPacing(0, false)
	pg.Share("reads", "GET /a", "GET /b")
	a, b, c := pg.Endpoint("GET /a"), pg.Endpoint("GET /b"), pg.Endpoint("GET /c")
	if a != b || a == c || pg.Endpoint("reads") != a {
		t.Fatalf("shared endpoints have pacers %p and %p (reads: %p), the other %p", a, b, pg.Endpoint("reads"), c)
	}
	a.Observe(context.Background(), answer(429), nil)
	if !pg.Paced("GET /b") || pg.Paced("GET /c") {
		t.Errorf("a refusal of /a: /b paced %v, /c paced %v", pg.Paced("GET /b"), pg.Paced("GET /c"))
	}
}

// Coalesced account reads hold their endpoints' pacers; other endpoints,
// and account reads that are not coalesced, keep probing.
func TestClient_holdsOnlyCoalescedAccountReads(t *testing.T) {
	c := newTestClient(t, &fakeAPI{status: 200, body: "{}"}, Config{})
	for _, ep := range []string{epGetUser.Name(), epBulkUsers.Name()} {
		if !c.Pacing().Endpoint(ep).hold {
			t.Errorf("%s: not held", ep)
		}
	}
	// One flow of account requests: a single read right after a bulk one
	// waits its turn, and the held rate counts both.
	if c.Pacing().Endpoint(epGetUser.Name()) != c.Pacing().Endpoint(epBulkUsers.Name()) {
		t.Error("single and bulk account reads are paced apart")
	}
	if c.Pacing().Endpoint(epSearchUser.Name()).hold {
		t.Error("search is held")
	}
	c = newTestClient(t, &fakeAPI{status: 200, body: "{}"}, Config{NoReadCoalescing: true})
	if c.Pacing().Endpoint(epGetUser.Name()).hold {
		t.Error("held without coalescing")
	}
	if c.Pacing().Endpoint(epGetUser.Name()) == c.Pacing().Endpoint(epBulkUsers.Name()) {
		t.Error("account endpoints share a pacer without coalescing")
	}
}
