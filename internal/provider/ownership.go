package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// What a destroy may do to an account depends on where the account came
// from: this configuration created it, or found it on the site (adopted at
// create, or imported). Only the first is the configuration's to revoke or
// delete by default; one it found was someone's before, perhaps another
// state's, and is revoked or deleted only when the configuration says so
// for found accounts (adopted_on_destroy), in a value the user writes.

const (
	// privateOrigin is the private-state key of where the resource's
	// account came from: originCreated, originAdopted or originImported.
	// States written before origins were recorded have none.
	privateOrigin = "account_origin"

	originCreated  = "created"
	originAdopted  = "adopted"
	originImported = "imported"
)

// destroyRank orders the on_destroy values by what they undo.
var destroyRank = map[string]int{onDestroyForget: 0, onDestroyRevoke: 1, onDestroyDelete: 2} //nolint:gochecknoglobals // a read-only table

// destroyAction is what destroying the customer does to its account:
// on_destroy for an account the resource created; for one it adopted or
// imported, or whose origin no record tells, adopted_on_destroy, and
// forget when that is unset. demoted reports that on_destroy asks for more
// than the origin allows, which the plan says.
func destroyAction(onDestroy, adoptedOnDestroy, origin string) (action string, demoted bool) {
	if onDestroy == "" {
		onDestroy = onDestroyForget
	}
	if origin == originCreated {
		return onDestroy, false
	}
	action = onDestroyForget
	if adoptedOnDestroy != "" && destroyRank[adoptedOnDestroy] <= destroyRank[onDestroy] {
		action = adoptedOnDestroy
	}
	return action, destroyRank[action] < destroyRank[onDestroy]
}

// originWord names an origin in a sentence.
func originWord(origin string) string {
	switch origin {
	case originAdopted:
		return "adopted (it existed when this resource was created)"
	case originImported:
		return "imported"
	case originCreated:
		return "created by this resource"
	}
	return "of unrecorded origin (its state predates origin records, so the provider cannot tell that this configuration created it)"
}

// keepAccount records that this resource keeps its account in this run (its
// plan neither destroys nor replaces it), and fails the plan where another
// resource of the run would create or adopt the same email, or revoke or
// delete its account: checked whichever Terraform plans second.
func (r *customerResource) keepAccount(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.run == nil {
		return
	}
	var id, email, planned, onDestroy, adopted types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("account_id"), &id)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("email"), &email)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("email"), &planned)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("on_destroy"), &onDestroy)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("adopted_on_destroy"), &adopted)...)
	if resp.Diagnostics.HasError() || planned.IsUnknown() || !strings.EqualFold(planned.ValueString(), email.ValueString()) ||
		email.ValueString() == "" {
		return // replaced: the replacement's create claims the email
	}
	action, _ := destroyAction(onDestroy.ValueString(), adopted.ValueString(), privateString(ctx, req.Private, privateOrigin))
	created, destroyed, other := r.run.planHold("customer", email.ValueString(),
		holder{id: id.ValueString(), config: req.Config.Raw, undoes: action != onDestroyForget})
	switch {
	case created:
		resp.Diagnostics.AddAttributeError(path.Root("email"), "Another jsm_customer declares this email",
			heldElsewhereDetail(id.ValueString(), email.ValueString()))
	case destroyed:
		resp.Diagnostics.AddAttributeError(path.Root("email"), "A destroy would revoke or delete an account this resource manages",
			fmt.Sprintf("This plan destroys another jsm_customer whose destroy revokes the portal access of, or deletes, the "+
				"account %s (%s), which this resource manages and keeps. %s", id.ValueString(), email.ValueString(), keptElsewhereFix))
	case other != nil && other.id == id.ValueString() && r.run.once("shared account "+id.ValueString()):
		resp.Diagnostics.AddAttributeWarning(path.Root("email"), "Two jsm_customer resources manage one account",
			fmt.Sprintf("The account %s (%s) is in the state of two jsm_customer resources. Destroying either would revoke or "+
				"delete it under the other (the plan refuses that). Keep one: drop the other from the state with a removed "+
				"block (lifecycle { destroy = false }), which forgets it and leaves the account alone.",
				id.ValueString(), email.ValueString()))
	}
}

// checkKeeper refuses the create of an email whose account another resource
// of the run keeps (keepAccount's other side). The same configuration is this
// resource's own replacement (a taint, -replace), which Terraform plans right
// after its prior state: allowed, with a warning when its destroy would undo
// the account, as Terraform does not tell the provider which order a
// replacement takes.
func (r *customerResource) checkKeeper(req resource.ModifyPlanRequest, email string, diags *diag.Diagnostics) (refused bool) {
	k, ok := r.run.keeper("customer", email)
	switch {
	case !ok:
	case !k.config.Equal(req.Config.Raw):
		diags.AddAttributeError(path.Root("email"), "Another jsm_customer manages this email's account", heldElsewhereDetail(k.id, email))
		return true
	case k.undoes:
		diags.AddAttributeWarning(path.Root("email"), "A replacement that destroys first loses the account",
			fmt.Sprintf("This plan replaces the customer %s (%s), whose destroy revokes or deletes its account. Unless the "+
				"resource has lifecycle { create_before_destroy = true }, Terraform destroys first: the account is revoked "+
				"(and the create then fails, finding no active account) or deleted (and the create makes a new one). With "+
				"create_before_destroy the replacement adopts the account first and the destroy leaves it alone; or apply "+
				"on_destroy = %q before replacing.", k.id, email, onDestroyForget))
	}
	return false
}

// heldElsewhereDetail explains a create or adoption of an email whose
// account id another resource of the configuration manages.
func heldElsewhereDetail(id, email string) string {
	return fmt.Sprintf("Another jsm_customer of this configuration manages the account %s of %s, and this plan creates a "+
		"jsm_customer with the same email (letter case aside), which would adopt that account: two resources would manage "+
		"one account, and destroying either would revoke or delete it under the other. Nothing was changed. Declare each "+
		"email once. If the new resource takes the old one's place, say so with a moved block, which keeps the account:%s",
		id, email, movedOrRemoved)
}

// destroyVerb says what a destroy with onDestroy does to an account, ""
// for either.
func destroyVerb(onDestroy string) string {
	switch onDestroy {
	case onDestroyRevoke:
		return "revokes the portal access of"
	case onDestroyDelete:
		return "deletes"
	}
	return "revokes the portal access of, or deletes,"
}

// keptElsewhereDetail explains a destroy that would revoke or delete an
// account another resource of the run keeps.
func keptElsewhereDetail(id, email, onDestroy string) string {
	what := destroyVerb(onDestroy)
	return fmt.Sprintf("This plan destroys a jsm_customer whose destroy %s the account %s (%s), and another jsm_customer of "+
		"this configuration manages the same account and stays. %s", what, id, email, keptElsewhereFix)
}

// keptElsewhereFix ends the diagnostics of a destroy that would revoke or
// delete an account another resource keeps.
const keptElsewhereFix = "The destroy would take the account from under the resource that stays. Nothing was changed. " +
	"Drop the destroyed resource from the state without touching the account:\n\n  removed {\n    from = <the address this " +
	"plan destroys>\n    lifecycle {\n      destroy = false\n    }\n  }\n\nor set its on_destroy = \"forget\" and apply " +
	"that before removing it."

// warnOriginUnrecorded says, once a run, that a state written before the
// provider recorded where accounts came from no longer revokes or deletes
// on destroy: without the record its account counts as adopted. Only such
// states read the attributes.
func (r *customerResource) warnOriginUnrecorded(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.run == nil || privateString(ctx, req.Private, privateOrigin) != "" {
		return
	}
	var id, email, onDestroy, adopted types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("account_id"), &id)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("email"), &email)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("on_destroy"), &onDestroy)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("adopted_on_destroy"), &adopted)...)
	if onDestroy.IsUnknown() || adopted.IsUnknown() {
		return
	}
	action, demoted := destroyAction(onDestroy.ValueString(), adopted.ValueString(), "")
	if demoted && r.run.once("origin unrecorded") {
		resp.Diagnostics.AddWarning("A JSM customer's destroy now only forgets its account",
			fmt.Sprintf("%s (%s), and every other such customer of this configuration, has on_destroy = %q, and its state was "+
				"written before the provider recorded whether it created an account or found it on the site. Without that "+
				"record the account counts as found, and destroying the resource does only %q: an account this configuration "+
				"did not create is revoked or deleted only when the configuration says so. If this configuration created it, or "+
				"owns it anyway, set adopted_on_destroy = %q.", id.ValueString(), email.ValueString(), onDestroy.ValueString(),
				action, onDestroy.ValueString()))
	}
}

// declaredElsewhereDetail explains the plan that destroys a customer whose
// email another resource of the run creates or adopts (a for_each key
// renamed, a person moved to another module instance), where the destroy
// would revoke or delete the account the other takes over. id and
// onDestroy are the destroyed resource's, when known on this side.
func declaredElsewhereDetail(id, email, onDestroy string) string {
	what := destroyVerb(onDestroy)
	account := "its account"
	if id != "" {
		account = "the account " + id
	}
	return fmt.Sprintf("This plan destroys a jsm_customer whose destroy %s %s (%s), and creates another jsm_customer with the "+
		"same email (letter case aside), which would adopt that account. Run together, the destroy takes the account from "+
		"under the new resource: revoked or deleted, or the new resource left holding a deleted account. Nothing was "+
		"changed. If the customer moved (a renamed for_each key, another module instance), say so with a moved block, "+
		"which keeps the account:%s", what, account, email, movedOrRemoved)
}

// movedOrRemoved ends the diagnostics of a plan that destroys an object at
// one address while another address declares it: the blocks to paste.
const movedOrRemoved = "\n\n  moved {\n    from = <the address this plan destroys>\n    to   = <the address it creates>\n  }\n\n" +
	"If the old resource should only be forgotten, drop it with a removed block instead:\n\n" +
	"  removed {\n    from = <the address this plan destroys>\n    lifecycle {\n      destroy = false\n    }\n  }"

// demotedDetail explains a destroy that forgets an account on_destroy
// would revoke or delete, because the resource did not create it. Said
// once a run: id and email stand for every other such customer.
func demotedDetail(id, email, onDestroy, action, origin string) string {
	return fmt.Sprintf("%s (%s), and every other such customer this run destroys, has on_destroy = %q, but its account was "+
		"%s: destroying it does only %q (adopted_on_destroy). An account this configuration did not create may be another "+
		"state's, or a person's who had it before; it is revoked or deleted only when the configuration says so for found "+
		"accounts. If this configuration owns it, set adopted_on_destroy = %q and apply that before destroying.",
		id, email, onDestroy, originWord(origin), action, onDestroy)
}

// adoptedDestroyNote tells, after a plan's word that it adopts an account,
// what a destroy will do to it when that is less than on_destroy says.
func adoptedDestroyNote(plan customerResourceModel) string {
	if plan.OnDestroy.IsUnknown() || plan.AdoptedOnDestroy.IsUnknown() {
		return ""
	}
	action, demoted := destroyAction(plan.OnDestroy.ValueString(), plan.AdoptedOnDestroy.ValueString(), originAdopted)
	if !demoted {
		return ""
	}
	return fmt.Sprintf(" An adopted account is not this configuration's: destroying the resource will do %q to it, not "+
		"on_destroy = %q, unless adopted_on_destroy says otherwise.", action, plan.OnDestroy.ValueString())
}
