package provider

import "testing"

// The grid of decideAdoption: every setting that matters, on a customer
// account and an Atlassian account, named as configured or otherwise.
func TestDecideAdoption(t *testing.T) {
	const c, a = accountTypeCustomer, "atlassian"
	set := func(adopt bool, mismatch, adoptedOnDestroy string) adoptionSettings {
		return adoptionSettings{adoptExisting: adopt, name: "Fred", onNameMismatch: mismatch, adoptedOnDestroy: adoptedOnDestroy}
	}
	for _, tc := range []struct {
		site, accountType string
		cfg               adoptionSettings
		want              adoption
		why               refusal
	}{
		{"Fred", c, set(true, nameMismatchFail, ""), adoptAsIs, refusedNone},
		{"Fred", a, set(true, nameMismatchFail, ""), adoptAsIs, refusedNone},
		{"Fred", c, set(false, nameMismatchFail, ""), refuseAdoption, refusedNotAllowed},
		{"Freddy", c, set(false, nameMismatchRename, ""), refuseAdoption, refusedNotAllowed},
		{"Freddy", c, set(true, nameMismatchFail, ""), refuseAdoption, refusedOtherName},
		{"Freddy", c, set(true, nameMismatchKeep, ""), adoptKeepingSiteName, refusedNone},
		{"Freddy", a, set(true, nameMismatchKeep, ""), adoptKeepingSiteName, refusedNone},
		{"Freddy", c, set(true, nameMismatchRename, ""), adoptAndRename, refusedNone},
		{"Freddy", a, set(true, nameMismatchRename, ""), refuseAdoption, refusedRenameAtlassian},
		{"Fred", a, set(true, nameMismatchRename, ""), adoptAsIs, refusedNone}, // nothing to rename
		{"Fred", a, set(true, nameMismatchFail, onDestroyDelete), refuseAdoption, refusedDeleteAtlassian},
		{"Freddy", a, set(true, nameMismatchRename, onDestroyDelete), refuseAdoption, refusedDeleteAtlassian},
		{"Fred", c, set(true, nameMismatchFail, onDestroyDelete), adoptAsIs, refusedNone},
		{"Fred", a, set(true, nameMismatchFail, onDestroyRevoke), adoptAsIs, refusedNone},
		{"fred", c, set(true, nameMismatchFail, ""), refuseAdoption, refusedOtherName}, // names compare exactly
	} {
		got, why := decideAdoption(tc.site, tc.accountType, tc.cfg)
		if got != tc.want || why != tc.why {
			t.Errorf("decideAdoption(%q, %q, %+v) = %v, %v; want %v, %v", tc.site, tc.accountType, tc.cfg, got, why, tc.want, tc.why)
		}
	}
}

// The grid of decideOrganizationAdoption.
func TestDecideOrganizationAdoption(t *testing.T) {
	for _, tc := range []struct {
		site, name string
		adopt      bool
		want       organizationRefusal
	}{
		{"Acme", "Acme", true, orgAdoptable},
		{"Acme", "Acme", false, orgRefusedNotAllowed},
		{"ACME", "Acme", true, orgRefusedOtherCase},
		{"ACME", "Acme", false, orgRefusedOtherCase},
	} {
		if got := decideOrganizationAdoption(tc.site, tc.name, tc.adopt); got != tc.want {
			t.Errorf("decideOrganizationAdoption(%q, %q, %v) = %v, want %v", tc.site, tc.name, tc.adopt, got, tc.want)
		}
	}
}
