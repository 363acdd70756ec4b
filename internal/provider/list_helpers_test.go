package provider

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
)

// A query reads what it shows: a limit stops the listing after the page
// that fills it, and properties are read only for include_resource.
func TestAccListResources_readOnlyWhatIsShown(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	ids := make([]string, 120) // three pages of a desk's customers
	for i := range ids {
		a, err := site.AddCustomer(fmt.Sprintf("Paged %03d", i), fmt.Sprintf("paged%03d@example.com", i))
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = a.AccountID
	}
	site.AddDeskCustomers(closedDeskID, ids...)
	org := site.AddOrganization("Propertied")
	site.SetOrganizationProperty(fmt.Sprint(org.ID), "attributes", []byte(`{"tier":"gold"}`))

	const (
		deskCustomers = "GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/customer"
		orgProperties = "GET /rest/servicedeskapi/organization/{organizationId}/property"
	)
	calls := func(route string) int { return site.Requests()[route][200] }
	query := listBlock("jsm_customer", "first", "  limit = 3\n", fmt.Sprintf("    service_desk_id = %q\n", closedDeskID)) +
		listBlock("jsm_organization", "names", "", "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   queryCLIs,
		Steps: []resource.TestStep{
			{Config: s.provider()},
			{
				Query:  true,
				Config: query,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("jsm_customer.first", 3),
					querycheck.ExpectLength("jsm_organization.names", 1),
				},
			},
			{
				PreConfig: func() {
					if n := calls(deskCustomers); n != 1 {
						t.Errorf("the desk's customers were read in %d pages, want 1 for a limit of 3", n)
					}
					if n := calls(orgProperties); n != 0 {
						t.Errorf("organization properties were listed %d times without include_resource", n)
					}
				},
				Config: s.provider(),
			},
		},
	})
}

// The provider stops at the query's limit itself, without waiting for
// Terraform to hang up, and ends a failed listing with an error that names
// what was listed.
func TestStream(t *testing.T) {
	ctx := context.Background()
	listing := func(n int, err error) (func(func(int) bool) error, *int) {
		read := 0
		return func(visit func(int) bool) error {
			for read < n {
				read++
				if !visit(read) {
					return nil
				}
			}
			return err
		}, &read
	}
	result := func(i int) list.ListResult { return list.ListResult{DisplayName: fmt.Sprint(i)} }
	collect := func(results func(func(list.ListResult) bool)) (out []list.ListResult) {
		results(func(r list.ListResult) bool { out = append(out, r); return true })
		return out
	}

	items, read := listing(120, nil)
	got := collect(stream(ctx, list.ListRequest{Limit: 3}, "Could not list things", "Things", result, items))
	if len(got) != 3 || *read != 3 || got[2].DisplayName != "3" {
		t.Errorf("limit 3: %d results, %d items read", len(got), *read)
	}

	items, read = listing(5, errors.New("HTTP 404"))
	got = collect(stream(ctx, list.ListRequest{}, "Could not list things", "Thing 7", result, items))
	if len(got) != 6 || *read != 5 || !got[5].Diagnostics.HasError() ||
		got[5].Diagnostics[0].Summary() != "Could not list things" || got[5].Diagnostics[0].Detail() != "Thing 7:\nHTTP 404" {
		t.Errorf("failed listing: %d results, last %+v", len(got), got[len(got)-1])
	}

	items, read = listing(50, nil)
	var n int
	stream(ctx, list.ListRequest{}, "Could not list things", "Things", result, items)(func(list.ListResult) bool { n++; return n < 2 })
	if n != 2 || *read != 2 {
		t.Errorf("a consumer that stops after 2: pushed %d, read %d", n, *read)
	}
}
