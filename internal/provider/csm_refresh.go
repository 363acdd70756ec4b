package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// A 404 from the Customer Service Management API is not proof that an
// object was deleted: when a feature ("Customer and organization
// profiles", "Products and entitlements") is off, or the site's plan lacks
// it, every path of that feature answers 404, its listings included. So a
// refresh that meets a 404 asks a listing of the same feature (only then:
// an object that answers costs nothing more): if the listing answers
// without the object, the object is gone and leaves the state; if the
// listing answers 404 too, the feature is off and the refresh fails,
// keeping the object, so that the next apply does not create a duplicate
// once the feature is back. These helpers word the outcomes; the client
// calls stay in each resource's file (permissions.go).

// addFeatureOff is the error of a refresh (or a delete) whose 404 the
// feature's own listing answered with a 404 too. what names the object,
// e.g. "product 3858a61a-...", listing the call that confirmed nothing.
func addFeatureOff(diags *diag.Diagnostics, feature, what, listing string, err error) {
	addFeatureOffDoing(diags, "Refreshing", feature, what, listing, err)
}

// addFeatureOffDoing is addFeatureOff for another operation ("Deleting").
func addFeatureOffDoing(diags *diag.Diagnostics, doing, feature, what, listing string, err error) {
	diags.AddError(fmt.Sprintf("The JSM feature %q does not answer", feature), fmt.Sprintf(
		"%[5]s %[1]s: the Customer Service Management API answered 404 for it, and 404 again for %[2]s, which would "+
			"have confirmed that it is gone. Every path of the %[3]q feature answers 404 when the feature is off or the site's "+
			"plan lacks it, so this does not prove that %[1]s was deleted: it stays in the state, so that nothing is created "+
			"twice, or left behind untracked, once the feature is back.\n\n"+
			"To go on, turn %[3]q on again in the Jira Service Management settings (a project admin: Project settings → "+
			"Features; the plan must be Premium or Enterprise), or check cloud_id. If the feature is gone for good, replace the "+
			"resource in the configuration with a removed block (lifecycle { destroy = false }), which drops it from the "+
			"state and leaves the site alone.\n\nLast answer: %[4]v",
		what, listing, feature, err, doing))
}

// addUnconfirmed is the error of a refresh whose 404 could not be checked:
// the confirming call failed otherwise.
func addUnconfirmed(diags *diag.Diagnostics, what, listing string, err, lerr error) {
	diags.AddError("Could not confirm that the object is gone", fmt.Sprintf(
		"Refreshing %s: the Customer Service Management API answered 404 for it (%v), and %s, which would confirm that "+
			"it is gone, failed: %v. It stays in the state; run the plan again.", what, err, listing, lerr))
}

// confirmGone decides a delete the CSM API answered 404 (err): the object
// is gone already, unless the feature's listing (list) answers 404 too, as
// every path of a feature that is off does; then whatever is left on the
// site must not silently leave the state, and the delete fails naming the
// feature. It returns what is left to report: err when it is not a CSM
// 404, else nil (gone, or the error already in diags).
func confirmGone(diags *diag.Diagnostics, err error, list func() error, feature, what, listing string) error {
	if !jsm.IsCSMNotFound(err) {
		return err
	}
	if jsm.IsCSMNotFound(list()) {
		addFeatureOffDoing(diags, "Deleting", feature, what, listing, err)
	}
	return nil
}

// The rule of the CSM API on who can hold details, entitlements and
// profiles, in Atlassian's words of the "Supported customer IDs" page.
const eligibilityRule = "The Customer Service Management API holds details, entitlements and profiles only for " +
	"customer accounts and for Atlassian accounts that are active, hold the customer role, and are neither agents " +
	"nor site admins; for any other account it answers 404 on every path."

// accountVerdict judges a CSM 404 for an account from what the platform
// says of it (u, err from GetUser): gone when the account no longer exists
// or was deleted, otherwise why the CSM API refuses it.
func accountVerdict(id string, u *jsm.User, err error) (gone bool, why string, _ error) {
	switch {
	case jsm.IsNotFound(err):
		return true, "", nil
	case err != nil:
		return false, "", err
	case u.LooksDeleted(""):
		return true, "", nil
	}
	return false, ineligibleAccount(id, u, "exists, but the Customer Service Management API answers 404 for it"), nil
}

// ineligibleAccount says why the CSM API answers 404 for an account that
// exists; lead says what happened ("exists, but ...").
func ineligibleAccount(id string, u *jsm.User, lead string) string {
	var cause string
	switch {
	case !u.Active:
		cause = "It is inactive (deactivated, or its portal access was revoked): reactivate it."
	case u.AccountType == "atlassian":
		cause = "It is an Atlassian account: it must hold the customer role and be neither an agent nor a site admin " +
			"(the account the provider signs in with is an agent or admin, so it never qualifies)."
	case u.AccountType != "customer":
		cause = fmt.Sprintf("Its account type is %q, which cannot be a customer.", u.AccountType)
	default:
		cause = "It is an active customer account, which should qualify: the site may not have synced it yet, or the " +
			"Customer Service Management API does not know this site's customers."
	}
	return fmt.Sprintf("The account %s (%s) %s. %s %s", id, u.DisplayName, lead, eligibilityRule, cause)
}

// addIneligible is the error of a refresh that met a 404 for an object
// whose owner the API refuses although it exists: it stays in the state,
// since that 404 does not mean "gone", and creating it again would only
// fail the same way (or loop).
func addIneligible(diags *diag.Diagnostics, summary, why, address string) {
	diags.AddError(summary, why+"\n\nIt stays in the state: this 404 does not prove that it is gone, and creating it "+
		"again would fail the same way. Use an eligible account, or replace "+address+
		" in the configuration with a removed block (lifecycle { destroy = false }), which drops it from the state.")
}

// lower is kind in lower case, for messages ("customer", "organization").
func lower(kind string) string { return strings.ToLower(kind) }

// refusedAccount says, at plan time, why the CSM API will refuse the
// account (u, err from GetUser), or "" when it may take it: an Atlassian
// account may hold the customer role, which no API tells. A failed read
// is left to the apply.
func refusedAccount(id string, u *jsm.User, err error) string {
	switch {
	case jsm.IsNotFound(err):
		return fmt.Sprintf("The account %s does not exist. %s", id, eligibilityRule)
	case err != nil:
		return ""
	case u.LooksDeleted(""):
		return fmt.Sprintf("The account %s was deleted. %s", id, eligibilityRule)
	case !u.Active || u.AccountType != "customer" && u.AccountType != "atlassian":
		return ineligibleAccount(id, u, "cannot hold Customer Service Management details, entitlements or profiles")
	}
	return ""
}
