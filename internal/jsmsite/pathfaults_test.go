package jsmsite

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

// With NormalizeDotSegments, DELETE .../property/.. reaches the delete of
// the organization itself: what the provider must never send.
func TestPathFaults_normalizeDotSegments(t *testing.T) {
	f := newFixture(t, Config{})
	o := f.site.AddOrganization("Acme")
	id := strconv.FormatInt(o.ID, 10)
	prop := "/rest/servicedeskapi/organization/" + id + "/property/.."
	// Without the switch, Go's ServeMux answers with a redirect to the
	// cleaned path (which a client that follows redirects would DELETE).
	req, _ := http.NewRequest(http.MethodDelete, f.srv.URL+prop, nil)
	req.SetBasicAuth(testEmail, testToken)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 3 || resp.Header.Get("Location") != "/rest/servicedeskapi/organization/"+id {
		t.Fatalf("without the switch: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, ok := f.site.Organization(id); !ok {
		t.Fatal("without the switch, the organization was deleted")
	}
	setFaults(t, f.site, Faults{NormalizeDotSegments: true})
	if st, _ := f.do(http.MethodDelete, prop, nil, nil); st != http.StatusNoContent {
		t.Fatalf("DELETE %s answered %d", prop, st)
	}
	if _, ok := f.site.Organization(id); ok {
		t.Error("the normalized DELETE did not reach the organization")
	}
	if n := f.site.DotSegmentRequests(); n != 2 {
		t.Errorf("DotSegmentRequests = %d, want 2", n)
	}
}

func TestPathFaults_wrongIdentity(t *testing.T) {
	f := newFixture(t, Config{})
	a, b := f.site.AddOrganization("A"), f.site.AddOrganization("B")
	path := "/rest/servicedeskapi/organization/" + strconv.FormatInt(a.ID, 10)
	for mode, want := range map[string]string{"": strconv.FormatInt(a.ID, 10), WrongIdentityEmpty: "", WrongIdentityOther: strconv.FormatInt(b.ID, 10)} {
		setFaults(t, f.site, Faults{WrongIdentity: mode})
		var got struct {
			ID string `json:"id"`
		}
		if st, _ := f.do(http.MethodGet, path, nil, &got); st != http.StatusOK || got.ID != want {
			t.Errorf("%q: %d id %q, want %q", mode, st, got.ID, want)
		}
		var desk struct {
			ID string `json:"id"`
		}
		f.do(http.MethodGet, "/rest/servicedeskapi/servicedesk/1", nil, &desk)
		if (desk.ID == "1") != (mode == "") {
			t.Errorf("%q: desk 1 answered as %q", mode, desk.ID)
		}
	}
	if err := f.site.SetFaults(Faults{WrongIdentity: "bogus"}); err == nil {
		t.Error("a bogus WrongIdentity was accepted")
	}
}

// RouteRateLimit refuses one route's excess without touching the others.
func TestPathFaults_routeRateLimit(t *testing.T) {
	// The site's clock stands still: the bucket of one request per second
	// (burst 1) lets the first search through and no other.
	f, clock := newClockedFixture(t, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	setFaults(t, f.site, Faults{RouteRateLimit: map[string]float64{"GET /rest/api/3/user/search": 1}})
	for range 5 {
		f.do(http.MethodGet, "/rest/api/3/user/search?query=a", nil, nil)
		f.do(http.MethodGet, "/rest/servicedeskapi/organization", nil, nil)
	}
	got := f.site.Requests()
	if s := got["GET /rest/api/3/user/search"]; s[200] != 1 || s[429] != 4 || got["GET /rest/servicedeskapi/organization"][200] != 5 {
		t.Errorf("counts %v", got)
	}
	// A second later, the bucket holds one request again.
	clock.Advance(time.Second)
	for _, want := range []int{http.StatusOK, http.StatusTooManyRequests} {
		if st, _ := f.do(http.MethodGet, "/rest/api/3/user/search?query=a", nil, nil); st != want {
			t.Errorf("a second later: %d, want %d", st, want)
		}
	}
}

func TestParseRouteRateLimit(t *testing.T) {
	var f Faults
	if err := ParseRouteRateLimit(&f, "GET /rest/api/3/user/search=2.5"); err != nil || f.RouteRateLimit["GET /rest/api/3/user/search"] != 2.5 {
		t.Errorf("%v, %v", f.RouteRateLimit, err)
	}
	for _, bad := range []string{"GET /x", "GET /x=fast", "GET /x=-1"} {
		if ParseRouteRateLimit(&f, bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
