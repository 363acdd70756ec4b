package jsm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite/contract"
)

const (
	routeUser = "GET /rest/api/3/user"
	routeBulk = "GET /rest/api/3/user/bulk"
)

// batchFixture is a client on a local site.
type batchFixture struct {
	site   *jsmsite.Site
	client *Client
}

func newBatchFixture(t *testing.T) *batchFixture {
	t.Helper()
	site, err := jsmsite.New(jsmsite.Config{Email: "admin@example.com", APIToken: "token-123"})
	if err != nil {
		t.Fatal(err)
	}
	contract.Enable(t, site)
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	f := &batchFixture{site: site}
	cfg := Config{BaseURL: srv.URL, Email: "admin@example.com", APIToken: "token-123",
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond}
	if f.client, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *batchFixture) add(t *testing.T, name string) string {
	t.Helper()
	a, err := f.site.AddCustomer(name, strings.ReplaceAll(strings.ToLower(name), " ", ".")+"@example.com")
	if err != nil {
		t.Fatal(err)
	}
	return a.AccountID
}

type userResult struct {
	u   *User
	err error
}

// readBatch reads ids with GetUser, their batch held until all of them
// have queued, so that they go out together; it returns each answer.
func (f *batchFixture) readBatch(t *testing.T, ids ...string) map[string]userResult {
	t.Helper()
	ctx := context.Background()
	gate := make(chan struct{})
	f.client.accounts.gather = func() time.Duration { <-gate; return 0 }
	var mu sync.Mutex
	out := map[string]userResult{}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			u, err := f.client.GetUser(ctx, id)
			mu.Lock()
			out[id] = userResult{u, err}
			mu.Unlock()
		})
	}
	// How soon they queue is the machine's business: waitQueued gives them
	// a minute, a bound for a hang only.
	waitQueued(t, f.client.accounts.coalescer, len(ids))
	close(gate)
	wg.Wait()
	return out
}

// Inside a batch, each account is judged as a single read judges it: an
// active and an inactive account are answers, a deleted one answers as
// deleted (LooksDeleted), an ID the bulk answer leaves out settles with a
// single read (404: not found), and a corrupted record is refused after the
// same number of asks as alone.
func TestGetUserBatchJudgesEachAccountAsAlone(t *testing.T) {
	f := newBatchFixture(t)
	active, inactive := f.add(t, "Active Person"), f.add(t, "Inactive Person")
	deleted, corrupted := f.add(t, "Deleted Person"), f.add(t, "Corrupted Person")
	f.site.SetActive(inactive, false)
	f.site.DeleteAccount(deleted)
	f.site.DeleteAccount(corrupted)
	f.site.CorruptAccount(corrupted)
	unknown := "qm:00000000-0000-0000-0000-000000000000:0"

	got := f.readBatch(t, active, inactive, deleted, corrupted, unknown)
	if r := got[active]; r.err != nil || r.u.AccountID != active || !r.u.Active || r.u.AccountType != "customer" ||
		r.u.Email != "active.person@example.com" || r.u.Links.Self == "" {
		t.Errorf("active: %+v %v", r.u, r.err)
	}
	if r := got[inactive]; r.err != nil || r.u.Active || r.u.LooksDeleted("Inactive Person") {
		t.Errorf("inactive: %+v %v", r.u, r.err)
	}
	if r := got[deleted]; r.err != nil || !r.u.LooksDeleted("Deleted Person") {
		t.Errorf("deleted: %+v %v", r.u, r.err)
	}
	var unreliable *UnreliableError
	if r := got[corrupted]; !errors.As(r.err, &unreliable) || unreliable.Attempts != unreliableReasks+1 ||
		!strings.Contains(r.err.Error(), corrupted) || IsNotFound(r.err) {
		t.Errorf("corrupted: %+v %v", r.u, r.err)
	}
	if r := got[unknown]; !IsNotFound(r.err) || !strings.Contains(r.err.Error(), "404") {
		t.Errorf("unknown: %+v %v", r.u, r.err)
	}
	req := f.site.Requests()
	// One bulk read, the unknown ID settled alone, and the corrupted record
	// settled alone: its bulk answer (accountId "unknown") cannot be told
	// apart from another's.
	if req[routeBulk][200] != 1 || req[routeUser][404] != 1 || req[routeUser][200] != 1+unreliableReasks {
		t.Errorf("requests %v", req)
	}
}

// During an outage every account of a batch answers fallback values: each
// read fails, naming its account, after as many asks as alone.
func TestGetUserBatchOutage(t *testing.T) {
	f := newBatchFixture(t)
	a, b := f.add(t, "Person A"), f.add(t, "Person B")
	_ = f.site.SetAccountAnswers(jsmsite.AccountAnswers{Unavailable: true})
	got := f.readBatch(t, a, b)
	for _, id := range []string{a, b} {
		if r := got[id]; !errors.Is(r.err, ErrUnreliableAnswer) || !strings.Contains(r.err.Error(), id) ||
			!strings.Contains(r.err.Error(), "fallback values") {
			t.Errorf("%s: %+v %v", id, r.u, r.err)
		}
	}
}

// A site that hands out small pages is read page after page; a site or
// proxy without the bulk read (404) is read account by account, and the
// client stops asking for bulk reads.
func TestGetUserBatchPagingAndFallback(t *testing.T) {
	f := newBatchFixture(t)
	var ids []string
	for _, n := range []string{"A", "B", "C", "D", "E"} {
		ids = append(ids, f.add(t, "Person "+n))
	}
	_ = f.site.SetAccountAnswers(jsmsite.AccountAnswers{BulkPageCap: 2})
	for id, r := range f.readBatch(t, ids...) {
		if r.err != nil || r.u.AccountID != id {
			t.Errorf("%s: %+v %v", id, r.u, r.err)
		}
	}
	if n := f.site.RequestCount(routeBulk, 200); n != 3 {
		t.Errorf("%d bulk pages, want 3", n)
	}

	f = newBatchFixture(t)
	ids = []string{f.add(t, "Person F"), f.add(t, "Person G")}
	f.site.Use(func(route string, next http.Handler) http.Handler {
		if route != routeBulk {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			jsmsite.MarkFault(r) // a 404 the document does not list: a site without the operation
			http.NotFound(w, r)
		})
	})
	for id, r := range f.readBatch(t, ids...) {
		if r.err != nil || r.u.AccountID != id {
			t.Errorf("%s: %+v %v", id, r.u, r.err)
		}
	}
	if f.client.accounts.notFound.Load() != 1 || f.site.RequestCount(routeUser, 200) != 2 {
		t.Errorf("no fallback to single reads: %v", f.site.Requests())
	}
	for range bulkGone - 1 {
		f.client.bulkUsers(context.Background(), ids, &f.client.accounts.notFound)
	}
	if !f.client.accounts.noBulk() {
		t.Errorf("bulk reads still asked for after %d answers 404", bulkGone)
	}
}

// A site that answers 404 for a list holding an unknown ID: every account
// of that batch is read alone, the unknown one found missing, and bulk
// reads go on.
func TestGetUserBatchUnknownAnswered404(t *testing.T) {
	f := newBatchFixture(t)
	_ = f.site.SetAccountAnswers(jsmsite.AccountAnswers{BulkUnknown404: true})
	known, unknown := f.add(t, "Person A"), "qm:00000000-0000-0000-0000-000000000000:0"
	got := f.readBatch(t, known, unknown)
	if r := got[known]; r.err != nil || r.u.AccountID != known {
		t.Errorf("known: %+v %v", r.u, r.err)
	}
	if r := got[unknown]; !IsNotFound(r.err) {
		t.Errorf("unknown: %+v %v", r.u, r.err)
	}
	if f.client.accounts.noBulk() || f.site.RequestCount(routeBulk, 404) != 1 {
		t.Errorf("requests %v", f.site.Requests())
	}
}

// A batch answered 429, 503 or with a dropped connection is retried by the
// client's retries: no read fails. One that keeps failing fails every read
// in it, each naming its own account.
func TestGetUserBatchFailures(t *testing.T) {
	for name, faults := range map[string]jsmsite.Faults{
		"429":  {FailNext: 2, FailNextRoute: routeBulk, FailNextStatus: 429, RetryAfter: time.Millisecond},
		"503":  {FailNext: 2, FailNextRoute: routeBulk, FailNextStatus: 503, RetryAfter: time.Millisecond},
		"drop": {FailNext: 2, FailNextRoute: routeBulk, FailNextDrop: true},
	} {
		t.Run(name, func(t *testing.T) {
			f := newBatchFixture(t)
			ids := []string{f.add(t, "Person A"), f.add(t, "Person B"), f.add(t, "Person C")}
			if err := f.site.SetFaults(faults); err != nil {
				t.Fatal(err)
			}
			for id, r := range f.readBatch(t, ids...) {
				if r.err != nil || r.u.AccountID != id {
					t.Errorf("%s: %+v %v", id, r.u, r.err)
				}
			}
			if n := f.site.RequestCount(routeBulk, 200); n != 1 || f.site.RequestCount(routeBulk, -1) != 3 {
				t.Errorf("bulk requests %v", f.site.Requests()[routeBulk])
			}
		})
	}

	f := newBatchFixture(t)
	ids := []string{f.add(t, "Person A"), f.add(t, "Person B")}
	f.site.Use(func(route string, next http.Handler) http.Handler {
		if route != routeBulk {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			jsmsite.MarkFault(r) // a 403 the document does not list
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"errorMessages":["You do not have the permission to browse users and groups."],"errors":{}}`))
		})
	})
	for id, r := range f.readBatch(t, ids...) {
		var be *BatchError
		if !errors.As(r.err, &be) || be.AccountID != id || !strings.Contains(r.err.Error(), "reading account "+id) ||
			StatusCode(r.err) != 403 || IsNotFound(r.err) {
			t.Errorf("%s: %+v %v", id, r.u, r.err)
		}
	}
}

// Reads that overlap go out together, with no switch: on a client with
// default settings, a wave of ten reads travels in one bulk read, and a
// lone read goes alone (GET /rest/api/3/user). The test releases the wave
// itself (the batch gathers until all ten are queued), so the counts are
// exact whatever the machine's speed; how long the default gather waits is
// TestCoalescerWindowInFakeTime's.
func TestGetUserBatchesOverlappingReadsByDefault(t *testing.T) {
	f := newBatchFixture(t)
	if got := f.client.accounts.gather(); got != gatherWindow {
		t.Fatalf("an unpaced client gathers %v, want the window %v", got, gatherWindow)
	}
	var ids []string
	for i := range 10 {
		ids = append(ids, f.add(t, fmt.Sprintf("Person %d", i)))
	}
	wave := len(ids)
	f.client.accounts.gather = func() time.Duration {
		waitQueued(t, f.client.accounts.coalescer, wave)
		return 0
	}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			if u, err := f.client.GetUser(context.Background(), id); err != nil || u.AccountID != id {
				t.Errorf("%s: %+v, %v", id, u, err)
			}
		})
	}
	wg.Wait()
	if bulk, single := f.site.RequestCount(routeBulk, -1), f.site.RequestCount(routeUser, -1); bulk != 1 || single != 0 {
		t.Errorf("%d bulk and %d single reads for a wave of 10 reads, want one bulk read: %v",
			bulk, single, f.site.Requests())
	}
	wave = 1
	if _, err := f.client.GetUser(context.Background(), ids[0]); err != nil {
		t.Fatal(err)
	}
	if f.site.RequestCount(routeBulk, -1) != 1 || f.site.RequestCount(routeUser, -1) != 1 {
		t.Errorf("the lone read did not go alone: %v", f.site.Requests())
	}
}

// waitQueued waits until n reads wait in c's queue (a full batch would
// have gone already: n is at most its cap).
func waitQueued[T any](t *testing.T, c *coalescer[T], n int) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(time.Millisecond) {
		c.mu.Lock()
		got := len(c.queue)
		c.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%d reads queued after a minute, want %d", got, n)
			return
		}
	}
}

// A bulk read asks for as many results as IDs: the platform's default page
// is 10, so a batch of 12 without maxResults would take two requests.
func TestGetUserBatchAsksForEveryIDInOnePage(t *testing.T) {
	f := newBatchFixture(t)
	var ids []string
	for i := range 12 {
		ids = append(ids, f.add(t, fmt.Sprintf("Person %d", i)))
	}
	var asked []string
	f.site.Use(func(route string, next http.Handler) http.Handler {
		if route != routeBulk {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			asked = append(asked, r.URL.Query().Get("maxResults"))
			next.ServeHTTP(w, r)
		})
	})
	var notFound atomic.Int32
	out := f.client.bulkUsers(context.Background(), ids, &notFound)
	for _, id := range ids {
		if o := out[id]; o.err != nil || o.settle || o.val == nil || o.val.AccountID != id {
			t.Errorf("%s: %+v", id, o)
		}
	}
	if len(asked) != 1 || asked[0] != "12" {
		t.Errorf("bulk requests asked maxResults %q, want one asking 12", asked)
	}
}
