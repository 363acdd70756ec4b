package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// fieldAPI is one family of detail fields: the jsm_<kind>_detail_field
// resource and the jsm_<kind>_detail_fields data source.
type fieldAPI struct {
	kind      string // "customer", "organization" or "entitlement"
	details   *jsm.DetailKind
	feature   string // the JSM feature, as project settings name it
	valuesVia string // the resource that sets values
}

var (
	customerFieldAPI = fieldAPI{kind: "customer", details: jsm.CustomerDetails, //nolint:gochecknoglobals // a read-only table
		feature: "Customer and organization profiles", valuesVia: "`jsm_customer_details`"}
	organizationFieldAPI = fieldAPI{kind: "organization", details: jsm.OrganizationDetails, //nolint:gochecknoglobals // a read-only table
		feature: "Customer and organization profiles", valuesVia: "`jsm_organization_details`"}
	entitlementFieldAPI = fieldAPI{kind: "entitlement", details: jsm.EntitlementDetails, //nolint:gochecknoglobals // a read-only table
		feature: "Products and entitlements", valuesVia: "`jsm_entitlement`'s `details`"}
)

// NewCustomerDetailFieldResource returns the jsm_customer_detail_field resource.
func NewCustomerDetailFieldResource() resource.Resource {
	return &detailFieldResource{api: customerFieldAPI}
}

// NewOrganizationDetailFieldResource returns the jsm_organization_detail_field resource.
func NewOrganizationDetailFieldResource() resource.Resource {
	return &detailFieldResource{api: organizationFieldAPI}
}

// NewEntitlementDetailFieldResource returns the jsm_entitlement_detail_field resource.
func NewEntitlementDetailFieldResource() resource.Resource {
	return &detailFieldResource{api: entitlementFieldAPI}
}

var (
	_ resource.ResourceWithConfigure      = &detailFieldResource{}
	_ resource.ResourceWithImportState    = &detailFieldResource{}
	_ resource.ResourceWithModifyPlan     = &detailFieldResource{}
	_ resource.ResourceWithValidateConfig = &detailFieldResource{}
	_ resource.ResourceWithIdentity       = &detailFieldResource{}
)

type detailFieldResource struct {
	api    fieldAPI
	client *jsm.Client
	run    *runState // this configuration\'s record of the run
}

type detailFieldModel struct {
	ID       types.String `tfsdk:"id"`
	Name     types.String `tfsdk:"name"`
	Type     types.String `tfsdk:"type"`
	Options  types.List   `tfsdk:"options"`
	Position types.Int64  `tfsdk:"position"`
}

func (r *detailFieldResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.api.kind + "_detail_field"
	// The API names a field by its name, which a rename changes in place.
	resp.ResourceBehavior.MutableIdentity = true
}

// apiCalls declares the client calls it makes (permissions.go).
func (r *detailFieldResource) apiCalls() apiCalls {
	return apiCalls{details: r.api.details, methods: []string{"ListDetailFields", "CreateDetailField", "EditDetailField", "DeleteDetailField"}}
}

// fieldTypeName is the form of a field type's API name; the names the
// provider knows are jsm.DetailFieldTypes, but a site can hold fields of
// others (the phone type's name is not documented).
var fieldTypeName = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,63}$`)

// trimmedName: the API trims names before comparing them.
var trimmedName = regexp.MustCompile(`(?s)^\S(.*\S)?$`)

func (r *detailFieldResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	k := r.api.kind
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf(capitalize(article(k))+" %[1]s detail field: a site-wide field that every %[1]s can hold a value in "+
			"(JSM's \"%[2]s\" feature). Set values with %[3]s.", k, r.api.feature, r.api.valuesVia),
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The field's name (the API addresses fields by name).",
				Computed:            true,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The field's name, unique among the site's " + k + " detail fields (ignoring letter case). " +
					"Changing it renames the field in place; its values stay. The API addresses a field by its name in the URL " +
					"path, so the name must not be `.` or `..`, contain `/` or `\\`, or contain control characters.",
				Required: true,
				Validators: []validator.String{
					stringvalidator.LengthBetween(1, 255),
					stringvalidator.RegexMatches(trimmedName, "must not start or end with white space"),
					detailFieldNameValidator,
				},
			},
			"type": schema.StringAttribute{
				MarkdownDescription: "The field's type: one of `" + strings.Join(jsm.DetailFieldTypes, "`, `") + "`. " +
					"Changing it **replaces the field, deleting its values**.",
				Required:      true,
				Validators:    []validator.String{stringvalidator.RegexMatches(fieldTypeName, "must be a type name in capitals, e.g. TEXT or SELECT")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"options": schema.ListAttribute{
				MarkdownDescription: fmt.Sprintf("The choices of a `SELECT` or `MULTISELECT` field, in display order (at most %d, unique); "+
					"other types take none. Changed in place. Values already stored that are no longer an option are left to the site.",
					jsm.MaxDetailOptions),
				Optional:    true,
				ElementType: types.StringType,
				Validators: []validator.List{
					listvalidator.SizeAtMost(jsm.MaxDetailOptions),
					listvalidator.UniqueValues(),
					listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
				},
			},
			"position": schema.Int64Attribute{
				MarkdownDescription: "The field's display position, as the site reports it.",
				Computed:            true,
			},
		},
	}
}

func (r *detailFieldResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client, r.run = configured(req.ProviderData, &resp.Diagnostics)
}

func (r *detailFieldResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg detailFieldModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || cfg.Type.IsUnknown() || cfg.Type.IsNull() {
		return
	}
	if t := cfg.Type.ValueString(); !slices.Contains(jsm.DetailFieldTypes, t) && fieldTypeName.MatchString(t) {
		resp.Diagnostics.AddAttributeWarning(path.Root("type"), "Detail field type the provider does not know",
			fmt.Sprintf("%s is not among the types the provider knows (%s). It is sent and compared as written: right for a field "+
				"imported with this type as the site names it (such as JSM's phone number type, whose API name Atlassian does not "+
				"document); a new field of a type the site does not know is refused by the site. Values of such a field are "+
				"checked by the site alone (one value each).", t, strings.Join(jsm.DetailFieldTypes, ", ")))
	}
	if !jsm.TakesOptions(cfg.Type.ValueString()) && !cfg.Options.IsNull() && !cfg.Options.IsUnknown() {
		resp.Diagnostics.AddAttributeError(path.Root("options"), "Options on a field without choices",
			fmt.Sprintf("Only SELECT and MULTISELECT fields take options; this field's type is %s. Remove options, or change the type.",
				cfg.Type.ValueString()))
	}
}

// ModifyPlan keeps id equal to the name, and at create checks the site's
// field limit, so that a 51st field fails at plan time. A field of the same
// name that exists already is left to the apply: Terraform plans the create
// half of a replacement while the old field still exists.
func (r *detailFieldResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan detailFieldModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.Name.IsUnknown() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), plan.Name)...)
	}
	if r.client != nil {
		// The details planned after this field check their keys and
		// values against what it will be (field_plans.go).
		if plan.Name.IsUnknown() {
			r.run.fields.recordUnnamed(r.api.kind)
		} else {
			f, err := plan.field(ctx)
			r.run.fields.record(r.api.kind, plannedField{field: f,
				optionsUnknown: plan.Type.IsUnknown() || plan.Options.IsUnknown() || err != nil})
		}
	}
	listFields := func(ctx context.Context) error {
		_, err := r.client.ListDetailFields(ctx, r.api.details)
		return err
	}
	if !checkCSMServiceAccount(ctx, r.client, r.run, listFields, &resp.Diagnostics) {
		return
	}
	if !req.State.Raw.IsNull() || r.client == nil || plan.Name.IsUnknown() {
		return
	}
	fields, err := r.client.ListDetailFields(ctx, r.api.details)
	if err != nil {
		resp.Diagnostics.AddError("Could not list the site's "+r.api.kind+" detail fields", errorDetail(err))
		return
	}
	if findField(fields, plan.Name.ValueString()) == nil && len(fields) >= jsm.MaxDetailFields {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Too many detail fields",
			fmt.Sprintf("The site already has %d %s detail fields, the most it allows: remove one before adding %q.",
				len(fields), r.api.kind, plan.Name.ValueString()))
	}
}

// findField finds a field by name: exactly, else ignoring letter case and
// surrounding spaces (the API's own comparison).
func findField(fields []jsm.DetailField, name string) *jsm.DetailField {
	for i := range fields {
		if fields[i].Name == name {
			return &fields[i]
		}
	}
	for i := range fields {
		if sameFieldName(fields[i].Name, name) {
			return &fields[i]
		}
	}
	return nil
}

// sameFieldName reports whether two names address the same field, as the
// API compares them: ignoring letter case and surrounding spaces.
func sameFieldName(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

func (m *detailFieldModel) field(ctx context.Context) (jsm.DetailField, error) {
	f := jsm.DetailField{Name: m.Name.ValueString(), Type: m.Type.ValueString()}
	if !m.Options.IsNull() {
		if d := m.Options.ElementsAs(ctx, &f.Options, false); d.HasError() {
			return f, fmt.Errorf("reading options: %v", d)
		}
	}
	return f, nil
}

// set copies what the site holds into the model; options stay null for a
// field without choices, or when the configuration sets none and the site
// holds none.
func (m *detailFieldModel) set(f jsm.DetailField) {
	m.ID, m.Name, m.Type = types.StringValue(f.Name), types.StringValue(f.Name), types.StringValue(f.Type)
	if m.Position.IsUnknown() || f.Position != 0 {
		m.Position = types.Int64Value(f.Position)
	}
	if len(f.Options) == 0 && m.Options.IsNull() {
		return
	}
	m.Options = stringList(f.Options)
}

func stringList(vals []string) types.List {
	elems := make([]attr.Value, len(vals))
	for i, v := range vals {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}

func (r *detailFieldResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan detailFieldModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	f, err := plan.field(ctx)
	if err == nil {
		if _, err = r.client.CreateDetailField(ctx, r.api.details, f); err == nil {
			err = r.refresh(ctx, &plan)
		}
	}
	if err != nil {
		msg := errorDetail(err)
		if jsm.StatusCode(err) == 400 && strings.Contains(msg, "exists") {
			// The site's field may differ in letter case or spaces: the
			// import takes its name as the site spells it.
			name := f.Name
			if fields, lerr := r.client.ListDetailFields(ctx, r.api.details); lerr == nil {
				if existing := findField(fields, f.Name); existing != nil {
					name = existing.Name
				}
			}
			msg = strings.TrimRight(msg, ".") + ". To manage the existing field, import it:" + importBlock(name)
		}
		resp.Diagnostics.AddError(fmt.Sprintf("Could not create the %s detail field %q", r.api.kind, f.Name), msg)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, "name", plan.Name.ValueString())
}

// refresh reads the field named as in m back (create answers no position).
func (r *detailFieldResource) refresh(ctx context.Context, m *detailFieldModel) error {
	fields, err := r.client.ListDetailFields(ctx, r.api.details)
	if err != nil {
		return err
	}
	f := findField(fields, m.Name.ValueString())
	if f == nil {
		return fmt.Errorf("the field %q is not among the site's %s detail fields: %w", m.Name.ValueString(), r.api.kind, jsm.ErrNotFound)
	}
	m.set(*f)
	return nil
}

func (r *detailFieldResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state detailFieldModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The identity is the state's name, set first: the framework wants one
	// even for a resource the read removes (a CLI before 1.12 stores none).
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, "name", state.Name.ValueString())
	err := r.refresh(ctx, &state)
	if jsm.IsCSMNotFound(err) {
		// The listing itself answers 404: the feature is off, which
		// proves nothing about the field (csm_refresh.go).
		addFeatureOff(&resp.Diagnostics, r.api.feature, fmt.Sprintf("the %s detail field %q", r.api.kind, state.Name.ValueString()),
			"the listing of "+r.api.kind+" detail fields (GET /"+r.api.kind+"/details)", err)
		return
	}
	if jsm.IsNotFound(err) {
		resp.Diagnostics.AddWarning("JSM detail field no longer exists",
			err.Error()+"; it was removed from the state, and the next apply creates it again (without the values it held).")
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Could not read the %s detail field %q", r.api.kind, state.Name.ValueString()), errorDetail(err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	// The site's spelling: it finds names ignoring letter case.
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, "name", state.Name.ValueString())
}

// Update renames the field and/or replaces its options, in one call on its
// current name.
func (r *detailFieldResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state detailFieldModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	f, err := plan.field(ctx)
	if err == nil {
		if _, err = r.client.EditDetailField(ctx, r.api.details, state.Name.ValueString(), f); err == nil {
			plan.Position = state.Position
			err = r.refresh(ctx, &plan)
		}
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Could not update the %s detail field %q", r.api.kind, state.Name.ValueString()), errorDetail(err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, "name", plan.Name.ValueString())
}

func (r *detailFieldResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state detailFieldModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.client.DeleteDetailField(ctx, r.api.details, state.Name.ValueString())
	err = confirmGone(&resp.Diagnostics, err, func() error { _, err := r.client.ListDetailFields(ctx, r.api.details); return err },
		r.api.feature, fmt.Sprintf("the %s detail field %q", r.api.kind, state.Name.ValueString()), "the listing of "+r.api.kind+" detail fields")
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Could not delete the %s detail field %q", r.api.kind, state.Name.ValueString()), errorDetail(err))
	}
}

// ImportState takes the field's name, or an identity.
func (r *detailFieldResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID = importID(ctx, req, &resp.Diagnostics, "name"); resp.Diagnostics.HasError() {
		return
	}
	if strings.TrimSpace(req.ID) == "" {
		resp.Diagnostics.AddError("Invalid import ID", "Import a detail field by its name, e.g. Region.")
		return
	}
	if msg := jsm.CheckDetailFieldName(req.ID); msg != "" {
		resp.Diagnostics.AddError("Invalid import ID", msg+". The provider cannot manage such a field: "+segmentWhy+
			". Rename it in JSM first, then import it by its new name.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), req.ID)...)
}

// IdentitySchema: the API addresses a field by its name (a rename changes
// the identity: MutableIdentity in Metadata).
func (r *detailFieldResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(map[string]string{"name": "The field's name, e.g. \"Region\"; renaming the field changes it."})
}

// article is "an" before a vowel sound ("an organization", "an entitlement"),
// else "a".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
