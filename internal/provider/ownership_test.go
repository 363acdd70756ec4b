package provider

import "testing"

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
