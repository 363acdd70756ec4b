package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// listClient is what both list resources share: the configured client.
type listClient struct{ client *jsm.Client }

func (l *listClient) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

// stream turns a listing into the results Terraform reads one by one:
// each item is pushed as its page arrives, the listing stops when Terraform
// has enough (its limit, or it stops reading), and a failed listing ends
// the stream with an error: the fixed summary, then subject (what was
// listed) and the cause.
func stream[T any](ctx context.Context, req list.ListRequest, summary, subject string, result func(T) list.ListResult,
	listing func(visit func(T) bool) error,
) func(push func(list.ListResult) bool) {
	return func(push func(list.ListResult) bool) {
		n := int64(0)
		err := listing(func(v T) bool {
			if ctx.Err() != nil || !push(result(v)) {
				return false
			}
			n++
			return req.Limit <= 0 || n < req.Limit
		})
		if err != nil {
			var d diag.Diagnostics
			d.AddError(summary, subject+":\n"+errorDetail(err))
			push(list.ListResult{Diagnostics: d})
		}
	}
}

// notConfigured is the stream of a list resource used before the provider
// was configured.
func notConfigured() func(push func(list.ListResult) bool) {
	var d diag.Diagnostics
	d.AddError("Provider not configured", "The jsm provider was not configured before listing. This is a bug in the "+
		"provider or in Terraform: please report it.")
	return list.ListResultsStreamDiagnostics(d)
}
