package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// providerWith is the provider block of the local site with extra
// attributes (HCL lines).
func (s *testSite) providerWith(t *testing.T, attrs string) string {
	t.Helper()
	s.local(t)
	return fmt.Sprintf("provider \"jsm\" {\n  url       = %q\n  email     = %q\n  api_token = %q\n%s}\n", s.url, testEmail, testAPIToken, attrs)
}

// setFaults switches the local site's faults on (and its counters to zero)
// before a step's plan.
func setFaults(t *testing.T, site *jsmsite.Site, f jsmsite.Faults) func() {
	return func() {
		if err := site.SetFaults(f); err != nil {
			t.Fatal(err)
		}
		site.ResetRequests()
	}
}

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
