package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12+): the IDs that name a resource on the
// site, stored beside its state and accepted by import blocks
// (`identity = { ... }`) and written by `terraform query
// -generate-config-out`. Older CLIs never send or ask for it, and every
// resource keeps working as before.

// identitySchema is an identity of string attributes, each required for an
// import, described by descs (attribute name to description).
func identitySchema(descs map[string]string) identityschema.Schema {
	attrs := make(map[string]identityschema.Attribute, len(descs))
	for name, desc := range descs {
		attrs[name] = identityschema.StringAttribute{Description: desc, RequiredForImport: true}
	}
	return identityschema.Schema{Attributes: attrs}
}

// setIdentity writes the identity's attributes (name, value pairs). The
// framework hands a null identity to every call of a resource that has one,
// so id is nil only outside a CRUD call.
func setIdentity(ctx context.Context, id *tfsdk.ResourceIdentity, diags *diag.Diagnostics, pairs ...string) {
	if id == nil {
		return
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		diags.Append(id.SetAttribute(ctx, path.Root(pairs[i]), types.StringValue(pairs[i+1]))...)
	}
}

// importID is what an import names: the ID given to `terraform import` or
// an import block's `id`, or, for an import by identity, the identity's
// attributes joined with "/" (the resource's own import ID form), so one
// parser checks both.
func importID(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics, attrs ...string) string {
	if req.ID != "" || req.Identity == nil {
		return req.ID
	}
	parts := make([]string, len(attrs))
	for i, a := range attrs {
		var v types.String
		diags.Append(req.Identity.GetAttribute(ctx, path.Root(a), &v)...)
		if v.ValueString() == "" {
			diags.AddError("Invalid import identity", "The identity's "+a+" is empty: set it to the ID of the object to import.")
		}
		parts[i] = v.ValueString()
	}
	return strings.Join(parts, "/")
}
