package jsm

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// hostileLister answers every page of a listing as a hostile server may:
// never the last page, each with new items so that nothing looks stuck.
type hostileLister struct {
	n     atomic.Int32
	page  func(w http.ResponseWriter, r *http.Request, n int)
	limit int32 // after this many answers, the last page (so a test without the fix ends)
}

func (h *hostileLister) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := int(h.n.Add(1))
	w.Header().Set("Content-Type", "application/json")
	if h.limit > 0 && int32(n) > h.limit {
		switch {
		case strings.Contains(r.URL.Path, "/product"):
			fmt.Fprint(w, `{"results":[]}`)
		case strings.Contains(r.URL.Path, "/user/search"):
			fmt.Fprint(w, `[]`)
		default:
			fmt.Fprintf(w, `{"start":%s,"isLastPage":true,"values":[]}`, r.URL.Query().Get("start"))
		}
		return
	}
	h.page(w, r, n)
}

func newLimitedClient(t *testing.T, h http.Handler, maxItems int) *Client {
	t.Helper()
	srv := rtServe(t, h).URL
	c, err := New(Config{BaseURL: srv, Email: tEmail, APIToken: tToken, NoRetries: true, MaxListItems: maxItems,
		CSMURL: srv + csmPrefix, CloudID: "c1"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// One new item per page, never the last: the item cap alone would read
// 1,000 pages; the page cap stops the listing after about a tenth.
func TestListing_pageCap(t *testing.T) {
	h := &hostileLister{limit: 5000, page: func(w http.ResponseWriter, r *http.Request, n int) {
		start, _ := strconv.Atoi(r.URL.Query().Get("start"))
		fmt.Fprintf(w, `{"start":%d,"limit":1,"isLastPage":false,"values":[{"id":"%d","name":"Org %d"}]}`, start, start+1, start+1)
	}}
	c := newLimitedClient(t, h, 1000)
	_, err := c.ListOrganizations(context.Background())
	if err == nil || !strings.Contains(err.Error(), "more than 102 pages") {
		t.Fatalf("want the page cap error, got %v", err)
	}
	if n := h.n.Load(); n > 103 {
		t.Errorf("%d pages read, want at most 103", n)
	}
}

// Pages of one item padded to 1 MiB: the byte cap (2 KiB per item of the
// item cap) stops the listing at the first.
func TestListing_byteCap(t *testing.T) {
	pad := strings.Repeat("x", 1<<20)
	h := &hostileLister{limit: 500, page: func(w http.ResponseWriter, r *http.Request, n int) {
		start, _ := strconv.Atoi(r.URL.Query().Get("start"))
		fmt.Fprintf(w, `{"start":%d,"isLastPage":false,"pad":%q,"values":[{"id":"%d","name":"Org"}]}`, start, pad, start+1)
	}}
	c := newLimitedClient(t, h, 100)
	_, err := c.ListOrganizations(context.Background())
	if err == nil || !strings.Contains(err.Error(), "more than 200 KiB, the most one listing reads") {
		t.Fatalf("want the byte cap error, got %v", err)
	}
	if n := h.n.Load(); n != 1 {
		t.Errorf("%d pages read, want 1", n)
	}

	// User search alike: full pages of accounts with 10 KiB names.
	users := make([]string, userSearchPageSize)
	search := &hostileLister{limit: 500, page: func(w http.ResponseWriter, r *http.Request, n int) {
		for i := range users {
			users[i] = fmt.Sprintf(`{"accountId":"qm:%d-%d","displayName":%q,"active":true,"accountType":"atlassian"}`, n, i, pad[:10<<10])
		}
		fmt.Fprint(w, "["+strings.Join(users, ",")+"]")
	}}
	c = newLimitedClient(t, search, 100)
	err = c.SearchUsers(context.Background(), "a", func(User) bool { return true })
	if err == nil || !strings.Contains(err.Error(), "more than 200 KiB, the most one listing reads") {
		t.Fatalf("search: want the byte cap error, got %v", err)
	}
	if n := search.n.Load(); n != 1 {
		t.Errorf("search: %d pages read, want 1", n)
	}
}

// ListProducts stops at an empty page that names a next cursor (following
// it, a server answering empty pages with fresh cursors is read forever),
// and counts pages of one product each.
func TestListProducts_hostilePaging(t *testing.T) {
	empty := &hostileLister{limit: 300, page: func(w http.ResponseWriter, _ *http.Request, n int) {
		fmt.Fprintf(w, `{"results":[],"nextPageCursor":"c%d"}`, n)
	}}
	_, err := newLimitedClient(t, empty, 1000).ListProducts(context.Background())
	if err == nil || !strings.Contains(err.Error(), "empty page that is not the last") {
		t.Fatalf("want the empty-page error, got %v", err)
	}
	if n := empty.n.Load(); n != 1 {
		t.Errorf("%d pages read, want 1", n)
	}

	one := &hostileLister{limit: 5000, page: func(w http.ResponseWriter, _ *http.Request, n int) {
		fmt.Fprintf(w, `{"results":[{"id":"p%d","name":"P"}],"nextPageCursor":"c%d"}`, n, n)
	}}
	_, err = newLimitedClient(t, one, 1000).ListProducts(context.Background())
	if err == nil || !strings.Contains(err.Error(), "more than 102 pages") {
		t.Fatalf("want the page cap error, got %v", err)
	}
	if n := one.n.Load(); n > 103 {
		t.Errorf("%d pages read, want at most 103", n)
	}
}
