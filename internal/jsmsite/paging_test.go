package jsmsite

import (
	"encoding/json"
	"net/http/httptest"
	"slices"
	"testing"
)

// A list read page by page makes only each page's items: reading a list of
// n members must cost O(n), not O(n²/limit), or a thousand-member
// organization slows every benchmark plan that lists it.
func TestWritePageOfMakesOnlyThePage(t *testing.T) {
	var made []int
	item := func(i int) int { made = append(made, i); return i }
	for _, c := range []struct {
		query     string
		want      []int
		wantLast  bool
		wantStart int
	}{
		{"start=0&limit=50", []int{0, 49}, false, 0},
		{"start=100&limit=50", []int{100, 119}, true, 100},
		{"start=500", nil, true, 500},
	} {
		made = nil
		rec := httptest.NewRecorder()
		got := writePageOf(rec, httptest.NewRequest("GET", "/x?"+c.query, nil), 120, item)
		var p struct {
			Start      int   `json:"start"`
			Size       int   `json:"size"`
			IsLastPage bool  `json:"isLastPage"`
			Values     []int `json:"values"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatalf("%s: %v: %s", c.query, err, rec.Body)
		}
		if c.want == nil {
			if len(made) != 0 || len(p.Values) != 0 || p.Values == nil {
				t.Errorf("%s: made %v, answered %v; want none, as an empty list", c.query, made, p.Values)
			}
		} else if len(made) != c.want[1]-c.want[0]+1 || made[0] != c.want[0] || made[len(made)-1] != c.want[1] {
			t.Errorf("%s: made items %d..%d (%d), want %d..%d", c.query, made[0], made[len(made)-1], len(made), c.want[0], c.want[1])
		}
		if !slices.Equal(got, p.Values) && len(got)+len(p.Values) > 0 {
			t.Errorf("%s: returned %v, answered %v", c.query, got, p.Values)
		}
		if p.IsLastPage != c.wantLast || p.Start != c.wantStart || p.Size != len(p.Values) {
			t.Errorf("%s: start %d size %d last %v, want start %d last %v", c.query, p.Start, p.Size, p.IsLastPage, c.wantStart, c.wantLast)
		}
	}
}
