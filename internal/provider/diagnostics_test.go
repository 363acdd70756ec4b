package provider

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// The client states facts; the provider adds the Terraform advice for the
// failures the client classifies, and nothing to the others.
func TestErrorDetail(t *testing.T) {
	for name, tc := range map[string]struct {
		err  error
		want string
	}{
		"unreliable": {&jsm.UnreliableError{AccountID: "qm:1", Reason: "accountId unknown", Attempts: 3},
			"drop the resource from the state with a removed block:\n\n  removed {"},
		"desk open": {fmt.Errorf("removing: %w", &jsm.Error{StatusCode: 400, Kind: jsm.ErrDeskOpen}),
			". To stop managing these customers instead, drop the resource from the state with a removed block"},
		"no cloud ID": {fmt.Errorf("%w: HTTP 404", jsm.ErrNoCloudID), "Set the provider's cloud_id (or JSM_CLOUD_ID)"},
		"other":       {errors.New("GET /x: HTTP 500"), ""},
	} {
		got := errorDetail(tc.err)
		if !strings.HasPrefix(got, strings.TrimSuffix(tc.err.Error(), ".")) || (tc.want == "") != (got == tc.err.Error()) ||
			!strings.Contains(got, tc.want) {
			t.Errorf("%s: %q", name, got)
		}
	}
}
