package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// A delete's CSM 404 is "gone" unless the feature's listing answers 404
// too; any other error is left to the caller, and the listing is asked
// only for a 404.
func TestConfirmGone(t *testing.T) {
	notFound := &jsm.Error{Method: "DELETE", Path: "/product/1", StatusCode: 404}
	other := &jsm.Error{Method: "DELETE", Path: "/product/1", StatusCode: 500}
	listed := func(err error) (func() error, *int) {
		n := 0
		return func() error { n++; return err }, &n
	}
	for name, tc := range map[string]struct {
		err, listErr error
		wantErr      error
		featureOff   bool
		listed       int
	}{
		"deleted":            {err: nil, listed: 0},
		"other error":        {err: other, wantErr: other, listed: 0},
		"gone":               {err: notFound, listErr: nil, listed: 1},
		"listing fails else": {err: notFound, listErr: errors.New("timeout"), listed: 1},
		"feature off":        {err: notFound, listErr: &jsm.Error{StatusCode: 404}, featureOff: true, listed: 1},
	} {
		t.Run(name, func(t *testing.T) {
			var diags diag.Diagnostics
			list, n := listed(tc.listErr)
			got := confirmGone(&diags, tc.err, list, jsm.FeatureProducts, "product 1", "the listing of products")
			if !errors.Is(got, tc.wantErr) {
				t.Errorf("confirmGone = %v, want %v", got, tc.wantErr)
			}
			if *n != tc.listed {
				t.Errorf("the listing was asked %d times, want %d", *n, tc.listed)
			}
			if diags.HasError() != tc.featureOff {
				t.Fatalf("diagnostics %v, want an error: %v", diags, tc.featureOff)
			}
			if tc.featureOff && !strings.Contains(diags[0].Detail(), "Deleting product 1") {
				t.Errorf("detail %q", diags[0].Detail())
			}
		})
	}
}
