package jsm

import (
	"context"
	"sync"
	"time"
)

// coalescer turns overlapping reads by ID into few requests. A read joins
// a queue; the first read of an empty queue waits gather() for others,
// and as long as others keep coming within window of each other (up to
// maxGather in all: Terraform starts its reads in waves of -parallelism,
// spread over a few milliseconds), then the queue goes out as one request:
// one when it holds a single ID, many for two or more. A queue that
// reaches maxBatch goes at once.
//
// The batch's request runs on a context of its own, which ends when every
// read in it has given up: a read whose context ends leaves the queue (or
// stops waiting for its batch) without cancelling the others.
type coalescer[T any] struct {
	maxBatch          int
	window, maxGather time.Duration
	// gather is how long the first read of a batch waits for others at
	// least (the window, or the pacer's wait).
	gather func() time.Duration
	// one reads a single ID (a batch of one).
	one func(ctx context.Context, id string) (T, error)
	// many reads a batch of two or more distinct IDs and answers each.
	many func(ctx context.Context, ids []string) map[string]outcome[T]

	mu    sync.Mutex
	queue []*pendingRead[T]
	last  time.Time // the last read queued
	// gaveUp is non-nil while a batch gathers; it is closed when every read
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

// read answers the read of id, in a batch (of one, if no other came).
func (c *coalescer[T]) read(ctx context.Context, id string) outcome[T] {
	p := &pendingRead[T]{ctx: ctx, id: id, done: make(chan struct{})}
	c.mu.Lock()
	c.queue, c.last = append(c.queue, p), time.Now()
	switch {
	case len(c.queue) >= c.maxBatch:
		go c.send(c.takeLocked())
	case c.gaveUp == nil:
		c.gaveUp = make(chan struct{})
		go c.gatherThenSend(c.gaveUp)
	}
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

// gatherThenSend waits gather(), and window after the last read queued
// (up to maxGather), or until every queued read has given up, then sends
// what is queued.
func (c *coalescer[T]) gatherThenSend(gaveUp chan struct{}) {
	start := time.Now()
	for wait := c.gather(); wait > 0; {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-gaveUp:
		}
		t.Stop()
		c.mu.Lock()
		wait = min(time.Until(c.last.Add(c.window)), time.Until(start.Add(c.maxGather)))
		if c.gaveUp != gaveUp || len(c.queue) == 0 {
			wait = 0
		}
		c.mu.Unlock()
	}
	c.mu.Lock()
	if c.gaveUp == gaveUp {
		c.gaveUp = nil
	}
	batch := c.takeLocked()
	c.mu.Unlock()
	if len(batch) > 0 {
		c.send(batch)
	}
}

// takeLocked takes the next batch off the queue.
func (c *coalescer[T]) takeLocked() []*pendingRead[T] {
	n := min(len(c.queue), c.maxBatch)
	batch := append([]*pendingRead[T](nil), c.queue[:n]...)
	c.queue = append(c.queue[:0:0], c.queue[n:]...)
	return batch
}

// send reads one batch and hands each read its outcome.
func (c *coalescer[T]) send(batch []*pendingRead[T]) {
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
