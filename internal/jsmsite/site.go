// Package jsmsite is an in-memory fake of the parts of the Jira Service
// Management Cloud REST API that the provider uses. It serves the real
// request/response shapes, status codes and error bodies so that acceptance
// tests and demos can run without an Atlassian site.
//
// A *Site is an http.Handler; mount it on httptest.NewServer in tests or run
// the standalone binary in ./cmd/jsmsite.
package jsmsite

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/google/uuid"
)

// DefaultTimeZone is given to new accounts when Config.TimeZone is empty.
const DefaultTimeZone = "UTC"

// Account types, as in the platform User.accountType enum.
const (
	AccountTypeCustomer  = "customer"
	AccountTypeAtlassian = "atlassian"
)

// Config holds the credentials the site accepts and where it keeps state.
type Config struct {
	Email, APIToken, AccessToken string // credentials the site accepts; AccessToken (a bearer token) only through the gateway and the CSM API, empty disables it
	// ScopedAPIToken is a scoped API token (basic auth with Email), which
	// Atlassian accepts only on its gateway: the /ex/jira/<cloudId> prefix
	// (Gateway) and the CSM API. Empty: none.
	ScopedAPIToken string
	StateFile      string // if set: load accounts at New, save after every mutation (atomic write: temp file + rename)
	TimeZone       string // default time zone of new accounts
	CloudID        string // the cloud ID of /_edge/tenant_info and the CSM API (default: derived from Email)

	// ClientID and ClientSecret are a service account's OAuth 2.0 client
	// credentials, exchanged at POST /oauth/token (TokenPath) for bearer
	// tokens that the site accepts only through the gateway prefix
	// (Gateway) and on the CSM API. Empty: no token endpoint.
	ClientID, ClientSecret string
	// TokenLifetime is how long an issued token is valid (default: an
	// hour, as Atlassian's); tests shorten it to see renewal.
	TokenLifetime time.Duration
	// TokenExpiresIn is the lifetime the token answer announces
	// (expires_in; 0: TokenLifetime). Longer than TokenLifetime, tokens
	// die before the client expects, as a revoked token does: the client
	// learns it from a 401.
	TokenExpiresIn time.Duration
	// ClientScopes are the granular scopes granted to the client
	// credentials: a call with an issued token whose route needs a scope
	// not among them (RouteScopes) is refused with 403. nil: every scope.
	ClientScopes []string
	// Now is the site's clock for what depends on time passing: token
	// expiry, the rate limiters and the quota reset of Faults. nil:
	// time.Now. Tests set it to a clock they move themselves, so that
	// those answers do not depend on the machine's speed.
	Now func() time.Time `json:"-"`
}

// Account is one account known to the site.
type Account struct {
	AccountID           string `json:"accountId"`
	Email               string `json:"email"` // always stored lowercased
	DisplayName         string `json:"displayName"`
	TimeZone            string `json:"timeZone"`
	AccountType         string `json:"accountType"`
	Active              bool   `json:"active"`
	EmailHidden         bool   `json:"emailHidden"`
	PortalAccessRevoked bool   `json:"portalAccessRevoked"`
	// Deleted: deleted by a right-to-be-forgotten request. The record stays
	// (GET /rest/api/3/user still answers it), blanked, and its email is free.
	Deleted bool `json:"deleted,omitempty"`
	// Corrupted: the record of a deleted account broke (a server import);
	// GET /rest/api/3/user answers accountId "unknown" and fallback values.
	Corrupted bool `json:"corrupted,omitempty"`
	// CustomerRole and Agent: the roles of an Atlassian account that decide
	// whether the CSM API takes it as a customer (csmEligible): it must hold
	// the customer role and not be an agent. Customer accounts need neither.
	CustomerRole bool      `json:"customerRole,omitempty"`
	Agent        bool      `json:"agent,omitempty"`
	Created      time.Time `json:"created"`
}

// Errors returned by AddCustomer (and mapped to HTTP answers by the handler).
var (
	ErrInvalidEmail       = errors.New("jsmsite: invalid email address")
	ErrInvalidDisplayName = errors.New("jsmsite: display name is required")
	ErrEmailTaken         = errors.New("jsmsite: an account already exists for this email")
)

// Middleware wraps the handler of one named route. route is the stable
// route name, e.g. "POST /rest/servicedeskapi/customer" (see Routes).
type Middleware func(route string, next http.Handler) http.Handler

// Site is the fake. It is safe for concurrent use.
type Site struct {
	cfg   Config
	admin Account // the authenticated caller; fixed, not stored, not mutable

	mu       sync.Mutex
	accounts map[string]*record  // by account ID
	byEmail  map[string][]string // lowercased email -> IDs of the accounts holding it, oldest first
	answers  AccountAnswers      // how account answers look where the real API varies (customers.go)
	seq      int64               // creation counter, breaks ties in Created
	dir      *directory          // organizations and service desks (organizations.go)

	mux    *http.ServeMux
	routes []string

	mwMu        sync.RWMutex
	middlewares []Middleware

	cloudID string    // see CloudID (csm.go)
	csm     *csmState // the CSM API's state, guarded by mu (csm.go)

	tokens tokenStore // tokens issued to the service account (oauth.go)

	faults *faultInjector // fault injection and request counters (faults.go)
	proxy  *proxyFaults   // broken-proxy misbehaviours (proxyfaults.go)
}

type record struct {
	Account
	seq int64
}

// stateFile is the on-disk format. Other resources (organizations, service
// desks) get their own top-level fields later.
type stateFile struct {
	Version  int       `json:"version"`
	Accounts []Account `json:"accounts"`
	// Organizations and service desks (organizations.go, servicedesks.go).
	Organizations      []Organization `json:"organizations,omitempty"`
	LastOrganizationID int64          `json:"lastOrganizationId,omitempty"`
	ServiceDesks       []ServiceDesk  `json:"serviceDesks,omitempty"`
	// The CSM API's fields, values, products and entitlements (csm.go).
	CSM *csmSnapshot `json:"csm,omitempty"`
}

// New builds a site. With cfg.StateFile set, accounts are loaded from it when
// it exists (a missing file means an empty site).
func New(cfg Config) (*Site, error) {
	if cfg.TimeZone == "" {
		cfg.TimeZone = DefaultTimeZone
	}
	s := &Site{
		cfg:      cfg,
		accounts: map[string]*record{},
		byEmail:  map[string][]string{},
		dir:      newDirectory(),
		mux:      http.NewServeMux(),
		cloudID:  cfg.CloudID,
		csm:      newCSMState(),
	}
	if s.cloudID == "" {
		s.cloudID = deriveCloudID(cfg.Email)
	}
	s.admin = Account{
		AccountID:   adminAccountID(cfg.Email),
		Email:       strings.ToLower(cfg.Email),
		DisplayName: "Site Admin",
		TimeZone:    cfg.TimeZone,
		AccountType: AccountTypeAtlassian,
		Active:      true,
	}
	if cfg.StateFile != "" {
		if err := s.load(); err != nil {
			return nil, err
		}
	}
	s.registerRoutes()
	return s, nil
}

// now reads the site's clock (Config.Now).
func (s *Site) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// adminAccountID derives an Atlassian-style 24-hex-digit account ID from the
// admin email so it is stable across restarts without being persisted.
func adminAccountID(email string) string {
	sum := sha256.Sum256([]byte("jsmsite-admin:" + strings.ToLower(email)))
	return hex.EncodeToString(sum[:])[:24]
}

// newAccountID makes an ID of the form real portal-only customers get:
// qm:<uuid v4>:<23 lowercase hex digits>.
func newAccountID() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return "qm:" + uuid.NewString() + ":" + hex.EncodeToString(b[:])[:23]
}

// validEmail accepts only a bare addr-spec with a dotted domain: no display
// name part, no angle brackets, no spaces.
func validEmail(email string) bool {
	if email == "" || len(email) > 254 || strings.ContainsAny(email, " \t\r\n<>") {
		return false
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Name != "" || addr.Address != email {
		return false
	}
	at := strings.LastIndexByte(email, '@')
	domain := email[at+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// Admin is the fixed account the configured credentials authenticate as
// (what GET /rest/api/3/myself answers).
func (s *Site) Admin() Account { return s.admin }

// Accounts lists the customer accounts (not the admin), oldest first.
func (s *Site) Accounts() []Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sortedLocked()
}

func (s *Site) sortedLocked() []Account {
	recs := make([]*record, 0, len(s.accounts))
	for _, r := range s.accounts {
		recs = append(recs, r)
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].seq < recs[j].seq })
	out := make([]Account, len(recs))
	for i, r := range recs {
		out[i] = r.Account
	}
	return out
}

// Account looks an account up by ID; the admin account is found too.
func (s *Site) Account(id string) (Account, bool) {
	if id == s.admin.AccountID {
		return s.admin, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.accounts[id]; ok {
		return r.Account, true
	}
	return Account{}, false
}

// AccountByEmail looks an account up by email, case-insensitively; the admin
// account is found too. When several accounts hold the email (a customer
// and an Atlassian account), the portal-only customer is returned.
func (s *Site) AccountByEmail(email string) (Account, bool) {
	all := s.AccountsByEmail(email)
	for _, a := range all {
		if a.AccountType == AccountTypeCustomer {
			return a, true
		}
	}
	if len(all) > 0 {
		return all[0], true
	}
	return Account{}, false
}

// AccountsByEmail lists every account holding email, oldest first; the
// admin account is found too. Deleted accounts hold no email.
func (s *Site) AccountsByEmail(email string) []Account {
	email = strings.ToLower(email)
	if email == s.admin.Email {
		return []Account{s.admin}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Account
	for _, id := range s.byEmail[email] {
		out = append(out, s.accounts[id].Account)
	}
	return out
}

// AddCustomer creates a portal-only customer out of band, with the same
// validation as POST /rest/servicedeskapi/customer.
func (s *Site) AddCustomer(displayName, email string) (Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.addCustomerLocked(displayName, email)
	if err != nil {
		return Account{}, err
	}
	if err := s.saveLocked(); err != nil {
		return a, err
	}
	return a, nil
}

func (s *Site) addCustomerLocked(displayName, email string) (Account, error) {
	if !validEmail(email) {
		return Account{}, ErrInvalidEmail
	}
	if strings.TrimSpace(displayName) == "" {
		return Account{}, ErrInvalidDisplayName
	}
	email = strings.ToLower(email)
	if len(s.byEmail[email]) > 0 || email == s.admin.Email {
		return Account{}, ErrEmailTaken
	}
	return s.insertLocked(Account{
		AccountID:   newAccountID(),
		Email:       email,
		DisplayName: displayName,
		AccountType: AccountTypeCustomer,
	}), nil
}

// insertLocked stores a new active account, created now.
func (s *Site) insertLocked(a Account) Account {
	s.seq++
	a.TimeZone, a.Active, a.Created = s.cfg.TimeZone, true, time.Now().UTC()
	s.accounts[a.AccountID] = &record{seq: s.seq, Account: a}
	s.byEmail[a.Email] = append(s.byEmail[a.Email], a.AccountID)
	return a
}

// AddAtlassianAccount adds, out of band, an Atlassian account (someone who
// signed up for Atlassian) that may share its email with a portal-only
// customer, as on the real site; emailHidden is its privacy setting, often
// on. The API cannot create such accounts.
func (s *Site) AddAtlassianAccount(displayName, email string, emailHidden bool) (Account, error) {
	if !validEmail(email) {
		return Account{}, ErrInvalidEmail
	}
	if strings.TrimSpace(displayName) == "" {
		return Account{}, ErrInvalidDisplayName
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.insertLocked(Account{
		AccountID:   newAtlassianAccountID(),
		Email:       strings.ToLower(email),
		DisplayName: displayName,
		AccountType: AccountTypeAtlassian,
		EmailHidden: emailHidden,
	})
	return a, s.saveLocked()
}

// newAtlassianAccountID makes a 24-hex-digit ID, the form of Atlassian
// accounts.
func newAtlassianAccountID() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// DeleteAccount deletes an account out of band, as a right-to-be-forgotten
// request does: the record stays, blanked (an indicative display name, no
// email, inactive, the site's default time zone), and the email is free for
// a new account. GET /rest/api/3/user answers it with 200 (or 404 with
// AccountAnswers.DeletedAnswer404).
// It reports false when there is no such account or it is already deleted.
func (s *Site) DeleteAccount(id string) bool {
	deleted := false
	s.mutate(id, func(r *record) {
		if r.Deleted {
			return
		}
		deleted = true
		s.byEmail[r.Email] = without(s.byEmail[r.Email], id)
		if len(s.byEmail[r.Email]) == 0 {
			delete(s.byEmail, r.Email)
		}
		r.Account = Account{
			AccountID: r.AccountID, AccountType: r.AccountType, DisplayName: formerUserName,
			TimeZone: s.cfg.TimeZone, Deleted: true, Created: r.Created,
		}
	})
	return deleted
}

// formerUserName is the indicative display name of a deleted account.
const formerUserName = "Former user"

func without(ids []string, id string) []string {
	out := ids[:0:0]
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

// CorruptAccount breaks the record of a deleted account, as a server import
// can: GET /rest/api/3/user then answers accountId "unknown" and fallback
// values. It reports false for an account that is not deleted.
func (s *Site) CorruptAccount(id string) bool {
	ok := false
	s.mutate(id, func(r *record) {
		if r.Deleted {
			r.Corrupted, ok = true, true
		}
	})
	return ok
}

// SetActive deactivates or reactivates an account out of band (an admin in
// Atlassian Administration); reactivating also restores portal access.
func (s *Site) SetActive(id string, active bool) bool {
	return s.mutate(id, func(r *record) {
		r.Active = active
		if active {
			r.PortalAccessRevoked = false
		}
	})
}

// SetRoles sets, out of band, whether an Atlassian account holds the CSM
// customer role and whether it is an agent.
func (s *Site) SetRoles(id string, customerRole, agent bool) bool {
	return s.mutate(id, func(r *record) { r.CustomerRole, r.Agent = customerRole, agent })
}

// RenameAccount changes a customer's display name out of band (there is no
// API for it on the real site).
func (s *Site) RenameAccount(id, displayName string) bool {
	return s.mutate(id, func(r *record) { r.DisplayName = displayName })
}

// ChangeEmail changes an account's email out of band, as a site admin does
// for a customer in Atlassian Administration; the account ID stays. It
// reports whether the account exists and the email is free.
func (s *Site) ChangeEmail(id, email string) bool {
	email = strings.ToLower(strings.TrimSpace(email))
	s.mu.Lock()
	if len(s.byEmail[email]) > 0 {
		s.mu.Unlock()
		return false
	}
	s.mu.Unlock()
	return s.mutate(id, func(r *record) {
		s.byEmail[r.Email] = without(s.byEmail[r.Email], id)
		if len(s.byEmail[r.Email]) == 0 {
			delete(s.byEmail, r.Email)
		}
		r.Email = email
		s.byEmail[email] = append(s.byEmail[email], id)
	})
}

// SetEmailHidden sets the customer's "hide email" privacy setting.
func (s *Site) SetEmailHidden(id string, hidden bool) bool {
	return s.mutate(id, func(r *record) { r.EmailHidden = hidden })
}

// RevokePortalAccess does what PUT .../revoke-portal-only-access does.
func (s *Site) RevokePortalAccess(id string) bool {
	return s.mutate(id, revoke)
}

// revoke takes portal access away; the account then counts as inactive,
// which is how callers can tell on GET /rest/api/3/user.
func revoke(r *record) {
	r.PortalAccessRevoked = true
	r.Active = false
}

// mutate applies f to a customer under the lock and saves. The out-of-band
// methods report only whether the account exists, so save errors are logged.
func (s *Site) mutate(id string, f func(*record)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.accounts[id]
	if !ok {
		return false
	}
	f(r)
	if err := s.saveLocked(); err != nil {
		log.Printf("jsmsite: %v", err)
	}
	return true
}

func (s *Site) load() error {
	data, err := os.ReadFile(s.cfg.StateFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("jsmsite: reading state: %w", err)
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		// Every save writes at least {"version": 1}: an empty file is a
		// crash or an accident, and reading it as an empty site would
		// silently lose everything the site held.
		return fmt.Errorf("jsmsite: state file %s is empty: restore it, or delete it to start an empty site", s.cfg.StateFile)
	}
	var st stateFile
	if err := json.Unmarshal(data, &st); err != nil {
		return fmt.Errorf("jsmsite: parsing state file %s: %w", s.cfg.StateFile, err)
	}
	// The file lists accounts oldest first; keep that order.
	for _, a := range st.Accounts {
		a.Email = strings.ToLower(a.Email)
		if a.AccountID == "" || (a.Email == "") != a.Deleted {
			return fmt.Errorf("jsmsite: state file %s: account without accountId or email", s.cfg.StateFile)
		}
		if a.AccountType == AccountTypeCustomer && s.customerHoldsLocked(a.Email) {
			return fmt.Errorf("jsmsite: state file %s: duplicate email %s", s.cfg.StateFile, a.Email)
		}
		s.seq++
		s.accounts[a.AccountID] = &record{Account: a, seq: s.seq}
		if !a.Deleted {
			s.byEmail[a.Email] = append(s.byEmail[a.Email], a.AccountID)
		}
	}
	s.loadCSMLocked(st.CSM)
	return s.loadDirectoryLocked(st)
}

// customerHoldsLocked reports whether a portal-only customer holds email.
func (s *Site) customerHoldsLocked(email string) bool {
	for _, id := range s.byEmail[email] {
		if s.accounts[id].AccountType == AccountTypeCustomer {
			return true
		}
	}
	return false
}

// saveLocked writes the whole state atomically and durably (temp file in
// the same directory, synced, renamed over the old one, then the directory
// synced) so a reader or a crash never sees half a file or an empty one.
func (s *Site) saveLocked() error {
	if s.cfg.StateFile == "" {
		return nil
	}
	st := stateFile{Version: 1, Accounts: s.sortedLocked()}
	s.fillDirectoryLocked(&st)
	st.CSM = s.csmSnapshotLocked()
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("jsmsite: encoding state: %w", err)
	}
	dir := filepath.Dir(s.cfg.StateFile)
	tmp, err := os.CreateTemp(dir, filepath.Base(s.cfg.StateFile)+".tmp-*")
	if err != nil {
		return fmt.Errorf("jsmsite: saving state: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("jsmsite: saving state: %w", err)
	}
	// Without the sync, a crash after the rename can leave an empty file.
	if err := syncFile(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("jsmsite: saving state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("jsmsite: saving state: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.cfg.StateFile); err != nil {
		return fmt.Errorf("jsmsite: saving state: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("jsmsite: saving state: %w", err)
	}
	return nil
}

// syncFile is (*os.File).Sync; tests replace it to see it called.
var syncFile = (*os.File).Sync

// syncDir makes a rename in dir durable where the platform allows it:
// Windows cannot open a directory for syncing, and some file systems
// refuse to sync one.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil // not possible on this platform; the rename itself succeeded
	}
	defer d.Close()
	if err := syncFile(d); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}
