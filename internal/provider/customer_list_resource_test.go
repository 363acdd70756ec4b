package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// queryCLIs skips a test on CLIs without list resources (before 1.14).
var queryCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// listBlock is a list block of a .tfquery.hcl file.
func listBlock(typ, name, extra, config string) string {
	return fmt.Sprintf("list %q %q {\n  provider = jsm\n%s  config {\n%s  }\n}\n", typ, name, extra, config)
}

// queryTest runs a query against s: a first step only configures the
// provider (a query runs in a configuration), the second lists.
func queryTest(t *testing.T, s *testSite, query string, checks ...querycheck.QueryResultCheck) {
	t.Helper()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   queryCLIs,
		Steps: []resource.TestStep{
			{Config: s.provider()},
			{Query: true, Config: query, QueryResultChecks: checks},
		},
	})
}

func createCustomer(t *testing.T, s *testSite, name, email string) *jsm.User {
	t.Helper()
	u, err := s.client.CreateCustomer(context.Background(), name, email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func accountIdentity(u *jsm.User) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"account_id": knownvalue.StringExact(u.AccountID)}
}

func TestAccCustomerListResource_basic(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	ctx := context.Background()
	ann := createCustomer(t, s, "Lister Ann", randomEmail("ann"))
	bob := createCustomer(t, s, "Lister Bob", randomEmail("bob"))
	cid := createCustomer(t, s, "Lister Cid", randomEmail("cid"))
	other := createCustomer(t, s, "Other Dee", randomEmail("dee"))
	site.SetEmailHidden(cid.AccountID, true)
	// An Atlassian account (an agent, say) is no customer: user search
	// finds it, the list leaves it out.
	if _, err := site.AddAtlassianAccount("Lister Agent", randomEmail("agent"), false); err != nil {
		t.Fatal(err)
	}
	if err := s.client.AddServiceDeskCustomers(ctx, closedDeskID, []string{ann.AccountID, bob.AccountID, cid.AccountID}); err != nil {
		t.Fatal(err)
	}
	org, err := s.client.CreateOrganization(ctx, randomName("Listed"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.client.AddOrganizationMembers(ctx, org.ID, []string{bob.AccountID, other.AccountID}); err != nil {
		t.Fatal(err)
	}

	query := listBlock("jsm_customer", "desk", "  include_resource = true\n", fmt.Sprintf("    service_desk_id = %q\n", closedDeskID)) +
		listBlock("jsm_customer", "desk_bob", "", fmt.Sprintf("    service_desk_id = %q\n    query = \"BOB\"\n", closedDeskID)) +
		listBlock("jsm_customer", "org", "", fmt.Sprintf("    organization_id = %q\n", org.ID)) +
		listBlock("jsm_customer", "org_dee", "", fmt.Sprintf("    organization_id = %q\n    query = \"dee\"\n", org.ID)) +
		listBlock("jsm_customer", "search", "", "    query = \"lister\"\n") +
		listBlock("jsm_customer", "limited", "  limit = 2\n", "    query = \"lister\"\n")
	annResource := []querycheck.KnownValueCheck{
		{Path: tfjsonpath.New("account_id"), KnownValue: knownvalue.StringExact(ann.AccountID)},
		{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(ann.AccountID)},
		{Path: tfjsonpath.New("email"), KnownValue: knownvalue.StringExact(ann.Email)},
		{Path: tfjsonpath.New("display_name"), KnownValue: knownvalue.StringExact("Lister Ann")},
		{Path: tfjsonpath.New("on_destroy"), KnownValue: knownvalue.StringExact("forget")},
		{Path: tfjsonpath.New("adopt_existing"), KnownValue: knownvalue.Bool(true)},
		{Path: tfjsonpath.New("on_name_mismatch"), KnownValue: knownvalue.StringExact("fail")},
		{Path: tfjsonpath.New("active"), KnownValue: knownvalue.Bool(true)},
	}
	queryTest(t, s, query,
		querycheck.ExpectLength("jsm_customer.desk", 3),
		querycheck.ExpectIdentity("jsm_customer.desk", accountIdentity(ann)),
		querycheck.ExpectIdentity("jsm_customer.desk", accountIdentity(bob)),
		querycheck.ExpectIdentity("jsm_customer.desk", accountIdentity(cid)),
		querycheck.ExpectResourceDisplayName("jsm_customer.desk", queryfilter.ByResourceIdentity(accountIdentity(ann)),
			knownvalue.StringExact("Lister Ann <"+ann.Email+">")),
		querycheck.ExpectResourceDisplayName("jsm_customer.desk", queryfilter.ByResourceIdentity(accountIdentity(cid)),
			knownvalue.StringExact("Lister Cid (email hidden)")),
		querycheck.ExpectResourceKnownValues("jsm_customer.desk", queryfilter.ByResourceIdentity(accountIdentity(ann)), annResource),
		querycheck.ExpectResourceKnownValues("jsm_customer.desk", queryfilter.ByResourceIdentity(accountIdentity(cid)),
			[]querycheck.KnownValueCheck{{Path: tfjsonpath.New("email"), KnownValue: knownvalue.Null()}}),
		querycheck.ExpectLength("jsm_customer.desk_bob", 1),
		querycheck.ExpectIdentity("jsm_customer.desk_bob", accountIdentity(bob)),
		querycheck.ExpectLength("jsm_customer.org", 2),
		querycheck.ExpectIdentity("jsm_customer.org", accountIdentity(other)),
		querycheck.ExpectLength("jsm_customer.org_dee", 1),
		querycheck.ExpectIdentity("jsm_customer.org_dee", accountIdentity(other)),
		querycheck.ExpectLength("jsm_customer.search", 3),
		querycheck.ExpectIdentity("jsm_customer.search", accountIdentity(cid)), // its hidden email still matches by name
		querycheck.ExpectLength("jsm_customer.limited", 2),
	)
}

func TestAccCustomerListResource_configIsChecked(t *testing.T) {
	s := newTestSite(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   queryCLIs,
		Steps: []resource.TestStep{
			{Config: s.provider()},
			{Query: true, Config: listBlock("jsm_customer", "all", "", ""), ExpectError: regexp.MustCompile(`(?s)At least one of these attributes must be configured.*service_desk_id`)},
			{
				Query:       true,
				Config:      listBlock("jsm_customer", "both", "", "    service_desk_id = \"2\"\n    organization_id = \"3\"\n"),
				ExpectError: regexp.MustCompile(`(?s)cannot be configured together`),
			},
			{
				Query:       true,
				Config:      listBlock("jsm_customer", "nowhere", "", "    service_desk_id = \"999\"\n"),
				ExpectError: regexp.MustCompile(`(?s)Could not list the JSM customers.*Service desk 999:.*404`),
			},
		},
	})
}

func TestMatchesCustomerQuery(t *testing.T) {
	fred := jsm.User{DisplayName: "Fred Flint-Stone", Email: "ff@bedrock.example"}
	hidden := jsm.User{DisplayName: "Wilma Flint"}
	for _, c := range []struct {
		u     jsm.User
		query string
		want  bool
	}{
		{fred, "", true},
		{fred, "FRED", true},         // the name's start, letter case ignored
		{fred, "flint", true},        // a word's start
		{fred, "ff@", true},          // the email's start
		{fred, "red", false},         // not the middle of a word
		{fred, "bedrock", false},     // nor of the email
		{hidden, "wil", true},        // a hidden email: the name still matches
		{hidden, "wilma@", false},    // and the email cannot
		{fred, "fred flint-s", true}, // the name's start across words
		{fred, "stone", false},       // words are split on spaces only
	} {
		if got := matchesCustomerQuery(c.u, c.query); got != c.want {
			t.Errorf("matchesCustomerQuery(%q, %q) = %v, want %v", c.u.DisplayName, c.query, got, c.want)
		}
	}
}

// User search lists at most 1,000 matches. A list block always has a limit
// (100 unless set), so a search that reaches the cap lists what it has and
// warns (the client's failure without a limit is tested in internal/jsm).
func TestAccCustomerListResource_searchCap(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	for i := range 1010 {
		if _, err := site.AddCustomer(fmt.Sprintf("Capped %04d", i), randomEmail(fmt.Sprintf("capped%04d", i))); err != nil {
			t.Fatal(err)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   queryCLIs,
		Steps: []resource.TestStep{
			{Config: s.provider()},
			{
				Query:             true,
				Config:            listBlock("jsm_customer", "first", "", "    query = \"capped\"\n"),
				QueryResultChecks: []querycheck.QueryResultCheck{querycheck.ExpectLength("jsm_customer.first", 100)},
			},
			{
				Query:             true,
				Config:            listBlock("jsm_customer", "limited", "  limit = 2000\n", "    query = \"capped\"\n"),
				QueryResultChecks: []querycheck.QueryResultCheck{querycheck.ExpectLength("jsm_customer.limited", 1000)},
			},
		},
	})
}
