package provider

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// settings is the provider configuration after HCL and the environment are
// merged: a non-empty value in HCL wins over its environment variable.
type settings struct {
	url, email, apiToken, accessToken string
	clientID, clientSecret, tokenURL  string // a service account (OAuth 2.0 client credentials)
	cloudID, csmURL                   string // the CSM API (csm_settings.go)
	// fromEnv records which attributes came from the environment, so errors
	// name the variable the user actually set.
	fromEnv map[string]bool
}

func resolveSettings(cfg providerModel, getenv func(string) string) settings {
	s := settings{fromEnv: map[string]bool{}}
	// An empty string counts as unset, so that `api_token = var.token`
	// with an empty default leaves the environment variable in charge.
	pick := func(attr string, v types.String, env string) string {
		if v.ValueString() != "" {
			return v.ValueString()
		}
		if e := getenv(env); e != "" {
			s.fromEnv[attr] = true
			return e
		}
		return ""
	}
	s.url = pick("url", cfg.URL, envURL)
	s.email = pick("email", cfg.Email, envEmail)
	s.apiToken = pick("api_token", cfg.APIToken, envAPIToken)
	s.accessToken = pick("access_token", cfg.AccessToken, envAccessToken)
	s.clientID = pick("client_id", cfg.ClientID, envClientID)
	s.clientSecret = pick("client_secret", cfg.ClientSecret, envClientSecret)
	s.tokenURL = pick("oauth_token_url", cfg.OAuthTokenURL, envOAuthTokenURL)
	s.cloudID = pick("cloud_id", cfg.CloudID, envCloudID)
	s.csmURL = pick("csm_url", cfg.CSMURL, envCSMURL)
	return s
}

// source names where an attribute's value came from, for error messages.
func (s settings) source(attr, env string) string {
	if s.fromEnv[attr] {
		return "the " + env + " environment variable"
	}
	return "the provider's " + attr + " attribute"
}

// validate reports every missing or contradictory setting at once.
func (s settings) validate() diag.Diagnostics {
	var diags diag.Diagnostics
	if s.url == "" {
		diags.AddAttributeError(path.Root("url"), "Missing JSM site URL",
			"Set the provider's url attribute or the "+envURL+" environment variable to your site, "+
				"e.g. https://your-domain.atlassian.net (or https://api.atlassian.com/ex/jira/<cloudId> for OAuth and scoped tokens).")
	} else if _, err := jsm.ValidateSiteURL(s.url); err != nil {
		diags.AddAttributeError(path.Root("url"), "Invalid JSM site URL",
			"The URL from "+s.source("url", envURL)+" is invalid: "+err.Error())
	}

	diags.Append(s.validateCSM()...)

	if s.tokenURL != "" {
		if err := jsm.ValidateTokenURL(s.tokenURL); err != nil {
			diags.AddAttributeError(path.Root("oauth_token_url"), "Invalid OAuth token URL",
				"The URL from "+s.source("oauth_token_url", envOAuthTokenURL)+" is invalid: "+err.Error())
		}
	}

	basic := s.email != "" || s.apiToken != ""
	clientCreds := s.clientID != "" || s.clientSecret != ""
	if clientCreds {
		var others []string
		if s.email != "" {
			others = append(others, s.source("email", envEmail))
		}
		if s.apiToken != "" {
			others = append(others, s.source("api_token", envAPIToken))
		}
		if s.accessToken != "" {
			others = append(others, s.source("access_token", envAccessToken))
		}
		mine := s.source("client_id", envClientID)
		if s.clientID == "" {
			mine = s.source("client_secret", envClientSecret)
		}
		switch {
		case len(others) > 0:
			diags.AddAttributeError(path.Root("client_id"), "Conflicting authentication settings",
				"A service account's client credentials ("+mine+") and another credential ("+strings.Join(others, ", ")+
					") are set. Use one kind only: client_id with client_secret ("+envClientID+", "+envClientSecret+
					"), email with api_token, or access_token: unset the others.")
		case s.clientSecret == "":
			diags.AddAttributeError(path.Root("client_secret"), "Missing client secret",
				"client_id is set (by "+mine+") but client_secret is not: set the provider's client_secret attribute or the "+
					envClientSecret+" environment variable to the secret of the service account's OAuth 2.0 credential.")
		case s.clientID == "":
			diags.AddAttributeError(path.Root("client_id"), "Missing client ID",
				"client_secret is set (by "+mine+") but client_id is not: set the provider's client_id attribute or the "+
					envClientID+" environment variable to the client ID of the service account's OAuth 2.0 credential.")
		}
		return diags
	}
	switch {
	case basic && s.accessToken != "":
		diags.AddAttributeError(path.Root("access_token"), "Conflicting authentication settings",
			"Both basic auth ("+s.source("email", envEmail)+" / "+s.source("api_token", envAPIToken)+") and an access token ("+
				s.source("access_token", envAccessToken)+") are set. Use either email with api_token "+
				"("+envEmail+", "+envAPIToken+") or access_token ("+envAccessToken+"), not both: unset one of them.")
	case s.accessToken != "":
	case s.email != "" && s.apiToken == "":
		diags.AddAttributeError(path.Root("api_token"), "Missing API token",
			"email is set but api_token is not: set the provider's api_token attribute or the "+envAPIToken+" environment variable.")
	case s.email == "" && s.apiToken != "":
		diags.AddAttributeError(path.Root("email"), "Missing email",
			"api_token is set but email is not: set the provider's email attribute or the "+envEmail+
				" environment variable to the email of the account that owns the token.")
	case !basic:
		diags.AddError("Missing credentials",
			"No credentials are configured. Set email and api_token (or "+envEmail+" and "+envAPIToken+
				") for basic auth, access_token (or "+envAccessToken+") for an OAuth 2.0 bearer token, or client_id and "+
				"client_secret (or "+envClientID+" and "+envClientSecret+") for a service account.")
	}
	return diags
}
