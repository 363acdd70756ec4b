package provider

import (
	"errors"

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
		detail += ": if it was deleted, remove it from the state with terraform state rm"
	case errors.Is(err, jsm.ErrDeskOpen):
		detail += " To stop managing these customers instead, `terraform state rm` the resource."
	}
	return detail
}
