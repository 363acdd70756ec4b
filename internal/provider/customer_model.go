package provider

import (
	"context"
	"reflect"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// linksAttrTypes is the object type of the links attribute.
var linksAttrTypes = map[string]attr.Type{ //nolint:gochecknoglobals // a read-only table
	"self":        types.StringType,
	"jira_rest":   types.StringType,
	"avatar_urls": types.MapType{ElemType: types.StringType},
}

// customerAccount holds the attributes the resource and the data source share,
// all read from the API.
type customerAccount struct {
	ID          types.String `tfsdk:"id"`
	AccountID   types.String `tfsdk:"account_id"`
	AccountType types.String `tfsdk:"account_type"`
	Email       types.String `tfsdk:"email"`
	DisplayName types.String `tfsdk:"display_name"`
	Active      types.Bool   `tfsdk:"active"`
	TimeZone    types.String `tfsdk:"time_zone"`
	Links       types.Object `tfsdk:"links"`
}

// setFromUser copies what the API said of u. The email is kept when the API
// hides it (privacy settings) or differs only in letter case.
func (m *customerAccount) setFromUser(ctx context.Context, u *jsm.User) diag.Diagnostics {
	m.ID = types.StringValue(u.AccountID)
	m.AccountID = types.StringValue(u.AccountID)
	m.AccountType = types.StringValue(u.AccountType)
	if u.Email != "" && !equalFoldString(m.Email, u.Email) {
		m.Email = types.StringValue(u.Email)
	}
	m.DisplayName = types.StringValue(u.DisplayName)
	m.Active = types.BoolValue(u.Active)
	m.TimeZone = stringOrNull(u.TimeZone)

	avatars, diags := types.MapValueFrom(ctx, types.StringType, u.Links.AvatarURLs)
	if u.Links.AvatarURLs == nil {
		avatars = types.MapNull(types.StringType)
	}
	links, d := types.ObjectValue(linksAttrTypes, map[string]attr.Value{
		"self":        stringOrNull(u.Links.Self),
		"jira_rest":   stringOrNull(u.Links.JiraRest),
		"avatar_urls": avatars,
	})
	diags.Append(d...)
	m.Links = links
	return diags
}

// equal reports whether every attribute of m equals o's.
func (m customerAccount) equal(o customerAccount) bool {
	a, b := reflect.ValueOf(m), reflect.ValueOf(o)
	for i := range a.NumField() {
		x, _ := a.Field(i).Interface().(attr.Value)
		y, _ := b.Field(i).Interface().(attr.Value)
		if x == nil || !x.Equal(y) {
			return false
		}
	}
	return true
}

func equalFoldString(v types.String, s string) bool {
	return !v.IsNull() && !v.IsUnknown() && strings.EqualFold(v.ValueString(), s)
}

func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
