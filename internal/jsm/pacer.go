package jsm

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Pacing works on windows of answers (about half a second each). A window where
// more than paceTarget of the answers were 429 sets the rate to what the
// server admitted in it; a window below that raises the rate, doubling it
// while far below the rate that caused the cut, else by a quarter, with no
// bound but the configured maximum. Judging the refused fraction,
// not single refusals, tells a real limit (refusals grow with the rate)
// from occasional refusals (a constant few percent), which must not slow a
// run. X-RateLimit-NearLimit (under 20 % of the budget left) on most
// answers of a window eases the rate off before requests are refused, so
// against Atlassian few requests reach the limit at all.
const (
	paceTarget    = 0.2  // refused fraction above which the rate is cut
	paceMargin    = 0.95 // the cut rate is this much of what was admitted
	paceGrow      = 1.25 // factor per window without too many refusals
	paceFloor     = 0.2  // requests per second; the rate never goes below
	paceWindow    = 500 * time.Millisecond
	paceMinSample = 10              // answers a window needs, unless...
	paceMaxWindow = 5 * time.Second // ...it has lasted this long
	// A held rate (HoldAtRefusals) rises by paceHoldStep after each
	// paceHoldProbe without a refusal: slow enough that the refusal a probe
	// meets costs a few percent of the time, fast enough that a rate held
	// too low (a Retry-After longer than the budget's refill) recovers.
	paceHoldProbe = 10 * time.Second
	paceHoldStep  = 1.1
	// paceHoldLookback is how far back the first refusal looks for what
	// the server admitted.
	paceHoldLookback = 10 * time.Second
)

// Pacer spaces the requests every goroutine of a client sends to one
// endpoint, so that when the server starts answering 429 all of them slow
// down together instead of each hitting the limit and sleeping in lockstep.
// It starts unlimited (or at the configured maximum), is cut when too many
// answers are 429, and recovers gradually. It is safe for concurrent use.
// Pacing holds one per endpoint.
type Pacer struct {
	lim  *rate.Limiter
	now  func() time.Time
	name string // the endpoint, for the log

	mu                     sync.Mutex
	ceiling                float64 // configured maximum; 0 means none
	cur                    float64 // current limit; 0 means unlimited
	winStart               time.Time
	winOK, winRefused, win int // win counts answers, winOK the admitted ones
	winNear                int // answers saying X-RateLimit-NearLimit: true
	// troubleAt is the limit in force when refusals last forced a cut (0:
	// unlimited). Far below it the rate doubles per window, near it it
	// rises by a quarter, as TCP's slow start and congestion avoidance do.
	troubleAt float64
	throttled int
	low       bool // an answer said the budget is half spent or more
	braked    bool // the limit is halved until the window ends
	fixed     bool // never adapt (Config.FixedRate)
	// hold keeps the rate at most at held, measured from the refusals
	// (HoldAtRefusals); lastRefusal and okSince measure it.
	hold        bool
	held        float64 // 0: no refusal measured yet
	lastRefusal time.Time
	okSince     int         // answers admitted since lastRefusal
	heldSince   time.Time   // the last refusal or rise of held
	okTimes     []time.Time // admitted answers before the first refusal, for paceHoldLookback
}

// NewPacer returns a pacer capped at maxPerSecond (0 or less: no cap until
// the server refuses requests).
func NewPacer(maxPerSecond float64) *Pacer {
	p := &Pacer{now: time.Now, lim: rate.NewLimiter(rate.Inf, 1)}
	if maxPerSecond > 0 {
		p.ceiling, p.cur = maxPerSecond, maxPerSecond
		p.lim.SetLimit(rate.Limit(maxPerSecond))
	}
	return p
}

// HoldAtRefusals makes the pacer hold its rate at just under what the
// server admits, instead of probing above it: where one request in flight
// carries every waiting read (coalesced account reads), each probe that
// meets a 429 stalls all of them for a Retry-After, while a slower pace
// only makes the batches bigger. Between two refusals a token bucket admits
// its refill rate (the burst it holds after a Retry-After, plus what
// refills while it drains), so that is the rate to hold. The first refusal
// has no previous one: the pacer then spreads what the server admitted in
// the seconds before it over those seconds and the Retry-After, the rate
// at which the same requests would have met no refusal if the budget
// refills by the time the server asks the client to come back. The held
// rate rises by a tenth after every paceHoldProbe without a refusal.
func (p *Pacer) HoldAtRefusals() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hold = true
}

// Wait blocks until the next request may go, or ctx ends.
func (p *Pacer) Wait(ctx context.Context) error { return p.lim.Wait(ctx) }

// Limit is the current rate limit in requests per second; 0 means unlimited.
func (p *Pacer) Limit() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cur
}

// Paced reports whether requests to the endpoint are scarce: a limit is in
// force (configured, or after 429 answers), the server has refused any, or
// it has said that half its budget or more is spent (X-RateLimit-NearLimit,
// or underHalfLeft). A site
// that refused requests once is likely to again: a window with few
// refusals leaves the pacer unlimited, yet each refusal costs its request
// a Retry-After; one whose budget runs low is about to refuse.
func (p *Pacer) Paced() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cur > 0 || p.throttled > 0 || p.low
}

// underHalfLeft reports whether an answer says that under half its budget
// is left: X-RateLimit-Remaining under half of X-RateLimit-Limit.
func underHalfLeft(h http.Header) bool {
	limit, err1 := strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Limit")))
	left, err2 := strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Remaining")))
	return err1 == nil && err2 == nil && limit > 0 && left >= 0 && 2*left < limit
}

// Delay is how long a request would wait for its turn now; it takes no
// turn.
func (p *Pacer) Delay() time.Duration { return delay(p.lim, p.now()) }

func delay(lim *rate.Limiter, now time.Time) time.Duration {
	r := lim.ReserveN(now, 1)
	defer r.CancelAt(now)
	return r.DelayFrom(now)
}

// Throttled counts the 429 answers observed.
func (p *Pacer) Throttled() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.throttled
}

// Observe counts an answer and, when a window is complete, adapts the rate.
// A nil resp (transport error) and 5xx answers say nothing about the rate.
func (p *Pacer) Observe(ctx context.Context, resp *http.Response, log Logger) {
	if resp == nil || resp.StatusCode >= 500 || p.fixed {
		return
	}
	p.mu.Lock()
	now := p.now()
	if p.winStart.IsZero() {
		p.winStart = now
	}
	p.win++
	var held map[string]any // what a refusal set the held rate from, to log
	if resp.StatusCode == http.StatusTooManyRequests {
		p.winRefused++
		p.throttled++
		held = p.holdLocked(now, resp)
		if !p.braked {
			// Brake at once, for the rest of the window: the other workers'
			// next requests would meet the same empty budget and each sleep
			// through a Retry-After.
			p.braked = true
			brake := p.cur / 2
			if p.cur == 0 {
				brake = float64(p.win) / max(now.Sub(p.winStart).Seconds(), 0.1) / 2
			}
			p.lim.SetLimitAt(now, rate.Limit(max(brake, paceFloor)))
		}
	} else {
		p.winOK++
		p.okSince++
		if p.hold && p.lastRefusal.IsZero() {
			p.okTimes = append(p.okTimes, now)
			if len(p.okTimes) > 64 && now.Sub(p.okTimes[len(p.okTimes)/2]) > paceHoldLookback {
				p.okTimes = append(p.okTimes[:0:0], p.okTimes[len(p.okTimes)/2:]...)
			}
		}
		near := strings.EqualFold(resp.Header.Get("X-RateLimit-NearLimit"), "true") // under 20 % left
		if near {
			p.winNear++
		}
		if near || underHalfLeft(resp.Header) {
			p.low = true
		}
	}
	var msg string
	var fields map[string]any
	if elapsed := now.Sub(p.winStart); elapsed >= paceWindow && (p.win >= paceMinSample || elapsed >= paceMaxWindow) {
		msg, fields = p.adaptLocked(now, elapsed)
		if p.braked {
			p.set(now, p.cur) // release the brake: the window has judged
		}
		p.winStart, p.win, p.winOK, p.winRefused, p.winNear, p.braked = now, 0, 0, 0, 0, false
	}
	p.mu.Unlock()
	p.debug(ctx, log, "holding the request rate at what the site admits", held)
	p.debug(ctx, log, msg, fields)
}

// debug logs msg with fields and the pacer's endpoint; nothing when msg or
// fields are empty.
func (p *Pacer) debug(ctx context.Context, log Logger, msg string, fields map[string]any) {
	if msg == "" || fields == nil || log == nil {
		return
	}
	if p.name != "" {
		fields["endpoint"] = p.name
	}
	log.Debug(ctx, msg, fields)
}

// adaptLocked sets the rate from the window just ended; it returns what to
// log, if anything.
func (p *Pacer) adaptLocked(now time.Time, elapsed time.Duration) (string, map[string]any) {
	refused := float64(p.winRefused) / float64(p.win)
	admitted := float64(p.winOK) / elapsed.Seconds()
	var next float64
	switch {
	case refused > paceTarget:
		// What the server let through, but at most halving: workers asleep
		// on Retry-After make a window admit less than the server would.
		next = admitted * paceMargin
		if p.cur != 0 {
			next = max(next, p.cur/2)
		}
		p.troubleAt = p.cur
	case p.winNear*2 > p.win && p.cur == 0:
		next = admitted // the budget is nearly spent at this rate
	case p.winNear*2 > p.win:
		next = p.cur * paceMargin // nearly spent: ease off a little
	case p.cur == 0:
		return "", nil
	default:
		next = p.cur * paceGrow
		if p.troubleAt == 0 || 2*p.cur < p.troubleAt {
			next = p.cur * 2
		}
		if p.ceiling > 0 {
			next = min(next, p.ceiling)
		}
		if p.held > 0 {
			if now.Sub(p.heldSince) >= paceHoldProbe && p.cur >= p.held {
				p.held *= paceHoldStep
				if p.ceiling > 0 {
					p.held = min(p.held, p.ceiling)
				}
				p.heldSince = now
			}
			next = min(next, p.held)
		}
		p.set(now, next)
		return "", nil
	}
	next = max(next, paceFloor)
	if p.cur != 0 && next >= p.cur {
		return "", nil
	}
	p.set(now, next)
	return "lowering the request rate", map[string]any{
		"requests_per_second": next, "refused": p.winRefused, "near_limit": p.winNear, "answers": p.win}
}

// holdLocked measures, on a refusal, the rate the server admits and holds
// the pacer just under it (HoldAtRefusals). It returns what the rate was
// set from, for the log (nil: not set).
func (p *Pacer) holdLocked(now time.Time, resp *http.Response) map[string]any {
	if !p.hold {
		return nil
	}
	prev, ok := p.lastRefusal, p.okSince
	p.lastRefusal, p.okSince, p.heldSince = now, 0, now
	var admits float64
	var basis map[string]any
	switch {
	case prev.IsZero():
		n, span, wait := p.firstEvidenceLocked(now, resp)
		p.okTimes = nil
		if wait <= 0 || n < paceMinSample {
			return nil // a refusal that early says little of a rate
		}
		admits = float64(n) / (span + wait).Seconds()
		basis = map[string]any{"measured": "first refusal", "admitted": n,
			"over_seconds": span.Seconds(), "retry_after_seconds": wait.Seconds()}
	case ok > 0 && now.After(prev):
		admits = float64(ok) / now.Sub(prev).Seconds()
		basis = map[string]any{"measured": "between refusals", "admitted": ok, "over_seconds": now.Sub(prev).Seconds()}
	default:
		return nil // one of a burst of refusals
	}
	held := max(admits*paceMargin, paceFloor)
	if p.ceiling > 0 {
		held = min(held, p.ceiling)
	}
	p.held = held
	if p.cur == 0 || p.cur > held {
		p.cur = held // the brake, if on, gives way to it at the window's end
		if !p.braked {
			p.set(now, held)
		}
	}
	basis["requests_per_second"] = held
	return basis
}

// firstEvidenceLocked is what a first refusal has to go by: the answers
// admitted in the paceHoldLookback before it, the time from the first of
// them to the refusal, and the wait the refusal asks for (0: none). The
// rate is the answers spread over that time and the wait, if they are at
// least paceMinSample: a refusal after two answers says little of a rate,
// and holding at such a guess would make a large plan crawl for minutes.
func (p *Pacer) firstEvidenceLocked(now time.Time, resp *http.Response) (n int, span, wait time.Duration) {
	wait, _ = serverWait(resp, now)
	from := now
	for i := len(p.okTimes) - 1; i >= 0 && now.Sub(p.okTimes[i]) <= paceHoldLookback; i-- {
		n, from = n+1, p.okTimes[i]
	}
	return n, now.Sub(from), wait
}

func (p *Pacer) set(now time.Time, perSecond float64) {
	p.cur = perSecond
	if perSecond == 0 {
		p.lim.SetLimitAt(now, rate.Inf)
		return
	}
	p.lim.SetLimitAt(now, rate.Limit(perSecond))
}

// Pacing paces a client's requests: the 429-driven slow-down is kept per
// endpoint (method and path pattern), as Atlassian's burst limits apply per
// endpoint and method, so one endpoint's refusals do not slow the others;
// a configured maximum rate applies to all requests together.
type Pacing struct {
	max    float64
	global *rate.Limiter // the configured maximum; nil: none
	fixed  bool          // never adapt (Config.FixedRate)

	mu     sync.Mutex
	by     map[string]*Pacer
	shared map[string]string // endpoint -> the name of the pacer it shares
}

func newPacing(maxPerSecond float64, fixed bool) *Pacing {
	p := &Pacing{max: maxPerSecond, fixed: fixed, by: map[string]*Pacer{}}
	if maxPerSecond > 0 {
		p.global = rate.NewLimiter(rate.Limit(maxPerSecond), 1)
	}
	return p
}

// Endpoint returns the pacer of one endpoint ("METHOD /pattern").
func (p *Pacing) Endpoint(name string) *Pacer {
	p.mu.Lock()
	defer p.mu.Unlock()
	if group, ok := p.shared[name]; ok {
		name = group
	}
	ep := p.by[name]
	if ep == nil {
		ep = NewPacer(p.max)
		ep.name, ep.fixed = name, p.fixed
		p.by[name] = ep
	}
	return ep
}

// Wait blocks until a request to the endpoint may go, or ctx ends.
func (p *Pacing) Wait(ctx context.Context, endpoint string) error {
	if err := p.Endpoint(endpoint).Wait(ctx); err != nil {
		return err
	}
	if p.global != nil {
		return p.global.Wait(ctx)
	}
	return nil
}

// Paced reports whether requests to any of the endpoints are held back: a
// maximum rate is configured, or one of their pacers has been slowed.
func (p *Pacing) Paced(endpoints ...string) bool {
	if p.global != nil {
		return true
	}
	for _, e := range endpoints {
		if p.Endpoint(e).Paced() {
			return true
		}
	}
	return false
}

// Delay is the longest a request to one of the endpoints would wait for
// its turn now, the configured maximum included; it takes no turn.
func (p *Pacing) Delay(endpoints ...string) time.Duration {
	var d time.Duration
	if p.global != nil {
		d = delay(p.global, time.Now())
	}
	for _, e := range endpoints {
		d = max(d, p.Endpoint(e).Delay())
	}
	return d
}

// Share makes the endpoints one pacer, named group, from now on: their
// requests are spaced, cut and held together, as one flow of requests that
// spends one budget. Call it before their first request.
func (p *Pacing) Share(group string, endpoints ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shared == nil {
		p.shared = map[string]string{}
	}
	for _, e := range endpoints {
		p.shared[e] = group
	}
}

// HoldAtRefusals makes the endpoints' pacers hold their rate at what the
// server admits instead of probing above it (Pacer.HoldAtRefusals).
func (p *Pacing) HoldAtRefusals(endpoints ...string) {
	for _, e := range endpoints {
		p.Endpoint(e).HoldAtRefusals()
	}
}

// Throttled counts the 429 answers observed, over all endpoints.
func (p *Pacing) Throttled() int {
	p.mu.Lock()
	pacers := make([]*Pacer, 0, len(p.by))
	for _, ep := range p.by {
		pacers = append(pacers, ep)
	}
	p.mu.Unlock()
	n := 0
	for _, ep := range pacers {
		n += ep.Throttled()
	}
	return n
}
