package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The grid of destroyAction: on_destroy applies to a created account, and
// adopted_on_destroy, never more than on_destroy and forget when unset, to
// any other.
func TestDestroyAction(t *testing.T) {
	const f, r, d = onDestroyForget, onDestroyRevoke, onDestroyDelete
	for _, tc := range []struct {
		onDestroy, adopted, origin string
		want                       string
		demoted                    bool
	}{
		{f, "", originCreated, f, false},
		{r, "", originCreated, r, false},
		{d, "", originCreated, d, false},
		{"", "", originCreated, f, false},
		{d, f, originCreated, d, false}, // adopted_on_destroy is not for created accounts
		{f, "", originAdopted, f, false},
		{r, "", originAdopted, f, true},
		{d, "", originAdopted, f, true},
		{d, r, originAdopted, r, true},
		{d, d, originAdopted, d, false},
		{r, r, originImported, r, false},
		{r, d, originImported, f, true}, // never more than on_destroy (ValidateConfig refuses it)
		{r, "", "", f, true},            // a state that predates origin records
		{d, d, "", d, false},
		{f, f, originImported, f, false},
	} {
		got, demoted := destroyAction(tc.onDestroy, tc.adopted, tc.origin)
		if got != tc.want || demoted != tc.demoted {
			t.Errorf("destroyAction(%q, %q, %q) = %q, %v; want %q, %v", tc.onDestroy, tc.adopted, tc.origin, got, demoted, tc.want, tc.demoted)
		}
	}
}

// The create of an email another resource keeps is refused, unless it
// has that resource's own configuration: its replacement (a taint,
// -replace), which Terraform plans right after the prior state.
func TestCheckKeeperTellsAReplacementFromAnotherResource(t *testing.T) {
	cfg := func(name string) tftypes.Value {
		return tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"display_name": tftypes.String}},
			map[string]tftypes.Value{"display_name": tftypes.NewValue(tftypes.String, name)})
	}
	run := &runState{}
	r := &customerResource{run: run}
	run.planHold("customer", "Fred@example.com", holder{id: "qm:1", config: cfg("Fred")})
	for _, tc := range []struct {
		name    string
		refused bool
	}{{"Fred", false}, {"Fred Again", true}} {
		var d diag.Diagnostics
		req := resource.ModifyPlanRequest{Config: tfsdk.Config{Raw: cfg(tc.name)}}
		if got := r.checkKeeper(req, "fred@EXAMPLE.com", &d); got != tc.refused || d.HasError() != tc.refused {
			t.Errorf("%s: refused = %v, diagnostics %v; want refused = %v", tc.name, got, d, tc.refused)
		}
	}
	var d diag.Diagnostics
	if r.checkKeeper(resource.ModifyPlanRequest{Config: tfsdk.Config{Raw: cfg("Other")}}, "other@example.com", &d) || len(d) != 0 {
		t.Errorf("an email no one keeps: %v", d)
	}
}
