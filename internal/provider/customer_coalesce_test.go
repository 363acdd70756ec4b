package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

const (
	routeGetUser   = "GET /rest/api/3/user"
	routeBulkUsers = "GET /rest/api/3/user/bulk"
)

// deletedAnswers are the two answers a site may give for a deleted account.
var deletedAnswers = map[string]jsmsite.AccountAnswers{"200 former user": {}, "404": {DeletedAnswer404: true}}

// siteAnswering is a local test site that answers accounts as a says.
func siteAnswering(t *testing.T, a jsmsite.AccountAnswers) (*testSite, *jsmsite.Site) {
	t.Helper()
	s := newTestSite(t)
	site := s.local(t)
	if err := site.SetAccountAnswers(a); err != nil {
		t.Fatal(err)
	}
	return s, site
}

// readCounter counts the customers Terraform read (ReadResource and
// ReadDataSource of jsm_customer, at the provider's protocol server: each
// is one GetUser), so a test can compare them with the account requests
// the site answered, and the most account IDs one request carried.
type readCounter struct{ reads, largest atomic.Int64 }

func countReads(site *jsmsite.Site) *readCounter {
	rc := &readCounter{}
	site.Use(func(route string, next http.Handler) http.Handler {
		if route != routeGetUser && route != routeBulkUsers {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := int64(len(r.URL.Query()["accountId"]))
			for old := rc.largest.Load(); n > old && !rc.largest.CompareAndSwap(old, n); old = rc.largest.Load() {
			}
			next.ServeHTTP(w, r)
		})
	})
	return rc
}

func (rc *readCounter) reset() { rc.reads.Store(0); rc.largest.Store(0) }

// providers is testAccProviders with the customer reads counted.
func (rc *readCounter) providers() map[string]func() (tfprotov6.ProviderServer, error) {
	inner := testAccProviders["jsm"]
	return map[string]func() (tfprotov6.ProviderServer, error){"jsm": func() (tfprotov6.ProviderServer, error) {
		s, err := inner()
		if err != nil {
			return nil, err
		}
		full, ok := s.(fullProviderServer)
		if !ok {
			return nil, fmt.Errorf("%T lacks an optional server interface: it cannot be wrapped", s)
		}
		return readCountingServer{full, rc}, nil
	}}
}

// fullProviderServer is every interface terraform-plugin-go looks for on a
// server (the optional ones by type assertion), so that the wrapper hides
// none of them.
type fullProviderServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

type readCountingServer struct {
	fullProviderServer
	rc *readCounter
}

func (s readCountingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	if req.TypeName == "jsm_customer" {
		s.rc.reads.Add(1)
	}
	return s.fullProviderServer.ReadResource(ctx, req)
}

func (s readCountingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	if req.TypeName == "jsm_customer" {
		s.rc.reads.Add(1)
	}
	return s.fullProviderServer.ReadDataSource(ctx, req)
}

// noMoreRequestsThanReads is a plan check of what batching guarantees
// whatever the machine's speed: the plan read every customer once (want:
// the resources' instances, and the data source unless it waits for the
// apply), and the account requests
// the site answered 200 were no more than those reads (each read is one
// request alone, or shares one with others; the requests a read retried
// after a 429 or 503 were not answered 200), and every bulk request carried
// at most the batch's cap. How many fewer depends on how Terraform's reads
// arrive, so on how busy the machine is: internal/jsm's tests count
// batches with the arrival of reads under their control
// (TestGetUserBatchesOverlappingReadsByDefault), and the benchmark
// measures the ratio (BENCHMARKS.md). The reads are Terraform's, counted
// apart from the requests: a provider that asked for an account twice per
// read fails.
type noMoreRequestsThanReads struct {
	site  *jsmsite.Site
	reads *readCounter
	want  int64
}

func (c noMoreRequestsThanReads) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	requests := int64(c.site.RequestCount(routeGetUser, 200) + c.site.RequestCount(routeBulkUsers, 200))
	reads := c.reads.reads.Load()
	switch {
	case reads != c.want:
		resp.Error = fmt.Errorf("the plan read %d customers, want %d (each instance and the data source once): %v",
			reads, c.want, c.site.Requests())
	case requests == 0:
		resp.Error = fmt.Errorf("no account request was answered 200: %v", c.site.Requests())
	case requests > reads:
		resp.Error = fmt.Errorf("%d customer reads took %d account requests answered 200, more than one each: %v",
			reads, requests, c.site.Requests())
	case c.reads.largest.Load() > jsm.DefaultMaxBatchedReads:
		resp.Error = fmt.Errorf("a bulk read carried %d accounts, more than %d", c.reads.largest.Load(), jsm.DefaultMaxBatchedReads)
	}
}

// manyCustomersConfig is n customers and a data source; provider holds
// the provider block's extra attributes (HCL lines).
func manyCustomersConfig(t *testing.T, s *testSite, provider, prefix string, n int) string {
	return s.providerWith(t, provider) + fmt.Sprintf(`
resource "jsm_customer" "c" {
  count        = %d
  email        = "%s-${count.index}@example.com"
  display_name = "Many Customer ${count.index}"
}

data "jsm_customer" "by_id" {
  account_id = jsm_customer.c[3].account_id
}
`, n, prefix)
}

// A plan of many customers, with default settings and slow answers (so
// that Terraform's reads overlap, and go out in batches as they arrive):
// a deleted account leaves the state (whether the site answers it 200
// "Former user" or leaves it out and answers 404 alone), an inactive one
// stays inactive, and a corrupted record fails the refresh naming no other
// account, in a batch or alone; no more requests than reads.
func TestAccCustomerResource_refreshCoalesced(t *testing.T) {
	for name, answers := range deletedAnswers {
		t.Run(name, func(t *testing.T) {
			s, site := siteAnswering(t, answers)
			reads := countReads(site)
			const n = 30
			prefix := strings.TrimSuffix(randomEmail("many"), "@example.com")
			cfg := manyCustomersConfig(t, s, "", prefix, n)
			email := func(i int) string { return fmt.Sprintf("%s-%d@example.com", prefix, i) }
			steps := []resource.TestStep{
				{Config: cfg},
				{
					PreConfig: func() {
						// Answers take a while, as on a real site, so that
						// Terraform's reads overlap.
						_ = site.SetFaults(jsmsite.Faults{Latency: 100 * time.Millisecond})
						site.ResetRequests()
						reads.reset()
						gone, _ := site.AccountByEmail(email(0))
						site.DeleteAccount(gone.AccountID)
						inactive, _ := site.AccountByEmail(email(1))
						site.SetActive(inactive.AccountID, false)
					},
					Config: cfg,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("jsm_customer.c[0]", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("jsm_customer.c[1]", plancheck.ResourceActionNoop),
						// The data source waits for the apply: it depends on
						// jsm_customer.c, which has a change planned.
						noMoreRequestsThanReads{site: site, reads: reads, want: n},
					}},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("jsm_customer.c[1]", tfjsonpath.New("active"), knownvalue.Bool(false)),
						statecheck.ExpectKnownValue("data.jsm_customer.by_id", tfjsonpath.New("display_name"),
							knownvalue.StringExact("Many Customer 3")),
					},
				},
			}
			if !answers.DeletedAnswer404 { // else a corrupted record answers 404 like any deleted one
				steps = append(steps, resource.TestStep{
					PreConfig: func() {
						a, _ := site.AccountByEmail(email(2))
						site.DeleteAccount(a.AccountID)
						site.CorruptAccount(a.AccountID)
					},
					Config:      cfg,
					ExpectError: regexp.MustCompile(`(?s)Could not read the JSM customer.*accountId\s+is\s+"unknown"`),
				})
			}
			resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: reads.providers(), Steps: steps})
		})
	}
}

// An account read answered 429 or 503, or whose connection drops, is
// retried by the client's retries, in a batch or alone (which of the two
// met the failures depends on how the reads arrived; internal/jsm's tests
// fail batches on purpose): the plan succeeds and changes nothing.
func TestAccCustomerResource_refreshBatchRetried(t *testing.T) {
	for name, fail := range map[string]jsmsite.Faults{
		"429":  {FailNextStatus: http.StatusTooManyRequests},
		"503":  {FailNextStatus: http.StatusServiceUnavailable},
		"drop": {FailNextDrop: true},
	} {
		t.Run(name, func(t *testing.T) {
			s := newTestSite(t)
			site := s.local(t)
			prefix := strings.TrimSuffix(randomEmail("retried"), "@example.com")
			cfg := manyCustomersConfig(t, s, "", prefix, 20)
			status := fail.FailNextStatus
			if fail.FailNextDrop {
				status = jsmsite.StatusDropped
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{
					{Config: cfg},
					{
						PreConfig: func() {
							// The refresh reads accounts and nothing else:
							// the first two requests are account reads.
							f := fail
							f.Latency, f.FailNext, f.RetryAfter = 100*time.Millisecond, 2, time.Second
							if err := site.SetFaults(f); err != nil {
								t.Fatal(err)
							}
							site.ResetRequests()
						},
						Config: cfg,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectEmptyPlan(),
							planCheckFunc(func() error {
								failed := site.RequestCount(routeBulkUsers, status) + site.RequestCount(routeGetUser, status)
								if failed != 2 || site.RequestCount("", status) != 2 {
									return fmt.Errorf("the failures were not met by account reads: %v", site.Requests())
								}
								return nil
							}),
						}},
					},
				},
			})
		})
	}
}

// planCheckFunc is a plan check that looks at the site, not the plan.
type planCheckFunc func() error

func (f planCheckFunc) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f()
}

// manyCustomersSite is a local site, its read counter, and a
// configuration of n customers (manyCustomersConfig) without a budget.
func manyCustomersSite(t *testing.T, tag string, n int) (*jsmsite.Site, *readCounter, string) {
	s := newTestSite(t)
	site := s.local(t)
	prefix := strings.TrimSuffix(randomEmail(tag), "@example.com")
	return site, countReads(site), manyCustomersConfig(t, s, "", prefix, n)
}

// planUnder is a plan step that expects no change, with the site's faults
// set to f and its counters reset first.
func planUnder(t *testing.T, site *jsmsite.Site, reads *readCounter, cfg string, f jsmsite.Faults, checks ...plancheck.PlanCheck) resource.TestStep {
	return resource.TestStep{
		PreConfig: func() {
			if err := site.SetFaults(f); err != nil {
				t.Fatal(err)
			}
			site.ResetRequests()
			reads.reset()
		},
		Config:           cfg,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append([]plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}, checks...)},
	}
}

// Account reads are batched from the start, whatever the site's limits:
// with slow answers and no limit, and under a burst limit (5 requests/s),
// the plan refreshes with no more requests than reads, and no 429 fails it.
func TestAccCustomerResource_refreshBatchedByDefault(t *testing.T) {
	const n = 40
	site, reads, cfg := manyCustomersSite(t, "limited", n)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: reads.providers(),
		Steps: []resource.TestStep{
			{Config: cfg},
			planUnder(t, site, reads, cfg, jsmsite.Faults{Latency: 100 * time.Millisecond},
				noMoreRequestsThanReads{site: site, reads: reads, want: n + 1}),
			planUnder(t, site, reads, cfg, jsmsite.Faults{RateLimit: 5, Burst: 5, Latency: 20 * time.Millisecond},
				noMoreRequestsThanReads{site: site, reads: reads, want: n + 1}),
		},
	})
}

// A budget that barely refills (a bucket of 30, one more a second, 41
// reads), both under cost-based limiting (budget headers on every answer)
// and under API-token traffic's burst limit (nothing warns before a 429):
// the plan succeeds, empty, whatever 429s it met on the way, with no more
// requests admitted than reads. Whether batching keeps it under the budget
// depends on how the reads arrive: the benchmark's budget scenario
// measures that.
func TestAccCustomerResource_refreshBatchedWithinBudget(t *testing.T) {
	const n = 40
	site, reads, cfg := manyCustomersSite(t, "low", n)
	liftLimit := planCheckFunc(func() error {
		// Lift the limit, or the step's later refreshes would wait on a
		// bucket that refills once a second.
		return site.SetFaults(jsmsite.Faults{})
	})
	steps := []resource.TestStep{{Config: cfg}}
	for _, costBased := range []bool{true, false} {
		steps = append(steps, planUnder(t, site, reads, cfg,
			jsmsite.Faults{RateLimit: 1, Burst: 30, Latency: 100 * time.Millisecond, CostBasedHeaders: costBased},
			noMoreRequestsThanReads{site: site, reads: reads, want: n + 1}, liftLimit))
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: reads.providers(), Steps: steps})
}

// Terraform reads every object right after importing it, and the import
// has just read the account (it tells a wrong ID from a missing account):
// adopting customers by import {} blocks reads each account once, not
// twice.
func TestAccCustomerResource_importReadsEachAccountOnce(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	// The account IDs the site was asked for, alone or in bulk.
	var ids atomic.Int64
	site.Use(func(route string, next http.Handler) http.Handler {
		if route != routeGetUser && route != routeBulkUsers {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if start := r.URL.Query().Get("startAt"); start == "" || start == "0" {
				ids.Add(int64(len(r.URL.Query()["accountId"])))
			}
			next.ServeHTTP(w, r)
		})
	})
	const n = 6
	var hcl strings.Builder
	hcl.WriteString(s.provider())
	for i := range n {
		email, name := randomEmail("adopted"), fmt.Sprintf("Adopted Person %d", i)
		u, err := s.client.CreateCustomer(context.Background(), name, email)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&hcl, `
import {
  to = jsm_customer.c%d
  id = %q
}

resource "jsm_customer" "c%d" {
  email        = %q
  display_name = %q
}
`, i, u.AccountID, i, email, name)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			PreConfig: func() { site.ResetRequests(); ids.Store(0) },
			Config:    hcl.String(),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("jsm_customer.c0", plancheck.ResourceActionNoop),
				planCheckFunc(func() error {
					if got := ids.Load(); got != n {
						return fmt.Errorf("the plan importing %d customers read %d accounts, want each once: %v", n, got, site.Requests())
					}
					return nil
				}),
			}},
		}},
	})
}
