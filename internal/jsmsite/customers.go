package jsmsite

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Locale reported for every account; the fake has no per-user locale.
const defaultLocale = "en_US"

// Search page size limits, as on Jira Cloud.
const (
	defaultMaxResults = 50
	maxMaxResults     = 1000
)

// avatarURLs is the 16x16..48x48 map used by both API families.
type avatarURLs struct {
	X16 string `json:"16x16"`
	X24 string `json:"24x24"`
	X32 string `json:"32x32"`
	X48 string `json:"48x48"`
}

// avatars builds gravatar-backed Atlassian CDN URLs like the spec example;
// keyed on the email hash so they are stable for an account.
func avatars(email string) avatarURLs {
	sum := md5.Sum([]byte(strings.ToLower(email)))
	h := hex.EncodeToString(sum[:])
	u := func(size int) string {
		fallback := fmt.Sprintf("https://secure.gravatar.com/avatar/%s?d=mm&s=%d&noRedirect=true", h, size)
		return fmt.Sprintf("https://avatar-cdn.atlassian.com/%s?s=%d&d=%s", h, size, url.QueryEscape(fallback))
	}
	return avatarURLs{X16: u(16), X24: u(24), X32: u(32), X48: u(48)}
}

// AccountAnswers chooses how account answers look where the real API
// varies or where Atlassian does not document the answer. The zero value is
// the documented behaviour. Set it with SetAccountAnswers, also while serving.
type AccountAnswers struct {
	// DeletedAnswer404: GET /rest/api/3/user answers 404 for a deleted
	// account, instead of the documented 200 "Former user" answer.
	DeletedAnswer404 bool
	// HiddenEmail is how an email hidden by privacy settings shows in
	// answers: HiddenEmailAbsent (default), HiddenEmailNull or
	// HiddenEmailEmpty; the real API is seen to use all three.
	HiddenEmail string
	// Unavailable: GET /rest/api/3/user answers every account with fallback
	// values, as during an Atlassian outage (200, accountType "unknown").
	Unavailable bool
	// CustomerTimeZoneNull: the customer API answers timeZone null for a new
	// customer, whose time zone is then the site's default, which is what
	// the platform API answers.
	CustomerTimeZoneNull bool
	// SearchNewestFirst: user search lists newer accounts first. Atlassian
	// documents no order; the default is oldest first.
	SearchNewestFirst bool
	// BulkPageCap is the most accounts one page of GET
	// /rest/api/3/user/bulk holds, whatever maxResults asks (0: 200).
	// Atlassian documents the default page (10), not the cap.
	BulkPageCap int
	// BulkUnknown404: GET /rest/api/3/user/bulk answers 404 for a list
	// holding an ID that matches no account, instead of leaving the ID out
	// of values (what public reports describe; Atlassian documents neither).
	BulkUnknown404 bool
	// NoBrowseUsers: the credential lacks the Browse users and groups global
	// permission, as Atlassian documents the effect: user search answers an
	// empty list (not an error), reading an account answers 403, and GET
	// /rest/api/3/mypermissions says USER_PICKER is not held.
	NoBrowseUsers bool
	// AllUsersWithoutCustomers: GET /rest/api/3/users/search leaves out
	// portal-only customers. Atlassian's reference says it lists users
	// "that have an Atlassian account", which need not include them;
	// public reports show customers in it. The default lists them.
	AllUsersWithoutCustomers bool
}

// Forms of a hidden email in answers.
const (
	HiddenEmailAbsent = ""
	HiddenEmailNull   = "null"
	HiddenEmailEmpty  = "empty"
)

// SetAccountAnswers replaces the account answer settings.
func (s *Site) SetAccountAnswers(a AccountAnswers) error {
	switch a.HiddenEmail {
	case HiddenEmailAbsent, HiddenEmailNull, HiddenEmailEmpty:
	default:
		return fmt.Errorf("jsmsite: HiddenEmail %q must be %q, %q or %q", a.HiddenEmail, HiddenEmailAbsent, HiddenEmailNull, HiddenEmailEmpty)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers = a
	return nil
}

func (s *Site) accountAnswers() AccountAnswers {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.answers
}

// emailJSON is the emailAddress of a: the address, or a hidden (or
// deleted, blank) email in the form the settings choose (nil: absent).
func (ans AccountAnswers) emailJSON(a Account) json.RawMessage {
	switch {
	case a.Deleted:
		return json.RawMessage(`""`) // blank, as the User schema says
	case !a.EmailHidden:
		b, _ := json.Marshal(a.Email)
		return b
	case ans.HiddenEmail == HiddenEmailNull:
		return json.RawMessage("null")
	case ans.HiddenEmail == HiddenEmailEmpty:
		return json.RawMessage(`""`)
	}
	return nil
}

// departs reports whether d holds a value Atlassian's documents forbid
// but real sites send, which AccountAnswers simulates on purpose: a null
// email (HiddenEmailNull) or time zone (CustomerTimeZoneNull).
func (d customerDTO) departs() bool { return string(d.EmailAddress) == "null" || d.TimeZone == nil }

// departs: a null email, as customerDTO.departs.
func (u platformUser) departs() bool { return string(u.EmailAddress) == "null" }

// markDeparting marks the answer to r as a deliberate departure from the
// documents (see WithFaultMark) when one of the accounts in it departs.
func markDeparting[T interface{ departs() bool }](r *http.Request, accounts ...T) {
	if slices.ContainsFunc(accounts, T.departs) {
		MarkFault(r)
	}
}

// customerDTO is the servicedeskapi UserDTO.
type customerDTO struct {
	AccountID    string          `json:"accountId"`
	Name         string          `json:"name"`
	Key          string          `json:"key"`
	EmailAddress json.RawMessage `json:"emailAddress,omitempty"`
	DisplayName  string          `json:"displayName"`
	Active       bool            `json:"active"`
	TimeZone     *string         `json:"timeZone"`
	Links        userLinkDTO     `json:"_links"`
}

type userLinkDTO struct {
	JiraRest   string     `json:"jiraRest"`
	AvatarURLs avatarURLs `json:"avatarUrls"`
	Self       string     `json:"self"`
}

func (ans AccountAnswers) toCustomerDTO(base string, a Account) customerDTO {
	// Unescaped, as in Atlassian's example of a created customer.
	self := base + "/rest/api/2/user?username=" + a.AccountID
	d := customerDTO{
		AccountID:    a.AccountID,
		Name:         a.AccountID, // deprecated fields carry the account ID, as in the spec example
		Key:          a.AccountID,
		EmailAddress: ans.emailJSON(a),
		DisplayName:  a.DisplayName,
		Active:       a.Active,
		Links:        userLinkDTO{JiraRest: self, AvatarURLs: avatars(a.Email), Self: self},
	}
	if !ans.CustomerTimeZoneNull {
		d.TimeZone = &a.TimeZone
	}
	return d
}

// platformUser is the Jira platform User.
type platformUser struct {
	Self             string          `json:"self"`
	AccountID        string          `json:"accountId"`
	AccountType      string          `json:"accountType"`
	EmailAddress     json.RawMessage `json:"emailAddress,omitempty"` // see AccountAnswers.HiddenEmail
	AvatarURLs       avatarURLs      `json:"avatarUrls"`
	DisplayName      string          `json:"displayName"`
	Active           bool            `json:"active"`
	TimeZone         string          `json:"timeZone"`
	Locale           string          `json:"locale"`
	Groups           *listWrapper    `json:"groups,omitempty"`
	ApplicationRoles *listWrapper    `json:"applicationRoles,omitempty"`
	Expand           string          `json:"expand,omitempty"`
}

// listWrapper is SimpleListWrapper*; the fake has no groups or roles.
type listWrapper struct {
	Size  int   `json:"size"`
	Items []any `json:"items"`
}

func (ans AccountAnswers) toPlatformUser(base, apiVersion string, a Account, expand string) platformUser {
	u := platformUser{
		Self:         base + "/rest/api/" + apiVersion + "/user?accountId=" + url.QueryEscape(a.AccountID),
		AccountID:    a.AccountID,
		AccountType:  a.AccountType,
		EmailAddress: ans.emailJSON(a),
		AvatarURLs:   avatars(a.Email),
		DisplayName:  a.DisplayName,
		Active:       a.Active,
		TimeZone:     a.TimeZone,
		Locale:       defaultLocale,
	}
	for _, e := range strings.Split(expand, ",") {
		switch strings.TrimSpace(e) {
		case "groups":
			u.Groups = &listWrapper{Items: []any{}}
		case "applicationRoles":
			u.ApplicationRoles = &listWrapper{Items: []any{}}
		}
	}
	if u.Groups == nil || u.ApplicationRoles == nil {
		u.Expand = "groups,applicationRoles" // what could still be expanded
	}
	return u
}

type createCustomerRequest struct {
	DisplayName string `json:"displayName"`
	FullName    string `json:"fullName"` // deprecated alias of displayName
	Email       string `json:"email"`
}

// POST /rest/servicedeskapi/customer
func (s *Site) handleCreateCustomer(w http.ResponseWriter, r *http.Request) {
	var req createCustomerRequest
	if !decodeJSONBody(w, r, &req) {
		return
	}
	name := req.DisplayName
	if strings.TrimSpace(name) == "" {
		name = req.FullName
	}
	strict := strings.EqualFold(r.URL.Query().Get("strictConflictStatusCode"), "true")

	s.mu.Lock()
	a, err := s.addCustomerLocked(name, req.Email)
	var saveErr error
	if err == nil {
		saveErr = s.saveLocked()
	}
	s.mu.Unlock()

	switch {
	case errors.Is(err, ErrInvalidEmail) && strings.TrimSpace(req.Email) == "":
		writeJSMError(w, http.StatusBadRequest, "sd.customer.create.email.required", "An email address is required.")
	case errors.Is(err, ErrInvalidEmail):
		writeJSMError(w, http.StatusBadRequest, "sd.customer.create.email.invalid",
			fmt.Sprintf("The email address '%s' is invalid.", req.Email), req.Email)
	case errors.Is(err, ErrInvalidDisplayName):
		writeJSMError(w, http.StatusBadRequest, "sd.customer.create.displayname.required", "A display name is required.")
	case errors.Is(err, ErrEmailTaken):
		status := http.StatusBadRequest
		if strict {
			status = http.StatusConflict
		}
		writeJSMError(w, status, "sd.customer.create.email.exists",
			"An account already exists for this email address.", strings.ToLower(req.Email))
	case err != nil:
		writeJSMError(w, http.StatusInternalServerError, "sd.internal.error", err.Error())
	case saveErr != nil:
		writeJSMError(w, http.StatusInternalServerError, "sd.internal.error", saveErr.Error())
	default:
		d := s.accountAnswers().toCustomerDTO(baseURL(r), a)
		markDeparting(r, d)
		writeJSON(w, http.StatusCreated, d)
	}
}

// PUT /rest/servicedeskapi/customer/user/{accountId}/revoke-portal-only-access
//
// Only a portal-only customer's access can be revoked: any other account
// (the admin, an Atlassian account) is refused with 400. A deleted account
// is not found.
func (s *Site) handleRevokePortalAccess(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("accountId")
	s.mu.Lock()
	rec, ok := s.accounts[id]
	ok = ok && !rec.Deleted
	portalOnly := ok && rec.AccountType == AccountTypeCustomer
	var saveErr error
	if portalOnly {
		revoke(rec) // idempotent: revoking twice is still 204
		saveErr = s.saveLocked()
	}
	s.mu.Unlock()
	switch {
	case id == s.admin.AccountID || ok && !portalOnly:
		writeJSMError(w, http.StatusBadRequest, "sd.customer.not.portal.only",
			fmt.Sprintf("The account '%s' is not a portal-only customer.", id), id)
	case !ok:
		writeJSMError(w, http.StatusNotFound, "sd.customer.user.not.found",
			fmt.Sprintf("No user exists with account ID '%s'.", id), id)
	case saveErr != nil:
		writeJSMError(w, http.StatusInternalServerError, "sd.internal.error", saveErr.Error())
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// GET /rest/api/3/user and GET /rest/api/2/user (the latter also takes the
// deprecated username parameter, which is what UserDTO._links use).
func (s *Site) handleGetUser(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	version := "3"
	id := q.Get("accountId")
	if strings.HasPrefix(r.URL.Path, "/rest/api/2/") {
		version = "2"
		if id == "" {
			id = q.Get("username")
		}
	}
	if id == "" {
		writePlatformError(w, http.StatusBadRequest, "The accountId query parameter needs to be provided.")
		return
	}
	a, ok := s.Account(id)
	ans := s.accountAnswers()
	if ans.NoBrowseUsers {
		writePlatformError(w, http.StatusForbidden, "You do not have the permission to see the specified user.")
		return
	}
	if !ok || a.Deleted && ans.DeletedAnswer404 {
		writePlatformError(w, http.StatusNotFound, fmt.Sprintf("User with accountId '%s' does not exist.", id))
		return
	}
	switch {
	case ans.Unavailable:
		a = fallbackAccount(id)
	case a.Corrupted:
		a = fallbackAccount("unknown")
	}
	u := ans.toPlatformUser(baseURL(r), version, a, q.Get("expand"))
	markDeparting(r, u)
	writeJSON(w, http.StatusOK, u)
}

// fallbackAccount is what the platform answers when it cannot read an
// account (an outage, or a corrupted record with accountID "unknown"):
// fallback values in every field. Atlassian does not document the values;
// these are a guess that keeps the one documented mark, the type "unknown".
func fallbackAccount(accountID string) Account {
	return Account{AccountID: accountID, AccountType: "unknown", DisplayName: "Unknown", TimeZone: DefaultTimeZone, Deleted: true}
}

// GET /rest/api/3/myself
func (s *Site) handleMyself(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.accountAnswers().toPlatformUser(baseURL(r), "3", s.admin, r.URL.Query().Get("expand")))
}

// GET /rest/api/3/mypermissions?permissions=KEY,...: whether the caller
// holds each global permission named. The parameter is required (since
// 2019, Atlassian's change notice); the site knows the one key the provider
// asks, USER_PICKER (Browse users and groups), and refuses others.
func (s *Site) handleMyPermissions(w http.ResponseWriter, r *http.Request) {
	keys := r.URL.Query().Get("permissions")
	if keys == "" {
		writePlatformError(w, http.StatusBadRequest, "The permissions query parameter is required.")
		return
	}
	out := map[string]any{}
	for _, k := range strings.Split(keys, ",") {
		if k != "USER_PICKER" {
			writePlatformError(w, http.StatusBadRequest, fmt.Sprintf("Unrecognized permission key: %s", k))
			return
		}
		out[k] = map[string]any{"id": "27", "key": k, "name": "Browse users and groups", "type": "GLOBAL",
			"description":    "Ability to select a user or group from a popup window as well as the ability to use the 'share' issues feature.",
			"havePermission": !s.accountAnswers().NoBrowseUsers}
	}
	writeJSON(w, http.StatusOK, map[string]any{"permissions": out})
}

// GET /rest/api/3/user/search
//
// query matches, case-insensitively, a prefix of the email or of the display
// name (as the spec and Atlassian's documentation say: "john" finds "John Smith" and
// "johnson@example.com", "smith" finds neither). Like Jira, a hidden email
// still matches; the account is then returned without showing it. Only active
// accounts are returned (revoked customers are inactive). accountId instead
// of query is an exact lookup; property searches find nothing here.
func (s *Site) handleSearchUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	query, accountID := q.Get("query"), q.Get("accountId")
	if query != "" && accountID != "" {
		writePlatformError(w, http.StatusBadRequest, "The query parameters 'query' and 'accountId' cannot be used together.")
		return
	}
	if query == "" && accountID == "" && q.Get("property") == "" {
		writePlatformError(w, http.StatusBadRequest, "One of 'query', 'accountId' or 'property' query parameters must be provided.")
		return
	}
	startAt, maxResults, ok := userPage(w, r)
	if !ok {
		return
	}

	var matches []Account
	switch {
	case accountID != "":
		if a, found := s.Account(accountID); found {
			matches = append(matches, a)
		}
	case query != "":
		lq := strings.ToLower(query)
		for _, a := range append([]Account{s.admin}, s.Accounts()...) {
			if a.Active && matchesQuery(a, lq) {
				matches = append(matches, a)
			}
		}
	}

	out := []platformUser{} // never null: the answer is a plain array
	base, ans := baseURL(r), s.accountAnswers()
	if ans.NoBrowseUsers {
		matches = nil // not an error: nothing to see
	}
	if ans.SearchNewestFirst {
		slices.Reverse(matches)
	}
	for i := startAt; i < min(len(matches), searchCap) && len(out) < maxResults; i++ {
		out = append(out, ans.toPlatformUser(base, "3", matches[i], ""))
	}
	markDeparting(r, out...)
	writeJSON(w, http.StatusOK, out)
}

// searchCap: user search "takes the filtered users in the range defined
// by startAt and maxResults, up to the thousandth user" (Atlassian's
// findUsers); "Get all users" is the way past it.
const searchCap = 1000

// GET /rest/api/3/users/search ("Get all users")
//
// Every account, active or not (revoked customers, deactivated and deleted
// accounts too), in a stable order, a plain array paged by startAt and
// maxResults, with no filter: the one listing that shows inactive
// accounts. Without Browse users and groups it answers nothing.
func (s *Site) handleAllUsers(w http.ResponseWriter, r *http.Request) {
	startAt, maxResults, ok := userPage(w, r)
	if !ok {
		return
	}
	out := []platformUser{} // never null: the answer is a plain array
	base, ans := baseURL(r), s.accountAnswers()
	if !ans.NoBrowseUsers {
		all := append([]Account{s.admin}, s.Accounts()...)
		if ans.AllUsersWithoutCustomers {
			all = slices.DeleteFunc(all, func(a Account) bool { return a.AccountType == AccountTypeCustomer })
		}
		for i := startAt; i < len(all) && len(out) < maxResults; i++ {
			out = append(out, ans.toPlatformUser(base, "3", all[i], ""))
		}
	}
	markDeparting(r, out...)
	writeJSON(w, http.StatusOK, out)
}

// userPage reads the startAt and maxResults of a platform user listing (a
// plain array): maxResults defaults to 50 and is capped at 1,000, and a
// stuck-paging fault restarts every page at 0. ok is false once it has
// answered a bad parameter.
func userPage(w http.ResponseWriter, r *http.Request) (startAt, maxResults int, ok bool) {
	q := r.URL.Query()
	if startAt, ok = intParam(w, q, "startAt", 0); !ok {
		return 0, 0, false
	}
	if maxResults, ok = intParam(w, q, "maxResults", defaultMaxResults); !ok {
		return 0, 0, false
	}
	if stuckPaging(r) != "" {
		startAt = 0
	}
	return startAt, min(maxResults, maxMaxResults), true
}

func matchesQuery(a Account, lq string) bool {
	return strings.HasPrefix(a.Email, lq) || strings.HasPrefix(strings.ToLower(a.DisplayName), lq)
}

// matchesDeskQuery is the match of a service desk's customer list: the
// start of any word of the display name, or of the email (unless hidden) or
// of the deprecated name (the account ID here).
func matchesDeskQuery(a Account, lq string) bool {
	name := strings.ToLower(a.DisplayName)
	if !a.EmailHidden && strings.HasPrefix(a.Email, lq) || strings.HasPrefix(strings.ToLower(a.AccountID), lq) ||
		strings.HasPrefix(name, lq) {
		return true
	}
	for _, word := range strings.Fields(name) {
		if strings.HasPrefix(word, lq) {
			return true
		}
	}
	return false
}

// intParam reads a non-negative integer query parameter; a bad value is a
// platform 400, written here.
func intParam(w http.ResponseWriter, q url.Values, name string, def int) (int, bool) {
	v := q.Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		writePlatformError(w, http.StatusBadRequest, fmt.Sprintf("The '%s' query parameter must be a non-negative integer.", name))
		return 0, false
	}
	return n, true
}
