package jsm

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// siteCheckFixture is a local site behind its gateway, and a client of the
// gateway URL with cloudID.
func siteCheckFixture(t *testing.T, cloudID string) (*jsmsite.Site, *Client) {
	return siteCheckFixtureWith(t, cloudID, Config{})
}

func siteCheckFixtureWith(t *testing.T, cloudID string, cfg Config) (*jsmsite.Site, *Client) {
	t.Helper()
	site, err := jsmsite.New(jsmsite.Config{Email: "admin@example.com", APIToken: "token-123"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site.Gateway("cloud-1"))
	t.Cleanup(srv.Close)
	cfg.BaseURL, cfg.Email, cfg.APIToken = srv.URL+"/ex/jira/"+cloudID, "admin@example.com", "token-123"
	cfg.RetryWaitMin, cfg.RetryWaitMax = time.Millisecond, 5*time.Millisecond
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return site, c
}

// On the right site, a 404 is "not found" once the site has shown it is
// one, and the check is made once per client, not per 404.
func TestSiteCheck_rightSiteConfirmsOnce(t *testing.T) {
	site, c := siteCheckFixture(t, "cloud-1")
	for _, id := range []string{"404", "405"} {
		_, err := c.GetOrganization(context.Background(), id)
		if !IsNotFound(err) || errors.Is(err, ErrSiteUnconfirmed) {
			t.Fatalf("organization %s: %v, want not found", id, err)
		}
	}
	if n := site.RequestCount("GET /rest/servicedeskapi/organization", -1); n != 1 {
		t.Errorf("%d site checks for two 404s, want 1: %v", n, site.Requests())
	}
}

// Through a wrong cloud ID every call answers 404: none counts as "not
// found", each says which URL and cloud ID did not confirm the site, and
// the site is asked once.
func TestSiteCheck_wrongCloudIDIsNotGone(t *testing.T) {
	_, c := siteCheckFixture(t, "cloud-2")
	var asked int
	for _, read := range []func() error{
		func() error { _, err := c.GetOrganization(context.Background(), "1"); return err },
		func() error { _, err := c.GetUser(context.Background(), "qm:1a2b3c"); return err },
		func() error { return c.DeleteOrganization(context.Background(), "1") },
	} {
		err := read()
		if err == nil || IsNotFound(err) || !errors.Is(err, ErrSiteUnconfirmed) || StatusCode(err) != http.StatusNotFound {
			t.Fatalf("%v: want a 404 that is not 'not found'", err)
		}
		for _, want := range []string{"/ex/jira/cloud-2 (cloud ID cloud-2) did not show that it is a JSM site",
			"GET /rest/servicedeskapi/organization: HTTP 404", "nothing leaves the state on its word."} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%v lacks %q", err, want)
			}
		}
		asked++
	}
	if c.site.wrong == nil || asked != 3 {
		t.Errorf("the wrong site is not remembered")
	}
}

// A check that meets an outage (5xx) or a rate limit is not remembered:
// the next 404 asks again, and once the site answers, 404s count as "not
// found" again.
func TestSiteCheck_outageIsAskedAgain(t *testing.T) {
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusTooManyRequests} {
		site, c := siteCheckFixtureWith(t, "cloud-1", Config{NoRetries: true})
		if err := site.SetFaults(jsmsite.Faults{FailNext: 10, FailNextStatus: status,
			FailNextRoute: "GET /rest/servicedeskapi/organization"}); err != nil {
			t.Fatal(err)
		}
		_, err := c.GetOrganization(context.Background(), "404")
		if IsNotFound(err) || !errors.Is(err, ErrSiteUnconfirmed) {
			t.Fatalf("%d to the check: %v, want unconfirmed", status, err)
		}
		if err := site.SetFaults(jsmsite.Faults{}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetOrganization(context.Background(), "404"); !IsNotFound(err) {
			t.Fatalf("after the %d: %v, want not found", status, err)
		}
	}
}

// asSite makes a test server answer the site check (confirmSite) as a JSM
// site does, with a page of organizations, and serves everything else with
// h: a 404 from h then means "not found", as it would on a real site.
func asSite(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/rest/servicedeskapi/organization") && r.URL.Query().Get("limit") == "1" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"size":0,"start":0,"limit":1,"isLastPage":true,"values":[]}`)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// A bulk read answered 404 (a proxy without the route) says nothing of its
// accounts, which settle alone: it asks the site nothing.
func TestSiteCheck_bulk404AsksNothing(t *testing.T) {
	site, c := siteCheckFixture(t, "cloud-1")
	a, err := site.AddCustomer("Bulk One", "bulk.one@example.com")
	if err != nil {
		t.Fatal(err)
	}
	site.Use(func(route string, next http.Handler) http.Handler {
		if route != "GET /rest/api/3/user/bulk" {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"errorMessages":["No route"],"errors":{}}`)
		})
	})
	var notFound atomic.Int32
	out := c.bulkUsers(context.Background(), []string{a.AccountID, "qm:2b3c4d"}, &notFound)
	if o := out[a.AccountID]; len(out) != 0 && !o.settle {
		t.Errorf("a bulk 404 answered %+v, want every ID to settle alone", out)
	}
	if n := site.RequestCount("GET /rest/servicedeskapi/organization", -1); n != 0 {
		t.Errorf("a bulk read's 404 checked the site %d times: %v", n, site.Requests())
	}
}
