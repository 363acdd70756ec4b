package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// identityCLIs skips a test on CLIs without resource identity (before 1.12).
var identityCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

var positiveIntegerID = knownvalue.StringRegexp(regexp.MustCompile(`^[1-9][0-9]*$`))

// testIdentity applies cfg, checks addr's identity (each attribute's value,
// and that it is the state attribute of the same name), then imports addr
// by that identity alone and expects a plan without changes.
func testIdentity(t *testing.T, cfg, addr string, identity map[string]knownvalue.Check) {
	t.Helper()
	testIdentitySteps(t, addr, resource.TestStep{Config: cfg, ConfigStateChecks: identityChecks(addr, identity, nil)})
}

// identityChecks checks addr's identity: each attribute's value, and that
// it is the state attribute statePaths names (by default the one of the
// same name; "" for none).
func identityChecks(addr string, identity map[string]knownvalue.Check, statePaths map[string]string) []statecheck.StateCheck {
	checks := []statecheck.StateCheck{statecheck.ExpectIdentity(addr, identity)}
	for name := range identity {
		at, ok := statePaths[name]
		if !ok {
			at = name
		}
		if at == "" {
			continue
		}
		checks = append(checks, statecheck.ExpectIdentityValueMatchesStateAtPath(addr, tfjsonpath.New(name), tfjsonpath.New(at)))
	}
	return checks
}

// testIdentitySteps runs steps, then imports addr by its identity alone and
// expects a plan without changes.
func testIdentitySteps(t *testing.T, addr string, steps ...resource.TestStep) {
	t.Helper()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   identityCLIs,
		Steps:                    append(steps, resource.TestStep{ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity}),
	})
}

func TestAccCustomerResource_identity(t *testing.T) {
	s := newTestSite(t)
	testIdentity(t, customerConfig(s, randomEmail("ida"), "Ida Identity", ""), customerAddr,
		map[string]knownvalue.Check{"account_id": knownvalue.StringRegexp(regexp.MustCompile(accountIDPattern))})
}

func TestAccOrganizationResource_identity(t *testing.T) {
	s := newTestSite(t)
	props := `    attributes = jsonencode({ tier = "gold" })`
	testIdentity(t, organizationConfig(s, randomName("Identity"), props), orgAddr,
		map[string]knownvalue.Check{"id": positiveIntegerID})
}

func TestAccOrganizationCustomersResource_identity(t *testing.T) {
	s := newTestSite(t)
	ids := newCustomers(t, s, "Member", 2)
	testIdentity(t, orgMembersConfig(s, randomName("Members"), ids), orgMembersAddr,
		map[string]knownvalue.Check{"organization_id": positiveIntegerID})
}

func TestAccServiceDeskCustomersResource_identity(t *testing.T) {
	s := newTestSite(t)
	s.local(t) // the seeded desks
	ids := newCustomers(t, s, "Desk", 2)
	testIdentity(t, deskCustomersConfig(s, closedDeskID, ids), deskCustomersAddr,
		map[string]knownvalue.Check{"service_desk_id": knownvalue.StringExact(closedDeskID)})
}

func TestAccServiceDeskOrganizationResource_identity(t *testing.T) {
	s := newTestSite(t)
	s.local(t)
	testIdentity(t, deskOrgConfig(s, randomName("Linked"), closedDeskID, true), deskOrgAddr,
		map[string]knownvalue.Check{"service_desk_id": knownvalue.StringExact(closedDeskID), "organization_id": positiveIntegerID})
}

// An identity names an organization by ID; a name there is refused rather
// than looked up (the identity would then name something else than stored).
func TestAccOrganizationResource_identityMustBeAnID(t *testing.T) {
	s := newTestSite(t)
	name := randomName("Named")
	if _, err := s.client.CreateOrganization(t.Context(), name); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   identityCLIs,
		Steps: []resource.TestStep{{
			Config: s.provider() + `
import {
  to       = jsm_organization.named
  identity = { id = "` + name + `" }
}
resource "jsm_organization" "named" {
  name = "` + name + `"
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Invalid import identity.*positive integer`),
		}},
	})
}

// An empty identity attribute is refused with the attribute's name, before
// any request.
func TestAccCustomerResource_identityMustNotBeEmpty(t *testing.T) {
	s := newTestSite(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   identityCLIs,
		Steps: []resource.TestStep{{
			Config: s.provider() + `
import {
  to       = jsm_customer.nobody
  identity = { account_id = "" }
}
resource "jsm_customer" "nobody" {
  email        = "nobody@example.com"
  display_name = "Nobody"
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Invalid import identity.*account_id is empty`),
		}},
	})
}
