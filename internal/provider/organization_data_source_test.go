package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccOrganizationDataSource_basic(t *testing.T) {
	s := newTestSite(t)
	name := randomName("Looked Up Org")
	org, err := s.client.CreateOrganization(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.provider() + fmt.Sprintf(`
data "jsm_organization" "by_name" {
  name = %q
}
data "jsm_organization" "by_id" {
  id = %q
}
`, name, org.ID)
	var checks []statecheck.StateCheck
	for _, addr := range []string{"data.jsm_organization.by_name", "data.jsm_organization.by_id"} {
		checks = append(checks,
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(org.ID)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("scim_managed"), knownvalue.Bool(false)),
		)
		if org.UUID != "" {
			checks = append(checks, statecheck.ExpectKnownValue(addr, tfjsonpath.New("uuid"), knownvalue.StringExact(org.UUID)))
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      s.provider() + fmt.Sprintf("data \"jsm_organization\" \"x\" {\n  name = %q\n}\n", name+" missing"),
				ExpectError: regexp.MustCompile(`(?s)Could not find the organization.*no organization named`),
			},
			{
				Config:      s.provider() + "data \"jsm_organization\" \"x\" {\n  id = \"999999\"\n}\n",
				ExpectError: regexp.MustCompile(`(?s)Could not find the organization.*Organization\s+999999:.*HTTP 404`),
			},
			{
				Config:      s.provider() + "data \"jsm_organization\" \"x\" {\n  id = \"acme\"\n}\n",
				ExpectError: regexp.MustCompile(`(?s)id.*positive integer`),
			},
			{Config: cfg, ConfigStateChecks: checks},
		},
	})
}
