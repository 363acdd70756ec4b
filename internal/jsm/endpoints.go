package jsm

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Endpoint is one documented operation the client calls: its method, its
// path pattern with {variable} segments, and what the caller needs to be
// allowed to call it, as the official OpenAPI specs state (the operation's
// description, its security block and x-atlassian-oauth2-scopes).
type Endpoint struct {
	Method  string
	Pattern string
	// Permission is the Jira permission the spec names.
	Permission string
	// Scope is the classic OAuth 2.0 scope; Granular the granular ones, all
	// of which a granular token needs.
	Scope    string
	Granular []string
	// Base is the path of the API base the pattern is relative to, shown in
	// Name: "" for the site, csmPrefix for the CSM API (csm.go).
	Base string
	// feature is the JSM feature a CSM call needs (for its 404 and 403 hints).
	feature string
	// callers are the Client methods that may call it (EndpointsOf); kind
	// is the detail kind it belongs to, if any.
	callers []string
	kind    *DetailKind
}

// Name is "METHOD /pattern", the endpoint's identity (also the pacing key).
func (e *Endpoint) Name() string { return e.Method + " " + e.Base + e.Pattern }

// CSM reports whether the endpoint is on the Customer Service Management API.
func (e *Endpoint) CSM() bool { return e.Base != "" }

// Scopes describes both scope kinds, e.g. "`read:jira-user` (classic) or
// `read:user:jira` (granular)". The CSM API has granular scopes only.
func (e *Endpoint) Scopes() string {
	switch {
	case len(e.Granular) == 0:
		return "none"
	case e.Scope == "":
		return "`" + strings.Join(e.Granular, "`, `") + "` (granular; there is no classic scope)"
	}
	return "`" + e.Scope + "` (classic) or `" + strings.Join(e.Granular, "`, `") + "` (granular)"
}

// Permissions and scopes as the specs word them.
const (
	permAny          = "any licensed user (customers see only their own organizations)"
	permAgent        = "Service Desk Administrator or Agent (or Jira Administrator, when organization management is restricted to them)"
	permJiraAdmin    = "Jira Administrator global permission"
	permBrowseUsers  = "Browse users and groups global permission"
	permOwn          = "none: any user may ask about their own permissions"
	permAccessJira   = "Permission to access Jira"
	permDeskAdmin    = "Service Desk Administrator of that service desk"
	permDeskAgent    = "Agent of that service desk"
	permDeskAccess   = "access to that service desk (its administrator, an agent or a customer)"
	permDeskCustomer = "permission to view that service desk's customers"
	permSiteAdmin    = "Site administrator (membership of the site-admin group)"
	permAnyDesk      = "any user (the answer holds the service desks the user may access)"

	scopeCustomers = "manage:servicedesk-customer"
	scopeUsers     = "read:jira-user"
	scopeDesks     = "read:servicedesk-request"
)

// Endpoints lists every operation the client calls, in the order of their
// declaration below (the order of the docs' tables).
var Endpoints []*Endpoint

// ep declares an operation: it joins Endpoints.
func ep(method, pattern, perm, scope string, granular ...string) *Endpoint {
	e := &Endpoint{Method: method, Pattern: pattern, Permission: perm, Scope: scope, Granular: granular}
	Endpoints = append(Endpoints, e)
	return e
}

// by names the Client methods that call e (a call that must settle a lost
// answer, or batches, may call more than one endpoint).
func (e *Endpoint) by(methods ...string) *Endpoint {
	e.callers = append(e.callers, methods...)
	return e
}

const (
	pOrg   = "/rest/servicedeskapi/organization"
	pOrgID = pOrg + "/{organizationId}"
	pProp  = pOrgID + "/property/{propertyKey}"
	pDesk  = "/rest/servicedeskapi/servicedesk/{serviceDeskId}"
)

// The operations the client calls, one variable each, with the Client
// methods that call them (the detail kinds name theirs in csm_details.go).
var (
	epCreateCustomer = ep(http.MethodPost, "/rest/servicedeskapi/customer", permJiraAdmin, scopeCustomers,
		"read:customer:jira-service-management", "write:customer:jira-service-management", "read:user:jira").by("CreateCustomer")
	// Newer than the published spec: the permission is from Atlassian's
	// client libraries, the scopes are assumed to be those of the other
	// customer writes.
	epRevokePortalAccess = ep(http.MethodPut, "/rest/servicedeskapi/customer/user/{accountId}/revoke-portal-only-access",
		permSiteAdmin+"; not in the published spec, scopes assumed from the other customer operations", scopeCustomers,
		"read:customer:jira-service-management", "write:customer:jira-service-management").by("RevokePortalAccess")
	// A granular token needs every scope of the user reads: read:user:jira
	// alone is refused.
	epGetUser = ep(http.MethodGet, "/rest/api/3/user", permBrowseUsers, scopeUsers,
		"read:application-role:jira", "read:group:jira", "read:user:jira", "read:avatar:jira").by("GetUser", "GetUserForImport", "RenameCustomerAccount")
	// Reads that overlap go out together (bulk.go).
	epBulkUsers = ep(http.MethodGet, "/rest/api/3/user/bulk", permAccessJira, scopeUsers,
		"read:application-role:jira", "read:group:jira", "read:user:jira", "read:avatar:jira").by("GetUser", "GetUserForImport", "RenameCustomerAccount")
	// Whether the credential may browse users: without that permission,
	// user search answers nothing rather than an error, so the plan asks
	// once before it trusts an empty answer.
	epMyPermissions = ep(http.MethodGet, "/rest/api/3/mypermissions", permOwn, "read:jira-work", "read:permission:jira").
			by("CanBrowseUsers")
	// A create whose answer was lost searches for the account it may have
	// made (writes.go).
	epSearchUser = ep(http.MethodGet, "/rest/api/3/user/search", permBrowseUsers+" (without it, search answers nothing rather than an error)",
		scopeUsers, "read:user:jira", "read:user.property:jira", "read:application-role:jira", "read:avatar:jira", "read:group:jira").
		by("FindUserByEmail", "SearchByEmail", "SearchUsers", "CreateCustomer")

	// User search lists active accounts only: a plan that meets an email
	// with no active account reads every account once, to tell an
	// inactive one (revoked, or deactivated) that a create would collide
	// with: "Get all users", a plain array of User.
	epAllUsers = ep(http.MethodGet, "/rest/api/3/users/search", permBrowseUsers+" (without it, the listing answers nothing rather than an error)",
		scopeUsers, "read:user:jira", "read:application-role:jira", "read:avatar:jira", "read:group:jira").
		by("EachAccount")

	epListOrgs = ep(http.MethodGet, pOrg, permAny, scopeCustomers, "read:organization:jira-service-management").
			by("ListOrganizations", "FindOrganizationByName", "EachOrganization")
	epCreateOrg = ep(http.MethodPost, pOrg, permAgent, scopeCustomers,
		"read:organization:jira-service-management", "write:organization:jira-service-management").by("CreateOrganization")
	epGetOrg    = ep(http.MethodGet, pOrgID, permAny, scopeCustomers, "read:organization:jira-service-management").by("GetOrganization", "RenameOrganization")
	epDeleteOrg = ep(http.MethodDelete, pOrgID, permJiraAdmin, scopeCustomers,
		"read:organization:jira-service-management", "delete:organization:jira-service-management").by("DeleteOrganization")
	epListOrgUsers = ep(http.MethodGet, pOrgID+"/user", permAgent, scopeCustomers,
		"read:organization.user:jira-service-management", "read:user:jira").by("OrganizationMembers", "EachOrganizationMember")
	epAddOrgUsers = ep(http.MethodPost, pOrgID+"/user", permAgent, scopeCustomers,
		"read:organization.user:jira-service-management", "write:organization.user:jira-service-management", "read:user:jira").
		by("AddOrganizationMembers")
	epRemoveOrgUsers = ep(http.MethodDelete, pOrgID+"/user", permAgent, scopeCustomers,
		"read:organization.user:jira-service-management", "delete:organization.user:jira-service-management", "read:user:jira").
		by("RemoveOrganizationMembers")
	epListOrgProps = ep(http.MethodGet, pOrgID+"/property", permAny, scopeCustomers,
		"read:organization.property:jira-service-management").by("OrganizationPropertyKeys")
	epGetOrgProp = ep(http.MethodGet, pProp, permAny, scopeCustomers, "read:organization.property:jira-service-management").
			by("GetOrganizationProperty")
	epSetOrgProp = ep(http.MethodPut, pProp, permAgent, scopeCustomers,
		"read:organization.property:jira-service-management", "write:organization.property:jira-service-management").
		by("SetOrganizationProperty")
	epDeleteOrgProp = ep(http.MethodDelete, pProp, permAgent, scopeCustomers,
		"read:organization.property:jira-service-management", "delete:organization.property:jira-service-management").
		by("DeleteOrganizationProperty")

	epListDesks = ep(http.MethodGet, "/rest/servicedeskapi/servicedesk", permAnyDesk, scopeDesks, "read:servicedesk:jira-service-management").
			by("ServiceDesks", "OrganizationServiceDesks")
	epGetDesk           = ep(http.MethodGet, pDesk, permDeskAccess, scopeDesks, "read:servicedesk:jira-service-management").by("GetServiceDesk")
	epListDeskCustomers = ep(http.MethodGet, pDesk+"/customer", permDeskCustomer, scopeCustomers,
		"read:servicedesk.customer:jira-service-management", "read:user:jira").
		by("ServiceDeskCustomers", "ServiceDeskCustomerIDs", "EachServiceDeskCustomer")
	epAddDeskCustomers = ep(http.MethodPost, pDesk+"/customer", permDeskAdmin, scopeCustomers,
		"read:servicedesk.customer:jira-service-management", "write:servicedesk.customer:jira-service-management").
		by("AddServiceDeskCustomers")
	epRemoveDeskCustomers = ep(http.MethodDelete, pDesk+"/customer", permDeskAdmin, scopeCustomers,
		"read:servicedesk.customer:jira-service-management", "delete:servicedesk.customer:jira-service-management").
		by("RemoveServiceDeskCustomers")
	epListDeskOrgs = ep(http.MethodGet, pDesk+"/organization", permDeskAgent, scopeCustomers,
		"read:servicedesk.organization:jira-service-management").by("ServiceDeskOrganizationIDs", "OrganizationServiceDesks")
	epAddDeskOrg = ep(http.MethodPost, pDesk+"/organization", permDeskAgent, scopeCustomers,
		"read:servicedesk.organization:jira-service-management", "write:servicedesk.organization:jira-service-management").
		by("AddServiceDeskOrganization")
	epRemoveDeskOrg = ep(http.MethodDelete, pDesk+"/organization", permDeskAgent, scopeCustomers,
		"read:servicedesk.organization:jira-service-management", "delete:servicedesk.organization:jira-service-management").
		by("RemoveServiceDeskOrganization")

	// The first CSM call may discover the cloud ID (csm.go): EndpointsOf
	// adds it to every CSM call's endpoints.
	epTenantInfo = ep(http.MethodGet, "/_edge/tenant_info", permPublic, "").by("TenantCloudID")
)

// CSM permissions (Atlassian's CSM API reference).
const (
	permCSMAdmin = "Administer Jira global permission"
	permCSMAgent = "Jira Service Management agent licence"
	permPublic   = "none: the site answers anyone"

	permAssumed   = " (permission not documented; assumed)"
	scopesAssumed = " (scopes not documented; assumed)"
)

// csmEP is an endpoint of the CSM API; its scopes are granular only and
// all end in :jira-service-management.
func csmEP(method, pattern, perm, feature string, scopes ...string) *Endpoint {
	e := ep(method, pattern, perm, "")
	e.Base, e.feature = csmPrefix, feature
	for _, s := range scopes {
		e.Granular = append(e.Granular, s+":jira-service-management")
	}
	return e
}

// The CSM calls. Scopes are Atlassian's: the names from its scope list for
// Jira Service Management (a delete needs its delete: scope, an
// entitlement create the write:customer:entitlement or
// write:organization:entitlement one; there is no write:entitlement);
// which call needs which is as the CSM reference pages say, or, where they
// are silent, the scope of that name. Value writes ask for both write
// scopes, the field's and the value's. The detail field and value calls are
// made through their DetailKind (csm_details.go), which names their callers.
var (
	epListCustFields  = csmEP(http.MethodGet, "/customer/details", permCSMAdmin, featureProfiles, "read:customer.detail-field")
	epCreateCustField = csmEP(http.MethodPost, "/customer/details", permCSMAdmin, featureProfiles, "write:customer.detail-field")
	epEditCustField   = csmEP(http.MethodPut, "/customer/details/{fieldName}", permCSMAdmin, featureProfiles, "write:customer.detail-field")
	epDeleteCustField = csmEP(http.MethodDelete, "/customer/details/{fieldName}", permCSMAdmin, featureProfiles, "delete:customer.detail-field")
	epGetCustDetails  = csmEP(http.MethodGet, "/customer/{customerId}", permCSMAgent, featureProfiles, "read:customer", "read:customer.detail")
	epSetCustDetail   = csmEP(http.MethodPut, "/customer/{customerId}/details", permCSMAgent, featureProfiles,
		"write:customer.detail-field", "write:customer.detail")

	epListOrgFields  = csmEP(http.MethodGet, "/organization/details", permCSMAdmin, featureProfiles, "read:organization.detail-field")
	epCreateOrgField = csmEP(http.MethodPost, "/organization/details", permCSMAdmin, featureProfiles, "write:organization.detail-field")
	epEditOrgField   = csmEP(http.MethodPut, "/organization/details/{fieldName}", permCSMAdmin, featureProfiles, "write:organization.detail-field")
	epDeleteOrgField = csmEP(http.MethodDelete, "/organization/details/{fieldName}", permCSMAdmin, featureProfiles, "delete:organization.detail-field")
	epGetOrgDetails  = csmEP(http.MethodGet, "/organization/{organizationId}", permCSMAgent, featureProfiles,
		"read:organization", "read:organization.detail")
	epSetOrgDetail = csmEP(http.MethodPut, "/organization/{organizationId}/details", permCSMAgent, featureProfiles,
		"write:organization.detail-field", "write:organization.detail")

	epListProducts = csmEP(http.MethodGet, "/product", permCSMAgent, featureProducts, "read:product").
			by("ListProducts", "ProductsFeatureOn")
	epCreateProduct = csmEP(http.MethodPost, "/product", permCSMAgent, featureProducts, "write:product").by("CreateProduct")
	epGetProduct    = csmEP(http.MethodGet, "/product/{productId}", permCSMAgent, featureProducts, "read:product").by("GetProduct")
	epRenameProduct = csmEP(http.MethodPut, "/product/{productId}", permCSMAgent, featureProducts, "write:product").by("RenameProduct")
	epDeleteProduct = csmEP(http.MethodDelete, "/product/{productId}", permCSMAdmin, featureProducts, "delete:product").by("DeleteProduct")

	epListEntFields  = csmEP(http.MethodGet, "/entitlement/details", permCSMAdmin, featureProducts, "read:entitlement.detail-field")
	epCreateEntField = csmEP(http.MethodPost, "/entitlement/details", permCSMAdmin, featureProducts, "write:entitlement.detail-field")
	epEditEntField   = csmEP(http.MethodPut, "/entitlement/details/{fieldName}", permCSMAdmin, featureProducts, "write:entitlement.detail-field")
	epDeleteEntField = csmEP(http.MethodDelete, "/entitlement/details/{fieldName}", permCSMAdmin, featureProducts, "delete:entitlement.detail-field")
	// The entitlement calls' permissions were not captured
	// (Atlassian's CSM API reference); their scopes are named in Atlassian's
	// scope list.
	epCreateCustEntitlement = csmEP(http.MethodPost, "/customer/{customerId}/entitlement", permCSMAgent+permAssumed,
		featureProducts, "write:customer:entitlement").by("CreateEntitlement")
	epCreateOrgEntitlement = csmEP(http.MethodPost, "/organization/{organizationId}/entitlement", permCSMAgent+permAssumed,
		featureProducts, "write:organization:entitlement").by("CreateEntitlement")
	epGetEntitlement = csmEP(http.MethodGet, "/entitlement/{entitlementId}", permCSMAgent+permAssumed, featureProducts,
		"read:entitlement", "read:entitlement.detail").by("GetEntitlement")
	epDeleteEntitlement = csmEP(http.MethodDelete, "/entitlement/{entitlementId}", permCSMAdmin+permAssumed, featureProducts,
		"delete:entitlement").by("DeleteEntitlement")
	epSetEntDetail = csmEP(http.MethodPut, "/entitlement/{entitlementId}/details", permCSMAgent+permAssumed, featureProducts,
		"write:entitlement.detail-field", "write:entitlement.detail")

	// The owner's entitlement listings, which confirm that an entitlement
	// is gone before the provider drops it from the state, and find the
	// entitlement a create whose answer was lost made. Atlassian names their
	// paths and the JSM agent permission; their scopes were not captured
	// and are assumed to be the entitlement read scope.
	epListCustEntitlements = csmEP(http.MethodGet, "/customer/{customerId}/entitlement", permCSMAgent+scopesAssumed,
		featureProducts, "read:entitlement").by("ListEntitlements", "CreateEntitlement")
	epListOrgEntitlements = csmEP(http.MethodGet, "/organization/{organizationId}/entitlement", permCSMAgent+scopesAssumed,
		featureProducts, "read:entitlement").by("ListEntitlements", "CreateEntitlement")
)

// The CSM customer account and organization operations (experimental since
// January 2026; Atlassian's CSM API reference): the renames and the delete
// JSM's own API lacks. The permissions are Atlassian's; the scopes were not
// captured and are assumed to be those of the same names (csm_accounts.go).
var (
	epGetCustAccount = csmEP(http.MethodGet, "/customer/account/{customerId}", permCSMUser+scopesAssumed,
		featureAccounts, "read:customer").by("CustomerAccount")
	epRenameCustAccount = csmEP(http.MethodPut, "/customer/account/{customerId}", permCSMAdmin+scopesAssumed,
		featureAccounts, "write:customer").by("RenameCustomerAccount")
	epDeleteCustAccount = csmEP(http.MethodDelete, "/customer/account/{customerId}", permCSMAdmin+scopesAssumed,
		featureAccounts, "delete:customer").by("DeleteCustomerAccount")
	epRenameOrgCSM = csmEP(http.MethodPut, "/organization/{organizationId}", permCSMUser+" (Jira Administrator when organization management is restricted to them)"+scopesAssumed,
		featureAccounts, "write:organization").by("RenameOrganization")
)

// EndpointsOf lists the endpoints the named Client methods may call, each
// once, in the order of Endpoints: for the detail calls, those of kind k
// only (nil: of every kind), and for any CSM call the cloud ID discovery.
// Unknown names are ignored (a test checks them).
func EndpointsOf(k *DetailKind, methods ...string) []*Endpoint {
	named := map[string]bool{}
	for _, m := range methods {
		named[m] = true
	}
	used := map[*Endpoint]bool{}
	for _, e := range Endpoints {
		for _, m := range e.callers {
			if named[m] && (k == nil || e.kind == nil || e.kind == k) {
				used[e] = true
				used[epTenantInfo] = used[epTenantInfo] || e.CSM()
			}
		}
	}
	var out []*Endpoint
	for _, e := range Endpoints {
		if used[e] {
			out = append(out, e)
		}
	}
	return out
}

// IsClientCall reports whether method names a Client method that calls the
// API.
func IsClientCall(method string) bool { return len(EndpointsOf(nil, method)) > 0 }

// authHint names what the failed call needs: a 401 or 403 otherwise leaves
// the user guessing which of the provider's calls lacked which grant.
func (e *Endpoint) authHint(status int, generic string) string {
	needs := fmt.Sprintf("%s needs: %s; with OAuth or a scoped token, also the scope %s", e.Name(), e.Permission, e.Scopes())
	switch status {
	case http.StatusUnauthorized:
		return generic + ". " + needs
	case http.StatusForbidden:
		return "The account or token lacks a grant: " + needs + e.appAccessHint()
	}
	return generic
}

var placeholder = regexp.MustCompile(`\{([A-Za-z]+)\}`)

// at is a request to e with its variable segments set to args, in order.
// Each segment is checked (see checkSegment) and escaped exactly once; a bad
// one makes the request fail in do before anything is sent.
func (e *Endpoint) at(args ...string) request {
	r := request{ep: e, method: e.Method}
	var raw strings.Builder
	i := 0
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(e.Pattern, -1) {
		raw.WriteString(e.Pattern[last:m[0]])
		last = m[1]
		name := e.Pattern[m[2]:m[3]]
		if i >= len(args) {
			r.err = fmt.Errorf("%s: no value for {%s}", e.Name(), name)
			break
		}
		if err := checkSegment(name, args[i]); err != nil && r.err == nil {
			r.err = fmt.Errorf("%s: refusing to send the request: %w", e.Name(), err)
		}
		raw.WriteString(url.PathEscape(args[i]))
		i++
	}
	raw.WriteString(e.Pattern[last:])
	if r.err == nil && i != len(args) {
		r.err = fmt.Errorf("%s: %d values for %d variable segments", e.Name(), len(args), i)
	}
	r.path = raw.String()
	if r.err != nil {
		r.path = e.Pattern // never show a refused value in a path
	}
	return r
}

func (r request) withBody(b any) request           { r.body = b; return r }
func (r request) withQuery(q url.Values) request   { r.query = q; return r }
func (r request) withHeader(h http.Header) request { r.header = h; return r }

// withNoResendIfMaybeApplied marks a write that must not be sent again
// once an attempt may have been applied (request.noResendIfMaybeApplied).
func (r request) withNoResendIfMaybeApplied() request { r.noResendIfMaybeApplied = true; return r }

// maxAccountID is the longest account ID the platform spec allows.
const maxAccountID = 128

// checkSegment refuses a value that must not become a path segment: empty,
// "." or ".." or holding such a part between slashes or backslashes
// (servers and proxies that normalize paths read them as steps up:
// DELETE .../property/.. would delete the organization, and the key
// "../../2", sent as ..%2F..%2F2, organization 2 behind one that decodes
// %2F first), any "/" or "\" (Atlassian's edge commonly refuses an encoded
// slash, and some servers read a backslash as one), control characters,
// invalid UTF-8, or a value that is not of its variable's form.
func checkSegment(name, v string) error {
	what := segmentNames[name]
	if what == "" {
		what = name
	}
	switch {
	case v == "":
		return fmt.Errorf("the %s is empty", what)
	case hasDotPart(v):
		return fmt.Errorf("the %s %q is or holds a dot segment (. or ..), which servers and proxies may read as a step up the path", what, v)
	case strings.ContainsAny(v, `/\`):
		return fmt.Errorf("the %s %q contains a slash or backslash, which servers and proxies may read as a path separator "+
			"(and Atlassian's edge commonly refuses encoded)", what, v)
	case !utf8.ValidString(v):
		return fmt.Errorf("the %s %q is not valid UTF-8", what, v)
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return fmt.Errorf("the %s %q contains control characters", what, v)
	}
	switch name {
	case "organizationId":
		if !ValidOrganizationID(v) {
			return fmt.Errorf("the %s %q is not a positive integer", what, v)
		}
	case "serviceDeskId":
		if !ValidServiceDeskRef(v) {
			return fmt.Errorf("the %s %q is neither an integer nor a project key", what, v)
		}
	case "accountId", "customerId":
		if msg := CheckAccountID(v); msg != "" {
			return fmt.Errorf("the %s %q %s", what, v, msg)
		}
	case "productId", "entitlementId":
		if msg := checkOpaqueID(v, what); msg != "" {
			return fmt.Errorf("the %s %q %s", what, v, msg)
		}
	}
	return nil
}

// hasDotPart reports whether v, split on slashes and backslashes, has a
// part that is "." or "..".
func hasDotPart(v string) bool {
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == "." || part == ".." {
			return true
		}
	}
	return false
}

var segmentNames = map[string]string{
	"organizationId": "organization ID",
	"propertyKey":    "organization property key",
	"serviceDeskId":  "service desk ID",
	"accountId":      "account ID",
	"customerId":     "customer ID",
	"fieldName":      "detail field name",
	"productId":      "product ID",
	"entitlementId":  "entitlement ID",
}

// CheckPropertyKey returns why key cannot be an organization property key
// the provider sends in a path, or "".
func CheckPropertyKey(key string) string {
	if err := checkSegment("propertyKey", key); err != nil {
		return err.Error()
	}
	return ""
}

// CheckDetailFieldName returns why name cannot be a detail field name the
// provider sends in a path (editing or deleting the field), or "".
func CheckDetailFieldName(name string) string {
	if err := checkSegment("fieldName", name); err != nil {
		return err.Error()
	}
	return ""
}

// CheckProductID returns why id cannot be a product ID the provider sends
// in a path, or "".
func CheckProductID(id string) string {
	if err := checkSegment("productId", id); err != nil {
		return err.Error()
	}
	return ""
}

// CheckEntitlementID returns why id cannot be an entitlement ID the
// provider sends in a path, or "".
func CheckEntitlementID(id string) string {
	if err := checkSegment("entitlementId", id); err != nil {
		return err.Error()
	}
	return ""
}

// ValidOrganizationID reports whether id has the form of an organization
// ID (a positive integer).
func ValidOrganizationID(id string) bool {
	n, err := strconv.ParseInt(id, 10, 64)
	return err == nil && n > 0 && strconv.FormatInt(n, 10) == id
}

var projectKey = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// ValidServiceDeskRef reports whether ref names a service desk the way the
// API accepts in a path: its ID, a project key, projectKey:KEY or
// projectId:ID.
func ValidServiceDeskRef(ref string) bool {
	if k, ok := strings.CutPrefix(ref, "projectKey:"); ok {
		return projectKey.MatchString(k)
	}
	if id, ok := strings.CutPrefix(ref, "projectId:"); ok {
		return ValidOrganizationID(id)
	}
	return ValidOrganizationID(ref) || projectKey.MatchString(ref)
}

// CheckAccountID returns why id is not of the form of an Atlassian account
// ID, or "". Real IDs are 24 hex digits, 557058:<uuid> or
// qm:<uuid>:<hex>; any printable ASCII is accepted but for the characters
// that would change a URL's structure, up to the spec's 128 characters.
func CheckAccountID(id string) string { return checkOpaqueID(id, "account ID") }

// checkOpaqueID returns why id is not of the form of an opaque ID (an
// account, product or entitlement ID), or "": printable ASCII but for the
// characters that would change a URL's structure, up to 128 characters.
func checkOpaqueID(id, noun string) string {
	switch {
	case id == "":
		return "is empty"
	case len(id) > maxAccountID:
		return fmt.Sprintf("is longer than %d characters", maxAccountID)
	case strings.Trim(id, ".") == "":
		return "is a dot segment"
	}
	for _, r := range id {
		if r <= ' ' || r > '~' || strings.ContainsRune(`/\?#%`, r) {
			return fmt.Sprintf("contains %q, which no %s has", r, noun)
		}
	}
	return ""
}
