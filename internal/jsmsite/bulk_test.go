package jsmsite

import (
	"net/http"
	"net/url"
	"testing"
)

type bulkOut struct {
	StartAt    int              `json:"startAt"`
	MaxResults int              `json:"maxResults"`
	Total      int              `json:"total"`
	IsLast     bool             `json:"isLast"`
	Values     []map[string]any `json:"values"`
}

func bulkQuery(ids []string, extra string) string {
	q := url.Values{"accountId": ids}
	return "/rest/api/3/user/bulk?" + q.Encode() + extra
}

func bulkIDs(p bulkOut) []string {
	var out []string
	for _, v := range p.Values {
		out = append(out, v["accountId"].(string))
	}
	return out
}

// The bulk read answers a page of the accounts found, in the order asked,
// leaves unknown IDs out, pages by startAt/maxResults (10 by default), and
// answers deleted, corrupted and unavailable accounts as the single read.
func TestBulkUsers(t *testing.T) {
	f := newFixture(t, Config{})
	var ids []string
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"} {
		ids = append(ids, f.create("Person "+n, n+"@example.com")["accountId"].(string))
	}
	asked := append([]string{"qm:none:0"}, ids...)
	asked = append(asked, ids[0]) // a duplicate counts once

	var p bulkOut
	if st, raw := f.do("GET", bulkQuery(asked, ""), nil, &p); st != 200 || p.Total != 12 || p.MaxResults != 10 ||
		p.IsLast || len(p.Values) != 10 || bulkIDs(p)[0] != ids[0] || bulkIDs(p)[9] != ids[9] {
		t.Fatalf("first page: %d %s", st, raw)
	}
	if st, raw := f.do("GET", bulkQuery(asked, "&startAt=10&maxResults=10"), nil, &p); st != 200 || !p.IsLast ||
		p.StartAt != 10 || len(p.Values) != 2 || bulkIDs(p)[1] != ids[11] {
		t.Fatalf("second page: %d %s", st, raw)
	}
	// One bulk read of 13 distinct IDs (the duplicate once), counted on its
	// first page only.
	if got := f.site.BulkSizes(); len(got) != 1 || got[13] != 1 {
		t.Errorf("BulkSizes = %v, want one read of 13", got)
	}
	var stats struct {
		BulkSizes map[string]int `json:"bulkSizes"`
	}
	if st, raw := f.do("GET", "/__site/stats", nil, &stats); st != 200 || stats.BulkSizes["13"] != 1 {
		t.Errorf("/__site/stats: %d %s", st, raw)
	}
	if err := f.site.SetAccountAnswers(AccountAnswers{BulkPageCap: 5}); err != nil {
		t.Fatal(err)
	}
	if st, raw := f.do("GET", bulkQuery(asked, "&maxResults=50"), nil, &p); st != 200 || len(p.Values) != 5 || p.IsLast {
		t.Fatalf("capped page: %d %s", st, raw)
	}

	f.site.DeleteAccount(ids[1])
	f.site.DeleteAccount(ids[2])
	f.site.CorruptAccount(ids[2])
	f.site.SetActive(ids[3], false)
	_ = f.site.SetAccountAnswers(AccountAnswers{})
	if st, raw := f.do("GET", bulkQuery(ids[:4], ""), nil, &p); st != 200 || p.Total != 4 ||
		p.Values[1]["displayName"] != formerUserName || p.Values[1]["active"] != false ||
		p.Values[2]["accountId"] != "unknown" || p.Values[3]["active"] != false || p.Values[3]["displayName"] != "Person d" {
		t.Fatalf("lifecycle: %d %s", st, raw)
	}
	_ = f.site.SetAccountAnswers(AccountAnswers{DeletedAnswer404: true})
	if st, raw := f.do("GET", bulkQuery(ids[:4], ""), nil, &p); st != 200 || p.Total != 2 || bulkIDs(p)[1] != ids[3] {
		t.Fatalf("deleted left out where the single read answers 404: %d %s", st, raw)
	}
	_ = f.site.SetAccountAnswers(AccountAnswers{Unavailable: true})
	if st, raw := f.do("GET", bulkQuery(ids[4:6], ""), nil, &p); st != 200 || p.Values[0]["accountType"] != "unknown" ||
		p.Values[0]["accountId"] != ids[4] {
		t.Fatalf("outage: %d %s", st, raw)
	}
	_ = f.site.SetAccountAnswers(AccountAnswers{BulkUnknown404: true})
	if st, raw := f.do("GET", bulkQuery(asked, ""), nil, nil); st != http.StatusNotFound {
		t.Errorf("an unknown ID with BulkUnknown404: %d %s", st, raw)
	}
	if st, raw := f.do("GET", "/rest/api/3/user/bulk", nil, nil); st != http.StatusBadRequest {
		t.Errorf("no accountId: %d %s", st, raw)
	}
}

// FailNextRoute aims FailNext at one route; FailNextDrop drops the
// connection instead of answering.
func TestFailNextRouteAndDrop(t *testing.T) {
	f := newFixture(t, Config{})
	id := f.create("Person", "p@example.com")["accountId"].(string)
	route := "GET /rest/api/3/user/bulk"
	if err := f.site.SetFaults(Faults{FailNext: 1, FailNextRoute: route, FailNextDrop: true}); err != nil {
		t.Fatal(err)
	}
	if st, raw := f.do("GET", "/rest/api/3/user?accountId="+url.QueryEscape(id), nil, nil); st != 200 {
		t.Fatalf("another route failed: %d %s", st, raw)
	}
	// A fresh connection: net/http resends a GET dropped on a reused one.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := fresh.Get(f.srv.URL + bulkQuery([]string{id}, "")); err == nil {
		resp.Body.Close()
		t.Fatalf("the bulk read was answered %s, want a dropped connection", resp.Status)
	}
	if st, raw := f.do("GET", bulkQuery([]string{id}, ""), nil, nil); st != 200 {
		t.Fatalf("after the drop: %d %s", st, raw)
	}
	if n := f.site.Requests()[route][StatusDropped]; n != 1 {
		t.Errorf("%d drops counted", n)
	}
}

// PUT /__site/faults changes the faults of a running site.
func TestSiteFaultsRoute(t *testing.T) {
	f := newFixture(t, Config{})
	if st, raw := f.do("PUT", "/__site/faults", map[string]any{"RateLimit": 20}, nil); st != 200 || f.site.Faults().RateLimit != 20 {
		t.Fatalf("%d %s", st, raw)
	}
	if st, _ := f.do("PUT", "/__site/faults", map[string]any{"Fail429": 2}, nil); st != 400 || f.site.Faults().RateLimit != 20 {
		t.Errorf("invalid faults: %d, now %+v", st, f.site.Faults())
	}
}
