package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccServiceDeskDataSource_basic(t *testing.T) {
	s := newTestSite(t)
	s.local(t) // relies on the seeded desks
	cfg := s.provider() + `
data "jsm_service_desk" "by_key" {
  project_key = "HR"
}
data "jsm_service_desk" "by_id" {
  id = "1"
}
data "jsm_service_desk" "by_name" {
  project_name = "hr help" # letter case aside
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{ // a typo lists the desks that exist
				Config: s.provider() + "data \"jsm_service_desk\" \"x\" {\n  project_key = \"NOPE\"\n}\n",
				ExpectError: regexp.MustCompile(`(?s)Could not find the service desk.*Service\s+desk\s+NOPE:.*HTTP 404.*` +
					`service\s+desks\s+\(project\s+key,\s+name,\s+desk\s+ID\):\s+IT\s+"IT\s+Support"\s+\(1\),\s+HR\s+"HR\s+Help"\s+\(2\)`),
			},
			{
				Config: s.provider() + "data \"jsm_service_desk\" \"x\" {\n  project_name = \"Facilities\"\n}\n",
				ExpectError: regexp.MustCompile(`(?s)Service\s+desk\s+named\s+"Facilities":.*no\s+service\s+desk's\s+project\s+has\s+this\s+name.*` +
					`IT\s+"IT\s+Support"\s+\(1\)`),
			},
			{
				Config:      s.provider() + "data \"jsm_service_desk\" \"x\" {\n  project_key = \"it\"\n}\n",
				ExpectError: regexp.MustCompile(`(?s)project_key.*uppercase`),
			},
			{
				Config:      s.provider() + "data \"jsm_service_desk\" \"x\" {\n  id = \"1\"\n  project_key = \"IT\"\n}\n",
				ExpectError: regexp.MustCompile(`Invalid Attribute Combination`),
			},
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.jsm_service_desk.by_key", tfjsonpath.New("id"), knownvalue.StringExact("2")),
					statecheck.ExpectKnownValue("data.jsm_service_desk.by_key", tfjsonpath.New("project_id"), knownvalue.StringExact("10001")),
					statecheck.ExpectKnownValue("data.jsm_service_desk.by_key", tfjsonpath.New("project_name"), knownvalue.StringExact("HR Help")),
					statecheck.ExpectKnownValue("data.jsm_service_desk.by_id", tfjsonpath.New("project_key"), knownvalue.StringExact("IT")),
					statecheck.ExpectKnownValue("data.jsm_service_desk.by_id", tfjsonpath.New("project_name"), knownvalue.StringExact("IT Support")),
					statecheck.ExpectKnownValue("data.jsm_service_desk.by_name", tfjsonpath.New("id"), knownvalue.StringExact("2")),
					statecheck.ExpectKnownValue("data.jsm_service_desk.by_name", tfjsonpath.New("project_key"), knownvalue.StringExact("HR")),
					statecheck.ExpectKnownValue("data.jsm_service_desk.by_name", tfjsonpath.New("project_name"), knownvalue.StringExact("HR Help")),
				},
			},
		},
	})
}
