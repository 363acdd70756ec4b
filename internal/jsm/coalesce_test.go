package jsm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
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

func newFakeReads(maxBatch, maxInFlight int, gate chan struct{}) *fakeReads {
	f := &fakeReads{gate: gate}
	f.c = &coalescer[string]{maxBatch: maxBatch, maxInFlight: maxInFlight,
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

// heldFake is a coalescer of one request in flight, whose first read
// ("first") holds that request until gate is closed or sent on.
func heldFake(t *testing.T) (f *fakeReads, gate chan struct{}, out chan readResult) {
	t.Helper()
	gate = make(chan struct{})
	f = newFakeReads(40, 1, gate)
	out = make(chan readResult, 10)
	f.readAsync(context.Background(), "first", out)
	f.inFlightRequests(t, 1)
	return f, gate, out
}

type readResult struct {
	id string
	o  outcome[string]
}

func (f *fakeReads) readAsync(ctx context.Context, id string, out chan<- readResult) {
	go func() { out <- readResult{id, f.c.read(ctx, id)} }()
}

// A read that finds no request in flight goes out at once, alone, on the
// caller's goroutine: no batch, no added wait. So does a second one while
// fewer than maxInFlight requests are in flight.
func TestCoalescerLoneReadGoesAtOnce(t *testing.T) {
	f := newFakeReads(40, 2, nil)
	o := f.c.read(context.Background(), "a")
	if o.val != "user a" || o.err != nil || !slices.Equal(f.requests()[0], []string{"a"}) || len(f.requests()) != 1 {
		t.Fatalf("lone read: %+v, requests %v", o, f.requests())
	}

	gate := make(chan struct{})
	f = newFakeReads(40, 2, gate)
	out := make(chan readResult, 2)
	f.readAsync(context.Background(), "a", out)
	f.inFlightRequests(t, 1)
	f.readAsync(context.Background(), "b", out)
	f.inFlightRequests(t, 2) // b went while a is still in flight: no queue
	f.queued(t, 0)
	close(gate)
	for range 2 {
		if r := <-out; r.o.val != "user "+r.id {
			t.Errorf("%s: %+v", r.id, r.o)
		}
	}
}

// Reads queued behind requests in flight go out together as one batch as
// soon as a request ends.
func TestCoalescerBatchesReadsQueuedBehindOneInFlight(t *testing.T) {
	f, gate, out := heldFake(t)
	for _, id := range []string{"b", "c", "d", "c", "missing"} {
		f.readAsync(context.Background(), id, out)
	}
	f.queued(t, 5)
	close(gate)
	got := map[string]outcome[string]{}
	for range 6 {
		r := <-out
		got[r.id] = r.o
	}
	reqs := f.requests()
	if len(reqs) != 2 || len(reqs[1]) != 4 || !slices.Contains(reqs[1], "missing") {
		t.Fatalf("requests %v, want the lone read then one batch of the 4 distinct queued IDs", reqs)
	}
	if got["c"].val != "user c" || got["d"].val != "user d" || !got["missing"].settle || got["missing"].val != "" {
		t.Errorf("answers %+v", got)
	}
}

// However many reads come, at most maxInFlight requests are in flight and
// no batch holds more than maxBatch IDs; every read is answered.
func TestCoalescerBounds(t *testing.T) {
	gate := make(chan struct{})
	f := newFakeReads(3, 2, gate)
	out := make(chan readResult, 50)
	for i := range 50 {
		f.readAsync(context.Background(), fmt.Sprint("id", i), out)
	}
	f.inFlightRequests(t, 2)
	f.queued(t, 48)
	close(gate)
	for range 50 {
		if r := <-out; r.o.val != "user "+r.id || r.o.err != nil {
			t.Errorf("%s: %+v", r.id, r.o)
		}
	}
	if f.maxInFlight != 2 {
		t.Errorf("%d requests in flight at once, want 2", f.maxInFlight)
	}
	n := 0
	for _, b := range f.requests() {
		if len(b) > 3 {
			t.Errorf("a batch of %d IDs: %v", len(b), b)
		}
		n += len(b)
	}
	if n != 50 || len(f.requests()) > 2+16 {
		t.Errorf("%d IDs in %d requests", n, len(f.requests()))
	}
}

// A waiting read whose context ends returns at once and leaves the queue;
// the others are read, and their batch's request is not cancelled.
func TestCoalescerCancelOneWaitingRead(t *testing.T) {
	f, gate, out := heldFake(t)
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
	close(gate)
	for range 3 {
		if r := <-out; r.o.val != "user "+r.id || r.o.err != nil {
			t.Errorf("%s: %+v", r.id, r.o)
		}
	}
	reqs := f.requests()
	if len(reqs) != 2 || !slices.Equal(slices.Sorted(slices.Values(reqs[1])), []string{"a", "c"}) {
		t.Errorf("requests %v, want [first] [a c]", reqs)
	}
	if err := f.manyErrs[0]; err != nil {
		t.Errorf("the batch's context ended: %v", err)
	}
}

// A batch's request ends only when every read in it has given up.
func TestCoalescerBatchContextEndsWithItsLastRead(t *testing.T) {
	f, gate, out := heldFake(t)
	ctxA, cancelA := context.WithCancel(context.Background())
	ctxB, cancelB := context.WithCancel(context.Background())
	f.readAsync(ctxA, "a", out)
	f.readAsync(ctxB, "b", out)
	f.queued(t, 2)
	go func() { gate <- struct{}{} }() // the first request ends; the batch goes out and waits
	f.inFlightRequests(t, 1)
	for len(f.requests()) < 2 {
		time.Sleep(time.Millisecond)
	}
	batchCtx := f.manyCtx[0]
	cancelA()
	<-out // a gave up (or first answered)
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

// The bound follows scarce: while requests are plentiful reads go out
// alone, up to maxInFlight at once; once scarce, a read that finds any
// request in flight queues, and the queue goes out as one batch when the
// requests in flight have ended.
func TestCoalescerBoundDropsToOneWhenScarce(t *testing.T) {
	gate := make(chan struct{})
	f := newFakeReads(40, 16, gate)
	var scarce atomic.Bool
	f.c.scarce = scarce.Load
	out := make(chan readResult, 10)
	for _, id := range []string{"a", "b", "c"} {
		f.readAsync(context.Background(), id, out)
	}
	f.inFlightRequests(t, 3) // plentiful: none waits for another
	f.queued(t, 0)
	scarce.Store(true)
	for _, id := range []string{"d", "e"} {
		f.readAsync(context.Background(), id, out)
	}
	f.queued(t, 2)
	close(gate)
	for range 5 {
		if r := <-out; r.o.val != "user "+r.id || r.o.err != nil {
			t.Errorf("%s: %+v", r.id, r.o)
		}
	}
	reqs := f.requests()
	if len(reqs) != 4 || !slices.Equal(slices.Sorted(slices.Values(reqs[3])), []string{"d", "e"}) {
		t.Fatalf("requests %v, want a, b and c alone, then d and e in one batch", reqs)
	}

	// Scarce, a lone read still goes at once, alone.
	if o := f.c.read(context.Background(), "f"); o.val != "user f" || len(f.requests()) != 5 {
		t.Fatalf("lone read when scarce: %+v, requests %v", o, f.requests())
	}
}

// While scarce, a batch waits its turn at the pacer before it is formed,
// so that the reads arriving meanwhile go out in the same request, the
// first read's included.
func TestCoalescerScarceBatchFormsAfterThePacersWait(t *testing.T) {
	f := newFakeReads(40, 16, nil)
	f.c.scarce = func() bool { return true }
	turn := make(chan struct{})
	f.c.pace = func() time.Duration { <-turn; return 0 }
	out := make(chan readResult, 3)
	for _, id := range []string{"a", "b", "c"} {
		f.readAsync(context.Background(), id, out)
	}
	f.queued(t, 3)
	close(turn)
	for range 3 {
		if r := <-out; r.o.val != "user "+r.id || r.o.err != nil {
			t.Errorf("%s: %+v", r.id, r.o)
		}
	}
	if reqs := f.requests(); len(reqs) != 1 || len(reqs[0]) != 3 {
		t.Fatalf("requests %v, want one of a, b and c", reqs)
	}
}

// While scarce, the read that started a batch may give up during the
// pacer's wait without cancelling the others, which go out without it.
func TestCoalescerScarceFirstReadCancelled(t *testing.T) {
	f := newFakeReads(40, 16, nil)
	f.c.scarce = func() bool { return true }
	turn := make(chan struct{})
	f.c.pace = func() time.Duration { <-turn; return 0 }
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

// While scarce, a batch's wait at the pacer ends when every read queued
// for it gives up: the next read does not wait out the turn of reads that
// are gone.
func TestCoalescerPacedWaitEndsWhenItsReadsGiveUp(t *testing.T) {
	f := newFakeReads(40, 16, nil)
	f.c.scarce = func() bool { return true }
	var calls atomic.Int32
	f.c.pace = func() time.Duration {
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
		t.Fatal("b still waits behind the hour-long turn of a read that gave up")
	}
	if reqs := f.requests(); len(reqs) != 1 || !slices.Equal(reqs[0], []string{"b"}) {
		t.Errorf("requests %v, want b alone", reqs)
	}
}
