package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// Private-state keys of the organization.
const (
	// privateReplaces is the organization ID a plan with a prior state
	// sets. Terraform plans the create half of a replacement (a rename, a
	// -replace) next, with a null prior state but this private state: the
	// organization it names is deleted before the create, so its name is
	// not taken.
	privateReplaces = "replaces_id"
	// privateFailedCreate marks an organization a create made before a
	// later step failed; Terraform taints it, and plans its replacement
	// with neither a prior state nor this mark, which only the refresh
	// before that plan sees.
	privateFailedCreate = "failed_create"
)

// Limits of organization names and properties, as on JSM Cloud.
const (
	maxOrganizationName   = 200
	maxPropertyKeyBytes   = 255
	maxPropertyValueBytes = 32768
)

var (
	_ resource.ResourceWithConfigure   = &organizationResource{}
	_ resource.ResourceWithImportState = &organizationResource{}
	_ resource.ResourceWithModifyPlan  = &organizationResource{}
	_ resource.ResourceWithIdentity    = &organizationResource{}
)

// NewOrganizationResource returns the jsm_organization resource.
func NewOrganizationResource() resource.Resource { return &organizationResource{} }

type organizationResource struct {
	client *jsm.Client
	run    *runState // this configuration\'s record of the run
}

type organizationResourceModel struct {
	ID            types.String `tfsdk:"id"`
	Name          types.String `tfsdk:"name"`
	UUID          types.String `tfsdk:"uuid"`
	SCIMManaged   types.Bool   `tfsdk:"scim_managed"`
	Properties    types.Map    `tfsdk:"properties"`
	AdoptExisting types.Bool   `tfsdk:"adopt_existing"`
	CSMLifecycle  types.Bool   `tfsdk:"csm_lifecycle"`
}

func (r *organizationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization"
}

// apiCalls declares the client calls it makes (permissions.go).
func (*organizationResource) apiCalls() apiCalls {
	return calls("ListOrganizations", "FindOrganizationByName", "CreateOrganization", "GetOrganization",
		"DeleteOrganization", "OrganizationPropertyKeys", "GetOrganizationProperty", "SetOrganizationProperty",
		"DeleteOrganizationProperty", "EachOrganizationMember", "OrganizationServiceDesks").
		withOptIn("RenameOrganization")
}

func (r *organizationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Jira Service Management organization: a group of customers, typically one client company, " +
			"that can be given access to service desks (see `jsm_service_desk_organization`) and whose members are managed " +
			"with `jsm_organization_customers`. A rename replaces it, unless `csm_lifecycle = true` renames it in place.\n\n" +
			"~> **Destroying the resource deletes the organization**, whatever service desks it is linked to, an adopted " +
			"one included; its customer accounts remain. Guard organizations that hold members with " +
			"`lifecycle { prevent_destroy = true }`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The organization ID, an integer such as `\"12\"`.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The organization's name, 1 to 200 characters, without leading or trailing spaces. " +
					"A change renames it in place (same ID, members and service desks) when `csm_lifecycle = true`; " +
					"otherwise it replaces it (a new organization, without the old one's members and service desk access " +
					"unless those are managed in Terraform too).",
				Required: true,
				Validators: []validator.String{
					stringvalidator.UTF8LengthBetween(1, maxOrganizationName),
					stringvalidator.RegexMatches(trimmedRegexp, "must not be empty and must not start or end with whitespace"),
				},
				PlanModifiers: []planmodifier.String{requiresReplaceUnlessCSM("organization")},
			},
			attrCSMLifecycle: csmLifecycleAttribute("renaming this organization in place"),
			"properties": schema.MapAttribute{
				MarkdownDescription: "Organization properties: JSON documents stored on the organization by key, e.g. " +
					"`{ attributes = jsonencode({ tier = \"gold\" }) }`, compared as JSON. Only the keys listed are managed; " +
					"removing one deletes that property. See *Properties* on the page for the limits on keys and values.",
				Optional:    true,
				ElementType: jsontypes.NormalizedType{},
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.LengthBetween(1, maxPropertyKeyBytes), propertyKeyValidator),
					mapvalidator.ValueStringsAre(stringvalidator.LengthAtMost(maxPropertyValueBytes), jsonDocumentValidator),
				},
			},
			"adopt_existing": schema.BoolAttribute{
				MarkdownDescription: "When an organization of the same name exists, manage it instead of failing. Default " +
					"`false`: unlike a customer, an organization is deleted when the resource is destroyed, so adopting " +
					"one that someone else made hands this configuration the power to delete it and its service desk " +
					"access; that is a decision to write down, not a default. The plan says which it will be.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"uuid": schema.StringAttribute{
				MarkdownDescription: "The organization's UUID (its identity in the user directory), when JSM returns one.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"scim_managed": schema.BoolAttribute{
				MarkdownDescription: "Whether the organization is managed by SCIM user provisioning.",
				Computed:            true,
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *organizationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client, r.run = configured(req.ProviderData, &resp.Diagnostics)
}

func (m *organizationResourceModel) setFromOrg(o *jsm.Organization) {
	m.ID = types.StringValue(o.ID)
	m.Name = types.StringValue(o.Name)
	m.UUID = stringOrNull(o.UUID)
	m.SCIMManaged = types.BoolValue(o.SCIMManaged)
}

// properties reads the properties map; null gives nil.
func (m *organizationResourceModel) properties(ctx context.Context, diags *diag.Diagnostics) map[string]jsontypes.Normalized {
	if m.Properties.IsNull() || m.Properties.IsUnknown() {
		return nil
	}
	out := map[string]jsontypes.Normalized{}
	diags.Append(m.Properties.ElementsAs(ctx, &out, false)...)
	return out
}

// ModifyPlan keeps the state's text of a property whose configured value is
// the same JSON document written differently (an imported property, say), so
// such a difference plans no update.
func (r *organizationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		r.predictDelete(ctx, req, resp)
		return
	}
	if req.State.Raw.IsNull() {
		r.predictCreate(ctx, req, resp)
		return
	}
	var state, plan organizationResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateReplaces, []byte(strconv.Quote(state.ID.ValueString())))...)
	// A prior state is never a tainted object's: this one was untainted.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateFailedCreate, nil)...)
	if !plan.Name.IsUnknown() && !plan.Name.Equal(state.Name) && !state.Name.IsNull() {
		if plan.CSMLifecycle.ValueBool() {
			r.checkRenameFree(ctx, state.ID.ValueString(), plan.Name.ValueString(), &resp.Diagnostics)
		} else {
			r.warnRename(ctx, state, plan.Name.ValueString(), &resp.Diagnostics)
		}
	}
	if plan.Properties.IsUnknown() {
		return
	}
	want, have := plan.properties(ctx, &resp.Diagnostics), state.properties(ctx, &resp.Diagnostics)
	if keepEquivalentText(want, have) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("properties"), state.Properties)...)
	}
}

// predictDelete refuses, at plan time, to delete an organization whose name
// another resource of the run creates or adopts (a renamed resource or
// for_each key, without a moved block): run together, the delete takes the
// organization from under the other, or the other creates an empty one.
// Checked whichever of the two Terraform plans second.
func (r *organizationResource) predictDelete(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || r.run == nil {
		return
	}
	var id, name types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("name"), &name)...)
	if resp.Diagnostics.HasError() || name.ValueString() == "" || r.run.holds("organization", id.ValueString()) {
		return
	}
	if created, _ := r.run.planDestroy("organization", name.ValueString()); created {
		resp.Diagnostics.AddError("A destroyed organization's name is declared again",
			organizationDeclaredElsewhereDetail(id.ValueString(), name.ValueString()))
	}
}

// organizationDeclaredElsewhereDetail explains the plan that deletes an
// organization whose name another resource of the run creates or adopts.
func organizationDeclaredElsewhereDetail(id, name string) string {
	org := "an organization"
	if id != "" {
		org = "the organization " + id
	}
	return fmt.Sprintf("This plan destroys a jsm_organization, which deletes %s (%q), and creates another jsm_organization "+
		"of the same name (letter case aside), which would adopt it or create an empty one. Run together, the delete "+
		"takes the organization, its members and its service desk access from under the new resource. Nothing was "+
		"changed. If the organization moved (a renamed resource or for_each key, another module instance), say so with "+
		"a moved block, which keeps it:%s", org, name, movedOrRemoved)
}

// maxNamed bounds the members and desks a rename's warning names; the
// rest are counted.
const maxNamed = 20

// warnRename says, by name, what replacing the organization drops: JSM
// cannot rename one, so the apply deletes it and creates another, which
// starts without the old one's members and service desk access. It costs
// a listing of the members and one of the desks (and a request per desk),
// only for a plan that renames.
func (r *organizationResource) warnRename(ctx context.Context, state organizationResourceModel, name string, diags *diag.Diagnostics) {
	if r.client == nil {
		return
	}
	id, old := state.ID.ValueString(), state.Name.ValueString()
	var members []string
	n := 0
	err := r.client.EachOrganizationMember(ctx, id, func(u jsm.User) bool {
		if n++; n <= maxNamed {
			members = append(members, fmt.Sprintf("%s (%s)", r.client.Quote(u.DisplayName), r.client.Clean(u.AccountID, 130)))
		}
		return true
	})
	memberText := describeList(members, n, "member")
	if err != nil {
		memberText = "its members could not be listed: " + errorDetail(err)
	}
	var desks []string
	found, err := r.client.OrganizationServiceDesks(ctx, id)
	for i, d := range found {
		if i < maxNamed {
			desks = append(desks, fmt.Sprintf("%s (%s, ID %s)", r.client.Quote(d.ProjectName), r.client.Clean(d.ProjectKey, 100), r.client.Clean(d.ID, 100)))
		}
	}
	deskText := describeList(desks, len(found), "service desk")
	if err != nil {
		deskText = "its service desks could not be listed: " + errorDetail(err)
	}
	diags.AddAttributeWarning(path.Root("name"), "Renaming the organization replaces it",
		fmt.Sprintf("JSM's own API cannot rename an organization, so this apply deletes %q (ID %s) and creates %q, a new organization "+
			"with a new ID. The old one's members and service desk access are not carried over; what this configuration "+
			"manages (jsm_organization_customers, jsm_service_desk_organization) is attached to the new one by the same "+
			"apply, and anything else is lost.\n\nMembers: %s.\nService desks: %s.\n\nTo keep the organization, set "+
			"name back to %q, or rename it in JSM and set name to match. Guard organizations with lifecycle "+
			"{ prevent_destroy = true }.\n\nTo rename it in place instead, keeping its ID, members and service desks, set %s = true: "+
			"it renames through Atlassian's experimental Customer Service Management API (see the resource's documentation "+
			"for what it needs).", old, id, name, memberText, deskText, old, attrCSMLifecycle))
}

// checkRenameFree fails the plan of an in-place rename (csm_lifecycle =
// true) to a name another organization has, letter case aside, as the
// apply would; the organization's own name in other letter case is no
// conflict. A failed listing is a warning: the rename itself then decides.
func (r *organizationResource) checkRenameFree(ctx context.Context, id, name string, diags *diag.Diagnostics) {
	if r.client == nil {
		return
	}
	existing, err := r.client.ListOrganizations(ctx)
	if err != nil {
		diags.AddWarning("The plan cannot tell whether the organization name is taken",
			fmt.Sprintf("Listing the organizations to look %q up failed:\n%s\n\nThe apply renames organization %s regardless, "+
				"and fails if another organization has the name.", name, errorDetail(err), id))
		return
	}
	for _, o := range existing {
		if o.ID != id && strings.EqualFold(o.Name, name) {
			diags.AddAttributeError(path.Root("name"), "JSM organization already exists",
				fmt.Sprintf("Organization %s cannot be renamed to %q: an organization named %s already exists (ID %s), and JSM "+
					"allows a name once, letter case aside. Choose another name, or rename or delete the other organization "+
					"first.", id, name, r.client.Quote(o.Name), r.client.Clean(o.ID, 100)))
			return
		}
	}
}

// describeList is "none", or the named items and how many more there are.
func describeList(named []string, total int, noun string) string {
	switch {
	case total == 0:
		return "none"
	case total > len(named):
		return fmt.Sprintf("%s and %d more (%d %ss)", strings.Join(named, ", "), total-len(named), total, noun)
	}
	return strings.Join(named, ", ")
}

// predictCreate looks the name up, as the create does first, and says what
// the apply will do with a taken name: adopt the organization (a warning
// naming it) or fail (now, before anything is written). A failed listing is
// a warning, as the apply lists again, except refused credentials (a 401,
// or a service account's token refused).
func (r *organizationResource) predictCreate(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var plan organizationResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || r.client == nil || plan.Name.IsUnknown() || plan.AdoptExisting.IsUnknown() {
		return
	}
	name := plan.Name.ValueString()
	// Each create is planned once a run, also in the apply's run before
	// the create: a second plan of the name is a second resource.
	if r.run.claimCreate("organization", name) {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "JSM organization name declared twice", twinDetail(name))
		return
	}
	if r.run.createDestroyed("organization", name) {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "A destroyed organization's name is declared again",
			organizationDeclaredElsewhereDetail("", name))
		return
	}
	existing, err := r.client.ListOrganizations(ctx)
	if jsm.IsCredentialRefused(err) {
		// Refused credentials are certain to fail the apply too: say so now.
		resp.Diagnostics.AddError("The credentials were refused",
			fmt.Sprintf("Listing the organizations to look %q up failed:\n%s\n\nFix the provider's credentials and plan again.", name, errorDetail(err)))
		return
	}
	if err != nil {
		resp.Diagnostics.AddWarning("The plan cannot tell whether the organization name is taken",
			fmt.Sprintf("Listing the organizations to look %q up failed:\n%s\n\nThe apply lists them again before creating.", name, errorDetail(err)))
		return
	}
	st := r.run
	st.rememberOrgs(existing)
	var replaces string
	if raw, _ := req.Private.GetKey(ctx, privateReplaces); len(raw) > 0 {
		_ = json.Unmarshal(raw, &replaces) // a mark this provider wrote; unreadable, it names nothing
	}
	for _, o := range existing {
		if !strings.EqualFold(o.Name, name) {
			continue
		}
		refreshed, leftover := st.refreshedThisRun(o.ID)
		if o.ID == replaces || leftover {
			// The one this create replaces, deleted first; unless the
			// configuration creates first, which the plan cannot see.
			// (Terraform shows this for a tainted object, and drops the
			// warnings of a replacement's second plan.)
			resp.Diagnostics.AddAttributeWarning(path.Root("name"), "The organization replaced has this name",
				fmt.Sprintf("The plan replaces organization %s, named %s: the apply deletes it before creating %q. JSM allows "+
					"a name once, so lifecycle { create_before_destroy = true }, which creates first, cannot work here: leave it "+
					"out for this replacement.", r.client.Clean(o.ID, 100), r.client.Quote(o.Name), name))
			continue
		}
		if d := r.adoptionRefusal(o, name, plan.AdoptExisting.ValueBool()); d != "" {
			if refreshed {
				d += "\n\n" + taintedHint(r.client.Clean(o.ID, 100))
			}
			resp.Diagnostics.AddAttributeError(path.Root("name"), "JSM organization already exists", d)
			return
		}
		resp.Diagnostics.AddWarning("The apply adopts an existing JSM organization",
			fmt.Sprintf("An organization named %s already exists (ID %s): the apply adopts it instead of creating one "+
				"(adopt_existing = true), and destroying the resource will delete it.", r.client.Quote(o.Name), r.client.Clean(o.ID, 100)))
		return
	}
}

// taintedHint explains a taken name whose organization, id, is in this
// configuration's state: Terraform plans a tainted object's replacement
// without saying which object it replaces, so the plan cannot tell this
// resource's own organization, tainted (terraform taint), from another
// resource's.
func taintedHint(id string) string {
	return fmt.Sprintf("Organization %s is in this configuration's state. If another resource manages it, declare each "+
		"organization once (a resource renamed in the configuration needs a moved block). If it is this resource's own, marked tainted with terraform taint, the plan cannot tell: run "+
		"terraform untaint <ADDRESS>, then terraform apply -replace=<ADDRESS>, whose plan names the organization it replaces.", id)
}

// organizationRefusal says why an organization found for a configured
// name cannot be adopted.
type organizationRefusal int

const (
	orgAdoptable         organizationRefusal = iota
	orgRefusedOtherCase                      // the names differ in letter case: the next plan would replace it
	orgRefusedNotAllowed                     // adopt_existing = false
)

// decideOrganizationAdoption is the one decision on an organization found
// for the configured name (JSM matches names without regard to letter
// case): the plan and the apply both call it, through adoptionRefusal.
func decideOrganizationAdoption(siteName, name string, adopt bool) organizationRefusal {
	switch {
	case siteName != name:
		return orgRefusedOtherCase
	case !adopt:
		return orgRefusedNotAllowed
	}
	return orgAdoptable
}

// adoptionRefusal says why the organization o, found for the configured
// name, cannot be adopted, or "" when it can.
func (r *organizationResource) adoptionRefusal(o jsm.Organization, name string, adopt bool) string {
	site, id := r.client.Quote(o.Name), r.client.Clean(o.ID, 100)
	switch decideOrganizationAdoption(o.Name, name, adopt) {
	case orgRefusedOtherCase:
		return fmt.Sprintf("An organization named %s (ID %s) already exists, and JSM matches names without regard to letter "+
			"case, so creating %q would answer that one. It is not adopted: the names differ, so the next plan would replace "+
			"it. Set name = %s (and adopt_existing = true, or import it), or choose another name. The import:%s",
			site, id, name, site, importBlock(id))
	case orgRefusedNotAllowed:
		return organizationExistsDetail(r.client.Clean(o.Name, 300), id)
	}
	return ""
}

func (r *organizationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan organizationResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := plan.Name.ValueString()

	// Look first, once, before the POST (a retried POST after a lost answer
	// must find the organization this call created, not fail on it): in
	// the listing of the plan Terraform made of this create a moment ago,
	// or a new one.
	existing, fresh := r.run.takeOrgs()
	var err error
	if !fresh {
		existing, err = r.client.ListOrganizations(ctx)
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not list the JSM organizations", "Before creating "+fmt.Sprintf("%q", name)+
			", the provider checks that no organization has that name, and listing them failed: "+errorDetail(err))
		return
	}
	before := map[string]bool{}
	var org *jsm.Organization
	for _, o := range existing {
		before[o.ID] = true
		if !strings.EqualFold(o.Name, name) {
			continue
		}
		if d := r.adoptionRefusal(o, name, plan.AdoptExisting.ValueBool()); d != "" {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "JSM organization already exists", d)
			return
		}
		org = &o
	}
	if org == nil {
		org, err = r.client.CreateOrganization(ctx, name)
		r.run.forgetOrgs() // it no longer holds every organization
		if err != nil {
			resp.Diagnostics.AddError("Could not create the JSM organization", fmt.Sprintf("Organization %q:\n%s", name, errorDetail(err)))
			return
		}
	}
	// JSM answers the create with an existing organization when the name
	// is taken, letter case aside: adopted only as the plan said. One named
	// otherwise was never this create's, whenever it appeared.
	if d := r.adoptionRefusal(*org, name, plan.AdoptExisting.ValueBool()); (before[org.ID] || org.Name != name) && d != "" {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "JSM organization already exists", d)
		return
	}
	r.run.hold("organization", org.ID)
	plan.setFromOrg(org)
	plan.Name = types.StringValue(name)

	// Write the properties; on failure the state keeps the ones written.
	props := plan.properties(ctx, &resp.Diagnostics)
	written := map[string]jsontypes.Normalized{}
	for _, k := range sortedPropertyKeys(props) {
		if err := r.client.SetOrganizationProperty(ctx, org.ID, k, json.RawMessage(props[k].ValueString())); err != nil {
			done, lost := "created", "it"
			if before[org.ID] {
				done, lost = "adopted", "the organization you adopted, with its members and service desk access,"
			}
			resp.Diagnostics.AddAttributeError(path.Root("properties").AtMapKey(k), "Could not set the organization property",
				fmt.Sprintf("Organization %s (%q) was %s, but setting its property %q failed: %s\n\nTerraform marks the "+
					"resource tainted: the next apply deletes %s and creates another. To keep it instead, run "+
					"terraform untaint <ADDRESS>: the next apply then writes the properties missing.", org.ID, name, done, k, err, lost))
			if len(written) > 0 || !plan.Properties.IsNull() {
				plan.Properties = propertiesValue(written, &resp.Diagnostics)
			}
			resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateFailedCreate, []byte("true"))...)
			resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
			setIdentity(ctx, resp.Identity, &resp.Diagnostics, "id", org.ID)
			return
		}
		written[k] = props[k]
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, "id", org.ID)
}

// twinDetail says that another resource of the configuration took the
// organization name in this apply.
func twinDetail(name string) string {
	return fmt.Sprintf("Another jsm_organization of this configuration creates or adopts an organization named %q in this "+
		"run (JSM matches names without regard to letter case). JSM allows a name once and answers a create of a taken "+
		"name with the existing organization, so both resources would manage the same one, and destroying either would "+
		"delete it. The provider stops here: declare each organization once, removing the duplicate resource or giving it "+
		"another name.", name)
}

// organizationExistsDetail says that an organization of the name exists and
// how to import it; name and id are the site's text, cleaned by the caller
// (jsm.Client.Clean).
func organizationExistsDetail(name, id string) string {
	return fmt.Sprintf("An organization named %q already exists (ID %s). JSM would answer the create with it, and Terraform "+
		"would then manage (and on destroy, delete) an organization it did not create, so the provider stops here.\n\n"+
		"To manage the existing organization, set adopt_existing = true on this resource (destroying the resource then "+
		"deletes the organization), or import it, adding to the configuration:%s\n\n"+
		"Otherwise choose another name.", name, id, importBlock(id))
}

func (r *organizationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state organizationResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	importing := state.Name.IsNull()
	// The identity is the state's IDs, set first: the framework wants one
	// even for a resource the read removes (a CLI before 1.12 stores none).
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, "id", id)
	org, err := r.client.GetOrganization(ctx, id)
	if jsm.IsNotFound(err) && !importing {
		removeGone(ctx, resp, "organization", fmt.Sprintf("The organization %s (%q) was not found", id, state.Name.ValueString()),
			"creates it again")
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not read the JSM organization", "Organization "+id+":\n"+errorDetail(err))
		return
	}
	state.setFromOrg(org)
	if !importing {
		// For the plan that follows: a taken name may be this organization's.
		leftover, _ := req.Private.GetKey(ctx, privateFailedCreate)
		r.run.refreshedOrg(id, len(leftover) > 0)
	}

	var keys []string
	if importing {
		// An import takes every property the organization has.
		if keys, err = r.client.OrganizationPropertyKeys(ctx, id); err != nil {
			resp.Diagnostics.AddError("Could not list the properties of the JSM organization", "Organization "+id+":\n"+errorDetail(err))
			return
		}
	} else {
		keys = sortedPropertyKeys(state.properties(ctx, &resp.Diagnostics))
	}
	props, ok := readProperties(ctx, r.client, id, keys, &resp.Diagnostics)
	if !ok {
		return
	}
	if !(state.Properties.IsNull() && len(props) == 0) {
		state.Properties = propertiesValue(props, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update renames the organization through the CSM API when its name
// changed (csm_lifecycle = true; otherwise a new name replaces it), then
// writes the properties that changed and deletes the ones removed from the
// configuration.
func (r *organizationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state organizationResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	if !plan.Name.Equal(state.Name) {
		// Only with csm_lifecycle = true: otherwise a new name replaces.
		if err := r.client.RenameOrganization(ctx, id, plan.Name.ValueString()); err != nil {
			detail := csmRefusalDetail(err, "a rename replaces the organization, as the plan then says", "RenameOrganization")
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Could not rename the JSM organization",
				fmt.Sprintf("Renaming organization %s from %q to %q failed:\n%s%s", id, state.Name.ValueString(),
					plan.Name.ValueString(), detail, writeMaySettle(err, "rename")))
			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
			setIdentity(ctx, resp.Identity, &resp.Diagnostics, "id", id)
			return
		}
		state.Name = plan.Name
		state.CSMLifecycle = plan.CSMLifecycle
	}
	want, have := plan.properties(ctx, &resp.Diagnostics), state.properties(ctx, &resp.Diagnostics)
	// result tracks what the site holds as the calls go, for a failed apply.
	result := map[string]jsontypes.Normalized{}
	for k, v := range have {
		result[k] = v
	}
	fail := func(k, action string, err error) {
		resp.Diagnostics.AddAttributeError(path.Root("properties").AtMapKey(k), "Could not "+action+" the organization property",
			fmt.Sprintf("Organization %s: %s property %q failed: %s", id, action, k, err))
		state.Properties = propertiesValue(result, &resp.Diagnostics)
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		setIdentity(ctx, resp.Identity, &resp.Diagnostics, "id", id)
	}
	deletes, sets := propertyChanges(want, have)
	for _, k := range deletes {
		if err := r.client.DeleteOrganizationProperty(ctx, id, k); err != nil && !jsm.IsNotFound(err) {
			fail(k, "delete", err)
			return
		}
		delete(result, k)
	}
	for _, k := range sets {
		if err := r.client.SetOrganizationProperty(ctx, id, k, json.RawMessage(want[k].ValueString())); err != nil {
			fail(k, "set", err)
			return
		}
		result[k] = want[k]
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, "id", id)
}

func (r *organizationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state organizationResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.run.holds("organization", state.ID.ValueString()) {
		// The deposed object of a create_before_destroy replacement: its
		// replacement, created first in this apply, adopted it.
		resp.Diagnostics.AddWarning("JSM organization forgotten: its replacement holds it",
			fmt.Sprintf("The organization %s (%q) was not deleted: another jsm_organization of this apply, the replacement "+
				"of this one, adopted it and holds it now.", state.ID.ValueString(), state.Name.ValueString()))
		return
	}
	if err := r.client.DeleteOrganization(ctx, state.ID.ValueString()); err != nil && !jsm.IsNotFound(err) {
		resp.Diagnostics.AddError("Could not delete the JSM organization", "Organization "+state.ID.ValueString()+":\n"+errorDetail(err))
	}
}

// ImportState takes the organization ID or its exact name, or an identity
// (whose id must be an ID).
func (r *organizationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" && req.Identity != nil {
		if req.ID = importID(ctx, req, &resp.Diagnostics, "id"); resp.Diagnostics.HasError() {
			return
		}
		if !jsm.ValidOrganizationID(req.ID) {
			resp.Diagnostics.AddError("Invalid import identity",
				fmt.Sprintf("The identity's id must be an organization ID, a positive integer such as \"12\"; got %q.", req.ID))
			return
		}
	}
	id := req.ID
	if !jsm.ValidOrganizationID(id) {
		org, err := r.client.FindOrganizationByName(ctx, req.ID)
		if err != nil {
			resp.Diagnostics.AddError("Could not find the JSM organization",
				fmt.Sprintf("Import an organization by its ID (an integer) or its exact name; %q:\n%s", req.ID, errorDetail(err)))
			return
		}
		id = org.ID
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	// The defaults, so the plan after an import shows no change.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("adopt_existing"), false)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrCSMLifecycle), false)...)
}

// sendableKeys returns keys without those that cannot travel in a URL
// path (".", "..", "/" or "\\", control characters), with a warning naming
// each: such a property, created by another tool, is left alone rather than
// read, imported and later deleted through a path a decoding, normalizing
// server would read as the organization itself or another one.
//
// The key is the site's text: the warning shows it cleaned (c.Quote).
func sendableKeys(c *jsm.Client, id string, keys []string, diags *diag.Diagnostics) []string {
	out := keys[:0:0]
	for _, k := range keys {
		if msg := jsm.CheckPropertyKey(k); msg != "" {
			diags.AddAttributeWarning(path.Root("properties"), "Organization property left alone",
				fmt.Sprintf("Organization %s has a property with the key %s, which the provider does not manage (%s). "+
					"It is left unchanged on the site and not taken into the state; rename it with the tool that created it.",
					id, c.Quote(k), c.Clean(msg, 300)))
			continue
		}
		out = append(out, k)
	}
	return out
}

// IdentitySchema: an organization is its ID.
func (r *organizationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(map[string]string{"id": "The organization ID, an integer such as \"12\"."})
}
