package jsmsite

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The organization and organization member routes.

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
	if s.writeOrg(w, r.PathValue("organizationId"), func(o *orgRecord) { s.deleteOrgLocked(o.ID) }) {
		w.WriteHeader(http.StatusNoContent)
	}
}

// writeOrg applies f to the organization the path names, under the lock,
// and saves; it answers the 404 of an unknown organization or the 500 of a
// failed save itself, and reports whether the handler answers success.
func (s *Site) writeOrg(w http.ResponseWriter, id string, f func(*orgRecord)) bool {
	s.mu.Lock()
	o, ok := s.orgLocked(id)
	var saveErr error
	if ok {
		f(o)
		saveErr = s.saveLocked()
	}
	s.mu.Unlock()
	switch {
	case !ok:
		writeOrgNotFound(w, id)
	case saveErr != nil:
		writeJSMError(w, http.StatusInternalServerError, "sd.internal.error", saveErr.Error())
	default:
		return true
	}
	return false
}

// GET /rest/servicedeskapi/organization/{organizationId}/user: the members,
// ordered by account ID. Accounts deleted since are left out.
func (s *Site) handleListOrganizationUsers(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("organizationId")
	s.mu.Lock()
	o, ok := s.orgLocked(id)
	var members []Account
	if ok {
		for _, a := range sortedSet(o.members) {
			if acc, found := s.accountLocked(a); found {
				members = append(members, acc)
			}
		}
	}
	answers := s.answers
	s.mu.Unlock()
	if !ok {
		writeOrgNotFound(w, id)
		return
	}
	writeAccountPage(w, r, answers, members)
}

// writeAccountPage answers a page of accounts as UserDTOs; only the page's
// are built. A departing account among them marks the answer as a fault.
func writeAccountPage(w http.ResponseWriter, r *http.Request, answers AccountAnswers, accounts []Account) {
	base := baseURL(r)
	users := writePageOf(w, r, len(accounts), func(i int) customerDTO { return answers.toCustomerDTO(base, accounts[i]) })
	markDeparting(r, users...)
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
		var unknown []string
		ok := s.writeOrg(w, r.PathValue("organizationId"), func(o *orgRecord) {
			unknown = s.applyAccountsLocked(req.AccountIDs, func(a string) {
				if add {
					o.members[a] = true
				} else {
					delete(o.members, a)
				}
			})
		})
		switch {
		case !ok:
		case len(unknown) > 0:
			writeUnknownAccounts(w, unknown)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}
}
