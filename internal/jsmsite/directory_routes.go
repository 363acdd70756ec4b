package jsmsite

// registerDirectoryRoutes registers the organization and service desk
// routes; called from registerRoutes.
func (s *Site) registerDirectoryRoutes() {
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

	s.route("GET /rest/servicedeskapi/servicedesk", s.handleListServiceDesks)
	s.route("GET /rest/servicedeskapi/servicedesk/{serviceDeskId}", s.handleGetServiceDesk)
	s.route("GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/customer", s.handleListDeskCustomers)
	s.route("POST /rest/servicedeskapi/servicedesk/{serviceDeskId}/customer", s.handleDeskCustomers(true))
	s.route("DELETE /rest/servicedeskapi/servicedesk/{serviceDeskId}/customer", s.handleDeskCustomers(false))
	s.route("GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/organization", s.handleListDeskOrganizations)
	s.route("POST /rest/servicedeskapi/servicedesk/{serviceDeskId}/organization", s.handleDeskOrganization(true))
	s.route("DELETE /rest/servicedeskapi/servicedesk/{serviceDeskId}/organization", s.handleDeskOrganization(false))

	s.route("GET /__site/organizations", s.handleSiteListOrganizations)
	s.route("GET /__site/servicedesks", s.handleSiteListServiceDesks)
	s.route("PATCH /__site/servicedesks/{id}", s.handleSitePatchServiceDesk)
}
