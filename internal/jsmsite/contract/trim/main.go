// Command trim cuts one of Atlassian's OpenAPI documents down to the
// operations the local JSM site serves, for internal/jsmsite/contract:
//
//	go run ./internal/jsmsite/contract/trim -source URL -date DATE \
//	    -o internal/jsmsite/contract/testdata/NAME.json ORIGINAL.json
//
// It keeps, of each operation the site routes, its parameters, request
// body, responses and security (with x-atlassian-oauth2-scopes), and of the
// components only what those reference, transitively. It drops prose
// (description, summary), examples (the specs' response examples are JSON
// documents encoded as strings, which validators misread) and what no
// validator reads (tags, narratives, external docs). The source and date go
// into info.x-trimmed. The output is deterministic (sorted keys).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// dropped are keys removed from every object that is not a name-keyed map
// (properties, paths, schemas...), where they would be names, not keywords.
var dropped = map[string]bool{
	"description": true, "summary": true, "example": true, "examples": true,
	"externalDocs": true, "tags": true, "x-showInExample": true,
	"x-atlassian-narrative": true, "x-atlassian-data-security-policy": true,
	"termsOfService": true, "contact": true, "license": true,
}

// nameMaps are keys whose values are maps from names to values.
var nameMaps = map[string]bool{
	"properties": true, "paths": true, "schemas": true, "responses": true, "content": true,
	"securitySchemes": true, "headers": true, "requestBodies": true,
	"scopes": true, "components": true, "mapping": true,
}

var placeholder = regexp.MustCompile(`\{[^}]*\}`)

func norm(p string) string { return placeholder.ReplaceAllString(p, "{}") }

func main() {
	out := flag.String("o", "", "output file")
	source := flag.String("source", "", "where the original document was published")
	date := flag.String("date", "", "when it was published or retrieved")
	flag.Parse()
	if *out == "" || *source == "" || *date == "" || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: trim -o OUT -source URL -date DATE ORIGINAL.json")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *out, *source, *date); err != nil {
		fmt.Fprintln(os.Stderr, "trim:", err)
		os.Exit(1)
	}
}

func run(in, out, source, date string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return err
	}
	site, err := jsmsite.New(jsmsite.Config{Email: "trim@example.com", APIToken: "x"})
	if err != nil {
		return err
	}
	routed := map[string]bool{} // "method {}-normalized path"
	for _, r := range site.Routes() {
		if m, p, ok := strings.Cut(r, " "); ok {
			routed[strings.ToLower(m)+" "+norm(p)] = true
		}
	}
	paths := map[string]any{}
	for p, item := range obj(doc["paths"]) {
		kept := map[string]any{}
		for k, v := range obj(item) {
			switch k {
			case "get", "put", "post", "delete", "patch", "head", "options":
				if routed[k+" "+norm(p)] {
					kept[k] = v
				}
			case "parameters":
				kept[k] = v
			}
		}
		if len(kept) > 0 && (len(kept) > 1 || kept["parameters"] == nil) {
			paths[p] = kept
		}
	}
	doc["paths"] = paths
	delete(doc, "tags")
	info := obj(doc["info"])
	if info == nil {
		return fmt.Errorf("%s has no info object", in)
	}
	info["x-trimmed"] = map[string]any{
		"source": source, "published": date,
		"how": "go run ./internal/jsmsite/contract/trim: the operations the local site serves, with the components they reference; descriptions and examples removed",
	}
	strip(doc, "", "")
	keepComponents(doc)
	b, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o644)
}

// obj and list are v as a JSON object or array, or empty.
func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

// strip removes the dropped keys; parent is the key v sits under, grand
// the one above. A response keeps its description: OpenAPI requires it.
func strip(v any, parent, grand string) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			if !nameMaps[parent] && dropped[k] && (k != "description" || grand != "responses") {
				delete(x, k)
				continue
			}
			if parent == "scopes" { // names kept, their descriptions blanked
				x[k] = ""
				continue
			}
			strip(c, k, parent)
		}
	case []any:
		for _, c := range x {
			strip(c, "", "")
		}
	}
}

// keepComponents removes every component that no kept operation references
// (directly or through other components), and every OAuth scope no kept
// operation names.
func keepComponents(doc map[string]any) {
	comps, _ := doc["components"].(map[string]any)
	used := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok && !used[ref] {
				used[ref] = true
				parts := strings.Split(strings.TrimPrefix(ref, "#/components/"), "/")
				if len(parts) == 2 {
					if group, ok := comps[parts[0]].(map[string]any); ok {
						walk(group[parts[1]])
					}
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(doc["paths"])
	for group, g := range comps {
		if group == "securitySchemes" {
			continue
		}
		m := obj(g)
		for name := range m {
			if !used["#/components/"+group+"/"+name] {
				delete(m, name)
			}
		}
		if len(m) == 0 {
			delete(comps, group)
		}
	}
	scopes := map[string]bool{}
	for _, item := range obj(doc["paths"]) {
		for _, op := range obj(item) {
			o := obj(op)
			for _, req := range list(o["security"]) {
				for _, ss := range obj(req) {
					for _, s := range list(ss) {
						scopes[fmt.Sprint(s)] = true
					}
				}
			}
			for _, e := range list(o["x-atlassian-oauth2-scopes"]) {
				for _, s := range list(obj(e)["scopes"]) {
					scopes[fmt.Sprint(s)] = true
				}
			}
		}
	}
	schemes, _ := comps["securitySchemes"].(map[string]any)
	for _, sc := range schemes {
		flows := obj(obj(sc)["flows"])
		for _, f := range flows {
			m := obj(obj(f)["scopes"])
			names := make([]string, 0, len(m))
			for s := range m {
				names = append(names, s)
			}
			sort.Strings(names)
			for _, s := range names {
				if !scopes[s] {
					delete(m, s)
				}
			}
		}
	}
}
