package provider

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// Each resource, data source and list resource declares exactly the client
// methods its code calls (apiCalls), so that its permission docs are
// complete and true. Its code is what its constructor reaches in the
// package's source: the functions it calls, the variables it reads (with
// their initializers, such as a kind's closures) and every method of each
// type it names.
func TestAPICallsMatchTheCode(t *testing.T) {
	pkg := parsePackage(t)
	for _, typ := range registeredTypes() {
		caller, ok := typ.impl.(apiCaller)
		if !ok {
			t.Errorf("%s has no apiCalls method declaring its client calls", typ.name)
			continue
		}
		ctor := runtime.FuncForPC(reflect.ValueOf(typ.new).Pointer()).Name()
		ctor = ctor[strings.LastIndex(ctor, ".")+1:]
		if pkg.funcs[ctor] == nil {
			t.Fatalf("%s: no function %s in the package's source", typ.name, ctor)
		}
		seen := map[string]bool{}
		for _, m := range pkg.clientCalls(pkg.funcs[ctor]) {
			if jsm.IsClientCall(m) { // not Clean, Quote...
				seen[m] = true
			}
		}
		var got []string
		for m := range seen {
			got = append(got, m)
		}
		want := caller.apiCalls().all()
		for _, m := range want {
			if !jsm.IsClientCall(m) {
				t.Errorf("%s: apiCalls names %s, which is no client call", typ.name, m)
			}
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s calls %v, its apiCalls says %v", typ.name, got, want)
		}
	}
}

// goPackage is the provider package's non-test source, by declaration.
type goPackage struct {
	funcs   map[string]*ast.FuncDecl   // package-level functions
	methods map[string][]*ast.FuncDecl // by receiver type
	vars    map[string]ast.Node        // package-level variables: their initializer
	types   map[string]bool
}

func parsePackage(t *testing.T) *goPackage {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	pkg := &goPackage{funcs: map[string]*ast.FuncDecl{}, methods: map[string][]*ast.FuncDecl{}, vars: map[string]ast.Node{}, types: map[string]bool{}}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "permissions.go" { // the docs reach every type
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					pkg.funcs[d.Name.Name] = d
					continue
				}
				recv := d.Recv.List[0].Type
				if star, ok := recv.(*ast.StarExpr); ok {
					recv = star.X
				}
				if id, ok := recv.(*ast.Ident); ok {
					pkg.methods[id.Name] = append(pkg.methods[id.Name], d)
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch spec := spec.(type) {
					case *ast.ValueSpec:
						for _, n := range spec.Names {
							if n.Name != "_" { // interface assertions name every type
								pkg.vars[n.Name] = spec
							}
						}
					case *ast.TypeSpec:
						pkg.types[spec.Name.Name] = true
					}
				}
			}
		}
	}
	return pkg
}

// clientCalls lists the names of the methods called on a client (an
// expression ending in "client" or "c") in the code reachable from root.
func (pkg *goPackage) clientCalls(root ast.Node) []string {
	var calls []string
	done := map[ast.Node]bool{}
	queue := []ast.Node{root}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if done[n] {
			continue
		}
		done[n] = true
		ast.Inspect(n, func(x ast.Node) bool {
			switch x := x.(type) {
			case *ast.CallExpr:
				if sel, ok := x.Fun.(*ast.SelectorExpr); ok && isClient(sel.X) {
					calls = append(calls, sel.Sel.Name)
				}
			case *ast.SelectorExpr:
				ast.Inspect(x.X, func(y ast.Node) bool { // the field or method name itself names nothing of the package
					if id, ok := y.(*ast.Ident); ok {
						queue = append(queue, pkg.reached(id.Name)...)
					}
					return true
				})
				return false
			case *ast.Ident:
				queue = append(queue, pkg.reached(x.Name)...)
			}
			return true
		})
	}
	return calls
}

// reached is what the package-level name leads to.
func (pkg *goPackage) reached(name string) []ast.Node {
	var out []ast.Node
	if f := pkg.funcs[name]; f != nil {
		out = append(out, f)
	}
	if v := pkg.vars[name]; v != nil {
		out = append(out, v)
	}
	if pkg.types[name] {
		for _, m := range pkg.methods[name] {
			out = append(out, m)
		}
	}
	return out
}

func isClient(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.Ident:
		return x.Name == "client" || x.Name == "c"
	case *ast.SelectorExpr:
		return x.Sel.Name == "client"
	}
	return false
}

// The permission sections of the docs' templates are rendered from the
// endpoint table and each type's apiCalls: the permissions guide's and the
// least-privilege guide's, and each page's table (a type without a template
// carries it in its schema description). JSM_UPDATE_DOCS=1 rewrites them.
func TestPermissionsDocsAreCurrent(t *testing.T) {
	const permissions, leastPrivilege = "permissions", "least-privilege"
	docs := []struct{ file, section, content string }{
		{"../../templates/guides/permissions.md.tmpl", permissions, permissionsSection()},
		{"../../templates/guides/least-privilege.md.tmpl", leastPrivilege, leastPrivilegeSection()},
	}
	registered := map[string]bool{}
	for _, typ := range registeredTypes() {
		registered[typ.name] = true
	}
	for _, p := range privilegeProfiles {
		for _, n := range p.names {
			if !registered[n] {
				t.Errorf("the least-privilege profile %q names %s, which the provider does not register", p.title, n)
			}
		}
	}
	for _, typ := range registeredTypes() {
		file := templateOf(typ.name)
		if _, err := os.Stat(file); err != nil {
			if desc := schemaDescription(t, typ.impl); !strings.HasSuffix(desc, permissionsMarkdown(typ.name)) {
				t.Errorf("%s has no template (%s) and its schema description lacks its permissions", typ.name, file)
			}
			continue
		}
		docs = append(docs, struct{ file, section, content string }{file, permissions, permissionsOfPage(typ.name)})
	}
	for _, doc := range docs {
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

// templateOf is the docs template of a type, e.g. templates/data-sources/customer.md.tmpl.
func templateOf(name string) string {
	dir := "resources"
	if n, ok := strings.CutPrefix(name, "data."); ok {
		dir, name = "data-sources", n
	} else if n, ok := strings.CutPrefix(name, "list."); ok {
		dir, name = "list-resources", n
	}
	return "../../templates/" + dir + "/" + strings.TrimPrefix(name, "jsm_") + ".md.tmpl"
}

// schemaDescription is the schema description of a resource, data source
// or list resource.
func schemaDescription(t *testing.T, impl any) string {
	ctx := context.Background()
	switch v := impl.(type) {
	case resource.Resource:
		var r resource.SchemaResponse
		v.Schema(ctx, resource.SchemaRequest{}, &r)
		return r.Schema.MarkdownDescription
	case datasource.DataSource:
		var r datasource.SchemaResponse
		v.Schema(ctx, datasource.SchemaRequest{}, &r)
		return r.Schema.MarkdownDescription
	case list.ListResource:
		var r list.ListResourceSchemaResponse
		v.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &r)
		return r.Schema.MarkdownDescription
	}
	t.Fatalf("%T is no resource, data source or list resource", impl)
	return ""
}

// The CSM account calls are asked of the configurations that opt in only:
// a customers-only token needs no delete scope, and the opt-in profile
// does; the customer page marks those rows.
func TestLeastPrivilege_optInCallsApartFromTheRest(t *testing.T) {
	const deleteScope = "delete:customer:jira-service-management"
	sections := strings.Split(leastPrivilegeSection(), "### ")
	if first := sections[1]; strings.Contains(first, deleteScope) || strings.Contains(first, "Customer Service Management or Jira Service Management user") {
		t.Errorf("the customers-only profile asks for the opt-in calls' grants:\n%s", first)
	}
	if last := sections[len(sections)-1]; !strings.Contains(last, deleteScope) {
		t.Errorf("the csm_lifecycle profile lacks %s:\n%s", deleteScope, last)
	}
	table := permissionsMarkdown("jsm_customer")
	for _, line := range strings.Split(table, "\n") {
		optIn := strings.Contains(line, "only with `csm_lifecycle = true`")
		if strings.Contains(line, "/customer/account/") != optIn {
			t.Errorf("row marked wrongly: %s", line)
		}
	}
}

// The least-privilege guide lists each scope and each Jira permission on a
// line of its own, to tick off, each permission once under one name, and
// gives the read-only plan credential its Jira permissions too.
func TestLeastPrivilege_oneItemALineEachOnce(t *testing.T) {
	for _, profile := range strings.Split(leastPrivilegeSection(), "### ")[1:] {
		title, _, _ := strings.Cut(profile, "\n")
		if !strings.Contains(profile, "Jira permissions of the account that only plans (read-only):\n\n- ") {
			t.Errorf("%s: no Jira permissions for the read-only plan credential", title)
		}
		for _, list := range strings.Split(profile, "\n\n") {
			seen := map[string]bool{}
			for _, line := range strings.Split(list, "\n") {
				item, ok := strings.CutPrefix(line, "- ")
				if !ok {
					continue
				}
				if strings.Contains(item, "`, `") || strings.Contains(item, "; ") {
					t.Errorf("%s: more than one item on a line: %s", title, line)
				}
				if seen[item] {
					t.Errorf("%s: %s listed twice", title, item)
				}
				seen[item] = true
				if item == "Administer Jira global permission" {
					t.Errorf("%s: the Jira Administrator global permission under its other name", title)
				}
			}
		}
	}
}
