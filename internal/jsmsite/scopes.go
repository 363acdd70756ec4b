package jsmsite

import (
	"net/http"
	"strings"
)

// RouteScopes are the granular OAuth 2.0 scopes each API route needs, as
// Atlassian's REST API references list them (the operation's "OAuth scopes
// required", granular form); a token must hold all of them. The site
// checks them for the tokens its token endpoint issues, when
// Config.ClientScopes says which scopes the client holds. Routes absent
// here (the site's own /__site/ operations, the token endpoint) need none.
var RouteScopes = map[string][]string{
	"POST /rest/servicedeskapi/customer":                                               {"read:customer:jira-service-management", "write:customer:jira-service-management", "read:user:jira"},
	"PUT /rest/servicedeskapi/customer/user/{accountId}/revoke-portal-only-access":     {"read:customer:jira-service-management", "write:customer:jira-service-management"},
	"GET /rest/api/3/user":                                                             {"read:application-role:jira", "read:group:jira", "read:user:jira", "read:avatar:jira"},
	"GET /rest/api/3/user/bulk":                                                        {"read:application-role:jira", "read:group:jira", "read:user:jira", "read:avatar:jira"},
	"GET /rest/api/3/user/search":                                                      {"read:user:jira", "read:user.property:jira", "read:application-role:jira", "read:avatar:jira", "read:group:jira"},
	"GET /rest/api/3/users/search":                                                     {"read:user:jira", "read:application-role:jira", "read:avatar:jira", "read:group:jira"},
	"GET /rest/servicedeskapi/organization":                                            {"read:organization:jira-service-management"},
	"POST /rest/servicedeskapi/organization":                                           {"read:organization:jira-service-management", "write:organization:jira-service-management"},
	"GET /rest/servicedeskapi/organization/{organizationId}":                           {"read:organization:jira-service-management"},
	"DELETE /rest/servicedeskapi/organization/{organizationId}":                        {"read:organization:jira-service-management", "delete:organization:jira-service-management"},
	"GET /rest/servicedeskapi/organization/{organizationId}/user":                      {"read:organization.user:jira-service-management", "read:user:jira"},
	"POST /rest/servicedeskapi/organization/{organizationId}/user":                     {"read:organization.user:jira-service-management", "write:organization.user:jira-service-management", "read:user:jira"},
	"DELETE /rest/servicedeskapi/organization/{organizationId}/user":                   {"read:organization.user:jira-service-management", "delete:organization.user:jira-service-management", "read:user:jira"},
	"GET /rest/servicedeskapi/organization/{organizationId}/property":                  {"read:organization.property:jira-service-management"},
	"GET /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}":    {"read:organization.property:jira-service-management"},
	"PUT /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}":    {"read:organization.property:jira-service-management", "write:organization.property:jira-service-management"},
	"DELETE /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}": {"read:organization.property:jira-service-management", "delete:organization.property:jira-service-management"},
	"GET /rest/servicedeskapi/servicedesk":                                             {"read:servicedesk:jira-service-management"},
	"GET /rest/servicedeskapi/servicedesk/{serviceDeskId}":                             {"read:servicedesk:jira-service-management"},
	"GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/customer":                    {"read:servicedesk.customer:jira-service-management", "read:user:jira"},
	"POST /rest/servicedeskapi/servicedesk/{serviceDeskId}/customer":                   {"read:servicedesk.customer:jira-service-management", "write:servicedesk.customer:jira-service-management"},
	"DELETE /rest/servicedeskapi/servicedesk/{serviceDeskId}/customer":                 {"read:servicedesk.customer:jira-service-management", "delete:servicedesk.customer:jira-service-management"},
	"GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/organization":                {"read:servicedesk.organization:jira-service-management"},
	"POST /rest/servicedeskapi/servicedesk/{serviceDeskId}/organization":               {"read:servicedesk.organization:jira-service-management", "write:servicedesk.organization:jira-service-management"},
	"DELETE /rest/servicedeskapi/servicedesk/{serviceDeskId}/organization":             {"read:servicedesk.organization:jira-service-management", "delete:servicedesk.organization:jira-service-management"},
	"GET /jsm/csm/cloudid/{cloudId}/api/v1/customer/details":                           {"read:customer.detail-field:jira-service-management"},
	"POST /jsm/csm/cloudid/{cloudId}/api/v1/customer/details":                          {"write:customer.detail-field:jira-service-management"},
	"PUT /jsm/csm/cloudid/{cloudId}/api/v1/customer/details/{fieldName}":               {"write:customer.detail-field:jira-service-management"},
	"DELETE /jsm/csm/cloudid/{cloudId}/api/v1/customer/details/{fieldName}":            {"delete:customer.detail-field:jira-service-management"},
	"GET /jsm/csm/cloudid/{cloudId}/api/v1/customer/{customerId}":                      {"read:customer:jira-service-management", "read:customer.detail:jira-service-management"},
	"PUT /jsm/csm/cloudid/{cloudId}/api/v1/customer/{customerId}/details":              {"write:customer.detail-field:jira-service-management", "write:customer.detail:jira-service-management"},
	"GET /jsm/csm/cloudid/{cloudId}/api/v1/organization/details":                       {"read:organization.detail-field:jira-service-management"},
	"POST /jsm/csm/cloudid/{cloudId}/api/v1/organization/details":                      {"write:organization.detail-field:jira-service-management"},
	"PUT /jsm/csm/cloudid/{cloudId}/api/v1/organization/details/{fieldName}":           {"write:organization.detail-field:jira-service-management"},
	"DELETE /jsm/csm/cloudid/{cloudId}/api/v1/organization/details/{fieldName}":        {"delete:organization.detail-field:jira-service-management"},
	"GET /jsm/csm/cloudid/{cloudId}/api/v1/organization/{organizationId}":              {"read:organization:jira-service-management", "read:organization.detail:jira-service-management"},
	"PUT /jsm/csm/cloudid/{cloudId}/api/v1/organization/{organizationId}/details":      {"write:organization.detail-field:jira-service-management", "write:organization.detail:jira-service-management"},
	"GET /jsm/csm/cloudid/{cloudId}/api/v1/product":                                    {"read:product:jira-service-management"},
	"POST /jsm/csm/cloudid/{cloudId}/api/v1/product":                                   {"write:product:jira-service-management"},
	"GET /jsm/csm/cloudid/{cloudId}/api/v1/product/{productId}":                        {"read:product:jira-service-management"},
	"PUT /jsm/csm/cloudid/{cloudId}/api/v1/product/{productId}":                        {"write:product:jira-service-management"},
	"DELETE /jsm/csm/cloudid/{cloudId}/api/v1/product/{productId}":                     {"delete:product:jira-service-management"},
	"GET /jsm/csm/cloudid/{cloudId}/api/v1/entitlement/details":                        {"read:entitlement.detail-field:jira-service-management"},
	"POST /jsm/csm/cloudid/{cloudId}/api/v1/entitlement/details":                       {"write:entitlement.detail-field:jira-service-management"},
	"PUT /jsm/csm/cloudid/{cloudId}/api/v1/entitlement/details/{fieldName}":            {"write:entitlement.detail-field:jira-service-management"},
	"DELETE /jsm/csm/cloudid/{cloudId}/api/v1/entitlement/details/{fieldName}":         {"delete:entitlement.detail-field:jira-service-management"},
	"POST /jsm/csm/cloudid/{cloudId}/api/v1/customer/{customerId}/entitlement":         {"write:customer:entitlement:jira-service-management"},
	"POST /jsm/csm/cloudid/{cloudId}/api/v1/organization/{organizationId}/entitlement": {"write:organization:entitlement:jira-service-management"},
	"GET /jsm/csm/cloudid/{cloudId}/api/v1/entitlement/{entitlementId}":                {"read:entitlement:jira-service-management", "read:entitlement.detail:jira-service-management"},
	"DELETE /jsm/csm/cloudid/{cloudId}/api/v1/entitlement/{entitlementId}":             {"delete:entitlement:jira-service-management"},
	"PUT /jsm/csm/cloudid/{cloudId}/api/v1/entitlement/{entitlementId}/details":        {"write:entitlement.detail-field:jira-service-management", "write:entitlement.detail:jira-service-management"},
	"GET /jsm/csm/cloudid/{cloudId}/api/v1/customer/{customerId}/entitlement":          {"read:entitlement:jira-service-management"},
	"GET /jsm/csm/cloudid/{cloudId}/api/v1/organization/{organizationId}/entitlement":  {"read:entitlement:jira-service-management"},
	// The customer account and organization operations: scopes not
	// documented; assumed to be those of the same names (internal/jsm/endpoints.go).
	"GET /jsm/csm/cloudid/{cloudId}/api/v1/customer/account/{customerId}":    {"read:customer:jira-service-management"},
	"PUT /jsm/csm/cloudid/{cloudId}/api/v1/customer/account/{customerId}":    {"write:customer:jira-service-management"},
	"DELETE /jsm/csm/cloudid/{cloudId}/api/v1/customer/account/{customerId}": {"delete:customer:jira-service-management"},
	"PUT /jsm/csm/cloudid/{cloudId}/api/v1/organization/{organizationId}":    {"write:organization:jira-service-management"},
	// Served by the site, not called by the provider: as GET /rest/api/3/user.
	"GET /rest/api/2/user":   {"read:application-role:jira", "read:group:jira", "read:user:jira", "read:avatar:jira"},
	"GET /rest/api/3/myself": {"read:application-role:jira", "read:group:jira", "read:user:jira", "read:avatar:jira"},
	// Atlassian's reference, "Get my permissions".
	"GET /rest/api/3/mypermissions": {"read:permission:jira"},
}

// missingScopes lists the scopes of route that granted lacks.
func missingScopes(route string, granted []string) []string {
	var missing []string
	for _, need := range RouteScopes[route] {
		found := false
		for _, g := range granted {
			if g == need {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, need)
		}
	}
	return missing
}

// requireScopes refuses, with 403, a call made with an issued token whose
// client lacks a scope of the route (Config.ClientScopes; nil: every scope).
func (s *Site) requireScopes(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.ClientScopes != nil {
			scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
			if ok && strings.EqualFold(scheme, "Bearer") && s.tokens.valid(strings.TrimSpace(token), s.now()) {
				if missing := missingScopes(route, s.cfg.ClientScopes); len(missing) > 0 {
					// The gateway refuses any operation so; the documents
					// do not list that 403 on each one.
					MarkFault(r)
					writeError(w, r, http.StatusForbidden, "rest.oauth.scope.missing",
						"The access token lacks the scopes this operation requires: "+strings.Join(missing, ", "))
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}
