package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// adoption is what a create does with the account its email already has:
// the plan predicts it and the apply carries it out, both through
// decideAdoption.
type adoption int

const (
	adoptAsIs            adoption = iota // the account is named as configured
	adoptKeepingSiteName                 // on_name_mismatch = "keep_site_name"
	adoptAndRename                       // on_name_mismatch = "rename", through the CSM API
	refuseAdoption                       // see the refusal
)

// refusal says why an account cannot be adopted.
type refusal int

const (
	refusedNone            refusal = iota
	refusedNotAllowed              // adopt_existing = false
	refusedDeleteAtlassian         // adopted_on_destroy = "delete" on an account no API deletes
	refusedRenameAtlassian         // on_name_mismatch = "rename" on an account no API renames
	refusedOtherName               // another display name, on_name_mismatch = "fail"
)

// adoptionSettings are the configuration's words on adopting.
type adoptionSettings struct {
	adoptExisting                          bool
	name, onNameMismatch, adoptedOnDestroy string
}

// decideAdoption is the one decision on an account found for a customer's
// email: its site name and account type, against the settings.
func decideAdoption(siteName, accountType string, cfg adoptionSettings) (adoption, refusal) {
	otherName, atlassian := siteName != cfg.name, accountType != accountTypeCustomer
	switch {
	case !cfg.adoptExisting:
		return refuseAdoption, refusedNotAllowed
	case atlassian && cfg.adoptedOnDestroy == onDestroyDelete:
		return refuseAdoption, refusedDeleteAtlassian
	case otherName && cfg.onNameMismatch == nameMismatchRename && atlassian:
		return refuseAdoption, refusedRenameAtlassian
	case otherName && cfg.onNameMismatch == nameMismatchRename:
		return adoptAndRename, refusedNone
	case otherName && cfg.onNameMismatch == nameMismatchKeep:
		return adoptKeepingSiteName, refusedNone
	case otherName:
		return refuseAdoption, refusedOtherName
	}
	return adoptAsIs, refusedNone
}

// adoptionSettings are the plan's words on adopting an existing account.
func (m customerResourceModel) adoptionSettings() adoptionSettings {
	return adoptionSettings{adoptExisting: m.AdoptExisting.ValueBool(), name: m.DisplayName.ValueString(),
		onNameMismatch: m.OnNameMismatch.ValueString(), adoptedOnDestroy: m.AdoptedOnDestroy.ValueString()}
}

// foundAccount names the account an email already has.
func (r *customerResource) foundAccount(email string, user *jsm.User) string {
	return fmt.Sprintf("The email %s already has the account %s (account type %s) named %s", email, user.AccountID,
		r.client.Clean(user.AccountType, 100), r.client.Quote(user.DisplayName))
}

// addRefusal says why the account found for email cannot be adopted: the
// same words at plan time and at apply, where nothing is recorded either.
func (r *customerResource) addRefusal(why refusal, email, name string, user *jsm.User, diags *diag.Diagnostics) {
	what, site := r.foundAccount(email, user), r.client.Quote(user.DisplayName)
	switch why {
	case refusedNotAllowed:
		diags.AddAttributeError(path.Root("adopt_existing"), "The email already has a JSM account",
			fmt.Sprintf("%s, and adopt_existing is false, so the provider does not adopt it. Set adopt_existing = true, or import "+
				"the account:%s", what, importBlock(user.AccountID)))
	case refusedDeleteAtlassian:
		diags.AddAttributeError(path.Root("adopted_on_destroy"), "An account no API deletes cannot be adopted with adopted_on_destroy = \"delete\"",
			fmt.Sprintf("%s. It is not a customer account, and no API deletes it, so adopted_on_destroy = %q cannot apply to it. "+
				"Set adopted_on_destroy to %q or %q.", what, onDestroyDelete, onDestroyForget, onDestroyRevoke))
	case refusedRenameAtlassian:
		diags.AddAttributeError(path.Root("on_name_mismatch"), "An account no API renames cannot be adopted and renamed",
			fmt.Sprintf("%s, and the configuration says %q. It is not a customer account, and no API renames it (the CSM API "+
				"renames customer accounts only). Set display_name = %s to adopt it, or on_name_mismatch = %q to adopt it under "+
				"the site's name.", what, name, site, nameMismatchKeep))
	case refusedOtherName:
		diags.AddAttributeError(path.Root("display_name"), "Existing account has another display name",
			fmt.Sprintf("%s, and the configuration says %q. Either set display_name = %s to adopt it, set on_name_mismatch = %q "+
				"to adopt it under the site's name, set on_name_mismatch = %q (with %s = true) to adopt a customer account and "+
				"rename it through the CSM API, or rename it in Atlassian Administration first.",
				what, name, site, nameMismatchKeep, nameMismatchRename, attrCSMLifecycle))
	}
}

// inactiveHolders are the inactive accounts that hold email, as far as the
// run's one listing of every account tells (runState.inactiveAccounts).
func (r *customerResource) inactiveHolders(ctx context.Context, email string) []jsm.User {
	byEmail := r.run.inactiveAccounts(ctx, func(maxPages int, visit func(jsm.User) bool) (bool, error) {
		return r.client.EachAccount(ctx, maxPages, visit)
	})
	return byEmail[strings.ToLower(email)]
}

// inactiveEmailDetail says why a create of email fails when only inactive
// accounts hold it, and the ways out: the same words at plan time and at
// apply.
func (r *customerResource) inactiveEmailDetail(email string, users []jsm.User) string {
	held := make([]string, len(users))
	for i, u := range users {
		held[i] = fmt.Sprintf("%s (account type %s) named %s", u.AccountID, r.client.Clean(u.AccountType, 100), r.client.Quote(u.DisplayName))
	}
	user, err := r.client.PreferCustomer(email, users)
	if err != nil {
		user = &users[0]
	}
	return fmt.Sprintf("The email %s belongs to the inactive account %s: its portal access was revoked (for example by an "+
		"earlier on_destroy = %q, when the person was offboarded) or it was deactivated. JSM answers a create of that email "+
		"with \"already taken\", and user search does not show inactive accounts, so the apply could neither create nor "+
		"adopt the customer. No API restores access. Either:\n"+
		"  - restore the account in Atlassian Administration (Directory > Users, or the service project's Customers page); "+
		"the next plan then finds it, and adopts it (adopt_existing = true);\n"+
		"  - or manage it as it is, inactive, with an import block:%s\n"+
		"  - or take the person out of the configuration.",
		email, strings.Join(held, " and "), onDestroyRevoke, strings.ReplaceAll(importBlock(user.AccountID), "\n", "\n  "))
}
