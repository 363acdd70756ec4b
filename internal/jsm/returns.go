package jsm

import (
	"slices"
	"time"
)

// Terraform reads in waves of -parallelism: the readers a batch answered
// do Terraform's work for their resource, and most come back with their
// next read. How long that takes is not a constant: it grows with the
// state (a plan of 10,000 resources spends more per resource than one of
// 300), with what else a resource does between reads (an import, a plan),
// and with how busy the machine is; and some readers never come back (the
// last resources of a run, a slot whose next resource is of another type).
// So the coalescer learns it within the run: returns pairs each read with
// the oldest reader answered and not back, and keeps the recent delays and
// the share of readers that came back at all.
const (
	// returnSamples recent delays are kept; their returnQuantile, with
	// returnMargin on top, is the wait for a reader expected back.
	returnSamples  = 64
	returnQuantile = 0.9
	returnMargin   = 1.25
	// Until minReturnSamples have come back, a reader is expected within
	// defaultReturnDelay.
	minReturnSamples   = 8
	defaultReturnDelay = 50 * time.Millisecond
	// A reader not back within returnHorizon times the delay (and at least
	// minReturnHorizon) is not coming back: it no longer holds a gather.
	returnHorizon    = 4
	minReturnHorizon = 250 * time.Millisecond
	// Below minReturnRate (readers that come back, of those answered: an
	// exponential average over about returnRateSpan readers) nobody is
	// waited for: the batch forms from what arrives within the window.
	minReturnRate  = 0.5
	returnRateSpan = 32
)

// returns is what the coalescer learned of its readers' returns. Not safe
// for concurrent use: the coalescer holds its lock.
type returns struct {
	// pending holds the answer times of readers answered and not back,
	// oldest first.
	pending []time.Time
	delays  []time.Duration // the last returnSamples delays, a ring
	next    int
	// expected and typical are the delays' returnQuantile (with
	// returnMargin) and median, made when a delay is recorded: reads ask
	// for them far more often than returns change them. Set (learned)
	// from minReturnSamples on.
	expected, typical time.Duration
	learned           bool
	// rate is the share of answered readers that came back.
	rate float64
	// request is an average of how long a batch's request takes.
	request time.Duration
}

func newReturns() *returns {
	return &returns{rate: 1, delays: make([]time.Duration, 0, returnSamples)}
}

// answered records k readers answered at t.
func (r *returns) answered(t time.Time, k int) {
	for range k {
		r.pending = append(r.pending, t)
	}
}

// arrived records a read at t: the oldest reader answered and not back is
// taken to be back, after t minus its answer time.
func (r *returns) arrived(t time.Time) {
	r.expire(t)
	if len(r.pending) == 0 {
		return
	}
	d := t.Sub(r.pending[0])
	r.pending = r.pending[1:]
	if len(r.delays) < returnSamples {
		r.delays = append(r.delays, d)
	} else {
		r.delays[r.next] = d
	}
	r.next = (r.next + 1) % returnSamples
	r.seen(1)
	if r.learned = len(r.delays) >= minReturnSamples; r.learned {
		sorted := slices.Sorted(slices.Values(r.delays))
		r.typical = sorted[len(sorted)/2]
		r.expected = time.Duration(float64(sorted[min(len(sorted)-1, int(returnQuantile*float64(len(sorted))))]) * returnMargin)
	}
}

// requested records how long a batch's request took.
func (r *returns) requested(d time.Duration) {
	if r.request == 0 {
		r.request = d
		return
	}
	r.request += (d - r.request) / 8
}

// cycle is how long a reader takes from one read to the next when it
// reads alone: the request and the typical return.
func (r *returns) cycle() time.Duration {
	if !r.learned {
		return defaultReturnDelay + r.request
	}
	return r.typical + r.request
}

// budgetWait is how long the reads of a batch may wait on average: budget
// (a share) of their cycle.
func (r *returns) budgetWait(budget float64) time.Duration {
	return time.Duration(budget * float64(r.cycle()))
}

// expire drops the readers answered too long before now to be coming back.
func (r *returns) expire(now time.Time) {
	horizon := max(returnHorizon*r.delay(), minReturnHorizon)
	n := 0
	for n < len(r.pending) && now.Sub(r.pending[n]) > horizon {
		n++
	}
	for range n {
		r.seen(0)
	}
	r.pending = r.pending[n:]
}

func (r *returns) seen(back float64) {
	r.rate += (back - r.rate) / returnRateSpan
}

// delay is how long after its answer a reader is expected back.
func (r *returns) delay() time.Duration {
	if !r.learned {
		return defaultReturnDelay
	}
	return r.expected
}

// awaited is what a gather that started at start waits for: how many
// readers answered by then are not back yet (none when readers mostly do
// not come back), and when the last of them is expected.
func (r *returns) awaited(start time.Time) (n int, until time.Time) {
	if r.rate < minReturnRate {
		return 0, time.Time{}
	}
	n, _ = slices.BinarySearchFunc(r.pending, start, func(t, start time.Time) int {
		if t.After(start) {
			return 1
		}
		return -1
	})
	if n == 0 {
		return 0, time.Time{}
	}
	return n, r.pending[n-1].Add(r.delay())
}

// gatherPlan is what decides when a gathering batch goes out.
type gatherPlan struct {
	now, start, last time.Time // the decision, the gather's start, the last read queued
	meanArrival      time.Time // the mean of the queued reads' arrivals
	floor            time.Duration
	queued, maxBatch int
	// awaited readers answered before start are not back, and expected by
	// awaitedUntil; wasAwaiting says the gather waited for some at first.
	awaited      int
	awaitedUntil time.Time
	wasAwaiting  bool
	// window: reads this close go together; maxGather bounds a gather that
	// waits for readers (at least as long as one return); budgetWait
	// bounds it by what its reads may lose on average (returns.budgetWait,
	// for the most hurried of them): a batch sent budgetWait after their
	// mean arrival makes them wait that long on average.
	window, maxGather, budgetWait time.Duration
}

// gatherUntil is when a gathering batch goes out (now or earlier: at
// once). At least floor after its start (the window, or the pacer's wait);
// a full batch at once; once every reader it waited for is back, at once;
// while some are not, until the last of them is expected; and window
// after the last read; at most maxGather after its start, and budgetWait
// after its reads' mean arrival.
func gatherUntil(p gatherPlan) time.Time {
	floor := p.start.Add(p.floor)
	switch {
	case p.queued >= p.maxBatch:
		return p.now
	case p.wasAwaiting && p.awaited == 0:
		return floor
	}
	until := p.last.Add(p.window)
	if p.awaited > 0 {
		until = later(until, p.awaitedUntil)
	}
	until = earlier(until, earlier(p.start.Add(p.maxGather), p.meanArrival.Add(p.budgetWait)))
	return later(until, floor)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
