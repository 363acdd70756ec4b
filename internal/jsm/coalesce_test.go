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
	manyErrs    []error // each batch's context error as its request ended
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
	gate := f.gate
	f.mu.Unlock()
	if gate != nil {
		<-gate
	}
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
	go func() { out <- readResult{id, f.c.read(ctx, id)} }()
}

// A read that finds no other goes out alone (one), after the gather.
func TestCoalescerLoneReadGoesAlone(t *testing.T) {
	f := newFakeReads(40, nil, nil)
	o := f.c.read(context.Background(), "a")
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

// Readers a batch answered are expected back: the next gather waits for
// them (up to gap between reads), and goes at once when the last is back.
func TestCoalescerWaitsForTheReadersItAnswered(t *testing.T) {
	turn := make(chan struct{})
	f := newFakeReads(40, nil, nil)
	f.c.window, f.c.gap, f.c.maxGather = time.Millisecond, time.Hour, time.Hour
	var first atomic.Bool
	f.c.gather = func() time.Duration {
		if first.CompareAndSwap(false, true) {
			<-turn
		}
		return time.Millisecond
	}
	out := make(chan readResult, 6)
	for _, id := range []string{"a", "b", "c"} {
		f.readAsync(context.Background(), id, out)
	}
	f.queued(t, 3)
	close(turn)
	for range 3 {
		<-out
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		f.c.mu.Lock()
		expect := f.c.expect
		f.c.mu.Unlock()
		if expect == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("expecting %d readers back, want 3", expect)
		}
	}
	f.readAsync(context.Background(), "d", out)
	f.readAsync(context.Background(), "e", out)
	f.queued(t, 2)
	time.Sleep(20 * time.Millisecond) // far past the window: still gathering
	if n := len(f.requests()); n != 1 {
		t.Fatalf("%d requests before the last reader is back, want 1: %v", n, f.requests())
	}
	f.readAsync(context.Background(), "f", out)
	for range 3 {
		select {
		case r := <-out:
			if r.o.val != "user "+r.id {
				t.Errorf("%s: %+v", r.id, r.o)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the last reader back did not send the batch")
		}
	}
	if reqs := f.requests(); len(reqs) != 2 || len(reqs[1]) != 3 {
		t.Errorf("requests %v, want [a b c] then [d e f]", reqs)
	}
}

// The gather's own clock, in fake time (testing/synctest: time moves only
// when every goroutine of the test waits), so the windows are exact
// whatever the machine's speed: reads within window of each other go
// together; a read later than that starts the next batch, which, while
// the readers answered are not back, gathers up to gap between reads, and
// at most maxGather.
func TestCoalescerWindowInFakeTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeReads(40, nil, nil)
		f.c.window, f.c.gap, f.c.maxGather = 5*time.Millisecond, 25*time.Millisecond, 100*time.Millisecond
		f.c.gather = func() time.Duration { return f.c.window }
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
		at(6 * time.Millisecond) // 13 ms: c's window ended at 12 ms
		if got := sent(); len(got) != 1 || !slices.Equal(got[0], []string{"a", "b", "c"}) {
			t.Fatalf("requests %v at 13 ms, want [a b c]", got)
		}
		for range 3 {
			<-out
		}
		// Three readers answered, none back: d waits up to gap for them.
		at(7*time.Millisecond, "d") // 20 ms
		at(20 * time.Millisecond)   // 40 ms: within 25 ms of d
		if got := sent(); len(got) != 1 {
			t.Fatalf("requests %v at 40 ms, want d still gathering", got)
		}
		at(2*time.Millisecond, "e") // 42 ms: within 25 ms of d, so e joins
		at(26 * time.Millisecond)   // 68 ms: e's gap ended at 67 ms
		if got := sent(); len(got) != 2 || !slices.Equal(got[1], []string{"d", "e"}) {
			t.Fatalf("requests %v at 68 ms, want [d e] second", got)
		}
		for range 2 {
			<-out
		}
		// A gather that ends forgets the readers not back (the third of the
		// first batch): the two just answered are expected, and the second
		// of them back sends the batch at once, before f's window ends.
		at(2*time.Millisecond, "f") // 70 ms
		if got := sent(); len(got) != 2 {
			t.Fatalf("requests %v at 70 ms, want f gathering", got)
		}
		at(time.Millisecond, "g") // 71 ms
		if got := sent(); len(got) != 3 || !slices.Equal(got[2], []string{"f", "g"}) {
			t.Fatalf("requests %v at 71 ms, want [f g] third", got)
		}
		for range 2 {
			<-out
		}
		// Readers that keep coming within gap of each other, never all
		// back: the batch goes at maxGather after its first read.
		f.c.mu.Lock()
		f.c.expect = 100
		f.c.mu.Unlock()
		at(time.Millisecond, "k0") // 72 ms
		for i := 1; i < 5; i++ {
			at(20*time.Millisecond, fmt.Sprint("k", i)) // 92 ... 152 ms
		}
		at(19 * time.Millisecond) // 171 ms
		if got := sent(); len(got) != 3 {
			t.Fatalf("requests %v at 171 ms, want k0 to k4 gathering", got)
		}
		at(time.Millisecond) // 172 ms: 100 ms after k0
		if got := sent(); len(got) != 4 || len(got[3]) != 5 {
			t.Fatalf("requests %v at 172 ms, want k0 to k4 fourth", got)
		}
		for range 5 {
			<-out
		}
	})
}
