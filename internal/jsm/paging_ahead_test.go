package jsm

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// memberServer serves the members of organization 7, pageSize a page
// whatever limit is asked (sizeAfter for the pages after the first, when
// set). It holds each page but the first (each from holdFrom, when set)
// until hold pages are in flight together, so a test sees how many the
// client reads at once; fail answers that page with 500. A client that
// never asks for hold pages together waits holdFallback once (and its test
// fails); one that does never waits for it.
type memberServer struct {
	n, pageSize, sizeAfter, hold int
	holdFrom                     int // the first start held; 0: every start but 0
	fail                         int // a start answered 500; 0: none
	block                        int // a start held until the client gives up; 0: none

	mu          sync.Mutex
	starts      []int
	inFlight    int
	maxInFlight int
	all         chan struct{} // closed once hold pages were in flight together
	released    bool
}

func (m *memberServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start, _ := strconv.Atoi(r.URL.Query().Get("start"))
	m.mu.Lock()
	m.starts = append(m.starts, start)
	m.inFlight++
	m.maxInFlight = max(m.maxInFlight, m.inFlight)
	if m.all == nil {
		m.all = make(chan struct{})
	}
	if m.inFlight == m.hold {
		m.releaseLocked()
	}
	all := m.all
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.inFlight--
		m.mu.Unlock()
	}()
	switch {
	case start == m.block && start > 0:
		<-r.Context().Done()
		return
	case start >= max(m.holdFrom, 1) && m.hold > 1:
		select {
		case <-all:
		case <-time.After(holdFallback): // fewer were sent at once; the test says so
			m.release() // once: the test fails without waiting out every page
		}
	}
	if start == m.fail && start > 0 {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	size := m.pageSize
	if start > 0 && m.sizeAfter > 0 {
		size = m.sizeAfter
	}
	end := min(start+size, m.n)
	var values []string
	for i := start; i < end; i++ {
		values = append(values, fmt.Sprintf(`{"accountId":"qm:%d","displayName":"Member %d"}`, i, i))
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"size":%d,"start":%d,"limit":%d,"isLastPage":%v,"values":[%s]}`,
		len(values), start, size, end >= m.n, strings.Join(values, ","))
}

// release ends the hold: every page held and to come is answered.
func (m *memberServer) release() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.releaseLocked()
}

func (m *memberServer) releaseLocked() {
	if !m.released {
		m.released = true
		close(m.all)
	}
}

// holdFallback is how long a held page waits for the others before it is
// answered anyway. Requests the client sends together may reach the
// server far apart on a loaded machine, so it is long; a client that sends
// them together releases the hold at once, and the tests never wait it out.
const holdFallback = 30 * time.Second

// asked is the pages asked for so far, in the order they came; pages read
// ahead past the end may still be coming after the listing returned.
func (m *memberServer) asked() []int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.starts)
}

// most is the most pages that were in flight together.
func (m *memberServer) most() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.maxInFlight
}

func memberIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "qm:" + strconv.Itoa(i)
	}
	return ids
}

func TestMemberListing_readsTheExpectedPagesAtOnce(t *testing.T) {
	m := &memberServer{n: 230, pageSize: 10, hold: pagesAtOnce}
	c := newPagedClient(t, m)
	got, err := c.OrganizationMembers(context.Background(), "7", 230)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, memberIDs(230)) {
		t.Fatalf("got %d members, not the list in order: %v", len(got), got)
	}
	// The first page alone (it tells the page size), then the other 22
	// pages: each once, none past the end.
	asked := m.asked()
	if asked[0] != 0 || len(asked) != 23 {
		t.Fatalf("pages asked: %v, want the first, then the 22 others once each", asked)
	}
	if most := m.most(); most != pagesAtOnce {
		t.Fatalf("at most %d pages were read at once, want %d", most, pagesAtOnce)
	}
}

func TestMemberListing_withoutExpectationRampsUp(t *testing.T) {
	// 125 members, ten a page: the first page alone, then one page ahead,
	// two, and four; the three asked past the end are the cost. The server
	// holds the pages from the third on until two are in flight: the
	// second, asked alone by design, is not held.
	m := &memberServer{n: 125, pageSize: 10, hold: 2, holdFrom: 20}
	c := newPagedClient(t, m)
	got, err := c.ServiceDeskCustomerIDs(context.Background(), "7", 0)
	if err != nil || !slices.Equal(got, memberIDs(125)) {
		t.Fatalf("got %v, %v", got, err)
	}
	asked := m.asked()
	if len(asked) > 13+pagesAtOnce-1 || m.most() < 2 || m.most() > pagesAtOnce {
		t.Fatalf("pages asked %v, %d at once; want the 13 pages and at most %d more, 2 to %d at once",
			asked, m.most(), pagesAtOnce-1, pagesAtOnce)
	}
	if asked[0] != 0 || asked[1] != 10 {
		t.Fatalf("pages asked %v: the first two go one by one", asked)
	}
	// A list of two pages costs two requests.
	m = &memberServer{n: 15, pageSize: 10}
	c = newPagedClient(t, m)
	if got, err := c.OrganizationMembers(context.Background(), "7", 0); err != nil || len(got) != 15 || len(m.asked()) != 2 {
		t.Fatalf("got %d members (%v) in pages %v; want 15 in two", len(got), err, m.asked())
	}
}

// The pages read ahead are guesses; the list must be what reading one by
// one finds whatever the server does.
func TestMemberListing_wrongExpectations(t *testing.T) {
	for _, tc := range []struct {
		name               string
		n, size, sizeAfter int
		expect             int
		wantPagesAtMost    int
	}{
		{"the list shrank", 45, 10, 0, 230, 5 + 2*pagesAtOnce},
		{"the list grew", 230, 10, 0, 45, 23 + pagesAtOnce - 1},
		{"the server lowered its page size after the first", 100, 10, 7, 100, 2 + 100/7 + pagesAtOnce},
		{"the list is one page", 8, 10, 0, 100, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &memberServer{n: tc.n, pageSize: tc.size, sizeAfter: tc.sizeAfter}
			c := newPagedClient(t, m)
			got, err := c.OrganizationMembers(context.Background(), "7", tc.expect)
			if err != nil || !slices.Equal(got, memberIDs(tc.n)) {
				t.Fatalf("got %d members (%v), want the %d in order", len(got), err, tc.n)
			}
			if asked := m.asked(); len(asked) > tc.wantPagesAtMost {
				t.Fatalf("%d pages asked, want at most %d: %v", len(asked), tc.wantPagesAtMost, asked)
			}
		})
	}
}

func TestMemberListing_aFailedPageAhead(t *testing.T) {
	// The listing reaches the failed page: its error is the listing's.
	m := &memberServer{n: 100, pageSize: 10, fail: 30}
	c := newPagedClient(t, m)
	if _, err := c.OrganizationMembers(context.Background(), "7", 100); err == nil || !strings.Contains(err.Error(), "500") {
		t.Fatalf("want the page's HTTP 500, got %v", err)
	}
	// The list shrank before the failed page: the listing never reaches
	// it, and the error is nobody's.
	m = &memberServer{n: 25, pageSize: 10, fail: 50}
	c = newPagedClient(t, m)
	if got, err := c.OrganizationMembers(context.Background(), "7", 100); err != nil || len(got) != 25 {
		t.Fatalf("got %d members, %v; want 25 and no error", len(got), err)
	}
}

func TestMemberListing_stopsThePagesAheadWhenItFails(t *testing.T) {
	// The page at 20 fails while the one at 40 hangs until its request is
	// cancelled: the listing must cancel it, not wait for it forever.
	m := &memberServer{n: 100, pageSize: 10, fail: 20, block: 40}
	c := newPagedClient(t, m)
	// A minute: the deadline tells a listing that never cancels from one
	// that does, and must not judge how fast a loaded machine reads three
	// pages.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := c.OrganizationMembers(ctx, "7", 100)
	if err == nil || !strings.Contains(err.Error(), "500") {
		t.Fatalf("want the page's HTTP 500, got %v", err)
	}
	if ctx.Err() != nil {
		t.Fatal("the listing returned only when the test's own deadline passed: the page read ahead was not cancelled")
	}
}

// BenchmarkMemberListing reads a 1,000-member organization through a
// server that answers each page after 20 ms: one page at a time (a visitor,
// as the list resource reads), not knowing its length (as an import reads),
// and expecting it (as a refresh reads), in turn, and reports the last two
// as shares of the first's time.
// Run: go test -run '^$' -bench MemberListing ./internal/jsm
func BenchmarkMemberListing(b *testing.B) {
	const n, latency = 1000, 20 * time.Millisecond
	m := &memberServer{n: n, pageSize: PageLimit}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(latency)
		m.ServeHTTP(w, r)
	}))
	b.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Email: "admin@example.com", APIToken: "t", NoRetries: true})
	if err != nil {
		b.Fatal(err)
	}
	timed := func(read func() (int, error)) time.Duration {
		start := time.Now()
		if got, err := read(); err != nil || got != n {
			b.Fatalf("%d members, %v", got, err)
		}
		return time.Since(start)
	}
	var alone, unknown, expected time.Duration
	for b.Loop() {
		alone += timed(func() (int, error) {
			got := 0
			err := c.EachOrganizationMember(context.Background(), "7", func(User) bool { got++; return true })
			return got, err
		})
		unknown += timed(func() (int, error) {
			ids, err := c.OrganizationMembers(context.Background(), "7", 0)
			return len(ids), err
		})
		expected += timed(func() (int, error) {
			ids, err := c.OrganizationMembers(context.Background(), "7", n)
			return len(ids), err
		})
	}
	b.ReportMetric(float64(unknown)/float64(alone), "unknown/alone")
	b.ReportMetric(float64(expected)/float64(alone), "expected/alone")
	b.ReportMetric(float64(alone.Milliseconds())/float64(b.N), "ms-alone/op")
}
