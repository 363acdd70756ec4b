package jsm

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"
)

// Account reads (GetUser) that overlap go out together as one
// GET /rest/api/3/user/bulk.
const (
	// DefaultMaxBatchedReads bounds the IDs of one bulk read: they travel
	// in the URL, and very long lists fail with 400 or 414 (JRACLOUD-78790).
	// Forty portal-customer IDs make a URL of about 4 KB.
	DefaultMaxBatchedReads = 40
	// gatherWindow is how long a batch waits for another read when no
	// reader is expected back (returns.go learns when they are): a lone
	// read waits that long, a few percent of a round trip to Atlassian.
	// gatherMax bounds a gather that waits for readers, unless the run has
	// shown that they take longer to come back. BENCHMARKS.md measures them.
	gatherWindow = 5 * time.Millisecond
	gatherMax    = 100 * time.Millisecond
	// bulkGone is how many bulk reads answered 404 in a row mean a proxy or
	// gateway without the bulk read: every read goes alone, at once, from
	// then on. One alone may be a site that answers 404 for a list with an
	// unknown ID (not documented either way), and costs only that batch's
	// reads going alone.
	bulkGone = 3
	// readBudget is the share of a read's cycle (its request, and
	// Terraform's work before its slot reads again) a refresh's read may
	// lose waiting for others: the whole of it, so that the waves of
	// -parallelism travel whole, about one request a wave (the gather's
	// own bounds, the readers' return and maxGather, end it first).
	// importBudget is an import's: the time of an import of thousands is
	// Terraform's work per resource, and a wave of ten readers waits for
	// the last of them (BENCHMARKS.md), so its reads wait at most a
	// twentieth of their cycle on average, in batches of a few.
	readBudget   = 1.0
	importBudget = 0.05
)

// accountReads is the client's coalescer of GetUser.
type accountReads struct {
	*coalescer[*User]
	notFound atomic.Int32 // bulk reads answered 404 in a row
}

func (r *accountReads) noBulk() bool { return r.notFound.Load() >= bulkGone }

func (c *Client) initAccountReads() {
	r := &accountReads{}
	r.coalescer = &coalescer[*User]{
		maxBatch: DefaultMaxBatchedReads, window: gatherWindow, maxGather: gatherMax,
		// While the account endpoints are paced, the batch waits for its
		// turn before it forms, so the reads arriving meanwhile go with it.
		gather: func() time.Duration {
			return max(gatherWindow, c.pacer.Delay(epBulkUsers.Name(), epGetUser.Name()))
		},
		one: func(ctx context.Context, id string) (*User, error) { return c.getUser(ctx, id, 0) },
		many: func(ctx context.Context, ids []string) map[string]outcome[*User] {
			if r.noBulk() {
				return nil // every ID settles alone
			}
			return c.bulkUsers(ctx, ids, &r.notFound)
		},
	}
	c.accounts = r
}

// readUser answers GetUser through the coalescer, with the read's budget.
func (c *Client) readUser(ctx context.Context, accountID string, budget float64) (*User, error) {
	if c.accounts.noBulk() {
		return c.getUser(ctx, accountID, 0) // nothing to gather for
	}
	o := c.accounts.read(ctx, accountID, budget)
	if !o.settle {
		return o.val, o.err
	}
	if o.attempt > 0 { // the batch's answer was the first ask
		if o.attempt > min(c.rc.RetryMax, unreliableReasks) {
			return nil, &UnreliableError{AccountID: accountID, Reason: o.why, Attempts: o.attempt}
		}
		if err := sleepCtx(ctx, c.rc.Backoff(c.rc.RetryWaitMin, c.rc.RetryWaitMax, o.attempt-1, nil)); err != nil {
			return nil, err
		}
	}
	return c.getUser(ctx, accountID, o.attempt)
}

// bulkPage is the platform's PageBeanUser.
type bulkPage struct {
	StartAt    int            `json:"startAt"`
	MaxResults int            `json:"maxResults"`
	Total      int            `json:"total"`
	IsLast     bool           `json:"isLast"`
	Values     []platformUser `json:"values"`
}

// bulkUsers reads ids (two or more, distinct) with GET
// /rest/api/3/user/bulk, page after page, and judges each answer as GetUser
// judges its own (unreliable): a reliable answer is the account; an ID the
// answer leaves out (no such account, or a deleted one on a site that
// answers those 404) settles with a single read, so a deleted account is
// told apart from a missing answer exactly as alone; an answer that
// describes no account counts as the first of the single read's attempts.
// A failed request (after the client's retries) fails every ID with its
// account named; a 400, 404 or 414 (a list the site or a proxy will not
// take, an unknown ID in the list, or no bulk read at all) settles every ID
// alone instead.
func (c *Client) bulkUsers(ctx context.Context, ids []string, notFound *atomic.Int32) map[string]outcome[*User] {
	out := make(map[string]outcome[*User], len(ids))
	asked := make(map[string]bool, len(ids))
	for _, id := range ids {
		asked[id] = true
	}
	for start := 0; ; {
		var p bulkPage
		err := c.do(ctx, epBulkUsers.at().withQuery(
			url.Values{"accountId": ids, "startAt": {strconv.Itoa(start)}, "maxResults": {strconv.Itoa(len(ids))}}), &p)
		if err != nil {
			return bulkFailed(ids, err, notFound)
		}
		notFound.Store(0)
		fresh := 0
		for _, u := range p.Values {
			if !asked[u.AccountID] {
				continue // "unknown", or not asked: says nothing of any ID
			}
			if _, dup := out[u.AccountID]; dup {
				continue
			}
			fresh++
			if why := u.unreliable(u.AccountID); why != "" {
				out[u.AccountID] = outcome[*User]{settle: true, attempt: 1, why: why}
				continue
			}
			out[u.AccountID] = outcome[*User]{val: u.user()}
		}
		if p.IsLast || len(out) == len(ids) {
			return out
		}
		if fresh == 0 {
			// A page that adds nothing would be asked for forever (a proxy
			// that ignores startAt): settle the rest alone.
			return out
		}
		start += len(p.Values)
	}
}

// bulkFailed is the outcome of a failed bulk read for each of its IDs.
func bulkFailed(ids []string, err error, notFound *atomic.Int32) map[string]outcome[*User] {
	out := make(map[string]outcome[*User], len(ids))
	switch StatusCode(err) {
	case http.StatusNotFound:
		notFound.Add(1)
		return nil
	case http.StatusBadRequest, http.StatusRequestURITooLong:
		return nil
	}
	for _, id := range ids {
		out[id] = outcome[*User]{err: &BatchError{AccountID: id, Batch: len(ids), Err: err}}
	}
	return out
}

// BatchError is the error of an account read that went out in a batch
// (GET /rest/api/3/user/bulk) which failed as a whole: it names the
// account, and wraps the batch's error. It never counts as IsNotFound: the
// batch's failure says nothing of whether the account exists.
type BatchError struct {
	AccountID string
	Batch     int
	Err       error
}

func (e *BatchError) Error() string {
	return fmt.Sprintf("reading account %s (together with %d other accounts): %v", e.AccountID, e.Batch-1, e.Err)
}

// Unwrap gives the batch's error (never a 404: that settles alone).
func (e *BatchError) Unwrap() error { return e.Err }
