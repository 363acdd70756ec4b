package provider

import (
	"sort"
	"strings"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// clientCalls names, per resource and data source, the jsm.Client methods
// it calls; the permission lists in the docs and the guides are built from
// it and the client's endpoint table (a test checks it against the code).
var clientCalls = map[string][]string{
	"jsm_customer": {"CreateCustomer", "GetUser", "FindUserByEmail", "SearchByEmail", "RevokePortalAccess",
		"CustomerAccount", "RenameCustomerAccount", "DeleteCustomerAccount"},
	"jsm_organization": {"ListOrganizations", "FindOrganizationByName", "CreateOrganization", "GetOrganization",
		"DeleteOrganization", "OrganizationPropertyKeys", "GetOrganizationProperty", "SetOrganizationProperty",
		"DeleteOrganizationProperty", "EachOrganizationMember", "OrganizationServiceDesks", "RenameOrganization"},
	"jsm_organization_customers":    {"OrganizationMembers", "AddOrganizationMembers", "RemoveOrganizationMembers"},
	"jsm_service_desk_customers":    {"ServiceDeskCustomerIDs", "AddServiceDeskCustomers", "RemoveServiceDeskCustomers"},
	"jsm_service_desk_organization": {"ServiceDeskOrganizationIDs", "AddServiceDeskOrganization", "RemoveServiceDeskOrganization"},
	"data.jsm_customer":             {"GetUser", "FindUserByEmail"},
	"data.jsm_customers":            {"ServiceDeskCustomers"},
	"data.jsm_organization":         {"GetOrganization", "FindOrganizationByName"},
	"data.jsm_service_desk":         {"GetServiceDesk"},
	"list.jsm_customer":             {"EachServiceDeskCustomer", "EachOrganizationMember", "SearchUsers"},
	"list.jsm_organization":         {"EachOrganization", "OrganizationPropertyKeys", "GetOrganizationProperty"},

	// The Customer Service Management API (csm_settings.go).
	"jsm_customer_detail_field": {"ListCustomerDetailFields", "CreateCustomerDetailField", "EditCustomerDetailField",
		"DeleteCustomerDetailField"},
	"jsm_organization_detail_field": {"ListOrganizationDetailFields", "CreateOrganizationDetailField",
		"EditOrganizationDetailField", "DeleteOrganizationDetailField"},
	"jsm_customer_details":     {"ListCustomerDetailFields", "CustomerDetails", "SetCustomerDetail", "GetUser"},
	"jsm_organization_details": {"ListOrganizationDetailFields", "OrganizationDetails", "SetOrganizationDetail", "GetOrganization"},
	"jsm_product":              {"CreateProduct", "GetProduct", "ListProducts", "RenameProduct", "DeleteProduct"},
	"jsm_entitlement_detail_field": {"ListEntitlementDetailFields", "CreateEntitlementDetailField",
		"EditEntitlementDetailField", "DeleteEntitlementDetailField"},
	"jsm_entitlement": {"CreateEntitlement", "GetEntitlement", "DeleteEntitlement", "ListEntitlementDetailFields",
		"SetEntitlementDetail", "ListEntitlements", "ProductsFeatureOn", "GetUser", "GetOrganization"},
	"data.jsm_customer_detail_fields":     {"ListCustomerDetailFields"},
	"data.jsm_organization_detail_fields": {"ListOrganizationDetailFields"},
	"data.jsm_customer_details":           {"CustomerDetails"},
	"data.jsm_organization_details":       {"OrganizationDetails"},
	"data.jsm_entitlement_detail_fields":  {"ListEntitlementDetailFields"},
	"data.jsm_organizations":              {"EachOrganization"},
	"data.jsm_service_desks":              {"ServiceDesks"},
	"data.jsm_products":                   {"ListProducts"},
}

// permissionsMarkdown is the part of a schema description that lists what
// each call of the resource or data source needs.
func permissionsMarkdown(name string) string {
	return "\n\n**Permissions.** The account (with OAuth 2.0 or a scoped API token: the token) needs, for each call:\n\n" +
		permissionsTable(jsm.EndpointsOf(clientCalls[name]...))
}

func permissionsTable(eps []*jsm.Endpoint) string {
	var b strings.Builder
	b.WriteString("| Call | Jira permission | OAuth scope (classic) | OAuth scopes (granular, all needed) |\n")
	b.WriteString("| --- | --- | --- | --- |\n")
	for _, e := range eps {
		b.WriteString("| `" + e.Name() + "` | " + e.Permission + " | " + codeOrNone(e.Scope) + " | " +
			codeOrNone(strings.Join(e.Granular, "`, `")) + " |\n")
	}
	return b.String()
}

// permissionsSection is the provider docs' permissions
// section: per resource and data source, then the scopes that cover all.
func permissionsSection(heading string) string {
	names := make([]string, 0, len(clientCalls))
	for n := range clientCalls {
		names = append(names, n)
	}
	sort.Strings(names)
	classic, granular := map[string]bool{}, map[string]bool{}
	var b strings.Builder
	b.WriteString(heading + " Permissions and OAuth scopes\n\n")
	b.WriteString("What each call needs, from Atlassian's OpenAPI specs. A 401 or 403 error names the call that " +
		"failed and what it needs. Users of OAuth 2.0 (3LO) apps, service accounts' OAuth 2.0 credentials and scoped API tokens need the scopes; classic API " +
		"tokens act with the account's permissions.\n\n")
	for _, n := range names {
		b.WriteString("`" + n + "`:\n\n")
		eps := jsm.EndpointsOf(clientCalls[n]...)
		b.WriteString(permissionsTable(eps) + "\n")
		for _, e := range eps {
			if e.Scope != "" {
				classic[e.Scope] = true
			}
			for _, g := range e.Granular {
				granular[g] = true
			}
		}
	}
	b.WriteString("All of the provider, classic scopes: " + codeList(classic) + ".\n\n")
	b.WriteString("All of the provider, granular scopes: " + codeList(granular) + ".\n")
	return b.String()
}

func codeList(set map[string]bool) string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, "`"+k+"`")
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// codeOrNone shows a scope list as code, or "none" (the CSM API has no
// classic scopes).
func codeOrNone(s string) string {
	if s == "" {
		return "none"
	}
	return "`" + s + "`"
}

// privilegeProfile is a set of resource and data source types a
// configuration may use, for the least-privilege guide: what a token needs
// to apply it, and what one needs only to plan it.
type privilegeProfile struct {
	title string
	names []string
}

// privilegeProfiles grow one from the other: each adds to the one before.
var privilegeProfiles = []privilegeProfile{
	{"Customers only", []string{"jsm_customer", "data.jsm_customer"}},
	{"With organizations and service desk access", []string{"jsm_organization", "jsm_organization_customers",
		"jsm_service_desk_customers", "jsm_service_desk_organization", "data.jsm_organization", "data.jsm_service_desk",
		"data.jsm_customers"}},
	{"With customer and organization details", []string{"jsm_customer_detail_field", "jsm_organization_detail_field",
		"jsm_customer_details", "jsm_organization_details", "data.jsm_customer_detail_fields",
		"data.jsm_organization_detail_fields", "data.jsm_customer_details", "data.jsm_organization_details"}},
	{"With products and entitlements", []string{"jsm_product", "jsm_entitlement_detail_field", "jsm_entitlement"}},
}

// leastPrivilegeSection renders, per profile, the Jira permissions and the
// scopes of the token that applies it and of the read-only token that
// plans it (the GET calls: refresh, and the plan-time look-ups).
func leastPrivilegeSection() string {
	var b strings.Builder
	var names []string
	for _, p := range privilegeProfiles {
		names = append(names, p.names...)
		var all, reads []*jsm.Endpoint
		for _, e := range jsm.EndpointsOf(callsOf(names)...) {
			all = append(all, e)
			if e.Method == "GET" {
				reads = append(reads, e)
			}
		}
		b.WriteString("### " + p.title + "\n\n")
		b.WriteString("Resources and data sources: `" + strings.Join(names, "`, `") + "`.\n\n")
		b.WriteString("- Jira permissions of the account: " + permissionList(all) + ".\n")
		b.WriteString("- Apply (granular scopes): " + codeList(granularOf(all)) + ".\n")
		b.WriteString("- Plan only, read-only (granular scopes): " + codeList(granularOf(reads)) + ".\n")
		if classic := classicOf(all); len(classic) > 0 {
			b.WriteString("- OAuth 2.0 (3LO) apps with classic scopes: " + codeList(classic) +
				" (classic scopes have no read-only form for these calls).\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func callsOf(names []string) []string {
	var out []string
	for _, n := range names {
		out = append(out, clientCalls[n]...)
	}
	return out
}

func granularOf(eps []*jsm.Endpoint) map[string]bool {
	set := map[string]bool{}
	for _, e := range eps {
		for _, g := range e.Granular {
			set[g] = true
		}
	}
	return set
}

func classicOf(eps []*jsm.Endpoint) map[string]bool {
	set := map[string]bool{}
	for _, e := range eps {
		if e.Scope != "" {
			set[e.Scope] = true
		}
	}
	return set
}

// permissionList names each distinct Jira permission once, in the
// endpoints' order, without the notes the tables carry after it.
func permissionList(eps []*jsm.Endpoint) string {
	seen := map[string]bool{}
	var out []string
	for _, e := range eps {
		p := e.Permission
		if i := strings.IndexAny(p, "(;:"); i > 0 {
			p = strings.TrimSpace(p[:i])
		}
		if p == "none" || seen[p] {
			continue // a public call needs nothing
		}
		seen[p] = true
		out = append(out, p)
	}
	return strings.Join(out, "; ")
}
