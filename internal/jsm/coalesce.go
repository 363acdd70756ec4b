package jsm

import (
	"context"
	"sync"
	"time"
)

// coalescer turns overlapping reads by ID into few requests. A read joins
// a queue; the first read of an empty queue waits gather() for others,
// and as long as others keep coming within window of each other, then the
// queue goes out as one request: one when it holds a single ID, many for
// two or more. A queue that reaches maxBatch goes at once.
//
// Readers come back: Terraform reads in waves of -parallelism, and each
// slot a batch answers starts its next read once Terraform has done its
// own work for the last one, which on a busy machine spreads a wave over
// tens of milliseconds. So while reads answered earlier have not come back
// (expect), the gather waits up to gap between reads instead of window,
// and goes at once when the last of them is back; at most maxGather.
//
// The batch's request runs on a context of its own, which ends when every
// read in it has given up: a read whose context ends leaves the queue (or
// stops waiting for its batch) without cancelling the others.
type coalescer[T any] struct {
	maxBatch               int
	window, gap, maxGather time.Duration
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
	// expect counts the reads answered whose readers have not read again.
	expect int
	back   chan struct{} // signalled when expect falls to 0
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
	if c.expect > 0 {
		if c.expect--; c.expect == 0 && c.back != nil {
			select {
			case c.back <- struct{}{}:
			default:
			}
		}
	}
	switch {
	case len(c.queue) >= c.maxBatch:
		go c.send(c.takeLocked())
	case c.gaveUp == nil:
		c.gaveUp = make(chan struct{})
		if c.back == nil {
			c.back = make(chan struct{}, 1)
		}
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

// gatherThenSend waits gather(), then window after the last read queued
// (gap while reads are expected back, none once they all are), up to
// maxGather, or until every queued read has given up; then it sends what
// is queued.
func (c *coalescer[T]) gatherThenSend(gaveUp chan struct{}) {
	start := time.Now()
	c.mu.Lock()
	back := c.back
	select {
	case <-back: // said for an earlier gather
	default:
	}
	c.mu.Unlock()
	for wait := c.gather(); wait > 0; {
		t := time.NewTimer(wait)
		allBack := false
		select {
		case <-t.C:
		case <-gaveUp:
		case <-back:
			allBack = true
		}
		t.Stop()
		c.mu.Lock()
		quiet := c.window
		if c.expect > 0 {
			quiet = c.gap
		}
		wait = min(time.Until(c.last.Add(quiet)), time.Until(start.Add(c.maxGather)))
		if allBack || c.gaveUp != gaveUp || len(c.queue) == 0 {
			wait = 0
		}
		if wait <= 0 {
			c.expect = 0 // those not back by now are not reading
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
	// Their readers may read again as soon as they are answered: count
	// them before answering, or a quick reader's next read would not count
	// as back.
	c.mu.Lock()
	c.expect += len(batch)
	c.mu.Unlock()
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
