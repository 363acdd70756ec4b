package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
	"github.com/jsmtf/terraform-provider-jsm/internal/serve"
)

func TestAccOrganizationResource_basic(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Acme")
	props := `    attributes = jsonencode({ tier = "gold", contacts = ["ops@acme.example"] })
    billing    = jsonencode(42)`
	cfg := organizationConfig(s, name, props)
	var id string
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(orgAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(orgAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[1-9][0-9]*$`))),
					statecheck.ExpectKnownValue(orgAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(orgAddr, tfjsonpath.New("uuid"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`))),
					statecheck.ExpectKnownValue(orgAddr, tfjsonpath.New("scim_managed"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(orgAddr, tfjsonpath.New("properties"), knownvalue.MapSizeExact(2)),
				},
				Check: func(st *terraform.State) error {
					id = orgID(st)
					o, ok := site.Organization(id)
					if !ok || o.Name != name {
						return fmt.Errorf("site holds %+v (found %v)", o, ok)
					}
					if !jsonEqual(o.Properties["attributes"], []byte(`{"contacts":["ops@acme.example"],"tier":"gold"}`)) ||
						string(o.Properties["billing"]) != "42" {
						return fmt.Errorf("site properties %s", o.Properties)
					}
					return nil
				},
			},
			{ResourceName: orgAddr, ImportState: true, ImportStateVerify: true},
			{ResourceName: orgAddr, ImportState: true, ImportStateVerify: true, ImportStateId: name},
			{ // rewritten with another key order and spacing, plus an unmanaged property: no change
				PreConfig: func() {
					site.SetOrganizationProperty(id, "attributes", json.RawMessage(`{ "tier" : "gold",  "contacts" : [ "ops@acme.example" ] }`))
					site.SetOrganizationProperty(id, "set-by-an-app", json.RawMessage(`{"x":1}`))
				},
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{ // changed and deleted out of band: restored in place
				PreConfig: func() {
					site.SetOrganizationProperty(id, "attributes", json.RawMessage(`{"tier":"bronze"}`))
					site.DeleteOrganizationProperty(id, "billing")
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orgAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(orgAddr, tfjsonpath.New("id"))},
				Check: func(*terraform.State) error {
					a, _ := site.OrganizationProperty(id, "attributes")
					b, _ := site.OrganizationProperty(id, "billing")
					if !jsonEqual(a, []byte(`{"tier":"gold","contacts":["ops@acme.example"]}`)) || string(b) != "42" {
						return fmt.Errorf("not restored: attributes %s, billing %s", a, b)
					}
					return nil
				},
			},
			{ // a key removed from the configuration deletes that property only
				Config:           organizationConfig(s, name, `    billing = jsonencode(43)`),
				ConfigPlanChecks: emptyPlanAfterApply(),
				Check: func(*terraform.State) error {
					o, _ := site.Organization(id)
					if _, ok := o.Properties["attributes"]; ok {
						return fmt.Errorf("attributes not deleted: %s", o.Properties)
					}
					if string(o.Properties["billing"]) != "43" || string(o.Properties["set-by-an-app"]) != `{"x":1}` {
						return fmt.Errorf("properties %s", o.Properties)
					}
					return nil
				},
			},
			{ // no properties at all: the unmanaged one stays
				Config:           organizationConfig(s, name, ""),
				ConfigPlanChecks: emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orgAddr, tfjsonpath.New("properties"), knownvalue.Null()),
				},
				Check: func(*terraform.State) error {
					if o, _ := site.Organization(id); len(o.Properties) != 1 {
						return fmt.Errorf("properties %s, want only set-by-an-app", o.Properties)
					}
					return nil
				},
			},
			{ // no rename API: a new name replaces the organization
				Config: organizationConfig(s, name+" renamed", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(orgAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: func(st *terraform.State) error {
					if _, ok := site.Organization(id); ok {
						return fmt.Errorf("the old organization %s still exists", id)
					}
					if o, _ := site.Organization(orgID(st)); o.Name != name+" renamed" {
						return fmt.Errorf("new organization %+v", o)
					}
					return nil
				},
			},
		},
		CheckDestroy: func(*terraform.State) error {
			for _, o := range site.Organizations() {
				if strings.HasPrefix(o.Name, name) {
					return fmt.Errorf("organization %s (%q) survived destroy", o.Name, o.Name)
				}
			}
			return nil
		},
	})
}

func TestAccOrganizationResource_drift(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Drift")
	cfg := organizationConfig(s, name, "")
	ids := statecheck.CompareValue(compare.ValuesDiffer())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(orgAddr, tfjsonpath.New("id"))}},
			{ // deleted out of band: created again
				PreConfig: func() {
					for _, o := range site.Organizations() {
						if o.Name == name {
							site.DeleteOrganization(fmt.Sprint(o.ID))
						}
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(orgAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(orgAddr, tfjsonpath.New("id"))},
			},
		},
	})
}

// An organization that exists already is never taken over: the error gives
// the import command, and nothing is created.
func TestAccOrganizationResource_existingName(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Taken")
	existing := site.AddOrganization(name)
	want := importBlockRE(fmt.Sprint(existing.ID))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			// At plan time, before anything is written.
			{
				Config: organizationConfig(s, name, ""), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)already exists.*` + wrapped("set adopt_existing = true") + `.*` + want),
			},
			// JSM matches names without regard to case.
			{Config: organizationConfig(s, strings.ToUpper(name), ""), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)already exists.*` + want)},
			// The apply checks again (the name may be taken after the plan).
			{Config: organizationConfig(s, name, ""), ExpectError: regexp.MustCompile(`(?s)already exists.*` + want)},
			{ // the way out the error gives
				Config:             organizationConfig(s, name, ""),
				ResourceName:       orgAddr,
				ImportState:        true,
				ImportStateId:      fmt.Sprint(existing.ID),
				ImportStatePersist: true,
			},
			{
				Config:           organizationConfig(s, name, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orgAddr, tfjsonpath.New("id"), knownvalue.StringExact(fmt.Sprint(existing.ID))),
				},
				Check: func(*terraform.State) error {
					if n := len(site.Organizations()); n != 1 {
						return fmt.Errorf("%d organizations on the site, want only the existing one", n)
					}
					return nil
				},
			},
		},
	})
}

func TestAccOrganizationResource_importWithProperties(t *testing.T) {
	s := newTestSite(t)
	name := randomName("Imported")
	ctx := context.Background()
	org, err := s.client.CreateOrganization(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.client.SetOrganizationProperty(ctx, org.ID, "attributes", json.RawMessage(`{"b":2,"a":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.client.SetOrganizationProperty(ctx, org.ID, "notes", json.RawMessage(`"old"`)); err != nil {
		t.Fatal(err)
	}
	site := s.local(t)
	cfg := organizationConfig(s, name, "    attributes = jsonencode({ a = 1, b = 2 })\n    notes = jsonencode(\"old\")")
	// Another property changed beside the one written otherwise: the plan
	// must not mix the state's text with the configuration's (Terraform
	// rejects such a plan), and the apply writes only what changed.
	changed := organizationConfig(s, name, "    attributes = jsonencode({ a = 1, b = 2 })\n    notes = jsonencode(\"new\")")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg, ResourceName: orgAddr, ImportState: true, ImportStateId: name, ImportStatePersist: true},
			{Config: cfg, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			{
				PreConfig:        func() { site.ResetRequests() },
				Config:           changed,
				ConfigPlanChecks: emptyPlanAfterApply(),
				Check: func(*terraform.State) error {
					if v, ok := site.OrganizationProperty(org.ID, "notes"); !ok || string(v) != `"new"` {
						return fmt.Errorf("notes = %s", v)
					}
					if n := site.RequestCount(orgPropPutRoute, -1); n != 1 {
						return fmt.Errorf("%d property writes, want 1 (notes)", n)
					}
					return nil
				},
			},
		},
	})
}

func TestAccOrganizationResource_invalidInputs(t *testing.T) {
	s := newTestSite(t)
	for name, tc := range map[string]struct{ name, props, want string }{
		"empty name":  {"", "", `(?s)name.*character count must be between 1 and 200`},
		"long name":   {strings.Repeat("n", 201), "", `(?s)name.*character count must be between 1 and 200`},
		"padded name": {" Acme", "", `(?s)name.*start or end with\s+whitespace`},
		"not JSON":    {"Acme", `    k = "{not json"`, `(?s)Invalid JSON document.*jsonencode`},
		"long key":    {"Acme", `    ` + strings.Repeat("k", 256) + ` = "1"`, `(?s)length must be between 1 and 255`},
	} {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config: organizationConfig(s, tc.name, tc.props), PlanOnly: true, ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}

// adopt_existing = true adopts an organization of the same name, as the
// plan says, and writes the configured properties on it; a name differing
// in letter case is refused at plan time even so.
func TestAccOrganizationResource_adoptExisting(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Adopted")
	existing := site.AddOrganization(name)
	adopt := func(name string) string {
		return strings.Replace(organizationConfig(s, name, `    tier = jsonencode("gold")`), "  name =", "  adopt_existing = true\n  name =", 1)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      adopt(strings.ToLower(name)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)already exists.*differ.*` + regexp.QuoteMeta(fmt.Sprintf("name = %q", name))),
			},
			{
				Config:           adopt(name),
				ConfigPlanChecks: emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orgAddr, tfjsonpath.New("id"), knownvalue.StringExact(fmt.Sprint(existing.ID))),
				},
				Check: func(*terraform.State) error {
					if n := len(site.Organizations()); n != 1 {
						return fmt.Errorf("%d organizations on the site, want the adopted one", n)
					}
					if v, ok := site.OrganizationProperty(fmt.Sprint(existing.ID), "tier"); !ok || string(v) != `"gold"` {
						return fmt.Errorf("property tier = %s, %v", v, ok)
					}
					return nil
				},
			},
		},
	})
}

// A rename's plan names what the replacement drops: the members and the
// service desks of the organization, with the way to keep it.
func TestOrganizationWarnRename(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	ctx := context.Background()
	org := site.AddOrganization("Old Name Ltd")
	id := fmt.Sprint(org.ID)
	member, err := site.AddCustomer("Mona Member", "mona@example.com")
	if err != nil {
		t.Fatal(err)
	}
	site.AddOrganizationMembers(id, member.AccountID)
	if err := s.client.AddServiceDeskOrganization(ctx, closedDeskID, id); err != nil {
		t.Fatal(err)
	}
	desk, _ := site.ServiceDesk(closedDeskID)
	state := organizationResourceModel{ID: types.StringValue(id), Name: types.StringValue("Old Name Ltd")}

	var d diag.Diagnostics
	(&organizationResource{client: s.client, run: &runState{}}).warnRename(ctx, state, "New Name Ltd", &d)
	text := diagText(d)
	for _, want := range []string{"replaces it", `"Old Name Ltd" (ID ` + id, `"New Name Ltd"`, "Mona Member", member.AccountID,
		desk.ProjectKey, "set name back to"} {
		if !strings.Contains(text, want) {
			t.Errorf("the warning lacks %q:\n%s", want, text)
		}
	}
	if d.HasError() || d.WarningsCount() != 1 {
		t.Errorf("want one warning: %s", text)
	}

	// Nothing attached: it says so.
	bare := site.AddOrganization("Bare Ltd")
	d = nil
	(&organizationResource{client: s.client, run: &runState{}}).warnRename(ctx, organizationResourceModel{
		ID: types.StringValue(fmt.Sprint(bare.ID)), Name: types.StringValue("Bare Ltd")}, "Barer Ltd", &d)
	if text := diagText(d); !strings.Contains(text, "Members: none.") || !strings.Contains(text, "Service desks: none.") {
		t.Errorf("an organization with nothing attached:\n%s", text)
	}
}

// Creating an organization lists the organizations in the plan (to say
// whether the name is taken) and, in the apply, once more when Terraform
// plans the create again; the create itself uses that listing rather than
// list a third time (on a large site, many pages). The create reuses a
// listing made within orgListingReuse (TestOrgListingCache); the provider
// here keeps its runs' time still, so that however slow the machine the
// create follows the plan at once.
func TestAccOrganizationResource_createListsOnce(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	const listRoute = "GET /rest/servicedeskapi/organization"
	var before int
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: stillTimeProviders(),
		Steps: []resource.TestStep{
			{Config: s.provider(), Check: func(*terraform.State) error { before = site.RequestCount(listRoute, -1); return nil }},
			{
				Config: organizationConfig(s, randomName("Acme"), ""),
				Check: func(*terraform.State) error {
					if got := site.RequestCount(listRoute, -1) - before; got != 2 {
						return fmt.Errorf("%d organization listings for the plan and the apply, want 2", got)
					}
					return nil
				},
			},
		},
	})
}

// stillTimeProviders are testAccProviders whose runs keep time still
// (runState.now): each run's clock stands at the moment the provider was
// configured.
func stillTimeProviders() map[string]func() (tfprotov6.ProviderServer, error) {
	p := stillTimeProvider{New("test", WithRetryWait(10*time.Millisecond, 200*time.Millisecond))().(*jsmProvider)}
	return map[string]func() (tfprotov6.ProviderServer, error){"jsm": serve.Protocol6(p)}
}

type stillTimeProvider struct{ *jsmProvider }

func (p stillTimeProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	p.jsmProvider.Configure(ctx, req, resp)
	if pd, ok := resp.ResourceData.(*providerData); ok {
		st, at := pd.run, time.Now()
		st.mu.Lock()
		st.now = func() time.Time { return at }
		st.mu.Unlock()
	}
}

func TestOrgListingCache(t *testing.T) {
	a, b := &runState{}, &runState{}
	orgs := []jsm.Organization{{ID: "1", Name: "Acme"}}
	if _, ok := a.takeOrgs(); ok {
		t.Fatal("a listing out of nothing")
	}
	a.rememberOrgs(orgs)
	if _, ok := b.takeOrgs(); ok {
		t.Error("another run's listing was handed out")
	}
	if got, ok := a.takeOrgs(); !ok || len(got) != 1 {
		t.Errorf("take = %v, %v; want the listing", got, ok)
	}
	if _, ok := a.takeOrgs(); ok {
		t.Error("a listing served two creates")
	}
	a.rememberOrgs(orgs)
	a.forgetOrgs()
	if _, ok := a.takeOrgs(); ok {
		t.Error("a listing survived a create")
	}
	a.rememberOrgs(orgs)
	a.orgsAt = time.Now().Add(-orgListingReuse - time.Second)
	if _, ok := a.takeOrgs(); ok {
		t.Error("a stale listing was handed out")
	}
	// On the run's own clock, a listing serves for orgListingReuse, to the
	// nanosecond.
	clk := time.Unix(1_700_000_000, 0)
	a.now = func() time.Time { return clk }
	a.rememberOrgs(orgs)
	clk = clk.Add(orgListingReuse)
	if _, ok := a.takeOrgs(); !ok {
		t.Error("a listing orgListingReuse old was not handed out")
	}
	a.rememberOrgs(orgs)
	clk = clk.Add(orgListingReuse + 1)
	if _, ok := a.takeOrgs(); ok {
		t.Error("a listing older than orgListingReuse was handed out")
	}
}

// An organization's properties are read propertiesAtOnce at a time, and a
// failed read names the first failing key in key order, as one by one.
func TestAccOrganizationResource_readsPropertiesAtOnce(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Props")
	ctx := context.Background()
	org, err := s.client.CreateOrganization(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, k := range []string{"a", "b", "c", "d", "e", "f"} {
		if err := s.client.SetOrganizationProperty(ctx, org.ID, k, json.RawMessage(`"`+k+`"`)); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf("    %s = jsonencode(%q)", k, k))
	}
	var (
		mu                sync.Mutex
		inFlight, most    int
		all               = make(chan struct{})
		released, failing = false, map[string]bool{}
	)
	site.Use(func(route string, next http.Handler) http.Handler {
		if route != "GET /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}" {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			inFlight++
			most = max(most, inFlight)
			if inFlight == propertiesAtOnce && !released {
				released = true
				close(all)
			}
			fail := failing[r.PathValue("propertyKey")]
			mu.Unlock()
			defer func() { mu.Lock(); inFlight--; mu.Unlock() }()
			select { // until four are asked for together, or fewer ever are
			case <-all:
			case <-time.After(30 * time.Second): // long: requests sent together may arrive far apart on a loaded machine
				mu.Lock()
				if !released { // once: the check below fails without waiting out every read
					released = true
					close(all)
				}
				mu.Unlock()
			}
			if fail { // as JSM refuses a property the credential may not read
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusForbidden)
				_, _ = w.Write([]byte(`{"errorMessage":"You do not have permission to view this property.","i18nErrorMessage":{"i18nKey":"sd.property.permission","parameters":[]}}`))
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	cfg := organizationConfig(s, name, strings.Join(lines, "\n"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: cfg, ResourceName: orgAddr, ImportState: true, ImportStateId: name, ImportStatePersist: true,
				ImportStateCheck: func(st []*terraform.InstanceState) error {
					mu.Lock()
					defer mu.Unlock()
					if most != propertiesAtOnce {
						return fmt.Errorf("at most %d properties were read at once, want %d", most, propertiesAtOnce)
					}
					if got := st[0].Attributes["properties.%"]; got != "6" {
						return fmt.Errorf("%s properties imported, want 6", got)
					}
					return nil
				},
			},
			{Config: cfg, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			{
				PreConfig: func() { mu.Lock(); failing["e"], failing["c"] = true, true; mu.Unlock() },
				Config:    cfg, PlanOnly: true,
				ExpectError: regexp.MustCompile(`Property "c" of organization`),
			},
		},
	})
}

// Refused credentials (a 401, or a service account's secret the token
// endpoint refuses) fail the plan of a new organization: the apply could
// only fail the same way. Nothing is created.
func TestAccOrganizationResource_refusedCredentialsFailThePlan(t *testing.T) {
	org := "resource \"jsm_organization\" \"test\" {\n  name = \"Refused Ltd\"\n}\n"
	t.Run("revoked token", func(t *testing.T) {
		s := newTestSite(t)
		site := s.local(t)
		cfg := fmt.Sprintf("provider \"jsm\" {\n  url       = %q\n  email     = %q\n  api_token = \"revoked-token\"\n}\n", s.url, testEmail)
		refusedPlan(t, site, cfg+org, `HTTP 401`)
	})
	t.Run("wrong secret", func(t *testing.T) {
		site, srv := serviceAccountSite(t, time.Hour)
		cfg := fmt.Sprintf("provider \"jsm\" {\n  url             = %q\n  client_id       = %q\n  client_secret   = \"not-the-secret\"\n"+
			"  oauth_token_url = %q\n}\n", srv.URL+"/ex/jira/"+site.CloudID(), saClientID, srv.URL+"/oauth/token")
		refusedPlan(t, site, cfg+org, `invalid_client`)
	})
}

func refusedPlan(t *testing.T, site *jsmsite.Site, cfg, cause string) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: cfg, PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)Error: The credentials were refused.*"Refused Ltd".*` + cause),
		}},
		CheckDestroy: func(*terraform.State) error {
			if n := len(site.Organizations()); n != 0 {
				return fmt.Errorf("%d organizations on the site, want none", n)
			}
			return nil
		},
	})
}

// Two resources declaring one name (letter case aside) fail the plan,
// before any create: JSM answers a create of a taken name with the existing
// organization, so both would manage, and destroy, the one organization.
func TestAccOrganizationResource_twinNames(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Twin Org")
	cfg := s.provider() + fmt.Sprintf(`
resource "jsm_organization" "o1" {
  name = %q
}

resource "jsm_organization" "o2" {
  name = %q
}
`, name, strings.ToUpper(name))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      cfg,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)JSM organization name declared twice.*` + wrapped("declare each organization once")),
		}},
		CheckDestroy: func(*terraform.State) error {
			if n := site.RequestCount(orgCreateRoute, -1); n != 0 {
				return fmt.Errorf("%d organization creates sent, want none", n)
			}
			return nil
		},
	})
}

// A run takes a name once, letter case aside: a second claim is a second
// resource, another name is not.
func TestRunStateClaimsOrganizationNamesOnce(t *testing.T) {
	st := &runState{}
	if st.claimCreate("organization", "Acme") || !st.claimCreate("organization", "ACME") || st.claimCreate("organization", "Acme 2") {
		t.Error("a name claimed twice in one run must be refused, another name not")
	}
	if st.claimCreate("customer", "acme") {
		t.Error("a claim of another kind was refused")
	}
}

// When the second of two resources declaring one name plans its create
// again while applying, after the first created the organization, the plan
// says the same, rather than offer to import the other's organization.
func TestAccOrganizationResource_twinNamesInTurn(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Twin Org")
	cfg := s.provider() + fmt.Sprintf(`
resource "jsm_organization" "o1" {
  name = %q
}

resource "jsm_organization" "o2" {
  name       = %q
  depends_on = [jsm_organization.o1]
}
`, name, name)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: cfg,
			ExpectError: regexp.MustCompile(`(?s)jsm_organization.o2.*Another jsm_organization of this configuration.*` +
				wrapped("declare each organization once")),
		}},
		CheckDestroy: func(*terraform.State) error {
			if n := len(site.Organizations()); n != 0 {
				return fmt.Errorf("%d organizations on the site after destroy, want none", n)
			}
			return nil
		},
	})
}

// A create whose property write fails leaves the organization it created
// in the state, tainted (Terraform taints whatever a failed create leaves),
// with the properties written: the next plan replaces it rather than fail
// on its own name, and the apply deletes it and creates it again whole.
func TestAccOrganizationResource_taintedAfterFailedProperty(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Faulty Props")
	cfg := organizationConfig(s, name, "    a = \"1\"\n    b = \"2\"")
	var first string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					setProxyFaults(t, site, jsmsite.ProxyFaults{HTMLStatus: http.StatusInternalServerError, Routes: []string{orgPropPutRoute}})
				},
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Could not set the organization property.*` + wrapped("terraform untaint")),
			},
			{
				PreConfig: func() {
					setProxyFaults(t, site, jsmsite.ProxyFaults{})
					if o := site.Organizations(); len(o) == 1 {
						first = fmt.Sprint(o[0].ID)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orgAddr, plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(st *terraform.State) error {
					orgs := site.Organizations()
					if first == "" || len(orgs) != 1 || fmt.Sprint(orgs[0].ID) == first || orgID(st) != fmt.Sprint(orgs[0].ID) {
						return fmt.Errorf("want organization %s replaced by one other, the site holds %+v", first, orgs)
					}
					if a, b := orgs[0].Properties["a"], orgs[0].Properties["b"]; string(a) != "1" || string(b) != "2" {
						return fmt.Errorf("properties %s", orgs[0].Properties)
					}
					return nil
				},
			},
		},
	})
}

// A rename that only changes letter case replaces the organization
// (without csm_lifecycle): the plan of its create does not take the
// organization it replaces for a taken name.
func TestAccOrganizationResource_caseOnlyRenameReplaces(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Globex")
	ids := statecheck.CompareValue(compare.ValuesDiffer())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: organizationConfig(s, name, ""), ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(orgAddr, tfjsonpath.New("id"))}},
			{
				Config: organizationConfig(s, strings.ToUpper(name), ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orgAddr, plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(orgAddr, tfjsonpath.New("id"))},
				Check: func(*terraform.State) error {
					if o := site.Organizations(); len(o) != 1 || o[0].Name != strings.ToUpper(name) {
						return fmt.Errorf("the site holds %+v", o)
					}
					return nil
				},
			},
		},
	})
}

// A replacement Terraform decides (replace_triggered_by, -replace) plans
// its create knowing which organization it replaces, as a rename does; a
// taint by hand cannot be told from another resource's organization, and
// the error says how to replace it instead.
func TestAccOrganizationResource_replacedOrTainted(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Replaced")
	cfg := func(trigger string) string {
		return s.provider() + fmt.Sprintf(`
resource "terraform_data" "trigger" {
  input = %q
}

resource "jsm_organization" "test" {
  name = %q
  lifecycle {
    replace_triggered_by = [terraform_data.trigger]
  }
}
`, trigger, name)
	}
	ids := statecheck.CompareValue(compare.ValuesDiffer())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg("1"), ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(orgAddr, tfjsonpath.New("id"))}},
			{
				Config: cfg("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(orgAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(orgAddr, tfjsonpath.New("id"))},
				Check: func(*terraform.State) error {
					if o := site.Organizations(); len(o) != 1 {
						return fmt.Errorf("the site holds %+v", o)
					}
					return nil
				},
			},
			{
				Taint:  []string{orgAddr},
				Config: cfg("2"),
				ExpectError: regexp.MustCompile(`(?s)already exists.*` + wrapped("is in this configuration's state") + `.*` +
					wrapped("terraform untaint <ADDRESS>, then terraform apply -replace=<ADDRESS>")),
			},
		},
	})
}

// An organization named otherwise in letter case, made after the create
// listed the organizations (by someone else), answers the create: it is not
// taken for this create's own.
func TestAccOrganizationResource_caseVariantMadeMeanwhile(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	name := randomName("Meanwhile")
	var once sync.Once
	site.Use(func(route string, next http.Handler) http.Handler {
		if route != orgCreateRoute {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			once.Do(func() { site.AddOrganization(strings.ToUpper(name)) })
			next.ServeHTTP(w, r)
		})
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      organizationConfig(s, name, ""),
			ExpectError: regexp.MustCompile(`(?s)already exists.*` + regexp.QuoteMeta(strings.ToUpper(name)) + `.*` + wrapped("the names differ")),
		}},
		CheckDestroy: func(*terraform.State) error {
			if o := site.Organizations(); len(o) != 1 || o[0].Name != strings.ToUpper(name) {
				return fmt.Errorf("the site holds %+v, want only the other's organization", o)
			}
			return nil
		},
	})
}
