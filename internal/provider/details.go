package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// detailOwner is one kind of object that holds detail values: what the
// jsm_<kind>_details resource and data source call it.
type detailOwner struct {
	kind    string // "customer", "organization" or "entitlement"
	details *jsm.DetailKind
	idAttr  string // "customer_id" or "organization_id"
	idDoc   string
	idNoun  string // what the ID is, for the identity's description
	idValid []validator.String
}

// detailsAPI is the jsm_<kind>_details resource of one kind: its owner, and
// how a 404 for the owner is judged.
type detailsAPI struct {
	detailOwner
	noObject string // what a 404 for the object itself means
	// ownerCalls are the client calls of owner404 and refused.
	ownerCalls []string
	feature    string // the JSM feature, as project settings name it
	// owner404 judges a 404 for the object while its feature answers,
	// from the JSM API: gone when the object no longer exists, otherwise
	// why the CSM API refuses it.
	owner404 func(ctx context.Context, c *jsm.Client, id string) (gone bool, why string, err error)
	// refused says at plan time why the CSM API will refuse the object,
	// and what to do, or "" (nil: nothing is known before the apply);
	// refusedSummary is the error's summary.
	refused        func(ctx context.Context, c *jsm.Client, id string) string
	refusedSummary string
}

var (
	customerOwner = detailOwner{kind: "customer", details: jsm.CustomerDetails, idAttr: "customer_id", //nolint:gochecknoglobals // a read-only table
		idDoc: "The customer's account ID, e.g. `jsm_customer.fred.id`.", idNoun: "customer's account ID",
		idValid: []validator.String{accountIDValidator}}
	organizationOwner = detailOwner{kind: "organization", details: jsm.OrganizationDetails, idAttr: "organization_id", //nolint:gochecknoglobals // a read-only table
		idDoc: "The organization's ID, e.g. `jsm_organization.acme.id`.", idNoun: "organization ID, an integer such as \"12\"",
		idValid: organizationIDValidators()}
)

var customerDetailsAPI = detailsAPI{ //nolint:gochecknoglobals // a read-only table
	detailOwner: customerOwner,
	noObject:    "no longer exists (or was deleted)",
	ownerCalls:  []string{"GetUser"},
	feature:     jsm.FeatureProfiles,
	owner404: func(ctx context.Context, c *jsm.Client, id string) (bool, string, error) {
		u, err := c.GetUser(ctx, id)
		return accountVerdict(id, u, err)
	},
	refused: func(ctx context.Context, c *jsm.Client, id string) string {
		u, err := c.GetUser(ctx, id)
		if why := refusedAccount(id, u, err); why != "" {
			return why + " Use an eligible account's ID."
		}
		return ""
	},
	refusedSummary: "Not a Customer Service Management customer",
}

var organizationDetailsAPI = detailsAPI{ //nolint:gochecknoglobals // a read-only table
	detailOwner: organizationOwner,
	noObject:    "no longer exists in JSM",
	ownerCalls:  []string{"GetOrganization"},
	feature:     jsm.FeatureProfiles,
	owner404: func(ctx context.Context, c *jsm.Client, id string) (bool, string, error) {
		_, err := c.GetOrganization(ctx, id)
		switch {
		case jsm.IsNotFound(err):
			return true, "", nil
		case err != nil:
			return false, "", err
		}
		return false, fmt.Sprintf("The organization %s exists in JSM, but the Customer Service Management API answers 404 for it.", id), nil
	},
	// Details of a missing organization would be "created" without a
	// request when there is nothing to write, then leave the state at
	// each refresh: one JSM read says so first. A failed read is left to
	// the apply.
	refused: func(ctx context.Context, c *jsm.Client, id string) string {
		if _, err := c.GetOrganization(ctx, id); jsm.IsNotFound(err) {
			return fmt.Sprintf("The organization %s does not exist in JSM. Use an existing organization's ID, e.g. "+
				"jsm_organization.<name>.id.", id)
		}
		return ""
	},
	refusedSummary: "Organization not found",
}

// NewCustomerDetailsResource returns the jsm_customer_details resource.
func NewCustomerDetailsResource() resource.Resource {
	return &detailsResource{api: customerDetailsAPI}
}

// NewOrganizationDetailsResource returns the jsm_organization_details resource.
func NewOrganizationDetailsResource() resource.Resource {
	return &detailsResource{api: organizationDetailsAPI}
}

var (
	_ resource.ResourceWithModifyPlan  = &detailsResource{}
	_ resource.ResourceWithConfigure   = &detailsResource{}
	_ resource.ResourceWithImportState = &detailsResource{}
	_ resource.ResourceWithIdentity    = &detailsResource{}
)

type detailsResource struct {
	api    detailsAPI
	client *jsm.Client
	run    *runState // this configuration\'s record of the run
}

// detailsModel is the same for both kinds; its attributes are read by path,
// as the owner's ID attribute is named after the kind.
type detailsModel struct {
	ID      types.String
	OwnerID types.String
	Details map[string][]string // nil: unknown
}

func (r *detailsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.api.kind + "_details"
}

// apiCalls declares the client calls it makes (permissions.go).
func (r *detailsResource) apiCalls() apiCalls {
	return apiCalls{details: r.api.details, methods: append([]string{"ListDetailFields", "Details", "SetDetail"}, r.api.ownerCalls...)}
}

func (r *detailsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	k := r.api.kind
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("The detail values of one %[1]s (its region, tier, contract...): the values it holds in each "+
			"detail field named in `details`; other fields keep whatever values they hold.", k),
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The " + k + "'s ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			r.api.idAttr: schema.StringAttribute{
				MarkdownDescription: r.api.idDoc + " Changing it replaces the resource.",
				Required:            true,
				Validators:          r.api.idValid,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"details": schema.MapAttribute{
				MarkdownDescription: "Field name to values (a set of strings), e.g. `{ Region = [\"EU\"], Tier = [\"Gold\"] }`. " +
					"An empty set clears the field.",
				Required:    true,
				ElementType: types.SetType{ElemType: types.StringType},
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1), detailFieldNameValidator),
					distinctFieldKeys{},
				},
			},
		},
	}
}

func (r *detailsResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client, r.run = configured(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses, at plan time, details for an object the CSM API will
// refuse (an account that is inactive, deleted or not a customer; an
// organization that does not exist), when the object's ID is known and the
// details are to be created or change owner: one read, only then.
func (r *detailsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.client == nil {
		return
	}
	if !checkCSMServiceAccount(ctx, r.client, r.run, func(ctx context.Context) error {
		_, err := r.client.ListDetailFields(ctx, r.api.details)
		return err
	}, &resp.Diagnostics) {
		return
	}
	r.predictValues(ctx, req, resp)
	// A change of owner replaces, and Terraform plans a replacement's
	// create half as a create: without state.
	if !req.State.Raw.IsNull() || r.api.refused == nil {
		return
	}
	var id types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root(r.api.idAttr), &id)...)
	if resp.Diagnostics.HasError() || id.IsNull() || id.IsUnknown() {
		return
	}
	if why := r.api.refused(ctx, r.client, id.ValueString()); why != "" {
		resp.Diagnostics.AddAttributeError(path.Root(r.api.idAttr), r.api.refusedSummary, why)
	}
}

// predictValues checks the details of a plan that creates or changes them
// (checkPlannedDetails).
func (r *detailsResource) predictValues(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	plan, d := loadDetails(ctx, req.Plan.GetAttribute)
	if d.HasError() || plan == nil {
		return
	}
	var state map[string][]string
	if !req.State.Raw.IsNull() {
		if state, d = loadDetails(ctx, req.State.GetAttribute); d.HasError() || state == nil {
			state = nil
		}
	}
	r.checkPlannedDetails(ctx, plan, state, &resp.Diagnostics)
}

// checkPlannedDetails checks details that are created or change (state
// nil: created) against the fields as they will be after the apply: a
// field this plan creates or changes as planned (field_plans.go), any other
// as the site has it now (one field listing per kind and plan, shared by
// all details resources; none for details that do not change). A key that
// names no field of either fails the plan, as does a value outside the
// options, naming the field, the value and the options.
func (r *detailsResource) checkPlannedDetails(ctx context.Context, plan, state map[string][]string, diags *diag.Diagnostics) {
	if state != nil && sameDetails(state, plan) {
		return
	}
	missing, probs := r.valueProblems(ctx, plan)
	ref := fmt.Sprintf("(jsm_%s_detail_field.<name>.name)", r.api.kind)
	if len(missing) > 0 {
		diags.AddAttributeError(path.Root("details"), "Unknown detail field",
			fmt.Sprintf("The apply would fail: %s.\n\nFix the key. If this configuration creates the field, key the details "+
				"by the field resource's name, e.g. %s, so that Terraform plans and creates the field first.",
				strings.Join(missing, "; "), ref))
	}
	if len(probs) > 0 {
		diags.AddAttributeError(path.Root("details"), "Detail values the fields do not take",
			fmt.Sprintf("The apply would fail: %s.\n\nFix the value, or add it to the field's options. If this configuration "+
				"adds the option in the same apply, key the details by the field resource's name (e.g. "+
				"%s), so that the plan sees the field's new options.",
				strings.Join(probs, "; "), ref))
	}
}

// valueProblems is what checkDetails finds in details against the fields
// as they will be: planned ones as planned, others as the site has them
// (nothing when the site's fields cannot be listed: the refresh or the
// apply says why). missing names the keys that are neither planned nor on
// the site: a field is planned before the details whose keys reference it,
// so a key that is not planned by then is not created by this apply before
// the details are written. Planned fields whose options are known only at
// apply are left out, and missing keys are not judged while a field whose
// name is known only at apply is planned.
func (r *detailsResource) valueProblems(ctx context.Context, details map[string][]string) (missing, probs []string) {
	var site []jsm.DetailField
	listed := false
	var fields []jsm.DetailField
	known := map[string][]string{}
	for _, name := range sortedMapKeys(details) {
		if p, ok := r.run.fields.lookup(r.api.kind, name); ok {
			if !p.optionsUnknown {
				fields = append(fields, p.field)
				known[name] = details[name]
			}
			continue
		}
		if !listed {
			var err error
			if site, err = r.run.fields.siteFields(ctx, r.client, r.api.kind, r.api.details); err != nil {
				return nil, nil
			}
			listed = true
		}
		if f := findField(site, name); f != nil {
			fields = append(fields, *f)
			known[name] = details[name]
		} else if !r.run.fields.unnamed(r.api.kind) {
			missing = append(missing, fmt.Sprintf("%q is not %s %s detail field of the site (its fields: %s), and this "+
				"configuration creates none of that name", name, article(r.api.kind), r.api.kind, fieldNames(site)))
		}
	}
	// The site's field names and options are the site's text.
	for i := range missing {
		missing[i] = r.client.Clean(missing[i], detailProblemsLimit)
	}
	return missing, checkDetails(r.api.kind, fields, known)
}

// sameDetails compares two detail maps, values without regard to order.
func sameDetails(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || !sameValues(v, w) {
			return false
		}
	}
	return true
}

// load reads the model from a plan or state.
func (r *detailsResource) load(ctx context.Context, get func(context.Context, path.Path, any) diag.Diagnostics) (detailsModel, diag.Diagnostics) {
	var m detailsModel
	var diags diag.Diagnostics
	diags.Append(get(ctx, path.Root("id"), &m.ID)...)
	diags.Append(get(ctx, path.Root(r.api.idAttr), &m.OwnerID)...)
	if !diags.HasError() {
		var d diag.Diagnostics
		m.Details, d = loadDetails(ctx, get)
		diags.Append(d...)
	}
	return m, diags
}

// loadDetails reads the details attribute of a plan or state: nil when it
// is unknown or null.
func loadDetails(ctx context.Context, get func(context.Context, path.Path, any) diag.Diagnostics) (map[string][]string, diag.Diagnostics) {
	var details types.Map
	diags := get(ctx, path.Root("details"), &details)
	if diags.HasError() || details.IsUnknown() || details.IsNull() {
		return nil, diags
	}
	m := map[string][]string{}
	diags.Append(details.ElementsAs(ctx, &m, false)...)
	return m, diags
}

// storeWithIdentity stores m in a CRUD answer's state, and its identity.
func (r *detailsResource) storeWithIdentity(ctx context.Context, state *tfsdk.State, id *tfsdk.ResourceIdentity, m detailsModel, diags *diag.Diagnostics) {
	diags.Append(r.store(ctx, state.SetAttribute, m)...)
	setIdentity(ctx, id, diags, r.api.idAttr, m.OwnerID.ValueString())
}

func (r *detailsResource) store(ctx context.Context, set func(context.Context, path.Path, any) diag.Diagnostics, m detailsModel) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.Append(set(ctx, path.Root("id"), m.OwnerID)...)
	diags.Append(set(ctx, path.Root(r.api.idAttr), m.OwnerID)...)
	diags.Append(set(ctx, path.Root("details"), m.Details)...)
	return diags
}

// sameValues compares values without regard to order.
func sameValues(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	sort.Strings(x)
	sort.Strings(y)
	return slices.Equal(x, y)
}

// detailProblemsLimit caps the problems checkDetails lists in one error.
const detailProblemsLimit = 4000

// checkDetails returns why the values cannot be written, naming the field:
// an unknown field, a value outside a SELECT's or MULTISELECT's options,
// several values in a single-value field.
func checkDetails(kind string, fields []jsm.DetailField, details map[string][]string) []string {
	var probs []string
	for _, name := range sortedMapKeys(details) {
		vals := details[name]
		f := findField(fields, name)
		switch {
		case f == nil:
			probs = append(probs, fmt.Sprintf("%q is not %s %s detail field of the site (its fields: %s)", name, article(kind), kind, fieldNames(fields)))
			continue
		case len(vals) > 1 && f.Type != "MULTISELECT":
			probs = append(probs, fmt.Sprintf("the field %q is of type %s and takes one value, not %d", name, f.Type, len(vals)))
		}
		if !jsm.TakesOptions(f.Type) {
			continue
		}
		for _, v := range vals {
			if !slices.Contains(f.Options, v) {
				probs = append(probs, fmt.Sprintf("%q is not an option of the %s field %q (options: %s)", v, f.Type, name, strings.Join(f.Options, ", ")))
			}
		}
	}
	return probs
}

func fieldNames(fields []jsm.DetailField) string {
	if len(fields) == 0 {
		return "none"
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

func sortedMapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// write sets every field whose values differ from before (nil: all) and
// clears the fields dropped from the map; it returns warnings for the
// clears the site refused.
func (r *detailsResource) write(ctx context.Context, id string, plan, before map[string][]string) (warnings []string, err error) {
	fields, err := r.client.ListDetailFields(ctx, r.api.details)
	if err != nil {
		return nil, err
	}
	if probs := checkDetails(r.api.kind, fields, plan); len(probs) > 0 {
		// The site's field names and options are the site's text.
		return nil, fmt.Errorf("%s", r.client.Clean(strings.Join(probs, "; "), detailProblemsLimit))
	}
	for _, name := range sortedMapKeys(plan) {
		if old, ok := before[name]; ok && sameValues(old, plan[name]) {
			continue
		}
		if err := r.client.SetDetail(ctx, r.api.details, id, name, plan[name]); err != nil {
			return warnings, fmt.Errorf("setting %q: %w", name, err)
		}
	}
	// A dropped key naming the field of a kept one (its letter case
	// changed, or the field was renamed so) must not clear what was just
	// written: keys are compared as the site resolves them.
	written := map[string]bool{}
	for name := range plan {
		if f := findField(fields, name); f != nil {
			written[f.Name] = true
		}
	}
	for _, name := range sortedMapKeys(before) {
		f := findField(fields, name)
		if _, kept := plan[name]; kept || len(before[name]) == 0 || f == nil || written[f.Name] {
			continue
		}
		if err := r.client.SetDetail(ctx, r.api.details, id, name, nil); err != nil {
			if jsm.StatusCode(err) != 400 {
				return warnings, fmt.Errorf("clearing %q: %w", name, err)
			}
			warnings = append(warnings, fmt.Sprintf("The site refused to clear %q (%v); its value was left as it is.", name, err))
		}
	}
	return warnings, nil
}

func (r *detailsResource) apply(ctx context.Context, m detailsModel, before map[string][]string, diags *diag.Diagnostics) bool {
	warnings, err := r.write(ctx, m.OwnerID.ValueString(), m.Details, before)
	for _, w := range warnings {
		diags.AddWarning("Detail value not cleared", w)
	}
	if err == nil && before == nil && len(m.Details) == 0 {
		// Nothing was written, so nothing proved that the object exists:
		// a missing one would leave the state at the next refresh, and
		// each apply would create it again.
		_, err = r.client.Details(ctx, r.api.details, m.OwnerID.ValueString())
	}
	if err != nil {
		msg := errorDetail(err)
		if jsm.IsCSMNotFound(err) {
			// The field listing answered, so the feature is on: say
			// whether the object is gone or refused.
			if gone, why, oerr := r.api.owner404(ctx, r.client, m.OwnerID.ValueString()); oerr == nil && gone {
				msg = fmt.Sprintf("The %s %s does not exist. %s", r.api.kind, m.OwnerID.ValueString(), msg)
			} else if why != "" {
				msg = why + "\n\n" + msg
			}
		}
		diags.AddAttributeError(path.Root("details"), fmt.Sprintf("Could not set the details of %s %s", r.api.kind, m.OwnerID.ValueString()), msg)
		return false
	}
	return true
}

func (r *detailsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, d := r.load(ctx, req.Plan.GetAttribute)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() || !r.apply(ctx, plan, nil, &resp.Diagnostics) {
		return
	}
	r.storeWithIdentity(ctx, &resp.State, resp.Identity, plan, &resp.Diagnostics)
}

func (r *detailsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, d := r.load(ctx, req.Plan.GetAttribute)
	resp.Diagnostics.Append(d...)
	state, d := r.load(ctx, req.State.GetAttribute)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() || !r.apply(ctx, plan, state.Details, &resp.Diagnostics) {
		return
	}
	r.storeWithIdentity(ctx, &resp.State, resp.Identity, plan, &resp.Diagnostics)
}

// Read refreshes the managed fields; a field without a value on the site
// reads as an empty list.
func (r *detailsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, d := r.load(ctx, req.State.GetAttribute)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.OwnerID.ValueString()
	// The identity is the state's ID, set first: the framework wants one
	// even for a resource the read removes (a CLI before 1.12 stores none).
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, r.api.idAttr, id)
	vals, err := r.client.Details(ctx, r.api.details, id)
	if jsm.IsNotFound(err) {
		r.confirm404(ctx, id, err, resp)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Could not read the details of %s %s", r.api.kind, id), errorDetail(err))
		return
	}
	state.Details = mergeDetails(state.Details, vals)
	resp.Diagnostics.Append(r.store(ctx, resp.State.SetAttribute, state)...)
}

// mergeDetails is what the site holds in the managed fields (all fields
// holding a value when managed is nil, after an import); a field without a
// value reads as empty.
func mergeDetails(managed map[string][]string, vals []jsm.DetailValue) map[string][]string {
	out := map[string][]string{}
	if managed == nil {
		managed = map[string][]string{}
		for _, v := range vals {
			managed[v.Name] = nil
		}
	}
	for name, old := range managed {
		got := []string{}
		for _, v := range vals {
			if sameFieldName(v.Name, name) {
				got = v.Values
			}
		}
		if sameValues(old, got) {
			got = old
		}
		out[name] = got
	}
	return out
}

// confirm404 decides details whose object answered 404 (err): they leave
// the state only when the feature answers (its field listing) and the JSM
// API confirms that the object is gone. A field listing that answers 404
// too means that the feature is off; an object that exists but is refused
// (an ineligible account) is an error naming the rule. Either way the
// details stay, so that nothing loops creating them.
func (r *detailsResource) confirm404(ctx context.Context, id string, err error, resp *resource.ReadResponse) {
	what := fmt.Sprintf("the details of %s %s", r.api.kind, id)
	listing := "the listing of " + r.api.kind + " detail fields (GET /" + r.api.kind + "/details)"
	if _, ferr := r.client.ListDetailFields(ctx, r.api.details); ferr != nil {
		if jsm.IsCSMNotFound(ferr) {
			addFeatureOff(&resp.Diagnostics, r.api.feature, what, listing, err)
		} else {
			addUnconfirmed(&resp.Diagnostics, what, listing, err, ferr)
		}
		return
	}
	gone, why, oerr := r.api.owner404(ctx, r.client, id)
	switch {
	case oerr != nil:
		addUnconfirmed(&resp.Diagnostics, what, "reading the "+r.api.kind+" from JSM", err, oerr)
	case gone:
		resp.Diagnostics.AddWarning("JSM "+r.api.kind+" no longer exists", fmt.Sprintf("%s %s %s; its details were removed from the state.",
			r.api.kind, id, r.api.noObject))
		resp.State.RemoveResource(ctx)
	default:
		addIneligible(&resp.Diagnostics, fmt.Sprintf("Could not read the details of %s %s", r.api.kind, id), why,
			"this jsm_"+r.api.kind+"_details")
	}
}

// Delete clears the managed fields.
func (r *detailsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, d := r.load(ctx, req.State.GetAttribute)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	warnings, err := r.write(ctx, state.OwnerID.ValueString(), map[string][]string{}, state.Details)
	for _, w := range warnings {
		resp.Diagnostics.AddWarning("Detail value not cleared", w)
	}
	// A 404: the object is gone or refused (nothing to clear), or the
	// feature is off (the field listing says which).
	err = confirmGone(&resp.Diagnostics, err, func() error { _, err := r.client.ListDetailFields(ctx, r.api.details); return err },
		r.api.feature, fmt.Sprintf("the details of %s %s", r.api.kind, state.OwnerID.ValueString()), "the listing of "+r.api.kind+" detail fields")
	if err != nil && !jsm.IsNotFound(err) {
		resp.Diagnostics.AddError(fmt.Sprintf("Could not clear the details of %s %s", r.api.kind, state.OwnerID.ValueString()), errorDetail(err))
	}
}

// ImportState takes the object's ID, or an identity; every field holding a
// value is then managed.
func (r *detailsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID = importID(ctx, req, &resp.Diagnostics, r.api.idAttr); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(r.api.idAttr), req.ID)...)
}

// IdentitySchema: the details of an object are that object's ID.
func (r *detailsResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(map[string]string{r.api.idAttr: "The " + r.api.idNoun + "."})
}
