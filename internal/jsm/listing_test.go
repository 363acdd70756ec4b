package jsm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// A listing that its visitor stops reads no further page: a query with a
// limit costs the pages it shows, not the whole list.
func TestEachOrganization_stopsReadingPages(t *testing.T) {
	p := &pagedServer{n: 120, serverLimit: 50}
	c := newPagedClient(t, p)
	var got []string
	err := c.EachOrganization(context.Background(), func(o Organization) bool {
		got = append(got, o.ID)
		return len(got) < 60
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 60 || got[59] != "60" {
		t.Fatalf("visited %d organizations, last %v", len(got), got[len(got)-1])
	}
	if fmt.Sprint(p.starts) != "[0 50]" {
		t.Fatalf("pages read at %v, want [0 50]", p.starts)
	}
}

// userSearch serves n active accounts to GET /rest/api/3/user/search as a
// plain array, paged by startAt and maxResults; stuck ignores startAt.
type userSearch struct {
	n     int
	stuck bool
	limit int // the most a page holds, whatever maxResults asks; 0: no limit
	mu    sync.Mutex
	asked []string
}

func (u *userSearch) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	u.mu.Lock()
	u.asked = append(u.asked, q.Get("query")+"@"+q.Get("startAt"))
	u.mu.Unlock()
	start, _ := strconv.Atoi(q.Get("startAt"))
	size, _ := strconv.Atoi(q.Get("maxResults"))
	if u.stuck {
		start = 0
	}
	if u.limit > 0 {
		size = min(size, u.limit)
	}
	var out []string
	for i := start; i < min(start+size, u.n); i++ {
		email := fmt.Sprintf(`"fred%d@example.com"`, i)
		if i%2 == 1 {
			email = "null" // hidden by privacy settings
		}
		out = append(out, fmt.Sprintf(`{"accountId":"acc%d","accountType":"customer","displayName":"Fred %d","emailAddress":%s,"active":true,"self":"http://x/rest/api/3/user?accountId=acc%d"}`, i, i, email, i))
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, "[%s]", strings.Join(out, ","))
}

func TestSearchUsers_readsEveryPageInOrder(t *testing.T) {
	s := &userSearch{n: 120}
	c := newPagedClient(t, s)
	var got []User
	if err := c.SearchUsers(context.Background(), "fred", func(u User) bool { got = append(got, u); return true }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 120 || got[119].AccountID != "acc119" || got[0].Email != "fred0@example.com" || got[1].Email != "" {
		t.Fatalf("got %d accounts: first %+v", len(got), got[0])
	}
	if strings.Join(s.asked, " ") != "fred@0 fred@50 fred@100" {
		t.Fatalf("asked %v", s.asked)
	}
}

func TestSearchUsers_stopsWhenTheVisitorStops(t *testing.T) {
	s := &userSearch{n: 500}
	c := newPagedClient(t, s)
	n := 0
	if err := c.SearchUsers(context.Background(), "fred", func(User) bool { n++; return n < 3 }); err != nil {
		t.Fatal(err)
	}
	if n != 3 || len(s.asked) != 1 {
		t.Fatalf("visited %d, asked %v", n, s.asked)
	}
}

func TestSearchUsers_refusesAPageThatDoesNotAdvance(t *testing.T) {
	c := newPagedClient(t, &userSearch{n: 500, stuck: true})
	err := c.SearchUsers(context.Background(), "fred", func(User) bool { return true })
	if err == nil || !strings.Contains(err.Error(), "repeats the previous page") {
		t.Fatalf("err = %v", err)
	}
}

func TestSearchUsers_boundedByTheItemCap(t *testing.T) {
	srv := httptest.NewServer(&userSearch{n: 1000})
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Email: "admin@example.com", APIToken: "t", NoRetries: true, MaxListItems: 100})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = c.SearchUsers(context.Background(), "fred", func(User) bool { n++; return true })
	if err == nil || !strings.Contains(err.Error(), "more than 100 items") || n != 100 {
		t.Fatalf("visited %d, err = %v", n, err)
	}
}

// "Get all users" may answer pages shorter than asked while more follow:
// the listing advances by what each page held and ends at an empty page.
func TestEachAccount_advancesByWhatEachPageHeld(t *testing.T) {
	s := &userSearch{n: 650, limit: 300}
	c := newPagedClient(t, s)
	var got []User
	more, err := c.EachAccount(context.Background(), 10, func(u User) bool { got = append(got, u); return true })
	if err != nil || more {
		t.Fatalf("more = %v, err = %v", more, err)
	}
	if len(got) != 650 || got[649].AccountID != "acc649" {
		t.Fatalf("got %d accounts", len(got))
	}
	if strings.Join(s.asked, " ") != "@0 @300 @600 @650" {
		t.Fatalf("asked %v", s.asked)
	}
}

func TestEachAccount_stopsAtMaxPages(t *testing.T) {
	s := &userSearch{n: 5000}
	c := newPagedClient(t, s)
	n := 0
	more, err := c.EachAccount(context.Background(), 2, func(User) bool { n++; return true })
	if err != nil || !more || n != 2000 || len(s.asked) != 2 {
		t.Fatalf("visited %d, asked %v, more = %v, err = %v", n, s.asked, more, err)
	}
}

func TestEachAccount_refusesAPageThatDoesNotAdvance(t *testing.T) {
	c := newPagedClient(t, &userSearch{n: 5000, stuck: true})
	_, err := c.EachAccount(context.Background(), 10, func(User) bool { return true })
	if err == nil || !strings.Contains(err.Error(), "repeats the previous page") {
		t.Fatalf("err = %v", err)
	}
}

// cappedSite is a local site holding n customers named "Capped NNNN"
// (capped NNNN@example.com), more than user search lists.
func cappedSite(t *testing.T, n int) *Client {
	t.Helper()
	site := newMemSite(t, jsmsite.Faults{})
	for i := range n {
		if _, err := site.AddCustomer(fmt.Sprintf("Capped %04d", i), fmt.Sprintf("capped%04d@example.com", i)); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := newMemClient(t, site, Config{})
	return c
}

// User search lists at most 1,000 matches: a listing that reaches them
// fails, naming the cap and the narrower filters, rather than end short.
func TestSearchUsers_failsAtTheSearchCap(t *testing.T) {
	c := cappedSite(t, 1100)
	n := 0
	err := c.SearchUsers(context.Background(), "capped", func(User) bool { n++; return true })
	var capped *SearchCapError
	if !errors.As(err, &capped) || n != UserSearchCap {
		t.Fatalf("visited %d, err = %v", n, err)
	}
	for _, s := range []string{"1000", "service_desk_id", "organization_id", "longer query"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("the error does not name %q: %v", s, err)
		}
	}
	// A visitor that stops before the cap sees no error.
	if err := c.SearchUsers(context.Background(), "capped", func(User) bool { return false }); err != nil {
		t.Errorf("a listing stopped early: %v", err)
	}
}

// A plan-time look-up by an exact email is no listing: the search for a
// whole address matches few accounts, however many share its start.
func TestSearchByEmail_unaffectedByTheSearchCap(t *testing.T) {
	c := cappedSite(t, 1100)
	m, err := c.SearchByEmail(context.Background(), "capped1050@example.com")
	if err != nil || len(m.Exact) != 1 || m.Exact[0].DisplayName != "Capped 1050" {
		t.Fatalf("matches %+v, err = %v", m, err)
	}
}

// An email that 1,000 accounts or more match (their names start with it)
// cannot be looked up: the check names the cap.
func TestSearchByEmail_failsAtTheSearchCap(t *testing.T) {
	site := newMemSite(t, jsmsite.Faults{})
	for i := range 1001 {
		if _, err := site.AddCustomer(fmt.Sprintf("shared@example.com %04d", i), fmt.Sprintf("s%04d@example.com", i)); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := newMemClient(t, site, Config{})
	_, err := c.SearchByEmail(context.Background(), "shared@example.com")
	if err == nil || !strings.Contains(err.Error(), "1000") || !strings.Contains(err.Error(), "shared@example.com") {
		t.Fatalf("err = %v", err)
	}
}
