package jsmsite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Organization limits, as on JSM Cloud.
const (
	maxOrganizationName = 200
	maxPropertyKey      = 255   // bytes
	maxPropertyValue    = 32768 // bytes
)

// Organization is a JSM organization as the site stores it (and as the state
// file holds it).
type Organization struct {
	ID          int64                      `json:"id"`
	Name        string                     `json:"name"`
	UUID        string                     `json:"uuid"`
	SCIMManaged bool                       `json:"scimManaged"`
	Created     time.Time                  `json:"created"`
	Members     []string                   `json:"members"` // account IDs, sorted
	Properties  map[string]json.RawMessage `json:"properties,omitempty"`
}

type orgRecord struct {
	Organization
	members map[string]bool
	props   map[string]json.RawMessage
}

func (o *orgRecord) snapshot() Organization {
	out := o.Organization
	out.Members = sortedSet(o.members)
	out.Properties = nil
	if len(o.props) > 0 {
		out.Properties = make(map[string]json.RawMessage, len(o.props))
		for k, v := range o.props {
			out.Properties[k] = append(json.RawMessage(nil), v...)
		}
	}
	return out
}

// directory holds organizations and service desks; guarded by Site.mu.
type directory struct {
	orgs    map[int64]*orgRecord
	nextOrg int64
	desks   map[string]*deskRecord // by service desk ID
}

func newDirectory() *directory {
	d := &directory{orgs: map[int64]*orgRecord{}, desks: map[string]*deskRecord{}}
	for _, sd := range seedServiceDesks() {
		d.desks[sd.ID] = newDeskRecord(sd)
	}
	return d
}

// loadDirectoryLocked takes organizations and service desks from the state
// file. A file without serviceDesks (written before they existed) keeps the
// seeded desks.
func (s *Site) loadDirectoryLocked(st stateFile) error {
	d := &directory{orgs: map[int64]*orgRecord{}, desks: s.dir.desks}
	for _, o := range st.Organizations {
		if o.ID <= 0 || o.Name == "" {
			return fmt.Errorf("jsmsite: state file %s: organization without id or name", s.cfg.StateFile)
		}
		if _, dup := d.orgs[o.ID]; dup {
			return fmt.Errorf("jsmsite: state file %s: duplicate organization id %d", s.cfg.StateFile, o.ID)
		}
		r := &orgRecord{Organization: o, members: setOf(o.Members), props: map[string]json.RawMessage{}}
		for k, v := range o.Properties {
			// MarshalIndent indented the stored values: compact them again.
			var buf bytes.Buffer
			if err := json.Compact(&buf, v); err != nil {
				return fmt.Errorf("jsmsite: state file %s: organization %d property %q: %w", s.cfg.StateFile, o.ID, k, err)
			}
			r.props[k] = buf.Bytes()
		}
		r.Members, r.Properties = nil, nil
		d.orgs[o.ID] = r
		d.nextOrg = max(d.nextOrg, o.ID)
	}
	d.nextOrg = max(d.nextOrg, st.LastOrganizationID)
	if st.ServiceDesks != nil {
		d.desks = map[string]*deskRecord{}
		for _, sd := range st.ServiceDesks {
			if sd.ID == "" || sd.ProjectKey == "" {
				return fmt.Errorf("jsmsite: state file %s: service desk without id or project key", s.cfg.StateFile)
			}
			d.desks[sd.ID] = newDeskRecord(sd)
		}
	}
	s.dir = d
	return nil
}

// fillDirectoryLocked adds organizations and service desks to st.
func (s *Site) fillDirectoryLocked(st *stateFile) {
	st.Organizations = s.organizationsLocked()
	st.LastOrganizationID = s.dir.nextOrg
	st.ServiceDesks = s.serviceDesksLocked()
}

func (s *Site) organizationsLocked() []Organization {
	out := make([]Organization, 0, len(s.dir.orgs))
	for _, o := range s.dir.orgs {
		out = append(out, o.snapshot())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// saveOrLog saves after an out-of-band change; those report only success.
func (s *Site) saveOrLog() {
	if err := s.saveLocked(); err != nil {
		log.Printf("jsmsite: %v", err)
	}
}

func setOf(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// knownAccountLocked reports whether id is an account of the site.
func (s *Site) knownAccountLocked(id string) bool {
	r, ok := s.accounts[id]
	return ok && !r.Deleted || id == s.admin.AccountID
}

func (s *Site) accountLocked(id string) (Account, bool) {
	if id == s.admin.AccountID {
		return s.admin, true
	}
	if r, ok := s.accounts[id]; ok && !r.Deleted { // deleted accounts leave memberships
		return r.Account, true
	}
	return Account{}, false
}

func parseOrgID(id string) (int64, bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil && n > 0
}

func (s *Site) orgLocked(id string) (*orgRecord, bool) {
	n, ok := parseOrgID(id)
	if !ok {
		return nil, false
	}
	o, ok := s.dir.orgs[n]
	return o, ok
}

// orgByNameLocked finds an organization by name, ignoring letter case.
func (s *Site) orgByNameLocked(name string) (*orgRecord, bool) {
	for _, o := range s.dir.orgs {
		if strings.EqualFold(o.Name, name) {
			return o, true
		}
	}
	return nil, false
}

// createOrgLocked returns the existing organization when the name is taken,
// as POST /organization does; created says which.
func (s *Site) createOrgLocked(name string) (o *orgRecord, created bool) {
	if o, ok := s.orgByNameLocked(name); ok {
		return o, false
	}
	s.dir.nextOrg++
	o = &orgRecord{
		Organization: Organization{ID: s.dir.nextOrg, Name: name, UUID: uuid.NewString(), Created: time.Now().UTC()},
		members:      map[string]bool{},
		props:        map[string]json.RawMessage{},
	}
	s.dir.orgs[o.ID] = o
	return o, true
}

// ---- Out-of-band operations and test hooks ----

// Organizations lists the organizations, by ID.
func (s *Site) Organizations() []Organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.organizationsLocked()
}

// Organization looks an organization up by ID.
func (s *Site) Organization(id string) (Organization, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orgLocked(id); ok {
		return o.snapshot(), true
	}
	return Organization{}, false
}

// AddOrganization creates an organization out of band, or returns the one
// that already has the name.
func (s *Site) AddOrganization(name string) Organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, created := s.createOrgLocked(name)
	if created {
		s.saveOrLog()
	}
	return o.snapshot()
}

// DeleteOrganization deletes an organization out of band, with its service
// desk links.
func (s *Site) DeleteOrganization(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orgLocked(id)
	if !ok {
		return false
	}
	s.deleteOrgLocked(o.ID)
	s.saveOrLog()
	return true
}

func (s *Site) deleteOrgLocked(id int64) {
	delete(s.dir.orgs, id)
	for _, d := range s.dir.desks {
		delete(d.orgs, id)
	}
}

// OrganizationMembers lists the account IDs in an organization, sorted; nil
// when there is no such organization.
func (s *Site) OrganizationMembers(id string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orgLocked(id); ok {
		return sortedSet(o.members)
	}
	return nil
}

// AddOrganizationMembers adds accounts to an organization out of band (a
// portal sign-up, another tool); unknown account IDs are added too.
func (s *Site) AddOrganizationMembers(id string, accountIDs ...string) bool {
	return s.orgMutate(id, func(o *orgRecord) bool {
		for _, a := range accountIDs {
			o.members[a] = true
		}
		return true
	})
}

// RemoveOrganizationMember removes one account from an organization out of
// band; it reports whether the account was a member.
func (s *Site) RemoveOrganizationMember(id, accountID string) bool {
	return s.orgMutate(id, func(o *orgRecord) bool {
		if !o.members[accountID] {
			return false
		}
		delete(o.members, accountID)
		return true
	})
}

// OrganizationProperty returns a property's stored JSON value.
func (s *Site) OrganizationProperty(id, key string) (json.RawMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orgLocked(id); ok {
		if v, ok := o.props[key]; ok {
			return append(json.RawMessage(nil), v...), true
		}
	}
	return nil, false
}

// SetOrganizationProperty stores a property out of band; value must be JSON.
func (s *Site) SetOrganizationProperty(id, key string, value json.RawMessage) bool {
	if !json.Valid(value) {
		return false
	}
	return s.orgMutate(id, func(o *orgRecord) bool {
		o.props[key] = append(json.RawMessage(nil), value...)
		return true
	})
}

// DeleteOrganizationProperty removes a property out of band.
func (s *Site) DeleteOrganizationProperty(id, key string) bool {
	return s.orgMutate(id, func(o *orgRecord) bool {
		if _, ok := o.props[key]; !ok {
			return false
		}
		delete(o.props, key)
		return true
	})
}

// orgMutate applies f to an organization under the lock and saves when f
// reports a change, as deskMutate does for desks.
func (s *Site) orgMutate(id string, f func(*orgRecord) bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orgLocked(id)
	if !ok || !f(o) {
		return false
	}
	s.saveOrLog()
	return true
}

// ---- HTTP ----

// dateDTO is the servicedeskapi DateDTO.
type dateDTO struct {
	EpochMillis int64  `json:"epochMillis"`
	Friendly    string `json:"friendly"`
	ISO8601     string `json:"iso8601"`
	Jira        string `json:"jira"`
}

func toDateDTO(t time.Time) *dateDTO {
	if t.IsZero() {
		return nil
	}
	return &dateDTO{
		EpochMillis: t.UnixMilli(),
		Friendly:    t.Format("02/Jan/06 3:04 PM"),
		ISO8601:     t.Format("2006-01-02T15:04:05-0700"),
		Jira:        t.Format("2006-01-02T15:04:05.000-0700"),
	}
}

type selfLinkDTO struct {
	Self string `json:"self"`
}

type organizationDTO struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	UUID        string      `json:"uuid,omitempty"`
	SCIMManaged bool        `json:"scimManaged"`
	Created     *dateDTO    `json:"created,omitempty"`
	Links       selfLinkDTO `json:"_links"`
}

func toOrganizationDTO(base string, o Organization) organizationDTO {
	id := strconv.FormatInt(o.ID, 10)
	return organizationDTO{
		ID: id, Name: o.Name, UUID: o.UUID, SCIMManaged: o.SCIMManaged, Created: toDateDTO(o.Created),
		Links: selfLinkDTO{Self: base + "/rest/servicedeskapi/organization/" + id},
	}
}

func writeOrgNotFound(w http.ResponseWriter, id string) {
	writeJSMError(w, http.StatusNotFound, "sd.organization.not.found",
		fmt.Sprintf("The organization with ID '%s' does not exist.", id), id)
}

// GET /rest/servicedeskapi/organization?start&limit&accountId
func (s *Site) handleListOrganizations(w http.ResponseWriter, r *http.Request) {
	accountID := r.URL.Query().Get("accountId")
	s.mu.Lock()
	var list []organizationDTO
	base := baseURL(r)
	for _, o := range s.organizationsLocked() {
		if accountID == "" || s.dir.orgs[o.ID].members[accountID] {
			list = append(list, toOrganizationDTO(base, o))
		}
	}
	known := accountID == "" || s.knownAccountLocked(accountID)
	s.mu.Unlock()
	if !known {
		writeJSMError(w, http.StatusNotFound, "sd.user.not.found",
			fmt.Sprintf("The user with account ID '%s' does not exist.", accountID), accountID)
		return
	}
	writePage(w, r, list)
}

type createOrganizationRequest struct {
	Name string `json:"name"`
}

// POST /rest/servicedeskapi/organization {"name"}: 201 with the new
// organization, or with the existing one when the name is taken.
func (s *Site) handleCreateOrganization(w http.ResponseWriter, r *http.Request) {
	var req createOrganizationRequest
	if !decodeJSONBody(w, r, &req) {
		return
	}
	name := strings.TrimSpace(req.Name)
	switch {
	case name == "":
		writeJSMError(w, http.StatusBadRequest, "sd.organization.name.empty", "An organization name must be specified.")
		return
	case utf8.RuneCountInString(name) > maxOrganizationName:
		writeJSMError(w, http.StatusBadRequest, "sd.organization.name.too.long",
			fmt.Sprintf("The organization name must not be longer than %d characters.", maxOrganizationName),
			strconv.Itoa(maxOrganizationName))
		return
	}
	s.mu.Lock()
	o, created := s.createOrgLocked(name)
	var saveErr error
	if created {
		saveErr = s.saveLocked()
	}
	snap := o.snapshot()
	s.mu.Unlock()
	if saveErr != nil {
		writeJSMError(w, http.StatusInternalServerError, "sd.internal.error", saveErr.Error())
		return
	}
	writeJSON(w, http.StatusCreated, toOrganizationDTO(baseURL(r), snap))
}

// GET /rest/servicedeskapi/organization/{organizationId}
func (s *Site) handleGetOrganization(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("organizationId")
	o, ok := s.Organization(id)
	if !ok {
		writeOrgNotFound(w, id)
		return
	}
	if s.answerWrongOrganization(w, r, o) {
		return
	}
	writeJSON(w, http.StatusOK, toOrganizationDTO(baseURL(r), o))
}

// DELETE /rest/servicedeskapi/organization/{organizationId}
func (s *Site) handleDeleteOrganization(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("organizationId")
	s.mu.Lock()
	o, ok := s.orgLocked(id)
	var saveErr error
	if ok {
		s.deleteOrgLocked(o.ID)
		saveErr = s.saveLocked()
	}
	s.mu.Unlock()
	switch {
	case !ok:
		writeOrgNotFound(w, id)
	case saveErr != nil:
		writeJSMError(w, http.StatusInternalServerError, "sd.internal.error", saveErr.Error())
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// GET /rest/servicedeskapi/organization/{organizationId}/user: the members,
// ordered by account ID. Accounts deleted since are left out.
func (s *Site) handleListOrganizationUsers(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("organizationId")
	s.mu.Lock()
	o, ok := s.orgLocked(id)
	var users []customerDTO
	if ok {
		base := baseURL(r)
		for _, a := range sortedSet(o.members) {
			if acc, found := s.accountLocked(a); found {
				users = append(users, s.answers.toCustomerDTO(base, acc))
			}
		}
	}
	s.mu.Unlock()
	if !ok {
		writeOrgNotFound(w, id)
		return
	}
	writePage(w, r, users)
}

// accountIDsRequest is UsersOrganizationUpdateDTO and
// ServiceDeskCustomerDTO: usernames is deprecated and ignored here.
type accountIDsRequest struct {
	AccountIDs []string `json:"accountIds"`
	Usernames  []string `json:"usernames"`
}

// applyAccounts runs f for every known account in ids, under the lock, and
// returns the unknown ones. Like JSM, the known ones are applied even when
// some are unknown.
func (s *Site) applyAccountsLocked(ids []string, f func(id string)) (unknown []string) {
	for _, id := range ids {
		if s.knownAccountLocked(id) {
			f(id)
		} else {
			unknown = append(unknown, id)
		}
	}
	return unknown
}

func writeUnknownAccounts(w http.ResponseWriter, unknown []string) {
	writeJSMError(w, http.StatusBadRequest, "sd.user.not.found",
		"The following users do not exist: "+strings.Join(unknown, ", ")+".", unknown...)
}

// POST and DELETE /rest/servicedeskapi/organization/{organizationId}/user
func (s *Site) handleOrganizationUsers(add bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req accountIDsRequest
		if !decodeJSONBody(w, r, &req) {
			return
		}
		id := r.PathValue("organizationId")
		s.mu.Lock()
		o, ok := s.orgLocked(id)
		var unknown []string
		var saveErr error
		if ok {
			unknown = s.applyAccountsLocked(req.AccountIDs, func(a string) {
				if add {
					o.members[a] = true
				} else {
					delete(o.members, a)
				}
			})
			saveErr = s.saveLocked()
		}
		s.mu.Unlock()
		switch {
		case !ok:
			writeOrgNotFound(w, id)
		case saveErr != nil:
			writeJSMError(w, http.StatusInternalServerError, "sd.internal.error", saveErr.Error())
		case len(unknown) > 0:
			writeUnknownAccounts(w, unknown)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}
}

// GET /rest/servicedeskapi/organization/{organizationId}/property
func (s *Site) handleListOrganizationProperties(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("organizationId")
	o, ok := s.Organization(id)
	if !ok {
		writeOrgNotFound(w, id)
		return
	}
	type keyDTO struct {
		Key  string `json:"key"`
		Self string `json:"self"`
	}
	keys := make([]string, 0, len(o.Properties))
	for k := range o.Properties {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := struct {
		Keys []keyDTO `json:"keys"`
	}{Keys: []keyDTO{}}
	for _, k := range keys {
		out.Keys = append(out.Keys, keyDTO{Key: k, Self: baseURL(r) + "/rest/servicedeskapi/organization/" + id + "/property/" + k})
	}
	writeJSON(w, http.StatusOK, out)
}

func writePropertyNotFound(w http.ResponseWriter, id, key string) {
	writeJSMError(w, http.StatusNotFound, "sd.organization.property.not.found",
		fmt.Sprintf("The property '%s' does not exist on the organization with ID '%s'.", key, id), key, id)
}

// GET /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}
func (s *Site) handleGetOrganizationProperty(w http.ResponseWriter, r *http.Request) {
	id, key := r.PathValue("organizationId"), r.PathValue("propertyKey")
	if _, ok := s.Organization(id); !ok {
		writeOrgNotFound(w, id)
		return
	}
	v, ok := s.OrganizationProperty(id, key)
	if !ok {
		writePropertyNotFound(w, id, key)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Key   string          `json:"key"`
		Value json.RawMessage `json:"value"`
	}{key, v})
}

// PUT /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}:
// 201 when created, 200 when replaced.
func (s *Site) handlePutOrganizationProperty(w http.ResponseWriter, r *http.Request) {
	id, key := r.PathValue("organizationId"), r.PathValue("propertyKey")
	var raw json.RawMessage
	if !decodeJSONBody(w, r, &raw) {
		return
	}
	switch {
	case len(key) > maxPropertyKey:
		writeJSMError(w, http.StatusBadRequest, "jira.properties.service.key.too.long",
			fmt.Sprintf("The property key can't be longer than %d characters.", maxPropertyKey))
		return
	case len(raw) > maxPropertyValue:
		writeJSMError(w, http.StatusBadRequest, "jira.properties.service.value.too.long",
			fmt.Sprintf("The property value can't be longer than %d characters.", maxPropertyValue))
		return
	}
	s.mu.Lock()
	o, ok := s.orgLocked(id)
	var existed bool
	var saveErr error
	if ok {
		_, existed = o.props[key]
		o.props[key] = append(json.RawMessage(nil), raw...)
		saveErr = s.saveLocked()
	}
	s.mu.Unlock()
	switch {
	case !ok:
		writeOrgNotFound(w, id)
	case saveErr != nil:
		writeJSMError(w, http.StatusInternalServerError, "sd.internal.error", saveErr.Error())
	case existed:
		w.WriteHeader(http.StatusOK)
	default:
		w.WriteHeader(http.StatusCreated)
	}
}

// DELETE /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}
func (s *Site) handleDeleteOrganizationProperty(w http.ResponseWriter, r *http.Request) {
	id, key := r.PathValue("organizationId"), r.PathValue("propertyKey")
	if _, ok := s.Organization(id); !ok {
		writeOrgNotFound(w, id)
		return
	}
	if !s.DeleteOrganizationProperty(id, key) {
		writePropertyNotFound(w, id, key)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
