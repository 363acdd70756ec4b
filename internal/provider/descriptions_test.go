package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Schema descriptions are what an editor shows on hover: a sentence or
// three. The prose, examples and permission tables live in the page
// templates (templates/), which render the descriptions too.
const (
	maxTypeDescription      = 700
	maxAttributeDescription = 450
)

type described interface{ GetMarkdownDescription() string }

func TestSchemaDescriptionsAreHoverSized(t *testing.T) {
	ctx := context.Background()
	check := func(where, desc string, limit int) {
		if len(desc) > limit {
			t.Errorf("%s: description of %d characters, more than %d: move the prose into its page template", where, len(desc), limit)
		}
	}
	var p provider.SchemaResponse
	(&jsmProvider{}).Schema(ctx, provider.SchemaRequest{}, &p)
	for name, a := range p.Schema.Attributes {
		check("provider."+name, a.GetMarkdownDescription(), maxAttributeDescription)
	}
	for _, typ := range registeredTypes() {
		attrs := map[string]described{}
		switch v := typ.impl.(type) {
		case resource.Resource:
			var r resource.SchemaResponse
			v.Schema(ctx, resource.SchemaRequest{}, &r)
			for n, a := range r.Schema.Attributes {
				attrs[n] = a
			}
		case datasource.DataSource:
			var r datasource.SchemaResponse
			v.Schema(ctx, datasource.SchemaRequest{}, &r)
			for n, a := range r.Schema.Attributes {
				attrs[n] = a
			}
		case list.ListResource:
			var r list.ListResourceSchemaResponse
			v.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &r)
			for n, a := range r.Schema.Attributes {
				attrs[n] = a
			}
		}
		check(typ.name, schemaDescription(t, typ.impl), maxTypeDescription)
		for n, a := range attrs {
			check(typ.name+"."+n, a.GetMarkdownDescription(), maxAttributeDescription)
		}
	}
}
