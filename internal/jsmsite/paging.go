package jsmsite

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Page sizes of the servicedeskapi paged lists: the default and the most the
// server hands out whatever limit the caller asks for.
const (
	defaultPageLimit = 50
	maxPageLimit     = 50
)

// pagedDTO is the servicedeskapi PagedDTO.
type pagedDTO struct {
	Expands    []string     `json:"_expands"`
	Size       int          `json:"size"`
	Start      int          `json:"start"`
	Limit      int          `json:"limit"`
	IsLastPage bool         `json:"isLastPage"`
	Links      pageLinksDTO `json:"_links"`
	Values     any          `json:"values"`
}

type pageLinksDTO struct {
	Base    string `json:"base"`
	Context string `json:"context"`
	Next    string `json:"next,omitempty"`
	Prev    string `json:"prev,omitempty"`
}

// pageParams reads start and limit as the servicedeskapi does: limit
// defaults to 50 and is capped at 50. A bad value is a JSM 400, written here.
func pageParams(w http.ResponseWriter, r *http.Request) (start, limit int, ok bool) {
	q := r.URL.Query()
	if start, ok = jsmIntParam(w, q, "start", 0); !ok {
		return 0, 0, false
	}
	if limit, ok = jsmIntParam(w, q, "limit", defaultPageLimit); !ok {
		return 0, 0, false
	}
	if limit == 0 {
		limit = defaultPageLimit
	}
	return start, min(limit, maxPageLimit), true
}

func jsmIntParam(w http.ResponseWriter, q url.Values, name string, def int) (int, bool) {
	v := q.Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		writeJSMError(w, http.StatusBadRequest, "sd.rest.invalid.param",
			fmt.Sprintf("The '%s' query parameter must be a non-negative integer.", name), name)
		return 0, false
	}
	return n, true
}

// writePage answers one page of items, with links built on the request's
// own URL, so callers can follow next/prev as on the real site.
func writePage[T any](w http.ResponseWriter, r *http.Request, items []T) {
	writePageOf(w, r, len(items), func(i int) T { return items[i] })
}

// writePageOf is writePage for n items made on demand: only the page's
// are made, so reading a list of n items page by page costs O(n), not
// O(n²/limit). It returns the items it answered.
func writePageOf[T any](w http.ResponseWriter, r *http.Request, n int, item func(i int) T) []T {
	start, limit, ok := pageParams(w, r)
	if !ok {
		return nil
	}
	from, stuck := start, stuckPaging(r)
	switch stuck {
	case StuckPagingRepeat:
		from = 0
	case StuckPagingRestart:
		from, start = 0, 0
	}
	values := []T{}
	for i := from; i < min(from+limit, n); i++ {
		values = append(values, item(i))
	}
	base := baseURL(r)
	link := func(s int) string {
		q := r.URL.Query()
		q.Set("start", strconv.Itoa(s))
		q.Set("limit", strconv.Itoa(limit))
		return base + r.URL.Path + "?" + q.Encode()
	}
	p := pagedDTO{
		Expands:    []string{},
		Size:       len(values),
		Start:      start,
		Limit:      limit,
		IsLastPage: stuck == "" && start+len(values) >= n,
		Links:      pageLinksDTO{Base: base + "/rest/servicedeskapi", Context: ""},
		Values:     values,
	}
	if !p.IsLastPage {
		p.Links.Next = link(start + len(values))
	}
	if start > 0 {
		p.Links.Prev = link(max(start-limit, 0))
	}
	writeJSON(w, http.StatusOK, p)
	return values
}
