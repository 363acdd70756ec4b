package jsmsite

import "net/http"

// registerRoutes installs the middlewares and registers every route of the
// site, in this one list. The /rest/ routes are the real API's; the
// /__site/ routes are out-of-band operations (outofband.go) that a real
// site does not have.
func (s *Site) registerRoutes() {
	// Middlewares, outermost first.
	s.registerFaults()      // faults and request counting (faults.go)
	s.registerProxyFaults() // a misbehaving proxy in front (proxyfaults.go)

	// The token endpoint of service accounts (oauth.go).
	s.routePublic(TokenPath, s.handleToken)

	s.route("GET /__site/stats", s.handleSiteStats)
	s.route("PUT /__site/faults", s.handleSiteFaults)

	// Customers and accounts (customers.go).
	s.route("POST /rest/servicedeskapi/customer", s.handleCreateCustomer)
	s.route("PUT /rest/servicedeskapi/customer/user/{accountId}/revoke-portal-only-access", s.handleRevokePortalAccess)
	s.route("GET /rest/api/3/user", s.handleGetUser)
	s.route("GET /rest/api/2/user", s.handleGetUser) // what UserDTO._links point at
	s.route("GET /rest/api/3/user/search", s.handleSearchUsers)
	s.route("GET /rest/api/3/users/search", s.handleAllUsers)
	s.route("GET /rest/api/3/user/bulk", s.handleBulkUsers) // bulk.go
	s.route("GET /rest/api/3/myself", s.handleMyself)
	s.route("GET /rest/api/3/mypermissions", s.handleMyPermissions)

	// Organizations (organization_handlers.go, organization_properties.go).
	s.route("GET /rest/servicedeskapi/organization", s.handleListOrganizations)
	s.route("POST /rest/servicedeskapi/organization", s.handleCreateOrganization)
	s.route("GET /rest/servicedeskapi/organization/{organizationId}", s.handleGetOrganization)
	s.route("DELETE /rest/servicedeskapi/organization/{organizationId}", s.handleDeleteOrganization)
	s.route("GET /rest/servicedeskapi/organization/{organizationId}/user", s.handleListOrganizationUsers)
	s.route("POST /rest/servicedeskapi/organization/{organizationId}/user", s.handleOrganizationUsers(true))
	s.route("DELETE /rest/servicedeskapi/organization/{organizationId}/user", s.handleOrganizationUsers(false))
	s.route("GET /rest/servicedeskapi/organization/{organizationId}/property", s.handleListOrganizationProperties)
	s.route("GET /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}", s.handleGetOrganizationProperty)
	s.route("PUT /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}", s.handlePutOrganizationProperty)
	s.route("DELETE /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}", s.handleDeleteOrganizationProperty)

	// Service desks (servicedesks.go).
	s.route("GET /rest/servicedeskapi/servicedesk", s.handleListServiceDesks)
	s.route("GET /rest/servicedeskapi/servicedesk/{serviceDeskId}", s.handleGetServiceDesk)
	s.route("GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/customer", s.handleListDeskCustomers)
	s.route("POST /rest/servicedeskapi/servicedesk/{serviceDeskId}/customer", s.handleDeskCustomers(true))
	s.route("DELETE /rest/servicedeskapi/servicedesk/{serviceDeskId}/customer", s.handleDeskCustomers(false))
	s.route("GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/organization", s.handleListDeskOrganizations)
	s.route("POST /rest/servicedeskapi/servicedesk/{serviceDeskId}/organization", s.handleDeskOrganization(true))
	s.route("DELETE /rest/servicedeskapi/servicedesk/{serviceDeskId}/organization", s.handleDeskOrganization(false))

	// The Customer Service Management API and /_edge/tenant_info (csm.go).
	s.registerCSMRoutes()

	// Out-of-band operations (outofband.go): what an admin does in the
	// Atlassian UI, for the demo, the standalone binary and the tests.
	s.route("GET /__site/organizations", s.handleSiteListOrganizations)
	s.route("GET /__site/servicedesks", s.handleSiteListServiceDesks)
	s.route("PATCH /__site/servicedesks/{id}", s.handleSitePatchServiceDesk)
	s.route("GET /__site/accounts", s.handleSiteListAccounts)
	s.route("POST /__site/accounts", s.handleSiteAddAccount)
	s.route("GET /__site/accounts/{id}", s.handleSiteGetAccount)
	s.route("PATCH /__site/accounts/{id}", s.handleSitePatchAccount)
	s.route("DELETE /__site/accounts/{id}", s.handleSiteDeleteAccount)
	s.route("PUT /__site/account-answers", s.handleSiteAccountAnswers)

	// Catch-all: the most general pattern, so it also takes method
	// mismatches that ServeMux would otherwise answer with a bare 405.
	s.routes = append(s.routes, RouteNotFound)
	s.mux.Handle("/", s.wrap(RouteNotFound, func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusNotFound, "rest.resource.not.found",
			"No resource matches "+r.Method+" "+r.URL.Path+".")
	}))
}
