package jsm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// pagedServer serves n organizations, handing out at most serverLimit a
// page whatever limit is asked, and records what it was asked.
type pagedServer struct {
	n, serverLimit int
	mu             sync.Mutex
	starts         []int
	limits         []string
	bodies         []string
	methods        []string
	headers        []http.Header
	status         int // for writes; 0 means 204
	errBody        string
}

func (p *pagedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.methods = append(p.methods, r.Method)
	p.headers = append(p.headers, r.Header.Clone())
	w.Header().Set("Content-Type", "application/json")
	if r.Method != http.MethodGet {
		b, _ := io.ReadAll(r.Body)
		p.bodies = append(p.bodies, string(b))
		if p.status != 0 {
			w.WriteHeader(p.status)
			_, _ = io.WriteString(w, p.errBody)
			return
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	start, _ := strconv.Atoi(r.URL.Query().Get("start"))
	p.starts = append(p.starts, start)
	p.limits = append(p.limits, r.URL.Query().Get("limit"))
	end := min(start+p.serverLimit, p.n)
	var values []string
	for i := start; i < end; i++ {
		values = append(values, fmt.Sprintf(`{"id":"%d","name":"Org %d","scimManaged":false}`, i+1, i+1))
	}
	fmt.Fprintf(w, `{"size":%d,"start":%d,"limit":%d,"isLastPage":%v,"values":[%s]}`,
		len(values), start, p.serverLimit, end >= p.n, strings.Join(values, ","))
}

func newPagedClient(t *testing.T, h http.Handler) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Email: "admin@example.com", APIToken: "t", NoRetries: true})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPagingHonorsLoweredLimit(t *testing.T) {
	p := &pagedServer{n: 23, serverLimit: 7}
	c := newPagedClient(t, p)
	orgs, err := c.ListOrganizations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) != 23 || orgs[0].ID != "1" || orgs[22].Name != "Org 23" {
		t.Fatalf("got %d organizations: %+v", len(orgs), orgs)
	}
	// Pages read ahead may arrive in any order, and up to three past the
	// end (the list's length is unknown); each is asked for once. Those
	// past the end may still be arriving: read under the server's lock.
	p.mu.Lock()
	starts, limits := slices.Sorted(slices.Values(p.starts)), slices.Clone(p.limits)
	p.mu.Unlock()
	var within, past []int
	for _, s := range starts {
		if s < 23 {
			within = append(within, s)
		} else {
			past = append(past, s)
		}
	}
	if want := []int{0, 7, 14, 21}; fmt.Sprint(within) != fmt.Sprint(want) || len(past) > pagesAtOnce-1 {
		t.Fatalf("starts %v and %v past the end, want %v and at most %d (advance by what the server returned)", within, past, want, pagesAtOnce-1)
	}
	for _, l := range limits {
		if l != strconv.Itoa(PageLimit) {
			t.Fatalf("asked limit %s, want %d", l, PageLimit)
		}
	}
}

func TestPagingStopsEarlyOnFind(t *testing.T) {
	p := &pagedServer{n: 200, serverLimit: 50}
	c := newPagedClient(t, p)
	o, err := c.FindOrganizationByName(context.Background(), "Org 60")
	if err != nil || o.ID != "60" {
		t.Fatalf("found %+v, %v", o, err)
	}
	if len(p.starts) != 2 {
		t.Fatalf("%d pages read, want 2 (stop once found)", len(p.starts))
	}
	if _, err := c.FindOrganizationByName(context.Background(), "org 60"); !IsNotFound(err) {
		t.Fatalf("names match exactly: got %v", err)
	}
}

func TestPagingEmptyPageNotLast(t *testing.T) {
	c := newPagedClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"size":0,"start":0,"limit":50,"isLastPage":false,"values":[]}`)
	}))
	if _, err := c.ListOrganizations(context.Background()); err == nil || !strings.Contains(err.Error(), "empty page") {
		t.Fatalf("want an error about the empty page, got %v", err)
	}
}

func TestMembershipBatches(t *testing.T) {
	p := &pagedServer{}
	c := newPagedClient(t, p)
	ids := make([]string, 120)
	for i := range ids {
		ids[i] = fmt.Sprintf("qm:%03d", i)
	}
	if err := c.AddOrganizationMembers(context.Background(), "7", ids); err != nil {
		t.Fatal(err)
	}
	if len(p.bodies) != 3 {
		t.Fatalf("%d calls, want 3", len(p.bodies))
	}
	var seen []string
	for i, want := range []int{50, 50, 20} {
		var b struct {
			AccountIDs []string `json:"accountIds"`
		}
		if err := json.Unmarshal([]byte(p.bodies[i]), &b); err != nil || len(b.AccountIDs) != want {
			t.Fatalf("call %d: %s (%v), want %d ids", i, p.bodies[i], err, want)
		}
		seen = append(seen, b.AccountIDs...)
	}
	if fmt.Sprint(seen) != fmt.Sprint(ids) {
		t.Fatal("the batches do not add up to the ids, in order")
	}
	if err := c.AddOrganizationMembers(context.Background(), "7", nil); err != nil || len(p.bodies) != 3 {
		t.Fatalf("no ids must make no call: %v, %d calls", err, len(p.bodies))
	}
}

func TestMembershipBatchesGoOnAfterAFailure(t *testing.T) {
	p := &pagedServer{status: 400, errBody: `{"errorMessage":"The following users do not exist: qm:x."}`}
	c := newPagedClient(t, p)
	ids := make([]string, 101)
	for i := range ids {
		ids[i] = fmt.Sprint("qm:", i)
	}
	err := c.AddServiceDeskCustomers(context.Background(), "2", ids)
	if len(p.bodies) != 3 {
		t.Fatalf("%d calls, want 3 (every batch is tried)", len(p.bodies))
	}
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != 400 || !strings.Contains(err.Error(), "do not exist") {
		t.Fatalf("got %v", err)
	}
}

func TestExperimentalHeaderAndHints(t *testing.T) {
	p := &pagedServer{status: 400, errBody: `{"errorMessage":"Customers can't be removed: open access."}`}
	c := newPagedClient(t, p)
	err := c.RemoveServiceDeskCustomers(context.Background(), "1", []string{"qm:a"})
	if got := p.headers[0].Get("X-ExperimentalApi"); got != "opt-in" {
		t.Fatalf("X-ExperimentalApi = %q", got)
	}
	if err == nil || !strings.Contains(err.Error(), "Who can raise requests") {
		t.Fatalf("want the open-access hint, got %v", err)
	}
	if err := c.AddServiceDeskCustomers(context.Background(), "1", []string{"qm:a"}); strings.Contains(fmt.Sprint(err), "Who can raise") {
		t.Fatalf("the hint belongs to removal only: %v", err)
	}
	if p.headers[1].Get("X-ExperimentalApi") != "" {
		t.Fatal("adding customers is not experimental")
	}

	e := decodeError("GET", "/rest/servicedeskapi/servicedesk/1/customer", http.StatusPreconditionFailed,
		[]byte(`{"errorMessage":"This API is experimental."}`), masker{})
	if !strings.Contains(e.Error(), "X-ExperimentalApi: opt-in") {
		t.Fatalf("412 without hint: %v", e)
	}
}

// stuckServer answers every GET with the first page of a long list and
// isLastPage false, as a server or proxy that ignores start does; echo says
// whether the answer's start repeats the one asked for (else it is 0).
type stuckServer struct {
	echo bool
	n    atomic.Int32
}

func (s *stuckServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.n.Add(1)
	start := 0
	if s.echo {
		start, _ = strconv.Atoi(r.URL.Query().Get("start"))
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"size":2,"start":%d,"limit":50,"isLastPage":false,"values":[{"id":"1","name":"A"},{"id":"2","name":"B"}]}`, start)
}

func TestPagingThatDoesNotAdvanceStops(t *testing.T) {
	for _, tc := range []struct {
		name string
		echo bool
		want string
	}{
		{"start not the one asked", false, "answered start=0"},
		{"same page again", true, "repeats the previous page"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &stuckServer{echo: tc.echo}
			c := newPagedClient(t, s)
			_, err := c.ListOrganizations(context.Background())
			if err == nil || !strings.Contains(err.Error(), "GET /rest/servicedeskapi/organization: ") ||
				!strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want an error naming the endpoint and %q, got %v", tc.want, err)
			}
			if n := s.n.Load(); n != 2 {
				t.Fatalf("%d requests, want 2 (stop at the first page that does not advance)", n)
			}
		})
	}
}

func TestPagingStopsAtTheItemCap(t *testing.T) {
	srv := httptest.NewServer(&pagedServer{n: 30, serverLimit: 7})
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Email: "admin@example.com", APIToken: "t", NoRetries: true, MaxListItems: 10})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListOrganizations(context.Background())
	if err == nil || !strings.Contains(err.Error(), "GET /rest/servicedeskapi/organization: the list holds more than 10 items") {
		t.Fatalf("want the item cap error, got %v", err)
	}
	// A list of exactly the cap, and a search that stops before it, pass.
	if o, err := c.FindOrganizationByName(context.Background(), "Org 9"); err != nil || o.ID != "9" {
		t.Fatalf("found %+v, %v", o, err)
	}
	srv10 := httptest.NewServer(&pagedServer{n: 10, serverLimit: 7})
	t.Cleanup(srv10.Close)
	c10, _ := New(Config{BaseURL: srv10.URL, Email: "admin@example.com", APIToken: "t", NoRetries: true, MaxListItems: 10})
	if orgs, err := c10.ListOrganizations(context.Background()); err != nil || len(orgs) != 10 {
		t.Fatalf("a list of exactly the cap: %d, %v", len(orgs), err)
	}
}

func TestFindUserByEmailStopsOnARepeatedPage(t *testing.T) {
	var n atomic.Int32
	c := newPagedClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1) // ignores startAt: always the same 50 accounts
		users := make([]string, 50)
		for i := range users {
			users[i] = fmt.Sprintf(`{"accountId":"qm:%d","displayName":"Fred %d","active":true}`, i, i)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "["+strings.Join(users, ",")+"]")
	}))
	_, err := c.FindUserByEmail(context.Background(), "fred@example.com")
	if err == nil || IsNotFound(err) || !strings.Contains(err.Error(), "GET /rest/api/3/user/search: the page at startAt=50 repeats") {
		t.Fatalf("want the repeated-page error, got %v", err)
	}
	if n.Load() != 2 {
		t.Fatalf("%d requests, want 2", n.Load())
	}
}

// A look-up by name finds the name wherever it is, and its pages read ahead
// cost at most three past the one holding it.
func TestFindOrganizationByName_readsAhead(t *testing.T) {
	p := &pagedServer{n: 1000, serverLimit: 50}
	c := newPagedClient(t, p)
	o, err := c.FindOrganizationByName(context.Background(), "Org 777")
	if err != nil || o.ID != "777" {
		t.Fatalf("found %+v, %v", o, err)
	}
	p.mu.Lock()
	starts := slices.Sorted(slices.Values(p.starts))
	p.mu.Unlock()
	// Org 777 is on the page at 750, the sixteenth.
	if len(starts) < 16 || len(starts) > 16+pagesAtOnce-1 || starts[15] != 750 {
		t.Fatalf("pages asked %v, want the 16 up to 750 and at most %d more", starts, pagesAtOnce-1)
	}
	// Those past it may have been cancelled before they left: gaps there.
	for i, s := range starts {
		if i < 16 && s != i*50 || i > 0 && s == starts[i-1] {
			t.Fatalf("pages asked %v: each once, in steps of the server's page", starts)
		}
	}
}
