package provider

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// clientCalls lists exactly the client methods each resource and data
// source calls, so that its permission docs are complete and true.
func TestClientCallsMatchTheCode(t *testing.T) {
	files := map[string][]string{
		"jsm_customer":                        {"customer_resource.go"},
		"jsm_organization":                    {"organization_resource.go", "organization_property_reads.go"},
		"jsm_organization_customers":          {"organization_customers_resource.go"},
		"jsm_service_desk_customers":          {"service_desk_customers_resource.go"},
		"jsm_service_desk_organization":       {"service_desk_organization_resource.go"},
		"data.jsm_customer":                   {"customer_data_source.go"},
		"data.jsm_customers":                  {"customers_data_source.go"},
		"data.jsm_organization":               {"organization_data_source.go"},
		"data.jsm_service_desk":               {"service_desk_data_source.go"},
		"list.jsm_customer":                   {"customer_list_resource.go"},
		"list.jsm_organization":               {"organization_list_resource.go", "organization_property_reads.go"},
		"jsm_customer_detail_field":           {"customer_detail_field_resource.go", "detail_field.go"},
		"jsm_organization_detail_field":       {"organization_detail_field_resource.go", "detail_field.go"},
		"jsm_customer_details":                {"customer_details_resource.go", "details.go"},
		"jsm_organization_details":            {"organization_details_resource.go", "details.go"},
		"jsm_product":                         {"product_resource.go"},
		"jsm_entitlement_detail_field":        {"entitlement_detail_field_resource.go", "detail_field.go"},
		"jsm_entitlement":                     {"entitlement_resource.go"},
		"data.jsm_customer_detail_fields":     {"customer_detail_fields_data_source.go"},
		"data.jsm_organization_detail_fields": {"organization_detail_fields_data_source.go"},
		"data.jsm_customer_details":           {"customer_details_data_source.go"},
		"data.jsm_organization_details":       {"organization_details_data_source.go"},
		"data.jsm_entitlement_detail_fields":  {"entitlement_detail_fields_data_source.go"},
		"data.jsm_organizations":              {"organizations_data_source.go"},
		"data.jsm_service_desks":              {"service_desks_data_source.go"},
		"data.jsm_products":                   {"products_data_source.go"},
	}
	call := regexp.MustCompile(`\b(?:client|c)\.([A-Z]\w*)\(`)
	for name, fs := range files {
		seen := map[string]bool{}
		for _, f := range fs {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range call.FindAllStringSubmatch(string(src), -1) {
				if jsm.IsClientCall(m[1]) {
					seen[m[1]] = true
				}
			}
		}
		var got []string
		for m := range seen {
			got = append(got, m)
		}
		want := append([]string(nil), clientCalls[name]...)
		for _, m := range want {
			if !jsm.IsClientCall(m) {
				t.Errorf("%s: clientCalls names %s, which is no client call", name, m)
			}
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s calls %v, clientCalls says %v", name, got, want)
		}
	}
	if len(files) != len(clientCalls) {
		t.Errorf("clientCalls has %d entries, the test knows %d", len(clientCalls), len(files))
	}
}

// The permission sections of the README and of the provider docs' template
// are rendered from the endpoint table; JSM_UPDATE_DOCS=1 rewrites them.
func TestPermissionsDocsAreCurrent(t *testing.T) {
	const permissions, leastPrivilege = "permissions", "least-privilege"
	for _, doc := range []struct{ file, section, content string }{
		{"../../templates/index.md.tmpl", permissions, permissionsSection("##")},
		{"../../templates/guides/least-privilege.md.tmpl", leastPrivilege, leastPrivilegeSection()},
	} {
		file, begin, end := doc.file, "<!-- "+doc.section+":begin -->\n", "<!-- "+doc.section+":end -->"
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := string(src)
		i, j := strings.Index(text, begin), strings.Index(text, end)
		if i < 0 || j < i {
			t.Errorf("%s has no %s...%s section", file, strings.TrimSpace(begin), end)
			continue
		}
		want := text[:i+len(begin)] + doc.content + text[j:]
		if want == text {
			continue
		}
		if os.Getenv("JSM_UPDATE_DOCS") == "1" {
			if err := os.WriteFile(file, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("the %s section of %s is out of date: run JSM_UPDATE_DOCS=1 go test -run TestPermissionsDocsAreCurrent ./internal/provider/", doc.section, file)
	}
}
