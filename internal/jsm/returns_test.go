package jsm

import (
	"testing"
	"time"
)

func TestGatherUntil(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	base := gatherPlan{
		now: ms(10), start: ms(0), last: ms(10), meanArrival: ms(5), floor: 5 * time.Millisecond,
		queued: 3, maxBatch: 40, window: 5 * time.Millisecond, maxGather: 100 * time.Millisecond,
		budgetWait: time.Hour,
	}
	tests := []struct {
		name string
		edit func(p *gatherPlan)
		want time.Time
	}{
		{"nobody awaited: window after the last read", func(*gatherPlan) {}, ms(15)},
		{"never before the floor (the pacer's wait)", func(p *gatherPlan) { p.floor = 40 * time.Millisecond }, ms(40)},
		{"a full batch at once", func(p *gatherPlan) { p.queued = 40; p.floor = time.Hour }, ms(10)},
		{"readers awaited: until the last is expected", func(p *gatherPlan) {
			p.awaited, p.awaitedUntil, p.wasAwaiting = 3, ms(60), true
		}, ms(60)},
		{"readers awaited, expected before the window ends", func(p *gatherPlan) {
			p.awaited, p.awaitedUntil, p.wasAwaiting = 1, ms(12), true
		}, ms(15)},
		{"all back: at once (after the floor)", func(p *gatherPlan) { p.wasAwaiting = true }, ms(5)},
		{"all back, past the floor: now or earlier", func(p *gatherPlan) { p.wasAwaiting, p.now = true, ms(30) }, ms(5)},
		{"awaited beyond maxGather: maxGather", func(p *gatherPlan) {
			p.awaited, p.awaitedUntil, p.wasAwaiting = 3, ms(500), true
		}, ms(100)},
		{"reads that keep coming: at most maxGather", func(p *gatherPlan) { p.last, p.now = ms(98), ms(98) }, ms(100)},
		{"the floor beats maxGather", func(p *gatherPlan) { p.floor = 300 * time.Millisecond }, ms(300)},
		{"awaited, but the budget ends the gather first", func(p *gatherPlan) {
			p.awaited, p.awaitedUntil, p.wasAwaiting, p.budgetWait = 3, ms(60), true, 20*time.Millisecond
		}, ms(25)},
		{"the budget bounds the window too", func(p *gatherPlan) { p.budgetWait = 7 * time.Millisecond }, ms(12)},
		{"the floor beats the budget", func(p *gatherPlan) { p.budgetWait, p.floor = 0, 5*time.Millisecond }, ms(5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base
			tt.edit(&p)
			if got := gatherUntil(p); !got.Equal(tt.want) {
				t.Errorf("gatherUntil = %v, want %v", got.Sub(t0), tt.want.Sub(t0))
			}
		})
	}
}

func TestReturns(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }

	r := newReturns()
	if d := r.delay(); d != defaultReturnDelay {
		t.Fatalf("delay with no sample = %v, want the default %v", d, defaultReturnDelay)
	}
	if n, _ := r.awaited(ms(0)); n != 0 {
		t.Fatalf("awaited %d with nobody answered", n)
	}
	// Ten answered at 0 ms; a gather starting at 5 ms awaits them, by the
	// default delay.
	r.answered(ms(0), 10)
	if n, until := r.awaited(ms(5)); n != 10 || !until.Equal(ms(50)) {
		t.Fatalf("awaited %d until %v, want 10 until 50ms", n, until.Sub(t0))
	}
	// A gather that started before they were answered does not await them.
	if n, _ := r.awaited(ms(-1)); n != 0 {
		t.Fatalf("a gather started before the answer awaits %d", n)
	}
	// They come back 80 to 98 ms after: the delay becomes the 90th
	// percentile of the samples with a quarter on top.
	for i := range 10 {
		r.arrived(ms(80 + 2*i))
	}
	if n, _ := r.awaited(ms(200)); n != 0 {
		t.Fatalf("awaited %d once all are back", n)
	}
	if d, want := r.delay(), time.Duration(float64(98*time.Millisecond)*returnMargin); d != want {
		t.Fatalf("delay = %v, want %v", d, want)
	}
	// Readers not back within the horizon are given up for, and lower the
	// share of readers that come back.
	r.answered(ms(1000), 4)
	r.arrived(ms(1000 + 100))
	horizon := max(returnHorizon*r.delay(), minReturnHorizon)
	r.expire(ms(1000).Add(horizon + time.Millisecond))
	if len(r.pending) != 0 {
		t.Fatalf("%d pending after the horizon", len(r.pending))
	}
	if want := 1.0 * (1 - 1.0/returnRateSpan) * (1 - 1.0/returnRateSpan) * (1 - 1.0/returnRateSpan); r.rate < want-1e-9 || r.rate > want+1e-9 {
		t.Fatalf("rate %.4f, want %.4f after three readers given up", r.rate, want)
	}
	// Below minReturnRate nobody is awaited.
	for range 2 * returnRateSpan {
		r.seen(0)
	}
	r.answered(ms(5000), 10)
	if n, _ := r.awaited(ms(5001)); n != 0 {
		t.Fatalf("awaited %d at a return rate of %.2f", n, r.rate)
	}
	// Only the last returnSamples delays count.
	for i := range returnSamples {
		r.answered(ms(10000+i), 1)
		r.arrived(ms(10000 + i + 10))
	}
	if d, want := r.delay(), time.Duration(float64(10*time.Millisecond)*returnMargin); d != want {
		t.Fatalf("delay = %v after %d returns of 10ms, want %v", d, returnSamples, want)
	}
	// A cycle is the typical return and the request; a budget is a share
	// of it.
	r.requested(50 * time.Millisecond)
	if c := r.cycle(); c != 60*time.Millisecond {
		t.Fatalf("cycle = %v, want 60ms (10ms back, 50ms request)", c)
	}
	if w := r.budgetWait(0.05); w != 3*time.Millisecond {
		t.Fatalf("budgetWait(0.05) = %v, want 3ms", w)
	}
	for range 100 {
		r.requested(90 * time.Millisecond)
	}
	if c := r.cycle(); c < 99*time.Millisecond || c > 100*time.Millisecond {
		t.Fatalf("cycle = %v after requests of 90ms, want about 100ms", c)
	}
}
