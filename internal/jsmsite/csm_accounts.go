package jsmsite

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// The CSM API's customer account and organization operations, experimental
// since January 2026 (Atlassian's CSM API changelog and reference): read,
// rename (display name only) and delete a customer account of the site's
// customer directory, and rename an organization (name only). Atlassian
// names their paths, permissions and effects; their bodies and answers are
// not documented, and the ones served here are the provider's assumptions
// (internal/jsm/csm_accounts.go): {"displayName"} and {"name"} in, the
// account {"id", "email", "displayName"} and the organization {"id",
// "name"} out. CSMAnswers.AccountAnswersOther answers another shape,
// CSMAnswers.RenameAnswersNoContent 204 with no body, and
// CSMAnswers.RenameNotApplied success without the rename.
//
// As documented: an experimental operation called without the header
// X-ExperimentalApi: opt-in answers 412; the account operations take
// customer accounts only (Atlassian accounts answer 404, as Atlassian's
// "Supported customer IDs" page says of ineligible accounts); a deleted
// account cannot be restored, and the platform API then answers it as any
// deleted account (AccountAnswers.DeletedAnswer404 included); a renamed
// organization keeps its ID, members and service desks.

// featureAccounts is the "feature" of the account operations, for
// csmHandler: off with CSMAnswers.AccountAPIOff.
const featureAccounts = "customer accounts"

func (s *Site) registerAccountRoutes() {
	h := func(f http.HandlerFunc) http.HandlerFunc { return s.csmHandler(featureAccounts, f) }
	s.route("PUT "+CSMPrefix+"/customer/account/{customerId}", h(s.handleRenameCustomerAccount))
	s.route("DELETE "+CSMPrefix+"/customer/account/{customerId}", h(s.handleDeleteCustomerAccount))
	s.route("PUT "+CSMPrefix+"/organization/{organizationId}", h(s.handleRenameOrganization))
}

// experimentalOptIn answers 412 when the header is missing, as the CSM
// API's PreconditionFailed response documents, and reports whether to go on.
func experimentalOptIn(w http.ResponseWriter, r *http.Request) bool {
	if !strings.EqualFold(strings.TrimSpace(r.Header.Get("X-ExperimentalApi")), "opt-in") {
		writeCSMError(w, http.StatusPreconditionFailed, "The experimental opt-in header was not set: this operation is "+
			"experimental and needs the header X-ExperimentalApi: opt-in.")
		return false
	}
	return true
}

type customerAccountDTO struct {
	ID          string `json:"id"`
	Email       string `json:"email"`
	DisplayName string `json:"displayName"`
}

// customerAccountLocked returns the customer account id of the customer
// directory, or false: not an account, deleted, or an Atlassian account.
func (s *Site) customerAccountLocked(id string) (*record, bool) {
	r, ok := s.accounts[id]
	if !ok || r.Deleted || r.Corrupted || r.AccountType != AccountTypeCustomer {
		return nil, false
	}
	return r, true
}

func notACustomerAccount(w http.ResponseWriter, id string) {
	writeCSMError(w, http.StatusNotFound, fmt.Sprintf("No customer account with ID %q in the customer directory "+
		"(Atlassian accounts are not customer accounts).", id))
}

func (s *Site) handleGetCustomerAccount(w http.ResponseWriter, r *http.Request) {
	if !experimentalOptIn(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("customerId")
	rec, ok := s.customerAccountLocked(id)
	if !ok {
		notACustomerAccount(w, id)
		return
	}
	writeJSON(w, http.StatusOK, customerAccountDTO{ID: rec.AccountID, Email: rec.Email, DisplayName: rec.DisplayName})
}

func (s *Site) handleRenameCustomerAccount(w http.ResponseWriter, r *http.Request) {
	if !experimentalOptIn(w, r) {
		return
	}
	var body struct {
		DisplayName string `json:"displayName"`
	}
	if !decodeJSONBody(w, r, &body) {
		return
	}
	if strings.TrimSpace(body.DisplayName) == "" || len([]rune(body.DisplayName)) > 255 {
		writeCSMError(w, http.StatusBadRequest, "displayName is required (1 to 255 characters).")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("customerId")
	rec, ok := s.customerAccountLocked(id)
	if !ok {
		notACustomerAccount(w, id)
		return
	}
	out := customerAccountDTO{ID: rec.AccountID, Email: rec.Email, DisplayName: body.DisplayName}
	if !s.csm.answers.RenameNotApplied {
		rec.DisplayName = body.DisplayName
		s.saveOrLog()
	}
	switch {
	case s.csm.answers.RenameAnswersNoContent:
		w.WriteHeader(http.StatusNoContent)
		return
	case s.csm.answers.AccountAnswersOther:
		writeJSON(w, http.StatusOK, map[string]any{"customer": out, "status": "UPDATED"})
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Site) handleDeleteCustomerAccount(w http.ResponseWriter, r *http.Request) {
	if !experimentalOptIn(w, r) {
		return
	}
	id := r.PathValue("customerId")
	s.mu.Lock()
	_, ok := s.customerAccountLocked(id)
	s.mu.Unlock()
	if !ok || !s.DeleteAccount(id) {
		notACustomerAccount(w, id)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Site) handleRenameOrganization(w http.ResponseWriter, r *http.Request) {
	if !experimentalOptIn(w, r) {
		return
	}
	var body struct {
		Name string `json:"name"`
	}
	if !decodeJSONBody(w, r, &body) {
		return
	}
	name := body.Name
	if strings.TrimSpace(name) == "" || len([]rune(name)) > maxOrganizationName {
		writeCSMError(w, http.StatusBadRequest, fmt.Sprintf("name is required (1 to %d characters).", maxOrganizationName))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("organizationId")
	o, ok := s.orgLocked(id)
	if !ok {
		writeCSMError(w, http.StatusNotFound, fmt.Sprintf("No organization with ID %q.", id))
		return
	}
	// Names are unique, letter case aside, as JSM's create treats them;
	// what the real rename answers to a taken name is not documented.
	if other, taken := s.orgByNameLocked(name); taken && other.ID != o.ID {
		writeCSMError(w, http.StatusBadRequest, fmt.Sprintf("An organization named %q already exists.", other.Name))
		return
	}
	if !s.csm.answers.RenameNotApplied {
		o.Name = name
		s.saveOrLog()
	}
	out := map[string]string{"id": strconv.FormatInt(o.ID, 10), "name": name}
	switch {
	case s.csm.answers.RenameAnswersNoContent:
		w.WriteHeader(http.StatusNoContent)
		return
	case s.csm.answers.AccountAnswersOther:
		writeJSON(w, http.StatusOK, map[string]any{"organization": out})
		return
	}
	writeJSON(w, http.StatusOK, out)
}
