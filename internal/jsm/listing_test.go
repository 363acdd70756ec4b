package jsm

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
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
