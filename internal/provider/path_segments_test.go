package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// unsafeSegments are values the client refuses to put in a URL path, as
// HCL string literals: dot segments, slashes and backslashes (a decoding,
// normalizing server reads ../../2 as another object) and control
// characters.
var unsafeSegments = map[string]string{
	"dot":       `"."`,
	"dot dot":   `".."`,
	"up two":    `"../../2"`,
	"slash":     `"a/b"`,
	"backslash": `"a\\b"`,
	"dot part":  `"x/./y"`,
	"control":   `"a\u0007b"`,
}

// A detail field named by any of them is refused at plan time, naming the
// attribute, for every kind: such a field could be created but then neither
// renamed nor deleted (both address it by name in the path).
func TestAccDetailField_unsafeNames(t *testing.T) {
	s := newTestSite(t)
	cfg := s.csmProvider(t, "")
	var steps []resource.TestStep
	for _, kind := range []string{jsmsite.KindCustomer, jsmsite.KindOrganization, jsmsite.KindEntitlement} {
		for _, name := range unsafeSegments {
			steps = append(steps, resource.TestStep{
				Config:      cfg + fmt.Sprintf("resource \"jsm_%s_detail_field\" \"f\" {\n  name = %s\n  type = \"TEXT\"\n}\n", kind, name),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid detail field name.*with jsm_` + kind + `_detail_field.f.*name.*(dot\s+segment|slash|control\s+characters)`),
			})
		}
	}
	steps = append(steps, resource.TestStep{
		Config:       cfg + fieldConfig("customer", "f", "x", "TEXT", ""),
		ResourceName: "jsm_customer_detail_field.f", ImportState: true, ImportStateId: "../x",
		ExpectError: regexp.MustCompile(`(?s)Invalid import ID.*dot\s+segment.*Rename\s+it\s+in\s+JSM\s+first`),
	})
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
	if n := s.site.DotSegmentRequests(); n != 0 {
		t.Errorf("%d requests with a dot segment reached the site", n)
	}
}

// The keys of details maps name detail fields: refused alike, naming the
// attribute; and an entitlement's product ID is refused like any path
// segment.
func TestAccDetails_unsafeFieldNamesAndIDs(t *testing.T) {
	s := newTestSite(t)
	cfg := s.csmProvider(t, "")
	var steps []resource.TestStep
	for _, name := range []string{`".."`, `"a/b"`, `"a\u001bb"`} {
		steps = append(steps,
			resource.TestStep{
				Config:   cfg + fmt.Sprintf("resource \"jsm_customer_details\" \"d\" {\n  customer_id = \"qm:1\"\n  details = { %s = [\"x\"] }\n}\n", name),
				PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Invalid detail field name.*details`),
			},
			resource.TestStep{
				Config:   cfg + fmt.Sprintf("resource \"jsm_organization_details\" \"d\" {\n  organization_id = \"1\"\n  details = { %s = [\"x\"] }\n}\n", name),
				PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Invalid detail field name.*details`),
			},
			resource.TestStep{
				Config:   cfg + fmt.Sprintf("resource \"jsm_entitlement\" \"e\" {\n  product_id = \"p1\"\n  customer_id = \"qm:1\"\n  details = { %s = [\"x\"] }\n}\n", name),
				PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Invalid detail field name.*details`),
			},
		)
	}
	steps = append(steps, resource.TestStep{
		Config:   cfg + "resource \"jsm_entitlement\" \"e\" {\n  product_id = \"../p1\"\n  customer_id = \"qm:1\"\n}\n",
		PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Invalid product ID.*product_id.*dot\s+segment`),
	})
	steps = append(steps,
		resource.TestStep{
			Config:       cfg + "resource \"jsm_product\" \"p\" {\n  name = \"P\"\n}\n",
			ResourceName: "jsm_product.p", ImportState: true, ImportStateId: "../x",
			ExpectError: regexp.MustCompile(`(?s)Invalid import ID.*product\s+ID.*dot\s+segment`),
		},
		resource.TestStep{
			Config:       cfg + "resource \"jsm_entitlement\" \"e\" {\n  product_id = \"p1\"\n  customer_id = \"qm:1\"\n}\n",
			ResourceName: "jsm_entitlement.e", ImportState: true, ImportStateId: "customer/qm:1/..",
			ExpectError: regexp.MustCompile(`(?s)Invalid import ID.*entitlement\s+ID.*dot\s+segment`),
		},
	)
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
}

// A property key the site holds that cannot travel in a path is left
// alone with a warning that quotes it cleaned, capped and masked: the key
// is the site's text.
func TestSendableKeys_warningCleansTheSitesKey(t *testing.T) {
	const token = "tok-5e1f-distinctive-token"
	c, err := jsm.New(jsm.Config{BaseURL: "https://x.atlassian.net", Email: "a@example.com", APIToken: token})
	if err != nil {
		t.Fatal(err)
	}
	var diags diag.Diagnostics
	key := "../" + token + "\x1b[2J" + strings.Repeat("A", 1<<20)
	if got := sendableKeys(c, "1", []string{"ok", key}, &diags); len(got) != 1 || got[0] != "ok" {
		t.Fatalf("sendable keys %.80q", got)
	}
	if len(diags) != 1 {
		t.Fatalf("diagnostics %v", diags)
	}
	detail := diags[0].Detail()
	if len(detail) > 2000 || strings.Contains(detail, token) || strings.Contains(detail, "\x1b") {
		t.Errorf("the warning is not cleaned (%d bytes): %.300s", len(detail), detail)
	}
	if !strings.Contains(detail, "left unchanged on the site") || !strings.Contains(detail, "***") {
		t.Errorf("the warning does not say what happened: %.300s", detail)
	}
}

// The accounts an ambiguous email match lists are the site's text: their
// names reach the error cleaned, capped and with the token masked, through
// the create's own look-up (not only the data source's).
func TestAccCustomerResource_ambiguousMatchQuotesCleanedNames(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	email := randomEmail("twin")
	evil := "Evil " + testAPIToken + "\x1b[2J" + strings.Repeat("A", 5000)
	for range 2 {
		if _, err := site.AddAtlassianAccount(evil, email, false); err != nil {
			t.Fatal(err)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      customerConfig(s, email, "Twin", ""),
			ExpectError: regexp.MustCompile(`(?s)accounts\s+fit\s+the\s+email.*named\s+"Evil\s+\*\*\*A{80,100}…"`),
		}},
	})
}
