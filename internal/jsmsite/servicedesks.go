package jsmsite

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// ServiceDesk is a service desk (a JSM project) as the site stores it.
//
// OpenAccess is the project's "who can raise requests" setting: true when
// anyone (open access or public signup) may, false when only the customers
// added to the desk (and its organizations) may. JSM refuses to remove
// customers from an open desk.
type ServiceDesk struct {
	ID            string   `json:"id"`
	ProjectID     string   `json:"projectId"`
	ProjectKey    string   `json:"projectKey"`
	ProjectName   string   `json:"projectName"`
	OpenAccess    bool     `json:"openAccess"`
	Customers     []string `json:"customers"`     // account IDs, sorted
	Organizations []int64  `json:"organizations"` // organization IDs, sorted
}

// seedServiceDesks are the desks every new site starts with, so demos and
// examples need no setup:
//
//   - id 1, project IT "IT Support": open access (anyone may raise requests);
//   - id 2, project HR "HR Help": closed (only added customers may).
func seedServiceDesks() []ServiceDesk {
	return []ServiceDesk{
		{ID: "1", ProjectID: "10000", ProjectKey: "IT", ProjectName: "IT Support", OpenAccess: true},
		{ID: "2", ProjectID: "10001", ProjectKey: "HR", ProjectName: "HR Help", OpenAccess: false},
	}
}

type deskRecord struct {
	ServiceDesk
	customers map[string]bool
	orgs      map[int64]bool
}

func newDeskRecord(sd ServiceDesk) *deskRecord {
	d := &deskRecord{ServiceDesk: sd, customers: setOf(sd.Customers), orgs: map[int64]bool{}}
	for _, o := range sd.Organizations {
		d.orgs[o] = true
	}
	d.Customers, d.Organizations = nil, nil
	return d
}

func (d *deskRecord) snapshot() ServiceDesk {
	out := d.ServiceDesk
	out.Customers = sortedSet(d.customers)
	out.Organizations = make([]int64, 0, len(d.orgs))
	for o := range d.orgs {
		out.Organizations = append(out.Organizations, o)
	}
	sort.Slice(out.Organizations, func(i, j int) bool { return out.Organizations[i] < out.Organizations[j] })
	return out
}

func deskIDLess(a, b string) bool {
	na, errA := strconv.ParseInt(a, 10, 64)
	nb, errB := strconv.ParseInt(b, 10, 64)
	if errA == nil && errB == nil {
		return na < nb
	}
	return a < b
}

func (s *Site) serviceDesksLocked() []ServiceDesk {
	out := make([]ServiceDesk, 0, len(s.dir.desks))
	for _, d := range s.dir.desks {
		out = append(out, d.snapshot())
	}
	sort.Slice(out, func(i, j int) bool { return deskIDLess(out[i].ID, out[j].ID) })
	return out
}

// deskLocked resolves a service desk identifier as JSM does: the desk ID,
// the project key, projectKey:KEY or projectId:ID.
func (s *Site) deskLocked(idOrKey string) (*deskRecord, bool) {
	if d, ok := s.dir.desks[idOrKey]; ok {
		return d, true
	}
	var match func(*deskRecord) bool
	switch {
	case strings.HasPrefix(idOrKey, "projectKey:"):
		key := strings.TrimPrefix(idOrKey, "projectKey:")
		match = func(d *deskRecord) bool { return strings.EqualFold(d.ProjectKey, key) }
	case strings.HasPrefix(idOrKey, "projectId:"):
		pid := strings.TrimPrefix(idOrKey, "projectId:")
		match = func(d *deskRecord) bool { return d.ProjectID == pid }
	default:
		match = func(d *deskRecord) bool { return strings.EqualFold(d.ProjectKey, idOrKey) }
	}
	for _, d := range s.dir.desks {
		if match(d) {
			return d, true
		}
	}
	return nil, false
}

// ---- Out-of-band operations and test hooks ----

// ServiceDesks lists the service desks, by ID.
func (s *Site) ServiceDesks() []ServiceDesk {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.serviceDesksLocked()
}

// ServiceDesk looks a desk up by ID or project key.
func (s *Site) ServiceDesk(idOrKey string) (ServiceDesk, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d, ok := s.deskLocked(idOrKey); ok {
		return d.snapshot(), true
	}
	return ServiceDesk{}, false
}

// AddServiceDesk creates a service desk with the next free IDs.
func (s *Site) AddServiceDesk(projectKey, projectName string, openAccess bool) ServiceDesk {
	s.mu.Lock()
	defer s.mu.Unlock()
	var maxID, maxProject int64
	for _, d := range s.dir.desks {
		if n, err := strconv.ParseInt(d.ID, 10, 64); err == nil {
			maxID = max(maxID, n)
		}
		if n, err := strconv.ParseInt(d.ProjectID, 10, 64); err == nil {
			maxProject = max(maxProject, n)
		}
	}
	d := newDeskRecord(ServiceDesk{
		ID: strconv.FormatInt(maxID+1, 10), ProjectID: strconv.FormatInt(max(maxProject+1, 10000), 10),
		ProjectKey: projectKey, ProjectName: projectName, OpenAccess: openAccess,
	})
	s.dir.desks[d.ID] = d
	s.saveOrLog()
	return d.snapshot()
}

// SetDeskOpenAccess switches who can raise requests on a desk: anyone
// (true) or only its customers (false).
func (s *Site) SetDeskOpenAccess(idOrKey string, open bool) bool {
	return s.deskMutate(idOrKey, func(d *deskRecord) bool { d.OpenAccess = open; return true })
}

// DeskCustomers lists the account IDs of a desk's customers, sorted.
func (s *Site) DeskCustomers(idOrKey string) []string {
	d, _ := s.ServiceDesk(idOrKey)
	return d.Customers
}

// AddDeskCustomers adds customers to a desk out of band (a portal sign-up).
func (s *Site) AddDeskCustomers(idOrKey string, accountIDs ...string) bool {
	return s.deskMutate(idOrKey, func(d *deskRecord) bool {
		for _, a := range accountIDs {
			d.customers[a] = true
		}
		return true
	})
}

// RemoveDeskCustomer removes one customer from a desk out of band; it
// reports whether the account was a customer of the desk.
func (s *Site) RemoveDeskCustomer(idOrKey, accountID string) bool {
	return s.deskMutate(idOrKey, func(d *deskRecord) bool {
		if !d.customers[accountID] {
			return false
		}
		delete(d.customers, accountID)
		return true
	})
}

// DeskOrganizations lists the IDs of the organizations linked to a desk.
func (s *Site) DeskOrganizations(idOrKey string) []string {
	d, _ := s.ServiceDesk(idOrKey)
	out := make([]string, len(d.Organizations))
	for i, o := range d.Organizations {
		out[i] = strconv.FormatInt(o, 10)
	}
	return out
}

// RemoveDeskOrganization unlinks an organization from a desk out of band.
func (s *Site) RemoveDeskOrganization(idOrKey, orgID string) bool {
	n, ok := parseOrgID(orgID)
	return ok && s.deskMutate(idOrKey, func(d *deskRecord) bool {
		if !d.orgs[n] {
			return false
		}
		delete(d.orgs, n)
		return true
	})
}

func (s *Site) deskMutate(idOrKey string, f func(*deskRecord) bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.deskLocked(idOrKey)
	if !ok || !f(d) {
		return false
	}
	s.saveOrLog()
	return true
}

// ---- HTTP ----

// ExperimentalHeader must be sent, with the value "opt-in", on experimental
// operations; without it they answer 412.
const ExperimentalHeader = "X-ExperimentalApi"

func requireExperimental(w http.ResponseWriter, r *http.Request) bool {
	if strings.EqualFold(strings.TrimSpace(r.Header.Get(ExperimentalHeader)), "opt-in") {
		return true
	}
	writeJSMError(w, http.StatusPreconditionFailed, "sd.experimental.api.not.opted.in",
		"This API is experimental. Experimental APIs are not guaranteed to be stable within the preview period. "+
			"You must set the header 'X-ExperimentalApi: opt-in' to opt into using this API.")
	return false
}

type serviceDeskDTO struct {
	ID          string      `json:"id"`
	ProjectID   string      `json:"projectId"`
	ProjectName string      `json:"projectName"`
	ProjectKey  string      `json:"projectKey"`
	Links       selfLinkDTO `json:"_links"`
}

func toServiceDeskDTO(base string, d ServiceDesk) serviceDeskDTO {
	return serviceDeskDTO{
		ID: d.ID, ProjectID: d.ProjectID, ProjectName: d.ProjectName, ProjectKey: d.ProjectKey,
		Links: selfLinkDTO{Self: base + "/rest/servicedeskapi/servicedesk/" + d.ID},
	}
}

func writeDeskNotFound(w http.ResponseWriter, id string) {
	writeJSMError(w, http.StatusNotFound, "sd.servicedesk.not.found",
		fmt.Sprintf("The service desk '%s' does not exist, or you do not have permission to see it.", id), id)
}

// GET /rest/servicedeskapi/servicedesk
func (s *Site) handleListServiceDesks(w http.ResponseWriter, r *http.Request) {
	base := baseURL(r)
	var list []serviceDeskDTO
	for _, d := range s.ServiceDesks() {
		list = append(list, toServiceDeskDTO(base, d))
	}
	writePage(w, r, list)
}

// GET /rest/servicedeskapi/servicedesk/{serviceDeskId}
func (s *Site) handleGetServiceDesk(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("serviceDeskId")
	d, ok := s.ServiceDesk(id)
	if !ok {
		writeDeskNotFound(w, id)
		return
	}
	if s.answerWrongServiceDesk(w, r, d) {
		return
	}
	writeJSON(w, http.StatusOK, toServiceDeskDTO(baseURL(r), d))
}

// GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/customer (experimental):
// query matches, ignoring case, the start of a word of the display name or
// the start of the email or name, as the spec's examples show ("John", "Jo",
// "Smi" and "Smith" find "John Smith"); a hidden email is not matched.
func (s *Site) handleListDeskCustomers(w http.ResponseWriter, r *http.Request) {
	if !requireExperimental(w, r) {
		return
	}
	id := r.PathValue("serviceDeskId")
	query := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("query")))
	s.mu.Lock()
	d, ok := s.deskLocked(id)
	var customers []Account
	if ok {
		for _, a := range sortedSet(d.customers) {
			acc, found := s.accountLocked(a)
			if !found {
				continue
			}
			if query != "" && !matchesDeskQuery(acc, query) {
				continue
			}
			customers = append(customers, acc)
		}
	}
	answers := s.answers
	s.mu.Unlock()
	if !ok {
		writeDeskNotFound(w, id)
		return
	}
	writeAccountPage(w, r, answers, customers)
}

// POST /rest/servicedeskapi/servicedesk/{serviceDeskId}/customer, and
// DELETE (experimental; refused while the desk is open to anyone).
func (s *Site) handleDeskCustomers(add bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !add && !requireExperimental(w, r) {
			return
		}
		var req accountIDsRequest
		if !decodeJSONBody(w, r, &req) {
			return
		}
		id := r.PathValue("serviceDeskId")
		s.mu.Lock()
		d, ok := s.deskLocked(id)
		open := ok && d.OpenAccess
		var unknown []string
		var saveErr error
		if ok && (add || !open) {
			unknown = s.applyAccountsLocked(req.AccountIDs, func(a string) {
				if add {
					d.customers[a] = true
				} else {
					delete(d.customers, a)
				}
			})
			saveErr = s.saveLocked()
		}
		s.mu.Unlock()
		switch {
		case !ok:
			writeDeskNotFound(w, id)
		case !add && open:
			writeJSMError(w, http.StatusBadRequest, "sd.customer.remove.open.access",
				"Customers can't be removed from this service desk because it has public signup or open access enabled. "+
					"To remove customers, change the project's customer permissions so only customers added to the project can raise requests.")
		case saveErr != nil:
			writeJSMError(w, http.StatusInternalServerError, "sd.internal.error", saveErr.Error())
		case len(unknown) > 0:
			writeUnknownAccounts(w, unknown)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}
}

// GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/organization?accountId
func (s *Site) handleListDeskOrganizations(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("serviceDeskId")
	accountID := r.URL.Query().Get("accountId")
	s.mu.Lock()
	d, ok := s.deskLocked(id)
	var list []organizationDTO
	if ok {
		base := baseURL(r)
		for _, o := range s.organizationsLocked() {
			if d.orgs[o.ID] && (accountID == "" || s.dir.orgs[o.ID].members[accountID]) {
				list = append(list, toOrganizationDTO(base, o))
			}
		}
	}
	s.mu.Unlock()
	if !ok {
		writeDeskNotFound(w, id)
		return
	}
	writePage(w, r, list)
}

type deskOrganizationRequest struct {
	OrganizationID *int64 `json:"organizationId"`
}

// POST and DELETE /rest/servicedeskapi/servicedesk/{serviceDeskId}/organization
// {"organizationId": 1}: 204 even when nothing changes.
func (s *Site) handleDeskOrganization(add bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req deskOrganizationRequest
		if !decodeJSONBody(w, r, &req) {
			return
		}
		if req.OrganizationID == nil {
			writeJSMError(w, http.StatusBadRequest, "sd.organization.id.required", "An organization ID must be specified.")
			return
		}
		id, orgID := r.PathValue("serviceDeskId"), *req.OrganizationID
		s.mu.Lock()
		d, deskOK := s.deskLocked(id)
		_, orgOK := s.dir.orgs[orgID]
		var saveErr error
		if deskOK && orgOK {
			if add {
				d.orgs[orgID] = true
			} else {
				delete(d.orgs, orgID)
			}
			saveErr = s.saveLocked()
		}
		s.mu.Unlock()
		switch {
		case !deskOK:
			writeDeskNotFound(w, id)
		case !orgOK:
			writeOrgNotFound(w, strconv.FormatInt(orgID, 10))
		case saveErr != nil:
			writeJSMError(w, http.StatusInternalServerError, "sd.internal.error", saveErr.Error())
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}
}
