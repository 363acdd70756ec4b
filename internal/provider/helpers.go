package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// clientFrom takes the client the provider configured; nil means the
// provider is not configured yet (validation), which is not an error.
func clientFrom(data any, diags *diag.Diagnostics) *jsm.Client {
	if data == nil {
		return nil
	}
	c, ok := data.(*jsm.Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *jsm.Client, got %T. This is a bug in the provider: please report it.", data))
		return nil
	}
	return c
}

// isEmail tells an import ID that is an email from an account ID, which
// never holds an @.
func isEmail(id string) bool { return strings.Contains(id, "@") }
