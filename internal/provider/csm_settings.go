package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// csmAttributes are the provider settings of the Customer Service
// Management API, used only by the details, product and entitlement
// resources and data sources.
func csmAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"cloud_id": schema.StringAttribute{
			MarkdownDescription: "The site's cloud ID, for the Customer Service Management API (details, products, entitlements); rarely " +
				"needed, as the provider finds it itself. Defaults to the `" + envCloudID + "` environment variable.",
			Optional: true,
		},
		"csm_url": schema.StringAttribute{
			MarkdownDescription: "Overrides the whole base of the Customer Service Management API, " +
				"`" + jsm.DefaultCSMURL + "`; a `{cloudId}` in it is replaced by the cloud ID. For the local JSM site " +
				"and tests. Must use https, except for loopback hosts. Defaults to the `" + envCSMURL + "` environment variable.",
			Optional: true,
		},
	}
}

// validateCSM checks the CSM settings' form; whether they reach the API is
// only known on the first CSM call.
func (s settings) validateCSM() diag.Diagnostics {
	var diags diag.Diagnostics
	if s.cloudID != "" && !jsm.ValidCloudID(s.cloudID) {
		diags.AddAttributeError(path.Root("cloud_id"), "Invalid cloud ID",
			"The cloud ID from "+s.source("cloud_id", envCloudID)+" is not of the form of a cloud ID "+
				"(a UUID such as 2a927c94-363f-4977-a0d6-9477d535f329; see https://<your-site>.atlassian.net/_edge/tenant_info).")
	}
	if s.csmURL != "" {
		if err := jsm.ValidateCSMURL(s.csmURL); err != nil {
			diags.AddAttributeError(path.Root("csm_url"), "Invalid CSM API URL",
				"The URL from "+s.source("csm_url", envCSMURL)+" is invalid: "+err.Error())
		}
	}
	return diags
}
