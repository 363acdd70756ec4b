package jsm

import (
	"context"
	"sync"
	"time"
)

// coalescer turns overlapping reads by ID into few requests. A read joins
// a queue; the first read of an empty queue starts a gather, and the queue
// goes out as one request when the gather ends: one when it holds a single
// ID, many for two or more. A queue that reaches maxBatch goes at once.
//
// When a gather ends is gatherUntil's decision: readers a batch answered
// come back (Terraform reads in waves of -parallelism), so a gather waits
// for the readers answered before it started, as long as returns says they
// take, and goes at once when the last is back; with none expected, it
// waits window after the last read. No read waits on average more than its
// budget allows: the share of its cycle it may lose (readBudget for a
// refresh, importBudget for an import).
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

	mu      sync.Mutex
	queue   []*pendingRead[T]
	last    time.Time // the last read queued
	returns *returns
	arrived chan struct{} // signalled when a read is queued
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
	ctx context.Context
	id  string
	// budget is the share of its own time this read may lose waiting for
	// others (readBudget, importBudget).
	budget float64
	at     time.Time // when it was queued
	done   chan struct{}
	out    outcome[T]
}

// read answers the read of id, in a batch (of one, if no other came),
// losing at most about budget of its time waiting for the others.
func (c *coalescer[T]) read(ctx context.Context, id string, budget float64) outcome[T] {
	p := &pendingRead[T]{ctx: ctx, id: id, budget: budget, done: make(chan struct{})}
	c.mu.Lock()
	p.at = time.Now()
	c.queue, c.last = append(c.queue, p), p.at
	c.returnsLocked().arrived(c.last)
	switch {
	case len(c.queue) >= c.maxBatch:
		go c.send(c.takeLocked())
	case c.gaveUp == nil:
		c.gaveUp = make(chan struct{})
		go c.gatherThenSend(c.gaveUp, c.last)
	default:
		select {
		case c.arrived <- struct{}{}:
		default:
		}
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

// returnsLocked is the coalescer's returns and its arrival signal, made
// on first use.
func (c *coalescer[T]) returnsLocked() *returns {
	if c.returns == nil {
		c.returns, c.arrived = newReturns(), make(chan struct{}, 1)
	}
	return c.returns
}

// gatherThenSend waits until gatherUntil says the batch goes, deciding
// again as reads arrive, or until every queued read has given up; then it
// sends what is queued.
func (c *coalescer[T]) gatherThenSend(gaveUp chan struct{}, start time.Time) {
	floor := c.gather()
	c.mu.Lock()
	arrived := c.arrived
	select {
	case <-arrived: // said for an earlier gather
	default:
	}
	waitingFor, _ := c.returns.awaited(start)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		now := time.Now()
		c.returns.expire(now)
		n, until := c.returns.awaited(start)
		budget, mean := c.queuedLocked()
		wait := gatherUntil(gatherPlan{
			now: now, start: start, last: c.last, meanArrival: mean, floor: floor,
			queued: len(c.queue), maxBatch: c.maxBatch,
			awaited: n, awaitedUntil: until, wasAwaiting: waitingFor > 0,
			window: c.window, maxGather: max(c.maxGather, c.returns.delay()),
			budgetWait: c.returns.budgetWait(budget),
		}).Sub(now)
		if c.gaveUp != gaveUp || len(c.queue) == 0 {
			wait = 0
		}
		c.mu.Unlock()
		if wait <= 0 {
			break
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-gaveUp:
		case <-arrived:
		}
		t.Stop()
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

// queuedLocked is the smallest budget of the queued reads (1, the whole
// cycle, for none) and the mean of their arrivals.
func (c *coalescer[T]) queuedLocked() (least float64, mean time.Time) {
	least = 1.0
	if len(c.queue) == 0 {
		return least, c.last
	}
	var sum time.Duration
	first := c.queue[0].at
	for _, p := range c.queue {
		least = min(least, p.budget)
		sum += p.at.Sub(first)
	}
	return least, first.Add(sum / time.Duration(len(c.queue)))
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
	sent := time.Now()
	if len(ids) == 1 {
		v, err := c.one(ctx, ids[0])
		c.answered(len(batch), time.Since(sent))
		answer(ids[0], outcome[T]{val: v, err: err})
		return
	}
	got := c.many(ctx, ids)
	c.answered(len(batch), time.Since(sent))
	for _, id := range ids {
		o, ok := got[id]
		if !ok {
			o = outcome[T]{settle: true}
		}
		answer(id, o)
	}
}

// answered records k readers about to be answered, by a request that
// took took: they may read again at once, so before they are.
func (c *coalescer[T]) answered(k int, took time.Duration) {
	c.mu.Lock()
	r := c.returnsLocked()
	r.requested(took)
	r.answered(time.Now(), k)
	c.mu.Unlock()
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
