package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// errorDetail is the detail of a diagnostic for a failed client call: the
// client's message (facts of HTTP and the API) and, for the failures it
// classifies, what to do about them in Terraform terms.
func errorDetail(err error) string {
	detail := err.Error()
	var unreliable *jsm.UnreliableError
	switch {
	case errors.As(err, &unreliable):
		detail += ": if it was deleted, drop the resource from the state with a removed block:" + removedBlock
	case errors.Is(err, jsm.ErrNoCloudID):
		detail += ". Set the provider's cloud_id (or " + envCloudID + ") to the site's cloud ID."
	case errors.Is(err, jsm.ErrDeskOpen):
		detail = strings.TrimSuffix(detail, ".") + ". To stop managing these customers instead, drop the resource from the state with a removed block, " +
			"which leaves the site as it is:" + removedBlock
	}
	return detail
}

// removedBlock is the block that drops a resource from the state and leaves
// its object alone, for teams that change state only through CI.
const removedBlock = "\n\n  removed {\n    from = <the resource's address>\n    lifecycle {\n      destroy = false\n    }\n  }"

// importBlock is the block that brings the object id under this resource,
// for teams that change state only through CI. A provider never learns its
// resource's address, and `terraform import <address>` fails for one inside
// a module instance that a pipeline cannot reach: the block points at the
// address Terraform prints with the diagnostic ("with ...").
func importBlock(id string) string {
	return fmt.Sprintf("\n\n  import {\n    to = <the address on this message's \"with\" line>\n    id = %q\n  }", id)
}

// removeGone drops from the state a resource whose object is gone from the
// site, with the one warning every resource gives: what is gone (thing, as
// in "JSM <thing> no longer exists"), how the provider knows (cause), and
// what the next apply does about it (next; "" says nothing).
func removeGone(ctx context.Context, resp *resource.ReadResponse, thing, cause, next string) {
	detail := cause + ", so the resource was removed from the state"
	if next != "" {
		detail += "; the next apply " + next
	}
	resp.Diagnostics.AddWarning("JSM "+thing+" no longer exists", detail+".")
	resp.State.RemoveResource(ctx)
}
