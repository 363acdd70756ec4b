package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// Keys with a space, a percent sign, dots and non-ASCII letters are
// stored under exactly that key (each path segment is escaped once), and
// create, refresh and import keep them.
func TestAccOrganizationResource_propertyKeysEscapedOnce(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Keys")
	keys := []string{"a b", "100%", "a.b", "Grüße", "x%20y"}
	var props []string
	for i, k := range keys {
		props = append(props, fmt.Sprintf("    %q = jsonencode(%d)", k, i))
	}
	cfg := organizationConfig(s, name, strings.Join(props, "\n"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply(),
				Check: func(st *terraform.State) error {
					o, _ := site.Organization(orgID(st))
					var got []string
					for k := range o.Properties {
						got = append(got, k)
					}
					sort.Strings(got)
					want := append([]string(nil), keys...)
					sort.Strings(want)
					if strings.Join(got, "|") != strings.Join(want, "|") {
						return fmt.Errorf("the site stores the keys %q, want %q", got, want)
					}
					return nil
				},
			},
			{ResourceName: orgAddr, ImportState: true, ImportStateVerify: true},
		},
	})
}

// Dot segments, slashes, backslashes and control characters are refused at
// plan time, naming the attribute: the key "../../2", sent as ..%2F..%2F2,
// reaches organization 2 behind a server that decodes and normalizes paths.
func TestAccOrganizationResource_unsafePropertyKeys(t *testing.T) {
	s := newTestSite(t)
	for name, key := range unsafeSegments {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config:      organizationConfig(s, "Acme", fmt.Sprintf(`    %s = jsonencode(1)`, key)),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?s)Invalid organization property key.*properties.*(dot\s+segment|slash|control\s+characters)`),
				}},
			})
		})
	}
}

// A ".." or "../../<id>" property created by another tool is left alone on
// import and on every later apply: behind a server that decodes and
// normalizes paths, a request to .../property/.. would reach the
// organization itself, and one to .../property/..%2F..%2F<id> the
// organization <id>.
func TestAccOrganizationResource_dotKeyOnTheSite(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	setFaults(t, site, jsmsite.Faults{NormalizeDotSegments: true})()
	name := randomName("Dotted")
	o := site.AddOrganization(name)
	id := fmt.Sprint(o.ID)
	// "../../<other>" travels as ..%2F..%2F<other>: the site decodes and
	// normalizes it to the other organization.
	other := site.AddOrganization(randomName("Other"))
	otherID := fmt.Sprint(other.ID)
	site.SetOrganizationProperty(id, "..", json.RawMessage(`{"from":"another tool"}`))
	site.SetOrganizationProperty(id, "../../"+otherID, json.RawMessage(`{"from":"another tool"}`))
	site.SetOrganizationProperty(id, "ok", json.RawMessage(`2`))
	cfg := organizationConfig(s, name, `    ok = jsonencode(2)`)
	untouched := func(*terraform.State) error {
		if n := site.DotSegmentRequests(); n != 0 {
			return fmt.Errorf("%d requests with a dot segment reached the site", n)
		}
		for _, k := range []string{"..", "../../" + otherID} {
			if _, ok := site.OrganizationProperty(id, k); !ok {
				return fmt.Errorf("organization %s or its %q property is gone", id, k)
			}
		}
		if _, ok := site.Organization(otherID); !ok {
			return fmt.Errorf("organization %s is gone", otherID)
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg, ResourceName: orgAddr, ImportState: true, ImportStateId: id, ImportStatePersist: true,
				ImportStateCheck: func(st []*terraform.InstanceState) error {
					if st[0].Attributes["properties.%"] != "1" || st[0].Attributes["properties.ok"] != "2" {
						return fmt.Errorf("imported properties %v", st[0].Attributes)
					}
					return untouched(nil)
				}},
			{Config: cfg, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}, Check: untouched},
			{Config: organizationConfig(s, name, ""), Check: untouched},
		},
		CheckDestroy: func(*terraform.State) error {
			if n := site.DotSegmentRequests(); n != 0 {
				return fmt.Errorf("%d requests with a dot segment reached the site", n)
			}
			return nil
		},
	})
}

// A read answered with {} or another organization's ID fails the plan and
// never reaches the state: the destroy that follows deletes the right one.
func TestAccOrganizationResource_readOfAnotherID(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Mine")
	other := site.AddOrganization(randomName("Other"))
	cfg := organizationConfig(s, name, "")
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg, Check: func(st *terraform.State) error { id = orgID(st); return nil }},
			{
				PreConfig:   setFaults(t, site, jsmsite.Faults{WrongIdentity: jsmsite.WrongIdentityOther}),
				Config:      cfg,
				ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)asked\s+for\s+organization\s+\d+,\s+the\s+answer\s+carries\s+ID\s+"%d"`, other.ID)),
			},
			{
				PreConfig:   setFaults(t, site, jsmsite.Faults{WrongIdentity: jsmsite.WrongIdentityEmpty}),
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)asked\s+for\s+organization\s+\d+,\s+the\s+answer\s+carries\s+ID\s+none`),
			},
			{
				PreConfig:        setFaults(t, site, jsmsite.Faults{}),
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(st *terraform.State) error {
					if orgID(st) != id {
						return fmt.Errorf("the state holds organization %s, want %s", orgID(st), id)
					}
					return nil
				},
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if _, ok := site.Organization(fmt.Sprint(other.ID)); !ok {
				return fmt.Errorf("destroy deleted the other organization %d", other.ID)
			}
			if _, ok := site.Organization(id); ok {
				return fmt.Errorf("organization %s survived destroy", id)
			}
			return nil
		},
	})
}

// The same for a service desk read by the data source.
func TestAccServiceDeskDataSource_readOfAnotherID(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	cfg := s.provider() + "data \"jsm_service_desk\" \"x\" {\n  id = \"1\"\n}\n"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig:   setFaults(t, site, jsmsite.Faults{WrongIdentity: jsmsite.WrongIdentityOther}),
				Config:      cfg,
				ExpectError: regexp.MustCompile(`asked\s+for\s+service\s+desk\s+1,\s+the\s+answer\s+carries\s+ID\s+"2"`),
			},
			{
				PreConfig: setFaults(t, site, jsmsite.Faults{}),
				Config:    cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.jsm_service_desk.x", tfjsonpath.New("project_key"), knownvalue.StringExact("IT")),
				},
			},
		},
	})
}
