package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// Each kind of detail field: created, changed in place (options and name,
// keeping its values), imported by name, replaced on a type change (which
// deletes its values) and destroyed.
func TestAccDetailField_basic(t *testing.T) {
	for _, kind := range []string{jsmsite.KindCustomer, jsmsite.KindOrganization, jsmsite.KindEntitlement} {
		t.Run(kind, func(t *testing.T) {
			s := newTestSite(t)
			site := s.local(t)
			addr := "jsm_" + kind + "_detail_field.region"
			var firstID string
			owner := ""
			storeValue := func(*terraform.State) error {
				fields := site.DetailFields(kind)
				if len(fields) != 1 || fields[0].Name != "Region" || fields[0].Type != "SELECT" ||
					!slices.Equal(fields[0].Options, []string{"AU", "EU"}) {
					return fmt.Errorf("site holds %+v", fields)
				}
				firstID = fields[0].ID
				// A value, set out of band, to see what later steps keep.
				c := s.csmClient(t)
				if kind == jsmsite.KindCustomer {
					a, err := site.AddCustomer("Val", randomEmail("val"))
					if err != nil {
						return err
					}
					owner = a.AccountID
					return c.SetDetail(context.Background(), jsm.CustomerDetails, owner, "Region", []string{"EU"})
				}
				owner = fmt.Sprint(site.AddOrganization(randomName("Val")).ID)
				if kind == jsmsite.KindEntitlement {
					p, err := c.CreateProduct(context.Background(), "Widget")
					if err != nil {
						return err
					}
					e, err := c.CreateEntitlement(context.Background(), jsm.EntitlementOfOrganization, owner, p.ID)
					if err != nil {
						return err
					}
					owner = e.ID
					return c.SetDetail(context.Background(), jsm.EntitlementDetails, owner, "Region", []string{"EU"})
				}
				return c.SetDetail(context.Background(), jsm.OrganizationDetails, owner, "Region", []string{"EU"})
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				CheckDestroy: func(*terraform.State) error {
					if f := site.DetailFields(kind); len(f) != 0 {
						return fmt.Errorf("fields left: %+v", f)
					}
					return nil
				},
				Steps: []resource.TestStep{
					{
						Config:            s.csmProvider(t, "") + fieldConfig(kind, "region", "Region", "SELECT", `["AU", "EU"]`),
						ConfigPlanChecks:  emptyPlanAfterApply(),
						ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(addr, tfjsonpath.New("position"), knownvalue.Int64Exact(1))},
						Check:             storeValue,
					},
					{
						// Rename and new options: one edit, the same field, its value kept.
						Config: s.csmProvider(t, "") + fieldConfig(kind, "region", "Area", "SELECT", `["EU", "APAC"]`),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
						Check: func(*terraform.State) error {
							fields := site.DetailFields(kind)
							if len(fields) != 1 || fields[0].ID != firstID || fields[0].Name != "Area" || !slices.Equal(fields[0].Options, []string{"EU", "APAC"}) {
								return fmt.Errorf("site holds %+v, want field %s renamed", fields, firstID)
							}
							if v := site.DetailValues(kind, owner); !slices.Equal(v["Area"], []string{"EU"}) {
								return fmt.Errorf("value after rename: %v", v)
							}
							return nil
						},
					},
					{ResourceName: addr, ImportState: true, ImportStateId: "Area", ImportStateVerify: true},
					{
						// A new type replaces the field, and its values go with it.
						Config: s.csmProvider(t, "") + fieldConfig(kind, "region", "Area", "MULTISELECT", `["EU", "APAC"]`),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)}},
						Check: func(*terraform.State) error {
							fields := site.DetailFields(kind)
							if len(fields) != 1 || fields[0].ID == firstID || fields[0].Type != "MULTISELECT" {
								return fmt.Errorf("site holds %+v, want a new field", fields)
							}
							if v := site.DetailValues(kind, owner); len(v) != 0 {
								return fmt.Errorf("values survive the replace: %v", v)
							}
							if countRequests(site, routeTenantInfo) == 0 {
								return fmt.Errorf("the cloud ID was not discovered")
							}
							return nil
						},
					},
				},
			})
		})
	}
}

// The limits: 51 options fail at plan time, and so does a 51st field; a
// name the site has already fails the create, with a hint to import it.
func TestAccDetailField_limits(t *testing.T) {
	s := newTestSite(t)
	opts := make([]string, 51)
	for i := range opts {
		opts[i] = fmt.Sprintf("%q", fmt.Sprint("o", i))
	}
	cfg := s.csmProvider(t, "")
	c := s.csmClient(t)
	for i := range jsm.MaxDetailFields {
		if _, err := c.CreateDetailField(context.Background(), jsm.CustomerDetails, jsm.DetailField{Name: fmt.Sprint("F", i), Type: "TEXT"}); err != nil {
			t.Fatal(err)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg + fieldConfig("customer", "big", "Big", "SELECT", "["+strings.Join(opts, ", ")+"]"), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)options.*at most 50`)},
			{Config: cfg + fieldConfig("customer", "t", "Tier", "TEXT", `["x"]`), PlanOnly: true,
				ExpectError: regexp.MustCompile(`Only SELECT and MULTISELECT fields take options`)},
			{Config: cfg + fieldConfig("customer", "more", "More", "TEXT", ""), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)already has 50 customer detail fields`)},
			// A name the site holds in another letter case: the hint
			// imports the field as the site spells it.
			{Config: cfg + fieldConfig("customer", "f0", "f0", "TEXT", ""),
				ExpectError: regexp.MustCompile(`(?s)` + wrapped(`already exists. To manage the existing field, import it:`) + `\s+` + importBlockRE("F0"))},
		},
	})
}

// A field of a type the provider does not list (JSM's UI offers a phone
// number type whose API name is not documented) is imported and kept as
// the site names it: the configuration that says so plans nothing, with a
// warning, and the field is not replaced.
func TestAccDetailField_unlistedType(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	f := site.AddDetailField(jsmsite.KindCustomer, "Phone", "PHONE_NUMBER")
	cfg := s.csmProvider(t, "") + "import {\n  to = jsm_customer_detail_field.phone\n  id = \"Phone\"\n}\n" +
		fieldConfig("customer", "phone", "Phone", "PHONE_NUMBER", "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("jsm_customer_detail_field.phone", plancheck.ResourceActionNoop)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue("jsm_customer_detail_field.phone",
				tfjsonpath.New("type"), knownvalue.StringExact("PHONE_NUMBER"))},
			Check: func(*terraform.State) error {
				if got := site.DetailFields(jsmsite.KindCustomer); len(got) != 1 || got[0].ID != f.ID {
					return fmt.Errorf("fields %+v, want field %s kept", got, f.ID)
				}
				return nil
			},
		}},
	})
}
