package jsmsite

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// The Customer Service Management (CSM) API, as Atlassian's gateway serves
// it under /jsm/csm/cloudid/<cloudId>/api/v1 (Atlassian's CSM reference pages):
// customer and organization detail fields and their values, and products.
// Its routes go through the site's middlewares (faults, counters) and
// authentication like every other route.

// CSMPrefix is the path of the CSM API base; {cloudId} is the site's cloud ID.
const CSMPrefix = "/jsm/csm/cloudid/{cloudId}/api/v1"

// CSMAnswers chooses how the CSM API answers where the real one is unknown
// or depends on the site. The zero value: both features on, the classic
// API token refused on the gateway (a bearer token or a scoped API token
// is accepted), an empty values list clears a value, and an entitlement
// create answers the entitlement. Set it with SetCSMAnswers, also while
// serving.
type CSMAnswers struct {
	// ProfilesOff: the site has no "Customer and organization profiles"
	// (not enabled, or a plan without it): every path of customer and
	// organization detail fields and details answers 404, the listings
	// included: JSM offers these only once a project admin turns the
	// feature on, and only on Premium and Enterprise plans.
	ProfilesOff bool
	// ProductsOff: the same for "Products and entitlements": products,
	// entitlements and entitlement detail fields.
	ProductsOff bool
	// FeatureOff: both features off (a plan without them).
	FeatureOff bool
	// AcceptClassicToken: the gateway accepts basic auth with the classic
	// (unscoped) API token, Config.APIToken. Whether the real one does is
	// not documented (Atlassian documents OAuth 2.0 and, on its gateway,
	// basic auth with scoped tokens); by default it answers 401, the most
	// likely first failure of a configuration that works on the site URL.
	AcceptClassicToken bool
	// RefuseClear: PUT .../details with an empty values list is refused
	// (400); how the real API clears a value is not documented.
	RefuseClear bool
	// EntitlementCreateAnswer: how a successful entitlement create answers,
	// whose shape is not documented: "" the entitlement with its id,
	// EntitlementAnswerNoID the entitlement without id, EntitlementAnswerArray
	// a JSON array holding it. The entitlement is created all the same.
	EntitlementCreateAnswer string
	// AccountAPIOff: the site has no customer account and organization
	// operations (csm_accounts.go): each answers 404. Atlassian documents
	// them for the customer directory of Customer Service Management, and
	// does not say whether sites with JSM alone have them.
	AccountAPIOff bool
	// AccountAnswersOther: a rename of a customer account or an
	// organization is made, but answered with JSON of another shape than
	// the one assumed (the answers are not documented).
	AccountAnswersOther bool
	// RenameAnswersNoContent: a rename of a customer account or an
	// organization is made and answered 204 with no body; Atlassian
	// documents the paths, not the answers.
	RenameAnswersNoContent bool
	// RenameNotApplied: a rename is answered success but the name stays as
	// it was (a fault: a site that drops the write, or reads that lag).
	RenameNotApplied bool
	// ServiceAccountRefusal: the gateway refuses a service account's token
	// (one issued at TokenPath) on every CSM path with this status, 401 or
	// 403; 0 takes it, as JSM's API does. Atlassian's CSM pages name OAuth
	// 2.0 (3LO), basic auth and Forge, and said once that service accounts
	// have "limited support": whether and how they are refused is unknown,
	// and no page says they are, so the default takes them.
	ServiceAccountRefusal int
}

// Shapes of CSMAnswers.EntitlementCreateAnswer.
const (
	EntitlementAnswerNoID  = "no-id"
	EntitlementAnswerArray = "array"
)

// off reports whether the feature a path belongs to is off.
func (a CSMAnswers) off(feature string) bool {
	if feature == featureAccounts {
		return a.AccountAPIOff
	}
	return a.FeatureOff || feature == featureProfiles && a.ProfilesOff || feature == featureProducts && a.ProductsOff
}

// The two features of the CSM API, as JSM's project settings name them.
const (
	featureProfiles = "Customer and organization profiles"
	featureProducts = "Products and entitlements"
)

func kindFeature(kind string) string {
	if kind == KindEntitlement {
		return featureProducts
	}
	return featureProfiles
}

// SetCSMAnswers sets how the CSM API answers.
func (s *Site) SetCSMAnswers(a CSMAnswers) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.csm.answers = a
}

// Detail field kinds, the first segment of their paths.
const (
	KindCustomer     = "customer"
	KindOrganization = "organization"
	KindEntitlement  = "entitlement"
)

// csmFieldTypes are the type names the site accepts: the five Atlassian's
// reference confirms, and NUMBER and URL, which an open-source app calling
// the live API (github.com/rdersley/nuvriqo-customer-org-manager) creates.
var csmFieldTypes = []string{"TEXT", "SELECT", "MULTISELECT", "DATE", "EMAIL", "NUMBER", "URL"}

// Limits of the detail fields (Atlassian's CSM API reference).
const (
	csmMaxFields  = 50
	csmMaxOptions = 50
)

// DetailField is a detail field definition held by the site.
type DetailField struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	Options []string `json:"options,omitempty"`
}

// Product is a CSM product.
type Product struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Entitlement links a customer or an organization to a product. Only the
// paths of its calls are documented: the bodies and answers the site uses
// ({"productId"} in, {"id", "product", "entityType", "entityId", "details"}
// out) are the provider's assumptions (internal/jsm/csm_entitlements.go).
type Entitlement struct {
	ID         string `json:"id"`
	ProductID  string `json:"productId"`
	EntityType string `json:"entityType"` // CUSTOMER or ORGANIZATION
	EntityID   string `json:"entityId"`
}

// csmState is guarded by Site.mu.
type csmState struct {
	answers  CSMAnswers
	fields   map[string][]*DetailField                 // by kind, in position order
	values   map[string]map[string]map[string][]string // kind -> entity ID -> field ID -> values
	products []*Product
	ents     []*Entitlement
	nextID   int64
}

func newCSMState() *csmState {
	return &csmState{
		fields: map[string][]*DetailField{},
		values: map[string]map[string]map[string][]string{KindCustomer: {}, KindOrganization: {}, KindEntitlement: {}},
	}
}

// CloudID is the cloud ID the site answers under (Config.CloudID, or one
// derived from the admin email so it is stable across restarts).
func (s *Site) CloudID() string { return s.cloudID }

func deriveCloudID(email string) string {
	sum := sha256.Sum256([]byte("jsmsite-cloud:" + strings.ToLower(email)))
	u, _ := uuid.FromBytes(sum[:16])
	return u.String()
}

// DetailFields lists a kind's detail fields, in position order.
func (s *Site) DetailFields(kind string) []DetailField {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []DetailField
	for _, f := range s.csm.fields[kind] {
		out = append(out, *f)
	}
	return out
}

// AddDetailField adds a detail field out of band, as an admin does in
// JSM's UI, which offers a phone number type whose API name Atlassian does
// not document: typ is stored as given, so that a field of a type the API
// create does not take (csmFieldTypes) can exist, as on a real site.
func (s *Site) AddDetailField(kind, name, typ string, options ...string) DetailField {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.csm.nextID++
	f := &DetailField{ID: strconv.FormatInt(s.csm.nextID, 10), Name: name, Type: typ, Options: options}
	s.csm.fields[kind] = append(s.csm.fields[kind], f)
	s.saveOrLog()
	return *f
}

// DetailValues returns the values of a customer's or an organization's
// fields, by field name.
func (s *Site) DetailValues(kind, entityID string) map[string][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]string{}
	for _, f := range s.csm.fields[kind] {
		if v := s.csm.values[kind][entityID][f.ID]; len(v) > 0 {
			out[f.Name] = slices.Clone(v)
		}
	}
	return out
}

// Products lists the products, oldest first.
func (s *Site) Products() []Product {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Product, len(s.csm.products))
	for i, p := range s.csm.products {
		out[i] = *p
	}
	return out
}

func (s *Site) registerCSMRoutes() {
	s.routePublic("GET /_edge/tenant_info", s.handleTenantInfo)
	for _, kind := range []string{KindCustomer, KindOrganization, KindEntitlement} {
		p := CSMPrefix + "/" + kind
		idName := kind + "Id"
		h := func(h http.HandlerFunc) http.HandlerFunc { return s.csmHandler(kindFeature(kind), h) }
		s.route("GET "+p+"/details", h(s.handleListFields(kind)))
		s.route("POST "+p+"/details", h(s.handleCreateField(kind)))
		s.route("DELETE "+p+"/details/{fieldName}", h(s.handleDeleteField(kind)))
		s.route("GET "+p+"/{"+idName+"}", h(s.handleGetEntityDetails(kind, idName)))
		// PUT .../details/{fieldName} and PUT .../{id}/details overlap
		// (ServeMux refuses both): one pattern, two named routes.
		s.routeShared("PUT "+p+"/{a}/{b}", func(r *http.Request) bool { return r.PathValue("a") == "details" },
			"PUT "+p+"/details/{fieldName}", h(s.handleEditField(kind)), func(r *http.Request) { r.SetPathValue("fieldName", r.PathValue("b")) },
			"PUT "+p+"/{"+idName+"}/details", h(segmentIs("b", "details", s.handleSetDetail(kind, idName))), func(r *http.Request) { r.SetPathValue(idName, r.PathValue("a")) })
	}
	products := func(h http.HandlerFunc) http.HandlerFunc { return s.csmHandler(featureProducts, h) }
	s.route("POST "+CSMPrefix+"/customer/{customerId}/entitlement", products(s.handleCreateEntitlement(KindCustomer, "customerId")))
	s.route("POST "+CSMPrefix+"/organization/{organizationId}/entitlement", products(s.handleCreateEntitlement(KindOrganization, "organizationId")))
	// GET .../customer/account/{customerId} and GET .../customer/{customerId}/entitlement
	// overlap (ServeMux refuses both): one pattern, two named routes.
	s.routeShared("GET "+CSMPrefix+"/customer/{a}/{b}", func(r *http.Request) bool { return r.PathValue("a") == "account" },
		"GET "+CSMPrefix+"/customer/account/{customerId}", s.csmHandler(featureAccounts, s.handleGetCustomerAccount),
		func(r *http.Request) { r.SetPathValue("customerId", r.PathValue("b")) },
		"GET "+CSMPrefix+"/customer/{customerId}/entitlement", products(segmentIs("b", "entitlement", s.handleListEntitlements(KindCustomer, "customerId"))),
		func(r *http.Request) { r.SetPathValue("customerId", r.PathValue("a")) })
	s.registerAccountRoutes()
	s.route("GET "+CSMPrefix+"/organization/{organizationId}/entitlement", products(s.handleListEntitlements(KindOrganization, "organizationId")))
	s.route("DELETE "+CSMPrefix+"/entitlement/{entitlementId}", products(s.handleDeleteEntitlement))
	s.route("GET "+CSMPrefix+"/product", products(s.handleListProducts))
	s.route("POST "+CSMPrefix+"/product", products(s.handleCreateProduct))
	s.route("GET "+CSMPrefix+"/product/{productId}", products(s.handleProduct))
	s.route("PUT "+CSMPrefix+"/product/{productId}", products(s.handleProduct))
	s.route("DELETE "+CSMPrefix+"/product/{productId}", products(s.handleProduct))
}

// segmentIs answers 404, as an unknown path does, unless the path value
// name is want: the second route of a shared pattern has a literal segment
// that the pattern's wildcard would otherwise accept.
func segmentIs(name, want string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue(name) != want {
			writeCSMError(w, http.StatusNotFound, "Not Found")
			return
		}
		h(w, r)
	}
}

// routeShared registers two routes whose patterns overlap under one
// ServeMux pattern; isA picks the first. Each keeps its own name (counters,
// faults), and setA/setB give its handler the path values it expects.
func (s *Site) routeShared(pattern string, isA func(*http.Request) bool,
	aName string, a http.HandlerFunc, setA func(*http.Request),
	bName string, b http.HandlerFunc, setB func(*http.Request)) {
	s.routes = append(s.routes, aName, bName)
	ha, hb := s.wrap(aName, a), s.wrap(bName, b)
	s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isA(r) {
			setA(r)
			ha.ServeHTTP(w, r)
			return
		}
		setB(r)
		hb.ServeHTTP(w, r)
	}))
}

// csmHandler answers as the gateway does before the operation runs: the
// classic API token is refused (401) unless CSMAnswers.AcceptClassicToken,
// and an unknown cloud ID or a feature that is off is 404.
func (s *Site) csmHandler(feature string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		a := s.csm.answers
		s.mu.Unlock()
		if _, token, basic := r.BasicAuth(); basic && !a.AcceptClassicToken && token == s.cfg.APIToken {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"code": 401, "message": "Unauthorized; scope does not match"})
			return
		}
		if a.ServiceAccountRefusal != 0 && s.serviceAccountToken(r) {
			writeJSON(w, a.ServiceAccountRefusal, map[string]any{"code": a.ServiceAccountRefusal,
				"message": http.StatusText(a.ServiceAccountRefusal)})
			return
		}
		if r.PathValue("cloudId") != s.cloudID || a.off(feature) {
			writeCSMError(w, http.StatusNotFound, "Not Found")
			return
		}
		h(w, r)
	}
}

// serviceAccountToken reports whether r carries a token the site issued to
// its service account.
func (s *Site) serviceAccountToken(r *http.Request) bool {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return ok && strings.EqualFold(scheme, "Bearer") && s.tokens.valid(strings.TrimSpace(token), s.now())
}

// writeCSMError answers in the shape an open-source app calling the live API
// (github.com/rdersley/nuvriqo-customer-org-manager) saw, as Atlassian's
// reference names its RestError without its fields: errorMessage, errors,
// statusCode.
func writeCSMError(w http.ResponseWriter, status int, msg string) {
	code := strings.ToUpper(strings.ReplaceAll(http.StatusText(status), " ", "_"))
	writeJSON(w, status, map[string]any{"errorMessage": msg, "errors": []string{code}, "statusCode": status})
}

func (s *Site) handleTenantInfo(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"cloudId": s.cloudID})
}

type detailTypeDTO struct {
	Name    string   `json:"name"`
	Options []string `json:"options,omitempty"`
}

type detailFieldDTO struct {
	ID            string         `json:"id,omitempty"`
	Name          string         `json:"name"`
	Type          detailTypeDTO  `json:"type"`
	Values        []string       `json:"values,omitempty"`
	Configuration map[string]int `json:"configuration,omitempty"`
}

func fieldDTO(f *DetailField, pos int) detailFieldDTO {
	return detailFieldDTO{Name: f.Name, Type: detailTypeDTO{Name: f.Type, Options: f.Options},
		Configuration: map[string]int{"position": pos + 1}}
}

func (s *Site) handleListFields(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		out := []detailFieldDTO{}
		for i, f := range s.csm.fields[kind] {
			out = append(out, fieldDTO(f, i))
		}
		writeJSON(w, http.StatusOK, map[string]any{"results": out})
	}
}

// fieldByNameLocked finds a field by name, trimmed and ignoring case.
func (s *Site) fieldByNameLocked(kind, name string) (int, *DetailField) {
	for i, f := range s.csm.fields[kind] {
		if strings.EqualFold(f.Name, strings.TrimSpace(name)) {
			return i, f
		}
	}
	return -1, nil
}

// checkOptions returns why options cannot belong to a field of type t.
func checkOptions(t string, options []string) string {
	selectType := t == "SELECT" || t == "MULTISELECT"
	switch {
	case !selectType && len(options) > 0:
		return "Only SELECT and MULTISELECT fields have options."
	case len(options) > csmMaxOptions:
		return fmt.Sprintf("A field can have at most %d options.", csmMaxOptions)
	}
	seen := map[string]bool{}
	for _, o := range options {
		if strings.TrimSpace(o) == "" || seen[strings.ToLower(o)] {
			return "Options must be non-empty and unique."
		}
		seen[strings.ToLower(o)] = true
	}
	return ""
}

func (s *Site) handleCreateField(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body detailFieldDTO
		if !decodeJSONBody(w, r, &body) {
			return
		}
		body.Name = strings.TrimSpace(body.Name)
		s.mu.Lock()
		defer s.mu.Unlock()
		_, taken := s.fieldByNameLocked(kind, body.Name)
		msg := checkOptions(body.Type.Name, body.Type.Options)
		switch {
		case body.Name == "":
			msg = "The field name is required."
		case !slices.Contains(csmFieldTypes, body.Type.Name):
			msg = fmt.Sprintf("Unknown field type %q.", body.Type.Name)
		case taken != nil:
			msg = fmt.Sprintf("A %s detail field named %q already exists.", kind, taken.Name)
		case len(s.csm.fields[kind]) >= csmMaxFields:
			msg = fmt.Sprintf("The maximum number of %s detail fields (%d) has been reached.", kind, csmMaxFields)
		}
		if msg != "" {
			writeCSMError(w, http.StatusBadRequest, msg)
			return
		}
		s.csm.nextID++
		f := &DetailField{ID: strconv.FormatInt(s.csm.nextID, 10), Name: body.Name, Type: body.Type.Name, Options: body.Type.Options}
		s.csm.fields[kind] = append(s.csm.fields[kind], f)
		s.saveOrLog()
		writeJSON(w, http.StatusOK, detailFieldDTO{Name: f.Name, Type: detailTypeDTO{Name: f.Type, Options: f.Options}})
	}
}

// editFieldRequest is the edit body the provider sends; its property names
// are an assumption (not documented by Atlassian; assumed).
type editFieldRequest struct {
	Name    string    `json:"name"`
	Options *[]string `json:"options"`
}

func (s *Site) handleEditField(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body editFieldRequest
		if !decodeJSONBody(w, r, &body) {
			return
		}
		body.Name = strings.TrimSpace(body.Name)
		s.mu.Lock()
		defer s.mu.Unlock()
		i, f := s.fieldByNameLocked(kind, r.PathValue("fieldName"))
		if f == nil {
			writeCSMError(w, http.StatusNotFound, fmt.Sprintf("No %s detail field named %q.", kind, r.PathValue("fieldName")))
			return
		}
		_, other := s.fieldByNameLocked(kind, body.Name)
		msg := ""
		if body.Options != nil {
			msg = checkOptions(f.Type, *body.Options)
		}
		switch {
		case body.Name == "":
			msg = "The field name is required."
		case other != nil && other != f:
			msg = fmt.Sprintf("A %s detail field named %q already exists.", kind, other.Name)
		}
		if msg != "" {
			writeCSMError(w, http.StatusBadRequest, msg)
			return
		}
		f.Name = body.Name
		if body.Options != nil {
			f.Options = *body.Options
		}
		s.saveOrLog()
		writeJSON(w, http.StatusOK, fieldDTO(f, i))
	}
}

// handleDeleteField deletes the field and every value stored in it.
func (s *Site) handleDeleteField(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		i, f := s.fieldByNameLocked(kind, r.PathValue("fieldName"))
		if f == nil {
			writeCSMError(w, http.StatusNotFound, fmt.Sprintf("No %s detail field named %q.", kind, r.PathValue("fieldName")))
			return
		}
		s.csm.fields[kind] = slices.Delete(s.csm.fields[kind], i, i+1)
		for _, vals := range s.csm.values[kind] {
			delete(vals, f.ID)
		}
		s.saveOrLog()
		w.WriteHeader(http.StatusNoContent)
	}
}

// entityLocked returns the name of the customer or organization id, or
// false. Only an eligible account is a customer of the CSM API, as
// Atlassian's "Supported customer IDs" page says: a customer account, or an
// active Atlassian account with the customer role that is neither an agent
// nor a site admin (the admin is not among the accounts); every path about
// another account answers 404.
func (s *Site) entityLocked(kind, id string) (string, bool) {
	if kind == KindEntitlement {
		return "", s.entitlementLocked(id) >= 0
	}
	if kind == KindOrganization {
		o, ok := s.orgLocked(id)
		if !ok {
			return "", false
		}
		return o.Name, true
	}
	r, ok := s.accounts[id]
	if !ok || !csmEligible(r.Account) {
		return "", false
	}
	return r.DisplayName, true
}

// csmEligible reports whether the CSM API takes a as a customer.
func csmEligible(a Account) bool {
	if a.Deleted || !a.Active {
		return false
	}
	return a.AccountType == AccountTypeCustomer || a.CustomerRole && !a.Agent
}

func (s *Site) handleGetEntityDetails(kind, idName string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue(idName)
		s.mu.Lock()
		defer s.mu.Unlock()
		name, ok := s.entityLocked(kind, id)
		if !ok {
			writeCSMError(w, http.StatusNotFound, fmt.Sprintf("No %s with ID %q.", kind, id))
			return
		}
		details := []detailFieldDTO{}
		for i, f := range s.csm.fields[kind] {
			if v := s.csm.values[kind][id][f.ID]; len(v) > 0 {
				d := fieldDTO(f, i)
				d.ID, d.Values = f.ID, slices.Clone(v)
				details = append(details, d)
			}
		}
		out := map[string]any{"id": id, "name": name, "details": details}
		switch kind {
		case KindCustomer:
			out["organizations"] = s.customerOrganizationsLocked(id)
		case KindEntitlement:
			e := s.csm.ents[s.entitlementLocked(id)]
			delete(out, "name")
			out["entityType"], out["entityId"] = e.EntityType, e.EntityID
			out["product"] = s.csm.products[slices.IndexFunc(s.csm.products, func(p *Product) bool { return p.ID == e.ProductID })]
		}
		writeJSON(w, http.StatusOK, out)
	}
}

func (s *Site) customerOrganizationsLocked(id string) []map[string]string {
	out := []map[string]string{}
	for _, o := range s.organizationsLocked() {
		if slices.Contains(o.Members, id) {
			out = append(out, map[string]string{"id": strconv.FormatInt(o.ID, 10), "name": o.Name})
		}
	}
	return out
}

// checkValues returns why values cannot be stored in f, or "".
func checkValues(f *DetailField, values []string) string {
	switch f.Type {
	case "SELECT", "MULTISELECT":
		if f.Type == "SELECT" && len(values) > 1 {
			return fmt.Sprintf("The field %q takes one value.", f.Name)
		}
		for _, v := range values {
			if !slices.Contains(f.Options, v) {
				return fmt.Sprintf("%q is not an option of the field %q (options: %s).", v, f.Name, strings.Join(f.Options, ", "))
			}
		}
	case "EMAIL":
		for _, v := range values {
			if !validEmail(v) {
				return fmt.Sprintf("%q is not an email address (field %q).", v, f.Name)
			}
		}
	default:
		if len(values) > 1 {
			return fmt.Sprintf("The field %q takes one value.", f.Name)
		}
	}
	return ""
}

func (s *Site) handleSetDetail(kind, idName string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Values *[]string `json:"values"`
		}
		if !decodeJSONBody(w, r, &body) {
			return
		}
		id, fieldName := r.PathValue(idName), r.URL.Query().Get("fieldName")
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.entityLocked(kind, id); !ok {
			writeCSMError(w, http.StatusNotFound, fmt.Sprintf("No %s with ID %q.", kind, id))
			return
		}
		i, f := s.fieldByNameLocked(kind, fieldName)
		var msg string
		switch {
		case f == nil:
			msg = fmt.Sprintf("Invalid detail field %q.", fieldName)
		case body.Values == nil:
			msg = "The request needs values."
		case len(*body.Values) == 0 && s.csm.answers.RefuseClear:
			msg = "values must not be empty."
		default:
			msg = checkValues(f, *body.Values)
		}
		if msg != "" {
			writeCSMError(w, http.StatusBadRequest, msg)
			return
		}
		vals := s.csm.values[kind][id]
		if vals == nil {
			vals = map[string][]string{}
			s.csm.values[kind][id] = vals
		}
		vals[f.ID] = slices.Clone(*body.Values)
		s.saveOrLog()
		d := fieldDTO(f, i)
		d.ID, d.Values = f.ID, nonNil(*body.Values)
		writeJSON(w, http.StatusOK, d)
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// handleListProducts pages with limit (1..100, else 100) and an opaque
// cursor, as Atlassian's CSM API reference documents.
func (s *Site) handleListProducts(w http.ResponseWriter, r *http.Request) {
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit < 1 || limit > 100 {
		limit = 100
	}
	start := 0
	if c := r.URL.Query().Get("cursor"); c != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(c, "p"))
		if err != nil || !strings.HasPrefix(c, "p") || n < 0 {
			writeCSMError(w, http.StatusBadRequest, "Invalid cursor.")
			return
		}
		start = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]any{}
	results := []Product{}
	for i := start; i < len(s.csm.products) && len(results) < limit; i++ {
		results = append(results, *s.csm.products[i])
	}
	out["results"] = results
	if end := start + len(results); end < len(s.csm.products) {
		out["nextPageCursor"] = "p" + strconv.Itoa(end)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Site) handleCreateProduct(w http.ResponseWriter, r *http.Request) {
	var body Product
	if !decodeJSONBody(w, r, &body) {
		return
	}
	if strings.TrimSpace(body.Name) == "" {
		writeCSMError(w, http.StatusBadRequest, "The product name is required.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := &Product{ID: uuid.NewString(), Name: body.Name}
	s.csm.products = append(s.csm.products, p)
	s.saveOrLog()
	writeJSON(w, http.StatusOK, p)
}

// handleProduct reads, renames or deletes a product.
func (s *Site) handleProduct(w http.ResponseWriter, r *http.Request) {
	var body Product
	if r.Method == http.MethodPut && !decodeJSONBody(w, r, &body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("productId")
	i := slices.IndexFunc(s.csm.products, func(p *Product) bool { return p.ID == id })
	if i < 0 {
		writeCSMError(w, http.StatusNotFound, fmt.Sprintf("No product with ID %q.", id))
		return
	}
	p := s.csm.products[i]
	switch r.Method {
	case http.MethodPut:
		if strings.TrimSpace(body.Name) == "" {
			writeCSMError(w, http.StatusBadRequest, "The product name is required.")
			return
		}
		p.Name = body.Name
		s.saveOrLog()
	case http.MethodDelete:
		// Deleting a product deletes its entitlements (Atlassian's CSM API reference).
		s.csm.products = slices.Delete(s.csm.products, i, i+1)
		s.csm.ents = slices.DeleteFunc(s.csm.ents, func(e *Entitlement) bool { return e.ProductID == id })
		s.saveOrLog()
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// Entitlements lists the entitlements, oldest first.
func (s *Site) Entitlements() []Entitlement {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Entitlement, len(s.csm.ents))
	for i, e := range s.csm.ents {
		out[i] = *e
	}
	return out
}

func (s *Site) entitlementLocked(id string) int {
	return slices.IndexFunc(s.csm.ents, func(e *Entitlement) bool { return e.ID == id })
}

func (s *Site) handleCreateEntitlement(kind, idName string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			ProductID string `json:"productId"`
		}
		if !decodeJSONBody(w, r, &body) {
			return
		}
		id := r.PathValue(idName)
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.entityLocked(kind, id); !ok {
			writeCSMError(w, http.StatusNotFound, fmt.Sprintf("No %s with ID %q.", kind, id))
			return
		}
		if !slices.ContainsFunc(s.csm.products, func(p *Product) bool { return p.ID == body.ProductID }) {
			writeCSMError(w, http.StatusBadRequest, fmt.Sprintf("No product with ID %q.", body.ProductID))
			return
		}
		e := &Entitlement{ID: uuid.NewString(), ProductID: body.ProductID, EntityType: strings.ToUpper(kind), EntityID: id}
		s.csm.ents = append(s.csm.ents, e)
		s.saveOrLog()
		switch s.csm.answers.EntitlementCreateAnswer {
		case EntitlementAnswerNoID:
			// The other shapes an undocumented answer may take: the
			// client handles them, and contract.Needed describes the
			// default one.
			MarkFault(r)
			writeJSON(w, http.StatusOK, map[string]string{"productId": e.ProductID, "entityType": e.EntityType, "entityId": e.EntityID})
		case EntitlementAnswerArray:
			MarkFault(r)
			writeJSON(w, http.StatusOK, []*Entitlement{e})
		default:
			writeJSON(w, http.StatusOK, e)
		}
	}
}

// handleListEntitlements lists a customer's or an organization's
// entitlements, optionally of one product (?product=); a customer's include
// those of its organizations, as Atlassian describes it. The answer's
// shape is not documented: {"results": [entitlement...]} is assumed, the
// entitlements as a create answers them.
func (s *Site) handleListEntitlements(kind, idName string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, product := r.PathValue(idName), r.URL.Query().Get("product")
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.entityLocked(kind, id); !ok {
			writeCSMError(w, http.StatusNotFound, fmt.Sprintf("No %s with ID %q.", kind, id))
			return
		}
		owners := map[string]bool{strings.ToUpper(kind) + " " + id: true}
		if kind == KindCustomer {
			for _, o := range s.customerOrganizationsLocked(id) {
				owners["ORGANIZATION "+o["id"]] = true
			}
		}
		out := []Entitlement{}
		for _, e := range s.csm.ents {
			if owners[e.EntityType+" "+e.EntityID] && (product == "" || e.ProductID == product) {
				out = append(out, *e)
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{"results": out})
	}
}

func (s *Site) handleDeleteEntitlement(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.entitlementLocked(r.PathValue("entitlementId"))
	if i < 0 {
		writeCSMError(w, http.StatusNotFound, fmt.Sprintf("No entitlement with ID %q.", r.PathValue("entitlementId")))
		return
	}
	delete(s.csm.values[KindEntitlement], s.csm.ents[i].ID)
	s.csm.ents = slices.Delete(s.csm.ents, i, i+1)
	s.saveOrLog()
	w.WriteHeader(http.StatusNoContent)
}

// csmSnapshot is the CSM API's part of the state file.
type csmSnapshot struct {
	Fields       map[string][]DetailField                  `json:"fields,omitempty"`
	Values       map[string]map[string]map[string][]string `json:"values,omitempty"`
	Products     []Product                                 `json:"products,omitempty"`
	Entitlements []Entitlement                             `json:"entitlements,omitempty"`
	LastID       int64                                     `json:"lastId,omitempty"`
}

func (s *Site) csmSnapshotLocked() *csmSnapshot {
	c := s.csm
	if c.nextID == 0 && len(c.products) == 0 {
		return nil
	}
	out := &csmSnapshot{Fields: map[string][]DetailField{}, Values: c.values, LastID: c.nextID}
	for k, fs := range c.fields {
		for _, f := range fs {
			out.Fields[k] = append(out.Fields[k], *f)
		}
	}
	for _, p := range c.products {
		out.Products = append(out.Products, *p)
	}
	for _, e := range c.ents {
		out.Entitlements = append(out.Entitlements, *e)
	}
	return out
}

func (s *Site) loadCSMLocked(snap *csmSnapshot) {
	if snap == nil {
		return
	}
	c := newCSMState()
	c.nextID = snap.LastID
	for k, fs := range snap.Fields {
		for _, f := range fs {
			c.fields[k] = append(c.fields[k], &f)
		}
	}
	for k, v := range snap.Values {
		c.values[k] = v
	}
	for _, p := range snap.Products {
		c.products = append(c.products, &p)
	}
	for _, e := range snap.Entitlements {
		c.ents = append(c.ents, &e)
	}
	s.csm = c
}
