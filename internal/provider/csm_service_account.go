package provider

import (
	"context"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// checkCSMServiceAccount makes, once a run, one read through the CSM API
// when the provider authenticates with a service account: Atlassian does
// not document service-account tokens on that API, so a gateway that
// refuses them fails the plan rather than the apply. read is the planning
// resource's own listing, whose scopes it needs anyway. It reports false
// when the token was refused; other failures are left to the resource's
// own checks.
func checkCSMServiceAccount(ctx context.Context, c *jsm.Client, run *runState, read func(context.Context) error, diags *diag.Diagnostics) bool {
	if c == nil || run == nil || !c.UsesServiceAccount() || !run.once("csm service account") {
		return true
	}
	err := read(ctx)
	if st := jsm.StatusCode(err); st != http.StatusUnauthorized && st != http.StatusForbidden {
		return true
	}
	diags.AddError("The Customer Service Management API refused the service account's token",
		"The plan has resources of the Customer Service Management API, and the provider authenticates with a service "+
			"account; one read there, to see that the token is taken, failed:\n"+errorDetail(err))
	return false
}
