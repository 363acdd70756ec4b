package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// A site whose paged lists ignore start and never end: the lookup of an
// organization by name fails at the second page, naming the endpoint,
// instead of reading 20,000 pages.
func TestAccPaging_notAdvancingStops(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Stuck Paging Org")
	if _, err := s.client.CreateOrganization(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	cfg := s.provider() + fmt.Sprintf("data \"jsm_organization\" \"x\" {\n  name = %q\n}\n", name+" missing")
	const route = "GET /rest/servicedeskapi/organization"
	maxRequests := func() error {
		// One read is two pages; Terraform may read the data source twice.
		if n := site.RequestCount(route, -1); n == 0 || n > 4 {
			return fmt.Errorf("%d requests to %s, want 1 to 4", n, route)
		}
		return nil
	}
	var counts []error
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig:   setFaults(t, site, jsmsite.Faults{StuckPaging: jsmsite.StuckPagingRepeat}),
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)GET /rest/servicedeskapi/organization: the page at.*start=\d+\s+repeats\s+the\s+previous\s+page`),
			},
			{
				PreConfig: func() {
					counts = append(counts, maxRequests())
					setFaults(t, site, jsmsite.Faults{StuckPaging: jsmsite.StuckPagingRestart})()
				},
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)GET /rest/servicedeskapi/organization: asked for the page.*at start=\d+, the\s+server\s+answered\s+start=0`),
			},
		},
	})
	counts = append(counts, maxRequests())
	for _, err := range counts {
		if err != nil {
			t.Error(err)
		}
	}
}

// A site whose hourly quota is spent answers 429 with a Retry-After of
// most of an hour: the plan fails at once, with the reason and the reset
// time, instead of sleeping (or, as before, retrying after five minutes).
// "At once" is what the error says, not a time measured: the answer was
// not retried, so nothing waited for it (the client's own tests measure
// that in fake time, TestQuota_longWaitFailsAtOnce).
func TestAccQuota_exhaustedFailsFast(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	org, err := s.client.CreateOrganization(context.Background(), randomName("Quota Org"))
	if err != nil {
		t.Fatal(err)
	}
	// The wait shrinks while the test queues for a parallel slot; the reset time does not.
	reset := time.Now().Add(50 * time.Minute).UTC().Truncate(time.Second)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			PreConfig: setFaults(t, site, jsmsite.Faults{QuotaExhausted: true, QuotaReset: reset}),
			Config:    s.provider() + fmt.Sprintf("data \"jsm_organization\" \"x\" {\n  id = %q\n}\n", org.ID),
			ExpectError: regexp.MustCompile(`(?s)GET /rest/servicedeskapi/organization/` + org.ID + `: HTTP 429.*` +
				`Not\s+retried:\s+the\s+server\s+asks\s+to\s+wait\s+[1-5]?[0-9]m[0-9]+s.*jira-quota-tenant-based.*` +
				`quota\s+resets\s+at\s+` + regexp.QuoteMeta(reset.Format(time.RFC3339)) + `.*max_retry_wait`),
		}},
	})
	if n := site.RequestCount("", http.StatusTooManyRequests); n == 0 || n > 2 {
		t.Errorf("%d requests answered 429, want 1 or 2 (one per read, no retry)", n)
	}
}

// A 500 or 503 that carries Retry-After is retried like a 429, and the
// read succeeds.
func TestAcc5xxWithRetryAfterIsRetried(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Outage Org")
	org, err := s.client.CreateOrganization(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.provider() + fmt.Sprintf("data \"jsm_organization\" \"x\" {\n  id = %q\n}\n", org.ID)
	route := "GET /rest/servicedeskapi/organization/{organizationId}"
	var steps []resource.TestStep
	for _, status := range []int{http.StatusInternalServerError, http.StatusServiceUnavailable} {
		steps = append(steps, resource.TestStep{
			PreConfig: setFaults(t, site, jsmsite.Faults{FailNext: 1, FailNextStatus: status, RetryAfter: time.Second}),
			Config:    cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.jsm_organization.x", tfjsonpath.New("name"), knownvalue.StringExact(name)),
			},
			Check: func(*terraform.State) error {
				if got := site.Requests()[route]; got[status] != 1 || got[http.StatusOK] == 0 {
					return fmt.Errorf("%s answered %v, want one %d, then 200s", route, got, status)
				}
				return nil
			},
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
}

// max_call_duration stops a call against a site that answers too slowly,
// or keeps answering 503: the error names the request and the budget. That
// the budget, not the site, ended the call is what the error says (the slow
// site would have answered after 20 s, and then without an error), not a
// time measured; the time the error reports is whatever the machine took,
// and at least the budget.
func TestAccCallBudget(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	org, err := s.client.CreateOrganization(context.Background(), randomName("Budget Org"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.providerWith(t, "  max_call_duration = \"1s\"\n") +
		fmt.Sprintf("data \"jsm_organization\" \"x\" {\n  id = %q\n}\n", org.ID)
	endpoint := regexp.QuoteMeta("GET /rest/servicedeskapi/organization/" + org.ID + ": ")
	// A duration as the client prints it (time.Duration's String, rounded),
	// of a second or more: 1s, 1.3s, 1m2.5s, 1h0m0s.
	const atLeastASecond = `(?:(?:\d+h)?\d+m\d+|[1-9]\d*)(?:\.\d+)?s`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig: setFaults(t, site, jsmsite.Faults{Latency: 20 * time.Second}),
				Config:    cfg,
				ExpectError: regexp.MustCompile(`(?s)` + endpoint + `the\s+call's\s+time\s+budget\s+ran\s+out:\s+gave\s+up\s+after\s+` +
					atLeastASecond + `\s+and\s+1\s+attempt\(s\)\s+\(the\s+most\s+one\s+call\s+may\s+take\s+is\s+1s,.*` +
					`max_call_duration.*no\s+answer\s+came`),
			},
			{
				PreConfig: setFaults(t, site, jsmsite.Faults{Fail503: 1, RetryAfter: time.Second}),
				Config:    cfg,
				ExpectError: regexp.MustCompile(`(?s)` + endpoint + `HTTP\s+503.*Not\s+retried:.*past\s+the\s+end\s+of\s+the\s+call's\s+time\s+budget\s+\(1s,` +
					`.*max_call_duration`),
			},
			{
				PreConfig:   setFaults(t, site, jsmsite.Faults{}),
				Config:      s.providerWith(t, "  max_call_duration = \"ten minutes\"\n") + "data \"jsm_organization\" \"x\" {\n  id = \"1\"\n}\n",
				ExpectError: regexp.MustCompile(`(?s)Invalid duration.*"ten minutes" is not a duration`),
			},
		},
	})
}
