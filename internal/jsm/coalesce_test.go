package jsm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// fakeReads is a coalescer over strings whose requests can be held open.
type fakeReads struct {
	c *coalescer[string]

	mu          sync.Mutex
	batches     [][]string // IDs of each request, in order
	inFlight    int
	maxInFlight int
	gate        chan struct{} // requests wait for it when non-nil
	manyCtx     []context.Context
	manyErrs    []error       // each batch's context error as its request ended
	latency     time.Duration // how long each request takes
	readBudget  float64       // the reads' budget (0: 1)
}

// newFakeReads is a coalescer whose batches gather until turn is closed
// (nil: no wait).
func newFakeReads(maxBatch int, turn chan struct{}, gate chan struct{}) *fakeReads {
	f := &fakeReads{gate: gate}
	f.c = &coalescer[string]{maxBatch: maxBatch,
		gather: func() time.Duration {
			if turn != nil {
				<-turn
			}
			return 0
		},
		one: func(ctx context.Context, id string) (string, error) {
			f.enter([]string{id}, nil)
			defer f.leave()
			return "user " + id, nil
		},
		many: func(ctx context.Context, ids []string) map[string]outcome[string] {
			f.enter(ids, ctx)
			defer f.leave()
			f.mu.Lock()
			f.manyErrs = append(f.manyErrs, ctx.Err())
			f.mu.Unlock()
			out := map[string]outcome[string]{}
			for _, id := range ids {
				if id != "missing" {
					out[id] = outcome[string]{val: "user " + id}
				}
			}
			return out
		},
	}
	return f
}

func (f *fakeReads) enter(ids []string, ctx context.Context) {
	f.mu.Lock()
	f.batches = append(f.batches, slices.Clone(ids))
	f.inFlight++
	f.maxInFlight = max(f.maxInFlight, f.inFlight)
	if ctx != nil {
		f.manyCtx = append(f.manyCtx, ctx)
	}
	gate, latency := f.gate, f.latency
	f.mu.Unlock()
	if gate != nil {
		<-gate
	}
	time.Sleep(latency)
}

func (f *fakeReads) leave() {
	f.mu.Lock()
	f.inFlight--
	f.mu.Unlock()
}

func (f *fakeReads) requests() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.batches)
}

// queued waits until n reads wait in the queue.
func (f *fakeReads) queued(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		f.c.mu.Lock()
		got := len(f.c.queue)
		f.c.mu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d reads queued, want %d", got, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// inFlightRequests waits until n requests are in flight.
func (f *fakeReads) inFlightRequests(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		f.mu.Lock()
		got := f.inFlight
		f.mu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d requests in flight, want %d", got, n)
		}
		time.Sleep(time.Millisecond)
	}
}

type readResult struct {
	id string
	o  outcome[string]
}

func (f *fakeReads) readAsync(ctx context.Context, id string, out chan<- readResult) {
	go func() { out <- readResult{id, f.c.read(ctx, id, f.budget())} }()
}

// budget is the budget of the fake's reads: 1 (the whole cycle, so that
// no budget bounds a gather) unless a test sets one.
func (f *fakeReads) budget() float64 {
	if f.readBudget == 0 {
		return 1
	}
	return f.readBudget
}

// A read that finds no other goes out alone (one), after the gather.
func TestCoalescerLoneReadGoesAlone(t *testing.T) {
	f := newFakeReads(40, nil, nil)
	o := f.c.read(context.Background(), "a", readBudget)
	if o.val != "user a" || o.err != nil || len(f.requests()) != 1 || !slices.Equal(f.requests()[0], []string{"a"}) {
		t.Fatalf("lone read: %+v, requests %v", o, f.requests())
	}
}

// Reads that arrive during the gather go out together as one batch, each
// distinct ID once; an ID the batch's answer leaves out settles alone.
func TestCoalescerBatchesOverlappingReads(t *testing.T) {
	turn := make(chan struct{})
	f := newFakeReads(40, turn, nil)
	out := make(chan readResult, 10)
	for _, id := range []string{"a", "b", "c", "b", "missing"} {
		f.readAsync(context.Background(), id, out)
	}
	f.queued(t, 5)
	close(turn)
	got := map[string]outcome[string]{}
	for range 5 {
		r := <-out
		got[r.id] = r.o
	}
	reqs := f.requests()
	if len(reqs) != 1 || len(reqs[0]) != 4 || !slices.Contains(reqs[0], "missing") {
		t.Fatalf("requests %v, want one batch of the 4 distinct IDs", reqs)
	}
	if got["b"].val != "user b" || got["c"].val != "user c" || !got["missing"].settle || got["missing"].val != "" {
		t.Errorf("answers %+v", got)
	}
}

// No batch holds more than maxBatch IDs: a full queue goes at once, without
// waiting for the gather; every read is answered.
func TestCoalescerBounds(t *testing.T) {
	turn := make(chan struct{})
	f := newFakeReads(3, turn, nil)
	out := make(chan readResult, 50)
	for i := range 50 {
		f.readAsync(context.Background(), fmt.Sprint("id", i), out)
	}
	// 16 full batches go while the gather still waits; two reads remain.
	for deadline := time.Now().Add(5 * time.Second); len(f.requests()) < 16; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d requests while gathering, want 16 full batches", len(f.requests()))
		}
	}
	f.queued(t, 2)
	close(turn)
	for range 50 {
		if r := <-out; r.o.val != "user "+r.id || r.o.err != nil {
			t.Errorf("%s: %+v", r.id, r.o)
		}
	}
	n := 0
	for _, b := range f.requests() {
		if len(b) > 3 {
			t.Errorf("a batch of %d IDs: %v", len(b), b)
		}
		n += len(b)
	}
	if n != 50 || len(f.requests()) != 17 {
		t.Errorf("%d IDs in %d requests, want 50 in 17", n, len(f.requests()))
	}
}

// A waiting read whose context ends returns at once and leaves the queue;
// the others are read, and their batch's request is not cancelled.
func TestCoalescerCancelOneWaitingRead(t *testing.T) {
	turn := make(chan struct{})
	f := newFakeReads(40, turn, nil)
	out := make(chan readResult, 3)
	ctx, cancel := context.WithCancel(context.Background())
	f.readAsync(context.Background(), "a", out)
	f.readAsync(ctx, "b", out)
	f.readAsync(context.Background(), "c", out)
	f.queued(t, 3)
	cancel()
	if r := <-out; r.id != "b" || !errors.Is(r.o.err, context.Canceled) {
		t.Fatalf("the cancelled read answered %+v", r)
	}
	f.queued(t, 2)
	close(turn)
	for range 2 {
		if r := <-out; r.o.val != "user "+r.id || r.o.err != nil {
			t.Errorf("%s: %+v", r.id, r.o)
		}
	}
	reqs := f.requests()
	if len(reqs) != 1 || !slices.Equal(slices.Sorted(slices.Values(reqs[0])), []string{"a", "c"}) {
		t.Errorf("requests %v, want [a c]", reqs)
	}
	if err := f.manyErrs[0]; err != nil {
		t.Errorf("the batch's context ended: %v", err)
	}
}

// The read that started a batch may give up during the gather without
// cancelling the others, which go out without it.
func TestCoalescerFirstReadCancelled(t *testing.T) {
	turn := make(chan struct{})
	f := newFakeReads(40, turn, nil)
	out := make(chan readResult, 3)
	ctx, cancel := context.WithCancel(context.Background())
	f.readAsync(ctx, "a", out)
	f.queued(t, 1)
	for _, id := range []string{"b", "c"} {
		f.readAsync(context.Background(), id, out)
	}
	f.queued(t, 3)
	cancel()
	if r := <-out; r.id != "a" || !errors.Is(r.o.err, context.Canceled) {
		t.Fatalf("first answer %s: %+v, want a cancelled", r.id, r.o)
	}
	close(turn)
	for range 2 {
		if r := <-out; r.o.val != "user "+r.id || r.o.err != nil {
			t.Errorf("%s: %+v", r.id, r.o)
		}
	}
	if reqs := f.requests(); len(reqs) != 1 || slices.Contains(reqs[0], "a") || len(reqs[0]) != 2 {
		t.Fatalf("requests %v, want one of b and c", reqs)
	}
}

// A batch's request ends only when every read in it has given up.
func TestCoalescerBatchContextEndsWithItsLastRead(t *testing.T) {
	turn, gate := make(chan struct{}), make(chan struct{})
	f := newFakeReads(40, turn, gate)
	out := make(chan readResult, 2)
	ctxA, cancelA := context.WithCancel(context.Background())
	ctxB, cancelB := context.WithCancel(context.Background())
	f.readAsync(ctxA, "a", out)
	f.readAsync(ctxB, "b", out)
	f.queued(t, 2)
	close(turn)
	f.inFlightRequests(t, 1)
	batchCtx := f.manyCtx[0]
	cancelA()
	<-out
	if batchCtx.Err() != nil {
		t.Fatal("the batch was cancelled while b still waits")
	}
	cancelB()
	select {
	case <-batchCtx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the batch's context did not end after its last read gave up")
	}
	close(gate)
}

// A gather ends when every read queued for it gives up (the pacer's wait
// may be long): the next read does not wait out the turn of reads that
// are gone.
func TestCoalescerGatherEndsWhenItsReadsGiveUp(t *testing.T) {
	f := newFakeReads(40, nil, nil)
	var calls atomic.Int32
	f.c.gather = func() time.Duration {
		if calls.Add(1) == 1 {
			return time.Hour
		}
		return 0
	}
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan readResult, 2)
	f.readAsync(ctx, "a", out)
	f.queued(t, 1)
	for calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if r := <-out; !errors.Is(r.o.err, context.Canceled) {
		t.Fatalf("a: %+v, want cancelled", r.o)
	}
	f.readAsync(context.Background(), "b", out)
	select {
	case r := <-out:
		if r.o.val != "user b" || r.o.err != nil {
			t.Errorf("b: %+v", r.o)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("b still waits behind the hour-long gather of a read that gave up")
	}
	if reqs := f.requests(); len(reqs) != 1 || !slices.Equal(reqs[0], []string{"b"}) {
		t.Errorf("requests %v, want b alone", reqs)
	}
}

// The gather's own clock, in fake time (testing/synctest: time moves only
// when every goroutine of the test waits), so that the decisions are exact
// whatever the machine's speed: reads within window of each other go
// together; readers a batch answered are waited for, as long as a return
// takes (50 ms before the run has shown how long), and the last of them
// back sends the batch at once; readers that do not come back hold a
// gather no longer than that.
func TestCoalescerWindowInFakeTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newTimedFakeReads()
		out := make(chan readResult, 10)
		sent := func() [][]string {
			synctest.Wait()
			return f.requests()
		}
		at := func(d time.Duration, ids ...string) {
			time.Sleep(d)
			for _, id := range ids {
				f.readAsync(context.Background(), id, out)
			}
		}
		at(0, "a")
		at(3*time.Millisecond, "b") // 3 ms after a: within the window
		at(4*time.Millisecond, "c") // 4 ms after b
		if got := sent(); len(got) != 0 {
			t.Fatalf("sent %v at 7 ms, within the window of c", got)
		}
		at(5 * time.Millisecond) // 12 ms: c's window ended at 12 ms
		if got := sent(); len(got) != 1 || !slices.Equal(got[0], []string{"a", "b", "c"}) {
			t.Fatalf("requests %v at 12 ms, want [a b c]", got)
		}
		for range 3 {
			<-out
		}
		// Three readers answered at 12 ms: expected back by 62 ms.
		at(10*time.Millisecond, "d") // 22 ms
		at(2*time.Millisecond, "e")  // 24 ms
		at(30 * time.Millisecond)    // 54 ms: far past the window, c not back
		if got := sent(); len(got) != 1 {
			t.Fatalf("requests %v at 54 ms, want d and e waiting for the third reader", got)
		}
		at(time.Millisecond, "f") // 55 ms: the third is back
		if got := sent(); len(got) != 2 || !slices.Equal(got[1], []string{"d", "e", "f"}) {
			t.Fatalf("requests %v at 55 ms, want [d e f] at once", got)
		}
		for range 3 {
			<-out
		}
		// Three answered at 55 ms, and only g comes back: it waits until
		// they were expected (105 ms), not longer.
		at(5*time.Millisecond, "g") // 60 ms
		at(44 * time.Millisecond)   // 104 ms
		if got := sent(); len(got) != 2 {
			t.Fatalf("requests %v at 104 ms, want g waiting", got)
		}
		at(time.Millisecond) // 105 ms
		if got := sent(); len(got) != 3 || !slices.Equal(got[2], []string{"g"}) {
			t.Fatalf("requests %v at 105 ms, want [g] third", got)
		}
		<-out
		// Long after, nobody is awaited (the two not back gave up): reads
		// go window after the last.
		at(300*time.Millisecond, "h") // 405 ms: the two not back gave up
		at(4*time.Millisecond, "j")   // 409 ms
		at(8 * time.Millisecond)      // 417 ms
		if got := sent(); len(got) != 4 || !slices.Equal(got[3], []string{"h", "j"}) {
			t.Fatalf("requests %v at 417 ms, want [h j] window after j", got)
		}
		for range 2 {
			<-out
		}
	})
}

// newTimedFakeReads is a fake with the client's window (5 ms) and bound
// (100 ms) on gathers, for tests in fake time.
func newTimedFakeReads() *fakeReads {
	f := newFakeReads(40, nil, nil)
	f.c.window, f.c.maxGather = 5*time.Millisecond, 100*time.Millisecond
	f.c.gather = func() time.Duration { return f.c.window }
	return f
}

// runSlots reads like Terraform's -parallelism slots: slot s makes reads(s)
// reads, each after work(s, i) once the last was answered, with budget;
// it returns how long each read took in the coalescer.
func runSlots(c *coalescer[string], slots int, reads func(s int) int, budget float64, work func(s, i int) time.Duration) []time.Duration {
	var mu sync.Mutex
	var waits []time.Duration
	var wg sync.WaitGroup
	for s := range slots {
		wg.Go(func() {
			for i := range reads(s) {
				start := time.Now()
				c.read(context.Background(), fmt.Sprintf("s%d-%d", s, i), budget)
				mu.Lock()
				waits = append(waits, time.Since(start))
				mu.Unlock()
				time.Sleep(work(s, i))
			}
		})
	}
	wg.Wait()
	return waits
}

// Readers that take longer to come back than the first guess (100 to 172 ms
// of Terraform's work between reads, as in a plan of thousands of
// resources) travel in whole waves once the run has shown how long they
// take: the gather learns it, rather than relying on a fixed gap.
func TestCoalescerLearnsHowLongReadersTake(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newTimedFakeReads()
		const slots, reads = 10, 30
		runSlots(f.c, slots, func(int) int { return reads }, 1, func(s, _ int) time.Duration {
			return 100*time.Millisecond + time.Duration(s)*8*time.Millisecond
		})
		// The first waves split (the first guess is 50 ms); once the run
		// has shown how long readers take, every wave travels whole (the
		// cut between waves may fall anywhere: the ten readers of one
		// request are ten slots, not one round): 30 waves, and the three
		// fragments of the first two. A fixed 50 ms sends 105 requests.
		reqs := f.requests()
		if len(reqs) > reads+3 {
			sizes := make([]int, len(reqs))
			for i, b := range reqs {
				sizes[i] = len(b)
			}
			t.Errorf("%d requests for %d waves of %d, want at most %d: %v", len(reqs), reads, slots, reads+3, sizes)
		}
	})
}

// Readers that mostly do not come back are not waited for once the run
// has shown it: of each wave of ten, two read again after 100 ms of work,
// and the other eight never do (as when a slot's next step is something
// other than this read). The two wait the window, not the 125 ms the run
// has learned a return takes.
func TestCoalescerStopsWaitingForReadersThatDoNotComeBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newTimedFakeReads()
		const rounds = 12
		waits := make([]time.Duration, rounds)
		for round := range rounds {
			var wg sync.WaitGroup
			for i := range 10 {
				wg.Go(func() {
					f.c.read(context.Background(), fmt.Sprintf("r%d-%d", round, i), 1)
					if i >= 2 {
						return // never back
					}
					time.Sleep(100 * time.Millisecond)
					start := time.Now()
					f.c.read(context.Background(), fmt.Sprintf("r%d-%d-again", round, i), 1)
					if i == 0 {
						waits[round] = time.Since(start)
					}
				})
			}
			wg.Wait()
			time.Sleep(time.Second) // the eight are given up for
		}
		for round, w := range waits[rounds-4:] {
			if w > 5*time.Millisecond {
				t.Errorf("round %d: a reader that came back waited %v, want at most the window (5ms)", rounds-4+round, w)
			}
		}
		f.c.mu.Lock()
		rate := f.c.returns.rate
		f.c.mu.Unlock()
		if rate >= minReturnRate {
			t.Errorf("return rate %.2f, want below %.2f", rate, minReturnRate)
		}
	})
}

// Waves that arrive while the readers of another wave are out (a slot per
// resource, readers that mostly come back, one that does not) never hold
// a read longer than the learned return takes after its batch's answer.
func TestCoalescerWaitIsBoundedByTheReturn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newTimedFakeReads()
		reads := func(s int) int {
			if s == 0 {
				return 1 // gone after its first read
			}
			return 20
		}
		waits := runSlots(f.c, 10, reads, 1, func(s, i int) time.Duration { return time.Duration(10+(i*7+s*3)%20) * time.Millisecond })
		for _, w := range waits {
			if w > 100*time.Millisecond {
				t.Errorf("a read waited %v, more than the longest gather", w)
			}
		}
	})
}

// What a read's budget buys, in fake time, with ten slots and requests of
// 50 ms. A refresh at scale (readers back 100 to 172 ms after their
// answer): at readBudget the waves travel whole once the run has learned
// the returns, about one request a wave, for at most a quarter of the
// cycle. An import of thousands (back 100 to 136 ms after, 4 ms apart as
// on two busy cores): at importBudget a read waits no more than a
// twentieth of its cycle on average, and batches carry two reads or more.
func TestCoalescerBudgets(t *testing.T) {
	for _, tt := range []struct {
		name            string
		budget          float64
		spacing         time.Duration
		maxReqs         int
		maxMeanWaitPart float64
	}{
		{"refresh", readBudget, 8 * time.Millisecond, 40, 0.25},
		{"import", importBudget, 4 * time.Millisecond, 150, importBudget},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFakeReads(40, nil, nil)
				f.latency = 50 * time.Millisecond
				f.c.window, f.c.maxGather = 5*time.Millisecond, 100*time.Millisecond
				f.c.gather = func() time.Duration { return f.c.window }
				const slots, reads = 10, 30
				waits := runSlots(f.c, slots, func(int) int { return reads }, tt.budget, func(s, _ int) time.Duration {
					return 100*time.Millisecond + time.Duration(s)*tt.spacing
				})
				// A read's time in the coalescer is its wait and the
				// request's 50 ms; its cycle adds the slots' mean work.
				var waited time.Duration
				for _, w := range waits {
					waited += w - f.latency
				}
				mean := waited / (slots * reads)
				cycle := 100*time.Millisecond + 9*tt.spacing/2 + f.latency
				reqs := len(f.requests())
				if reqs > tt.maxReqs {
					t.Errorf("%d requests for %d reads, want at most %d", reqs, slots*reads, tt.maxReqs)
				}
				if part := float64(mean) / float64(cycle); part > tt.maxMeanWaitPart {
					t.Errorf("reads waited %v on average, %.3f of a %v cycle, want at most %.3f", mean, part, cycle, tt.maxMeanWaitPart)
				}
				t.Logf("%d requests, mean wait %v (%.3f of the cycle)", reqs, mean, float64(mean)/float64(cycle))
			})
		})
	}
}
