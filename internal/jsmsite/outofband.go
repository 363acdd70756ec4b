package jsmsite

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// The /__site/ routes (listed in routes.go) expose the out-of-band
// operations (what an admin would do in the Atlassian UI) over HTTP, for the
// standalone binary, the demo and the tests, and the request counters of
// faults.go. They do not exist on a real site. Errors use the platform shape.

// GET /__site/accounts
func (s *Site) handleSiteListAccounts(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.Accounts())
}

type addAccountRequest struct {
	DisplayName string `json:"displayName"`
	Email       string `json:"email"`
	AccountType string `json:"accountType"` // "customer" (default) or "atlassian"
	EmailHidden bool   `json:"emailHidden"` // atlassian only
}

// POST /__site/accounts {"displayName","email","accountType"?,"emailHidden"?}
func (s *Site) handleSiteAddAccount(w http.ResponseWriter, r *http.Request) {
	var req addAccountRequest
	if !decodeJSONBody(w, r, &req) {
		return
	}
	var a Account
	var err error
	switch req.AccountType {
	case "", AccountTypeCustomer:
		a, err = s.AddCustomer(req.DisplayName, req.Email)
	case AccountTypeAtlassian:
		a, err = s.AddAtlassianAccount(req.DisplayName, req.Email, req.EmailHidden)
	default:
		writePlatformError(w, http.StatusBadRequest, "accountType must be customer or atlassian.")
		return
	}
	switch {
	case errors.Is(err, ErrEmailTaken):
		writePlatformError(w, http.StatusConflict, "An account already exists for this email address.")
	case errors.Is(err, ErrInvalidEmail), errors.Is(err, ErrInvalidDisplayName):
		writePlatformError(w, http.StatusBadRequest, err.Error())
	case err != nil:
		writePlatformError(w, http.StatusInternalServerError, err.Error())
	default:
		writeJSON(w, http.StatusCreated, a)
	}
}

// GET /__site/accounts/{id}
func (s *Site) handleSiteGetAccount(w http.ResponseWriter, r *http.Request) {
	a, ok := s.Account(r.PathValue("id"))
	if !ok {
		siteAccountNotFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

type patchAccountRequest struct {
	DisplayName *string `json:"displayName"`
	EmailHidden *bool   `json:"emailHidden"`
	Active      *bool   `json:"active"`
	// The roles that decide CSM eligibility (Account.CustomerRole, Agent).
	CustomerRole *bool `json:"customerRole"`
	Agent        *bool `json:"agent"`
}

// PATCH /__site/accounts/{id} {"displayName"?, "emailHidden"?, "active"?, "customerRole"?, "agent"?}
func (s *Site) handleSitePatchAccount(w http.ResponseWriter, r *http.Request) {
	var req patchAccountRequest
	if !decodeJSONBody(w, r, &req) {
		return
	}
	id := r.PathValue("id")
	if req.DisplayName != nil && strings.TrimSpace(*req.DisplayName) == "" {
		writePlatformError(w, http.StatusBadRequest, "displayName must not be blank.")
		return
	}
	// Validate the account exists first so a 404 changes nothing.
	if _, ok := s.customer(id); !ok {
		siteAccountNotFound(w, r)
		return
	}
	if req.DisplayName != nil && !s.RenameAccount(id, *req.DisplayName) ||
		req.EmailHidden != nil && !s.SetEmailHidden(id, *req.EmailHidden) ||
		req.Active != nil && !s.SetActive(id, *req.Active) ||
		(req.CustomerRole != nil || req.Agent != nil) && !s.setRolesPatch(id, req.CustomerRole, req.Agent) {
		siteAccountNotFound(w, r) // deleted concurrently
		return
	}
	a, _ := s.Account(id)
	writeJSON(w, http.StatusOK, a)
}

// DELETE /__site/accounts/{id}
func (s *Site) handleSiteDeleteAccount(w http.ResponseWriter, r *http.Request) {
	if !s.DeleteAccount(r.PathValue("id")) {
		siteAccountNotFound(w, r)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// PUT /__site/account-answers (AccountAnswers as JSON)
func (s *Site) handleSiteAccountAnswers(w http.ResponseWriter, r *http.Request) {
	var req AccountAnswers
	if !decodeJSONBody(w, r, &req) {
		return
	}
	if err := s.SetAccountAnswers(req); err != nil {
		writePlatformError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, req)
}

// customer finds a customer (not the admin, which cannot be changed).
func (s *Site) customer(id string) (Account, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.accounts[id]; ok {
		return r.Account, true
	}
	return Account{}, false
}

func siteAccountNotFound(w http.ResponseWriter, r *http.Request) {
	writePlatformError(w, http.StatusNotFound, fmt.Sprintf("No customer account with ID '%s'.", r.PathValue("id")))
}

// GET /__site/stats: the counters, {"requests": {route: {status: count}},
// "bulkSizes": {ids: count}} (BulkSizes).
func (s *Site) handleSiteStats(w http.ResponseWriter, r *http.Request) {
	out := map[string]map[string]int{}
	for route, byStatus := range s.Requests() {
		out[route] = map[string]int{}
		for st, n := range byStatus {
			out[route][strconv.Itoa(st)] = n
		}
	}
	sizes := map[string]int{}
	for ids, n := range s.BulkSizes() {
		sizes[strconv.Itoa(ids)] = n
	}
	writeJSON(w, http.StatusOK, map[string]any{"requests": out, "bulkSizes": sizes, "faults": s.Faults()})
}

// PATCH /__site/servicedesks/{id} {"openAccess": bool}: the project setting
// of who can raise requests, for the standalone site.
func (s *Site) handleSitePatchServiceDesk(w http.ResponseWriter, r *http.Request) {
	var req struct {
		OpenAccess *bool `json:"openAccess"`
	}
	if !decodeJSONBody(w, r, &req) {
		return
	}
	id := r.PathValue("id")
	if req.OpenAccess != nil && !s.SetDeskOpenAccess(id, *req.OpenAccess) {
		writePlatformError(w, http.StatusNotFound, fmt.Sprintf("No service desk '%s'.", id))
		return
	}
	d, ok := s.ServiceDesk(id)
	if !ok {
		writePlatformError(w, http.StatusNotFound, fmt.Sprintf("No service desk '%s'.", id))
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// GET /__site/servicedesks and GET /__site/organizations: what the site
// holds, memberships included.
func (s *Site) handleSiteListServiceDesks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.ServiceDesks())
}

func (s *Site) handleSiteListOrganizations(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.Organizations())
}

// setRolesPatch changes the roles given, keeping the others.
func (s *Site) setRolesPatch(id string, customerRole, agent *bool) bool {
	a, ok := s.customer(id)
	if !ok {
		return false
	}
	if customerRole != nil {
		a.CustomerRole = *customerRole
	}
	if agent != nil {
		a.Agent = *agent
	}
	return s.SetRoles(id, a.CustomerRole, a.Agent)
}
