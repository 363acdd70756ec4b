package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// apiCalls is what each resource, data source and list resource declares
// beside its schema (its apiCalls method): the jsm.Client methods it calls
// and, for the detail calls, their kind. Its permission docs are built from
// it and the client's endpoint table; permissions_test.go checks it against
// the code.
type apiCalls struct {
	details *jsm.DetailKind
	methods []string
	// optIn are the calls made only with csm_lifecycle = true: the docs
	// mark them, and the least-privilege profiles ask their scopes only of
	// the configurations that opt in.
	optIn []string
}

func calls(methods ...string) apiCalls { return apiCalls{methods: methods} }

// withOptIn adds the calls made only with csm_lifecycle = true.
func (a apiCalls) withOptIn(methods ...string) apiCalls { a.optIn = methods; return a }

// all is every call the type may make.
func (a apiCalls) all() []string { return append(append([]string(nil), a.methods...), a.optIn...) }

func (a apiCalls) endpoints() []*jsm.Endpoint { return jsm.EndpointsOf(a.details, a.all()...) }

// optInOnly reports whether e is called only with csm_lifecycle = true.
func (a apiCalls) optInOnly(e *jsm.Endpoint) bool {
	for _, x := range jsm.EndpointsOf(a.details, a.methods...) {
		if x == e {
			return false
		}
	}
	return true
}

// withoutOptIn is the calls of a configuration that does not opt in.
func (a apiCalls) withoutOptIn() apiCalls { a.optIn = nil; return a }

type apiCaller interface{ apiCalls() apiCalls }

// registeredType is a resource, data source or list resource the provider
// registers: its name as the docs write it ("jsm_customer",
// "data.jsm_customer", "list.jsm_customer"), and its constructor.
type registeredType struct {
	name string
	impl any
	new  any
}

// registeredTypes lists what the provider registers, in its order.
func registeredTypes() []registeredType {
	ctx := context.Background()
	p := &jsmProvider{}
	meta := resource.MetadataRequest{ProviderTypeName: "jsm"}
	var out []registeredType
	for _, f := range p.Resources(ctx) {
		r, resp := f(), resource.MetadataResponse{}
		r.Metadata(ctx, meta, &resp)
		out = append(out, registeredType{resp.TypeName, r, f})
	}
	for _, f := range p.DataSources(ctx) {
		d, resp := f(), datasource.MetadataResponse{}
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "jsm"}, &resp)
		out = append(out, registeredType{"data." + resp.TypeName, d, f})
	}
	for _, f := range p.ListResources(ctx) {
		l, resp := f(), resource.MetadataResponse{}
		l.Metadata(ctx, meta, &resp)
		out = append(out, registeredType{"list." + resp.TypeName, l, f})
	}
	return out
}

// callsOf is the declared calls of the type named name.
func callsOf(name string) apiCalls {
	for _, t := range registeredTypes() {
		if c, ok := t.impl.(apiCaller); ok && t.name == name {
			return c.apiCalls()
		}
	}
	return apiCalls{}
}

// permissionsMarkdown is the part of a schema description that lists what
// each call of the resource or data source needs.
func permissionsMarkdown(name string) string {
	return "\n\n**Permissions.** " + permissionsOfPage(name)
}

// permissionsOfPage is a page's permissions section, under the page's own
// "## Permissions" heading (which the schema description lacks, hence the
// bold label there).
func permissionsOfPage(name string) string {
	return permissionsIntro + permissionsTable(callsOf(name))
}

// permissionsIntro heads each page's permissions table.
const permissionsIntro = "The account (with OAuth 2.0 or a scoped API token: the token) needs, for each call:\n\n"

func permissionsTable(c apiCalls) string {
	var b strings.Builder
	b.WriteString("| Call | Jira permission | OAuth scope (classic) | OAuth scopes (granular, all needed) |\n")
	b.WriteString("| --- | --- | --- | --- |\n")
	for _, e := range c.endpoints() {
		call := "`" + e.Name() + "`"
		// tenant_info needs nothing, and bearer tokens may ask it anyway
		// (to find the gateway): it is no opt-in's.
		if len(c.optIn) > 0 && c.optInOnly(e) && len(e.Granular) > 0 {
			call += " (only with `csm_lifecycle = true`)"
		}
		b.WriteString("| " + call + " | " + e.Permission + " | " + codeOrNone(e.Scope) + " | " +
			codeOrNone(strings.Join(e.Granular, "`, `")) + " |\n")
	}
	return b.String()
}

// permissionsSection is the permissions guide's body: per resource, data
// source and list resource, a heading and its table, then the scopes that
// cover all.
func permissionsSection() string {
	var names []string
	for _, t := range registeredTypes() {
		names = append(names, t.name)
	}
	sort.Strings(names)
	classic, granular := map[string]bool{}, map[string]bool{}
	var b strings.Builder
	b.WriteString("What each call needs, from Atlassian's OpenAPI specs. A 401 or 403 error names the call that " +
		"failed and what it needs. Users of OAuth 2.0 (3LO) apps, service accounts' OAuth 2.0 credentials and scoped API tokens need the scopes; classic API " +
		"tokens act with the account's permissions.\n\n")
	for _, n := range names {
		b.WriteString("## `" + n + "`\n\n")
		eps := callsOf(n).endpoints()
		b.WriteString(permissionsTable(callsOf(n)) + "\n")
		for _, e := range eps {
			if e.Scope != "" {
				classic[e.Scope] = true
			}
			for _, g := range e.Granular {
				granular[g] = true
			}
		}
	}
	b.WriteString("## All of the provider\n\n")
	b.WriteString("Classic scopes:\n\n" + bullets(sortedCode(classic)))
	b.WriteString("Granular scopes:\n\n" + strings.TrimSuffix(bullets(sortedCode(granular)), "\n"))
	return b.String()
}

// sortedCode is the set's items as code, sorted.
func sortedCode(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, "`"+k+"`")
	}
	sort.Strings(out)
	return out
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
	// optIn: the types of every profile so far with csm_lifecycle = true.
	optIn bool
}

// privilegeProfiles grow one from the other: each adds to the one before.
var privilegeProfiles = []privilegeProfile{ //nolint:gochecknoglobals // a read-only table
	{"Customers only", []string{"jsm_customer", "data.jsm_customer"}, false},
	{"With organizations and service desk access", []string{"jsm_organization", "jsm_organization_customers",
		"jsm_service_desk_customers", "jsm_service_desk_organization", "data.jsm_organization", "data.jsm_organizations",
		"data.jsm_service_desk", "data.jsm_service_desks", "data.jsm_customers"}, false},
	{"With customer and organization details", []string{"jsm_customer_detail_field", "jsm_organization_detail_field",
		"jsm_customer_details", "jsm_organization_details", "data.jsm_customer_detail_fields",
		"data.jsm_organization_detail_fields", "data.jsm_customer_details", "data.jsm_organization_details"}, false},
	{"With products and entitlements", []string{"jsm_product", "jsm_entitlement_detail_field", "jsm_entitlement",
		"data.jsm_products", "data.jsm_entitlement_detail_fields"}, false},
	{"With renames and deletes through the CSM API (`csm_lifecycle = true`)", nil, true},
}

// leastPrivilegeSection renders, per profile, the Jira permissions and the
// scopes of the token that applies it and of the read-only token that
// plans it (the GET calls: refresh, and the plan-time look-ups). Each list
// has one item a line, to tick off in Atlassian's scope picker.
func leastPrivilegeSection() string {
	var b strings.Builder
	var names []string
	for _, p := range privilegeProfiles {
		names = append(names, p.names...)
		var all, reads []*jsm.Endpoint
		for _, e := range endpointsOfTypes(names, p.optIn) {
			all = append(all, e)
			if e.Method == "GET" {
				reads = append(reads, e)
			}
		}
		b.WriteString("### " + p.title + "\n\n")
		b.WriteString("Resources and data sources: `" + strings.Join(names, "`, `") + "`.\n\n")
		b.WriteString("Jira permissions of the account that applies:\n\n" + bullets(permissionList(all)))
		b.WriteString("Jira permissions of the account that only plans (read-only):\n\n" + bullets(permissionList(reads)))
		apply, plan := sortedCode(granularOf(all)), sortedCode(granularOf(reads))
		b.WriteString(fmt.Sprintf("Granular scopes to apply (%d):\n\n", len(apply)) + bullets(apply))
		b.WriteString(fmt.Sprintf("Granular scopes to plan only, read-only (%d):\n\n", len(plan)) + bullets(plan))
		if classic := sortedCode(classicOf(all)); len(classic) > 0 {
			b.WriteString(fmt.Sprintf("Classic scopes, for OAuth 2.0 (3LO) apps (%d; classic scopes have no read-only form "+
				"for these calls):\n\n", len(classic)) + bullets(classic))
		}
	}
	return b.String()
}

// bullets is a Markdown list, one item a line, and the blank line after it.
func bullets(items []string) string {
	if len(items) == 0 {
		return "- none\n\n"
	}
	return "- " + strings.Join(items, "\n- ") + "\n\n"
}

// endpointsOfTypes lists the endpoints the named types call, each once, in
// the order of jsm.Endpoints; the opt-in calls only with optIn.
func endpointsOfTypes(names []string, optIn bool) []*jsm.Endpoint {
	used := map[*jsm.Endpoint]bool{}
	for _, n := range names {
		c := callsOf(n)
		if !optIn {
			c = c.withoutOptIn()
		}
		for _, e := range c.endpoints() {
			used[e] = true
		}
	}
	var out []*jsm.Endpoint
	for _, e := range jsm.Endpoints {
		if used[e] {
			out = append(out, e)
		}
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

// permissionAliases are the names the specs give one Jira permission
// under another name: Atlassian's CSM reference calls the Jira
// Administrator global permission "Administer Jira". The lists name it once.
var permissionAliases = map[string]string{ //nolint:gochecknoglobals // a read-only table
	"Administer Jira global permission": "Jira Administrator global permission",
}

// permissionList names each distinct Jira permission once, in the
// endpoints' order, without the remarks the tables carry after it.
func permissionList(eps []*jsm.Endpoint) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range eps {
		p := e.Permission
		if i := strings.IndexAny(p, "(;:"); i > 0 {
			p = strings.TrimSpace(p[:i])
		}
		if a, ok := permissionAliases[p]; ok {
			p = a
		}
		if p == "none" || seen[p] {
			continue // a public call needs nothing
		}
		seen[p] = true
		out = append(out, p)
	}
	return out
}
