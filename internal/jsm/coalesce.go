package jsm

import (
	"context"
	"sync"
	"time"
)

// coalescer turns concurrent reads by ID into few requests, by natural
// batching: a read that finds fewer requests in flight than the bound
// goes out at once, alone, with no added wait; reads that arrive while
// the bound is reached queue, and the queue goes out as one batch (at most
// maxBatch IDs) as soon as a request ends. Under load, batches grow with
// the queue; when reads are rare, each goes alone.
//
// The bound adapts: maxInFlight while requests are plentiful, so that no
// read waits for another; 1 while scarce() (the endpoint is paced after
// 429 answers or answers saying half the budget is spent, or a rate cap is
// set), so that every read arriving while a
// request is in flight, waiting in the pacer or sleeping before a retry
// joins the next batch.
//
// The batch's request runs on a context of its own, which ends when every
// read in it has given up: a read whose context ends leaves the queue (or
// stops waiting for its batch) without cancelling the others.
type coalescer[T any] struct {
	maxBatch    int
	maxInFlight int
	// scarce reports whether requests are scarce; nil: never.
	scarce func() bool
	// pace is how long a request would wait for its turn at the pacer now
	// (nil: none). While scarce, a request waits it out before its batch is
	// formed, so that the reads arriving meanwhile go with it, not after.
	pace func() time.Duration
	// one reads a single ID (a lone read, or a batch of one).
	one func(ctx context.Context, id string) (T, error)
	// many reads a batch of two or more distinct IDs and answers each.
	many func(ctx context.Context, ids []string) map[string]outcome[T]

	mu       sync.Mutex
	inFlight int
	queue    []*pendingRead[T]
	// gaveUp, while a batch waits out the pacer, is closed when every read
	// queued for it has given up, so that the wait ends with them.
	gaveUp chan struct{}
}

// outcome is the answer to one ID of a batch. settle asks the reader to
// settle its ID itself with a single read (the batch's answer left it out,
// or said nothing reliable about it, why), starting at attempt.
type outcome[T any] struct {
	val     T
	err     error
	settle  bool
	attempt int
	why     string
}

type pendingRead[T any] struct {
	ctx  context.Context
	id   string
	done chan struct{}
	out  outcome[T]
}

// read answers the read of id, alone or in a batch.
func (c *coalescer[T]) read(ctx context.Context, id string) outcome[T] {
	c.mu.Lock()
	if c.inFlight < c.maxInFlight && !c.scarceNow() && len(c.queue) == 0 {
		c.inFlight++
		c.mu.Unlock()
		v, err := c.one(ctx, id)
		c.release()
		return outcome[T]{val: v, err: err}
	}
	p := &pendingRead[T]{ctx: ctx, id: id, done: make(chan struct{})}
	c.queue = append(c.queue, p)
	c.dispatchLocked() // scarce and nothing in flight: p leads the next batch
	c.mu.Unlock()
	select {
	case <-p.done:
		return p.out
	case <-ctx.Done():
		c.mu.Lock()
		for i, q := range c.queue {
			if q == p {
				c.queue = append(c.queue[:i:i], c.queue[i+1:]...)
				break
			}
		}
		if len(c.queue) == 0 && c.gaveUp != nil {
			close(c.gaveUp)
			c.gaveUp = nil
		}
		c.mu.Unlock()
		var zero T
		return outcome[T]{val: zero, err: ctx.Err()}
	}
}

func (c *coalescer[T]) scarceNow() bool { return c.scarce != nil && c.scarce() }

// release ends a request: the queue, if any, goes out as the next batch.
func (c *coalescer[T]) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inFlight--
	c.dispatchLocked()
}

// dispatchLocked starts batches while requests may go and reads wait.
func (c *coalescer[T]) dispatchLocked() {
	scarce, bound := c.scarceNow(), c.maxInFlight
	if scarce {
		bound = 1
	}
	for c.inFlight < bound && len(c.queue) > 0 {
		c.inFlight++
		if scarce && c.pace != nil {
			go c.paced()
			return
		}
		go c.send(c.takeLocked())
	}
}

// takeLocked takes the next batch off the queue.
func (c *coalescer[T]) takeLocked() []*pendingRead[T] {
	n := min(len(c.queue), c.maxBatch)
	batch := append([]*pendingRead[T](nil), c.queue[:n]...)
	c.queue = append(c.queue[:0:0], c.queue[n:]...)
	return batch
}

// paced sends the next batch once the pacer would let its request go:
// the wait is the pacer's, not an added one, and the reads that queue
// during it travel in this request instead of the next.
func (c *coalescer[T]) paced() {
	if d := c.pace(); d > 0 {
		c.waitOrGiveUp(d)
	}
	c.mu.Lock()
	batch := c.takeLocked()
	c.mu.Unlock()
	if len(batch) == 0 { // every read gave up meanwhile
		c.release()
		return
	}
	c.send(batch)
}

// waitOrGiveUp waits d, or until every queued read has given up.
func (c *coalescer[T]) waitOrGiveUp(d time.Duration) {
	c.mu.Lock()
	if len(c.queue) == 0 {
		c.mu.Unlock()
		return
	}
	gaveUp := make(chan struct{})
	c.gaveUp = gaveUp
	c.mu.Unlock()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-gaveUp:
	}
	c.mu.Lock()
	if c.gaveUp == gaveUp {
		c.gaveUp = nil
	}
	c.mu.Unlock()
}

// send reads one batch and hands each read its outcome.
func (c *coalescer[T]) send(batch []*pendingRead[T]) {
	defer c.release()
	ctx, cancel := batchContext(batch)
	defer cancel()
	byID := map[string][]*pendingRead[T]{}
	var ids []string
	for _, p := range batch {
		if byID[p.id] == nil {
			ids = append(ids, p.id)
		}
		byID[p.id] = append(byID[p.id], p)
	}
	answer := func(id string, o outcome[T]) {
		for _, p := range byID[id] {
			p.out = o
			close(p.done)
		}
	}
	if len(ids) == 1 {
		v, err := c.one(ctx, ids[0])
		answer(ids[0], outcome[T]{val: v, err: err})
		return
	}
	got := c.many(ctx, ids)
	for _, id := range ids {
		o, ok := got[id]
		if !ok {
			o = outcome[T]{settle: true}
		}
		answer(id, o)
	}
}

// batchContext is the context of a batch's request: the values (loggers)
// of its first read, and done once every read in it is done.
func batchContext[T any](batch []*pendingRead[T]) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(batch[0].ctx))
	var mu sync.Mutex
	left := len(batch)
	stops := make([]func() bool, 0, len(batch))
	for _, p := range batch {
		stops = append(stops, context.AfterFunc(p.ctx, func() {
			mu.Lock()
			defer mu.Unlock()
			if left--; left == 0 {
				cancel()
			}
		}))
	}
	return ctx, func() {
		for _, stop := range stops {
			stop()
		}
		cancel()
	}
}
