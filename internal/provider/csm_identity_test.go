package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// The Customer Service Management resources' identities (Terraform 1.12+).

var uuidID = knownStringRegexp(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// Every resource of the provider has a resource identity.
func TestResourcesHaveIdentity(t *testing.T) {
	ctx := context.Background()
	for _, newResource := range New("test")().Resources(ctx) {
		r := newResource()
		var md fwresource.MetadataResponse
		r.Metadata(ctx, fwresource.MetadataRequest{ProviderTypeName: "jsm"}, &md)
		if _, ok := r.(fwresource.ResourceWithIdentity); !ok {
			t.Errorf("%s has no resource identity", md.TypeName)
		}
	}
}

// A detail field is its name, as the API addresses it: a rename in place
// changes the identity (no "Unexpected Identity Change"), and the field is
// imported by its new name.
func TestAccDetailField_identity(t *testing.T) {
	for _, kind := range []string{jsmsite.KindCustomer, jsmsite.KindOrganization, jsmsite.KindEntitlement} {
		t.Run(kind, func(t *testing.T) {
			s := newTestSite(t)
			addr := "jsm_" + kind + "_detail_field.region"
			step := func(name string) resource.TestStep {
				return resource.TestStep{
					Config:            s.csmProvider(t, "") + fieldConfig(kind, "region", name, "SELECT", `["AU", "EU"]`),
					ConfigStateChecks: identityChecks(addr, map[string]knownvalue.Check{"name": knownvalue.StringExact(name)}, nil),
				}
			}
			rename := step("Area")
			rename.ConfigPlanChecks = resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}}
			testIdentitySteps(t, addr, step("Region"), rename)
		})
	}
}

func TestAccCustomerDetails_identity(t *testing.T) {
	s := newTestSite(t)
	testIdentity(t, detailsConfig(s, t, randomEmail("idd"), `{ (jsm_customer_detail_field.region.name) = ["EU"] }`),
		"jsm_customer_details.fred", map[string]knownvalue.Check{"customer_id": knownStringRegexp(accountIDPattern)})
}

func TestAccOrganizationDetails_identity(t *testing.T) {
	s := newTestSite(t)
	cfg := s.csmProvider(t, "") + fieldConfig("organization", "tier", "Tier", "TEXT", "") + fmt.Sprintf(`resource "jsm_organization" "acme" {
  name = %q
}
resource "jsm_organization_details" "acme" {
  organization_id = jsm_organization.acme.id
  details         = { (jsm_organization_detail_field.tier.name) = ["Gold"] }
}
`, randomName("Acme"))
	testIdentity(t, cfg, "jsm_organization_details.acme", map[string]knownvalue.Check{"organization_id": positiveIntegerID})
}

func TestAccProduct_identity(t *testing.T) {
	s := newTestSite(t)
	testIdentity(t, s.csmProvider(t, "")+"resource \"jsm_product\" \"w\" {\n  name = \"Widget\"\n}\n", "jsm_product.w",
		map[string]knownvalue.Check{"id": uuidID})
}

// An entitlement is its owner (type and ID) and its own ID, the parts of
// its import ID: a customer's and an organization's.
func TestAccEntitlement_identity(t *testing.T) {
	owners := map[string]struct {
		resource string
		id       knownvalue.Check
	}{
		"customer":     {fmt.Sprintf("resource \"jsm_customer\" \"o\" {\n  email        = %q\n  display_name = \"Ent\"\n}\n", randomEmail("ident")), knownStringRegexp(accountIDPattern)},
		"organization": {fmt.Sprintf("resource \"jsm_organization\" \"o\" {\n  name = %q\n}\n", randomName("Ident")), positiveIntegerID},
	}
	for kind, owner := range owners {
		t.Run(kind, func(t *testing.T) {
			s := newTestSite(t)
			addr := "jsm_entitlement.e"
			cfg := s.csmProvider(t, "") + owner.resource + fmt.Sprintf(`resource "jsm_product" "w" {
  name = "Widget"
}
resource "jsm_entitlement" "e" {
  product_id = jsm_product.w.id
  %[1]s_id   = jsm_%[1]s.o.id
}
`, kind)
			identity := map[string]knownvalue.Check{"owner_type": knownvalue.StringExact(kind), "owner_id": owner.id, "id": uuidID}
			checks := identityChecks(addr, identity, map[string]string{"owner_type": "", "owner_id": kind + "_id"})
			testIdentitySteps(t, addr, resource.TestStep{Config: cfg, ConfigStateChecks: checks})
		})
	}
}

// An identity with another owner type is refused by name, before any
// request.
func TestAccEntitlement_identityOwnerType(t *testing.T) {
	s := newTestSite(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   identityCLIs,
		Steps: []resource.TestStep{{
			Config: s.provider() + `
import {
  to       = jsm_entitlement.e
  identity = { owner_type = "team", owner_id = "12", id = "0f8fad5b-d9cb-469f-a165-70867728950e" }
}
resource "jsm_entitlement" "e" {
  product_id      = "3858a61a-d337-42e6-993e-e13e1c366d4f"
  organization_id = "12"
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Invalid import identity.*owner_type must be "customer" or\s+"organization"`),
		}},
	})
}
