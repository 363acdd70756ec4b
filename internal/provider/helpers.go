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
	c, _ := configured(data, diags)
	return c
}

// configured takes the client and the run record the provider configured
// (providerData); both nil, or both set.
func configured(data any, diags *diag.Diagnostics) (*jsm.Client, *runState) {
	if data == nil {
		return nil, nil
	}
	pd, ok := data.(*providerData)
	if !ok || pd.client == nil || pd.run == nil {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected a configured *providerData, got %T. This is a bug in the provider: please report it.", data))
		return nil, nil
	}
	return pd.client, pd.run
}

// isEmail tells an import ID that is an email from an account ID, which
// never holds an @.
func isEmail(id string) bool { return strings.Contains(id, "@") }
