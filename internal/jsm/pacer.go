package jsm

import (
	"context"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Pacing is AIMD, as TCP's congestion control: an endpoint starts
// unlimited, a 429 cuts its rate at once, and every second after the wait
// it asked for adds a little back. Requests sent during that wait meet the
// budget the cut was for: their 429s do not cut again. Atlassian's burst
// limits send no warning before their 429 (API-token traffic), so there is
// nothing to estimate from beforehand; what a 429 says is that the rate of
// the second before it was too much.
const (
	// paceCut: a 429 leaves this share of the rate it met. TCP halves;
	// 0.5 also undoes, in one cut, a burst that doubled the site's rate.
	paceCut = 0.5
	// paceStep is the rate added back per second without a 429, as a share
	// of the rate at the last cut, so that recovery takes ten seconds
	// whatever the site's limit (a fixed step would crawl back from 100/s
	// and jump from 1/s).
	paceStep = 0.1
	// paceFloor (requests per second) is the least a cut leaves: a few
	// refusals in a row must not stall an endpoint for minutes.
	paceFloor = 0.2
	// paceMinSample: a 429 cuts only after this many answers in the last
	// second or two. Fewer say little of a rate (one refusal at the start,
	// a quota spent by another client), and the request's own Retry-After
	// covers them. Five: a site that refuses the sixth request of a second
	// admits about five a second, and batched account reads need no more
	// (each carries up to 40 reads).
	paceMinSample = 5
)

// Pacer spaces the requests every goroutine of a client sends to one
// endpoint, so that when the site answers 429 all of them slow down
// together instead of each meeting the limit and sleeping in lockstep. It
// is safe for concurrent use.
type Pacer struct {
	lim *rate.Limiter
	now func() time.Time

	mu        sync.Mutex
	cur       float64   // the current rate; 0: unlimited
	cutAt     time.Time // the end of the last cut's wait; 429s to requests sent before it are judged
	step      float64   // added back per second since the last cut
	grownAt   time.Time // the last step
	second    time.Time // the start of the current second of answers
	n, prevN  int       // answers in the current and the previous second
	throttled int
}

func newPacer() *Pacer { return &Pacer{lim: rate.NewLimiter(rate.Inf, 1), now: time.Now} }

// Limit is the current rate in requests per second; 0 means unlimited.
func (p *Pacer) Limit() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cur
}

// Throttled counts the 429 answers observed.
func (p *Pacer) Throttled() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.throttled
}

// Observe counts the answer to a request sent at sent and adapts the rate.
// A nil resp (transport error) and 5xx answers say nothing about the rate.
func (p *Pacer) Observe(resp *http.Response, sent time.Time) {
	if resp == nil || resp.StatusCode >= 500 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if d := now.Sub(p.second); d >= time.Second {
		p.prevN = p.n
		if d >= 2*time.Second {
			p.prevN = 0
		}
		p.second, p.n = now, 0
	}
	p.n++
	if resp.StatusCode != http.StatusTooManyRequests {
		if p.cur > 0 && now.Sub(p.grownAt) >= time.Second {
			p.grownAt = now
			p.set(now, p.cur+p.step)
		}
		return
	}
	p.throttled++
	// A 429 to a request sent before the last cut ended (the wait its 429
	// asked for) is the same news; the answers of the last second or two
	// say what rate met the limit.
	n, span := p.n+p.prevN, now.Sub(p.second)
	if p.prevN > 0 {
		span += time.Second
	}
	if sent.Before(p.cutAt) || n < paceMinSample {
		return
	}
	was := p.cur
	if was == 0 { // unlimited: the rate the site answered (over at least 0.1 s)
		was = float64(n) / max(span.Seconds(), 0.1)
	}
	wait, _ := serverWait(resp, now)
	p.cutAt, p.grownAt, p.step = now.Add(wait), now.Add(wait), max(was*paceStep, paceFloor)
	p.set(now, max(was*paceCut, paceFloor))
}

func (p *Pacer) set(now time.Time, perSecond float64) {
	p.cur = perSecond
	p.lim.SetLimitAt(now, rate.Limit(perSecond))
}

// Pacing paces a client's requests: the 429-driven slow-down is kept per
// endpoint (method and path pattern), as Atlassian's burst limits apply per
// endpoint and method, so one endpoint's refusals do not slow the others;
// a configured maximum rate applies to all requests together.
type Pacing struct {
	global *rate.Limiter // the configured maximum; nil: none

	mu sync.Mutex
	by map[string]*Pacer
}

func newPacing(maxPerSecond float64) *Pacing {
	p := &Pacing{by: map[string]*Pacer{}}
	if maxPerSecond > 0 {
		p.global = rate.NewLimiter(rate.Limit(maxPerSecond), 1)
	}
	return p
}

// Endpoint returns the pacer of one endpoint ("METHOD /pattern").
func (p *Pacing) Endpoint(name string) *Pacer {
	p.mu.Lock()
	defer p.mu.Unlock()
	ep := p.by[name]
	if ep == nil {
		ep = newPacer()
		p.by[name] = ep
	}
	return ep
}

// Wait blocks until a request to the endpoint may go, or ctx ends.
func (p *Pacing) Wait(ctx context.Context, endpoint string) error {
	if err := p.Endpoint(endpoint).lim.Wait(ctx); err != nil {
		return err
	}
	if p.global != nil {
		return p.global.Wait(ctx)
	}
	return nil
}

// Delay is the longest a request to one of the endpoints would wait for
// its turn now, the configured maximum included; it takes no turn.
func (p *Pacing) Delay(endpoints ...string) time.Duration {
	now := time.Now()
	d := delay(p.global, now)
	for _, e := range endpoints {
		d = max(d, delay(p.Endpoint(e).lim, now))
	}
	return d
}

func delay(lim *rate.Limiter, now time.Time) time.Duration {
	if lim == nil {
		return 0
	}
	r := lim.ReserveN(now, 1)
	defer r.CancelAt(now)
	return r.DelayFrom(now)
}

// Throttled counts the 429 answers observed, over all endpoints.
func (p *Pacing) Throttled() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, ep := range p.by {
		n += ep.Throttled()
	}
	return n
}
