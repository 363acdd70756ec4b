package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

var _ datasource.DataSourceWithConfigure = &serviceDeskDataSource{}

// NewServiceDeskDataSource returns the jsm_service_desk data source.
func NewServiceDeskDataSource() datasource.DataSource { return &serviceDeskDataSource{} }

type serviceDeskDataSource struct{ client *jsm.Client }

type serviceDeskModel struct {
	ID          types.String `tfsdk:"id"`
	ProjectID   types.String `tfsdk:"project_id"`
	ProjectKey  types.String `tfsdk:"project_key"`
	ProjectName types.String `tfsdk:"project_name"`
}

func (d *serviceDeskDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_desk"
}

// apiCalls declares the client calls it makes (permissions.go).
func (*serviceDeskDataSource) apiCalls() apiCalls {
	return calls("GetServiceDesk", "ServiceDesks")
}

func (d *serviceDeskDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	oneKey := stringvalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("project_key"), path.MatchRoot("project_name"))
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up a service desk by its ID, its project key or its project name, typically to get the " +
			"`id` that `jsm_service_desk_customers` and `jsm_service_desk_organization` take. A desk not found is an error " +
			"that lists the desks the site has.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The service desk ID to look up, or the one found. Exactly one of `id`, `project_key` and " +
					"`project_name` must be set.",
				Optional:   true,
				Computed:   true,
				Validators: append(serviceDeskIDValidators(), oneKey),
			},
			"project_key": schema.StringAttribute{
				MarkdownDescription: "The key of the service desk's Jira project to look up (e.g. `IT`), or the one found.",
				Optional:            true,
				Computed:            true,
				Validators: []validator.String{oneKey, stringvalidator.RegexMatches(projectKeyRegexp,
					"must be a Jira project key: an uppercase letter followed by uppercase letters, digits or underscores")},
			},
			"project_id": schema.StringAttribute{MarkdownDescription: "The ID of the service desk's Jira project.", Computed: true},
			"project_name": schema.StringAttribute{
				MarkdownDescription: "The name of the service desk's Jira project to look up (e.g. `IT Support`, letter case " +
					"aside), or the one found.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{oneKey, stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (d *serviceDeskDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *serviceDeskDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m serviceDeskModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var desk *jsm.ServiceDesk
	var err error
	key := m.ID.ValueString()
	switch {
	case !m.ProjectName.IsNull():
		key = fmt.Sprintf("named %q", m.ProjectName.ValueString())
		desk, err = d.deskNamed(ctx, m.ProjectName.ValueString())
	case m.ID.IsNull():
		key = m.ProjectKey.ValueString()
		fallthrough
	default:
		desk, err = d.client.GetServiceDesk(ctx, key)
	}
	if err != nil {
		detail := errorDetail(err)
		if jsm.IsNotFound(err) || errors.Is(err, errNoSuchDesk) {
			detail += d.knownDesks(ctx)
		}
		resp.Diagnostics.AddError("Could not find the service desk", "Service desk "+key+":\n"+detail)
		return
	}
	if !m.ProjectKey.IsNull() && !strings.EqualFold(desk.ProjectKey, m.ProjectKey.ValueString()) {
		resp.Diagnostics.AddError("Could not find the service desk",
			fmt.Sprintf("Service desk %s: JSM answered with the desk of project %s.", key, desk.ProjectKey))
		return
	}
	m = serviceDeskModel{
		ID: types.StringValue(desk.ID), ProjectID: types.StringValue(desk.ProjectID),
		ProjectKey: types.StringValue(desk.ProjectKey), ProjectName: types.StringValue(desk.ProjectName),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// errNoSuchDesk: no desk's project has the name looked up.
var errNoSuchDesk = errors.New("no service desk's project has this name")

// deskNamed finds the one desk whose project is named name, letter case
// aside, in the site's listing.
func (d *serviceDeskDataSource) deskNamed(ctx context.Context, name string) (*jsm.ServiceDesk, error) {
	desks, err := d.client.ServiceDesks(ctx)
	if err != nil {
		return nil, err
	}
	var found []jsm.ServiceDesk
	for _, desk := range desks {
		if strings.EqualFold(desk.ProjectName, name) {
			found = append(found, desk)
		}
	}
	switch len(found) {
	case 0:
		return nil, errNoSuchDesk
	case 1:
		return &found[0], nil
	}
	return nil, fmt.Errorf("%d service desks' projects are named %q (%s): look the desk up by project_key or id",
		len(found), name, deskList(found))
}

// knownDesks names the site's desks, for an error that found none; ""
// when they cannot be listed.
func (d *serviceDeskDataSource) knownDesks(ctx context.Context) string {
	desks, err := d.client.ServiceDesks(ctx)
	if err != nil || len(desks) == 0 {
		return ""
	}
	return "\n\nThe site's service desks (project key, name, desk ID): " + deskList(desks) + "."
}

// maxListedDesks bounds the desks an error lists; the rest are counted.
const maxListedDesks = 30

// deskList names desks as "IT \"IT Support\" (1)", comma-separated.
func deskList(desks []jsm.ServiceDesk) string {
	var parts []string
	for i, desk := range desks {
		if i == maxListedDesks {
			parts = append(parts, fmt.Sprintf("and %d more", len(desks)-i))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %q (%s)", desk.ProjectKey, desk.ProjectName, desk.ID))
	}
	return strings.Join(parts, ", ")
}
