package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccOrganizationListResource_basic(t *testing.T) {
	s := newTestSite(t)
	ctx := context.Background()
	var ids []string
	for _, name := range []string{"Acme North", "acme south", "Beta"} {
		o, err := s.client.CreateOrganization(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	north := map[string]knownvalue.Check{"id": knownvalue.StringExact(ids[0])}
	south := map[string]knownvalue.Check{"id": knownvalue.StringExact(ids[1])}
	if err := s.client.SetOrganizationProperty(ctx, ids[0], "attributes", json.RawMessage(`{"tier": "gold"}`)); err != nil {
		t.Fatal(err)
	}

	query := listBlock("jsm_organization", "all", "", "") +
		listBlock("jsm_organization", "acme", "  include_resource = true\n", "    name_prefix = \"ACME\"\n") +
		listBlock("jsm_organization", "first", "  limit = 1\n", "")
	queryTest(t, s, query,
		querycheck.ExpectLength("jsm_organization.all", 3),
		querycheck.ExpectLength("jsm_organization.acme", 2),
		querycheck.ExpectIdentity("jsm_organization.acme", north),
		querycheck.ExpectIdentity("jsm_organization.acme", south),
		querycheck.ExpectResourceDisplayName("jsm_organization.acme", queryfilter.ByResourceIdentity(south), knownvalue.StringExact("acme south")),
		querycheck.ExpectResourceKnownValues("jsm_organization.acme", queryfilter.ByResourceIdentity(north), []querycheck.KnownValueCheck{
			{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(ids[0])},
			{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("Acme North")},
			{Path: tfjsonpath.New("properties"), KnownValue: knownvalue.MapExact(map[string]knownvalue.Check{
				"attributes": knownvalue.StringExact(`{"tier":"gold"}`),
			})},
		}),
		// No properties: null, as an import stores it, so the generated
		// configuration has no properties = {} to plan away.
		querycheck.ExpectResourceKnownValues("jsm_organization.acme", queryfilter.ByResourceIdentity(south), []querycheck.KnownValueCheck{
			{Path: tfjsonpath.New("properties"), KnownValue: knownvalue.Null()},
		}),
		querycheck.ExpectLength("jsm_organization.first", 1),
	)
}
