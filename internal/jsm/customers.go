package jsm

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// User is an account as the provider needs it, from either the JSM customer
// API (UserDTO) or the Jira platform user API (User).
type User struct {
	AccountID   string
	AccountType string
	// Email is empty when privacy settings hide it.
	Email       string
	DisplayName string
	Active      bool
	TimeZone    string
	Links       UserLinks
}

// UserLinks are the URLs JSM returns with a customer.
type UserLinks struct {
	Self       string
	JiraRest   string
	AvatarURLs map[string]string
}

// userDTO is the JSM customer API's shape.
type userDTO struct {
	AccountID    string  `json:"accountId"`
	EmailAddress *string `json:"emailAddress"`
	DisplayName  string  `json:"displayName"`
	Active       bool    `json:"active"`
	TimeZone     *string `json:"timeZone"`
	Links        struct {
		Self       string            `json:"self"`
		JiraRest   string            `json:"jiraRest"`
		AvatarURLs map[string]string `json:"avatarUrls"`
	} `json:"_links"`
}

func (d userDTO) user() *User {
	// Rebuilt the way platformUser.user builds them, so that create and
	// refresh store the same links whatever escaping the server chose.
	self := jsmUserLink(d.Links.Self, d.AccountID)
	return &User{
		AccountID:   d.AccountID,
		AccountType: "customer", // the customer API only makes and returns customers
		Email:       deref(d.EmailAddress),
		DisplayName: d.DisplayName,
		Active:      d.Active,
		TimeZone:    deref(d.TimeZone),
		Links:       UserLinks{Self: self, JiraRest: self, AvatarURLs: d.Links.AvatarURLs},
	}
}

// platformUser is the Jira platform API's shape.
type platformUser struct {
	Self         string            `json:"self"`
	AccountID    string            `json:"accountId"`
	AccountType  string            `json:"accountType"`
	EmailAddress *string           `json:"emailAddress"`
	DisplayName  string            `json:"displayName"`
	Active       bool              `json:"active"`
	TimeZone     *string           `json:"timeZone"`
	AvatarURLs   map[string]string `json:"avatarUrls"`
}

func (p platformUser) user() *User {
	u := &User{
		AccountID:   p.AccountID,
		AccountType: p.AccountType,
		Email:       deref(p.EmailAddress),
		DisplayName: p.DisplayName,
		Active:      p.Active,
		TimeZone:    deref(p.TimeZone),
		Links:       UserLinks{Self: jsmUserLink(p.Self, p.AccountID), AvatarURLs: p.AvatarURLs},
	}
	u.Links.JiraRest = u.Links.Self
	return u
}

// jsmUserLink gives the link JSM's customer API returns for an account
// (<site>/rest/api/2/user?username=<id>), built from either API's self URL
// (the path before /rest/ is kept: the gateway form has one), so a created,
// a refreshed and an imported customer hold the same links.
func jsmUserLink(self, accountID string) string {
	u, err := url.Parse(self)
	if err != nil || u.Host == "" {
		return self
	}
	i := strings.Index(u.EscapedPath(), "/rest/")
	if i < 0 {
		return self
	}
	return u.Scheme + "://" + u.Host + u.EscapedPath()[:i] + "/rest/api/2/user?username=" + url.QueryEscape(accountID)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// CreateCustomer creates a portal customer. An email that already has an
// account answers 409 (IsConflict), thanks to strictConflictStatusCode.
//
// A create is not idempotent on the wire: when an attempt's answer is lost
// (dropped connection, timeout, 502 after the server committed) the retry
// answers 409, or the retries run out. The account is then looked up by
// email, and one with this display name is returned as created by this
// call, so the caller neither fails nor loses track of the account. Any
// other account with the email is a genuine conflict.
func (c *Client) CreateCustomer(ctx context.Context, displayName, email string) (*User, error) {
	var dto userDTO
	var settled *User
	err := c.doWrite(ctx, epCreateCustomer.at().
		withQuery(url.Values{"strictConflictStatusCode": {"true"}}).
		withBody(map[string]string{"displayName": displayName, "email": email}), &dto, func(ctx context.Context, cause *Error) (bool, error) {
		u, err := c.FindUserByEmail(ctx, email)
		var ambiguous *AmbiguousError
		if IsNotFound(err) || errors.As(err, &ambiguous) {
			return false, nil // let the 409 stand: the caller sorts the candidates out
		}
		if err != nil {
			return false, err
		}
		if u.DisplayName != displayName {
			return false, nil // someone else's account: let the 409 say so
		}
		settled = u
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	u := settled
	if u == nil {
		u = dto.user()
	}
	// The ID goes to the state and, later, into paths: an answer that
	// holds no usable one must not get that far.
	if msg := CheckAccountID(u.AccountID); msg != "" {
		return nil, fmt.Errorf("%s: the answer holds no valid accountId (%s %s); nothing was recorded. "+
			"The account may have been created: look it up by its email, then import it", epCreateCustomer.Name(), c.secrets.quote(u.AccountID), msg)
	}
	// An answer naming an account of another email (a broken server or
	// proxy, a cached answer) is not this create's: taking it would put
	// someone else's account in the state, for a destroy to revoke or delete.
	if u.Email != "" && !strings.EqualFold(strings.TrimSpace(u.Email), strings.TrimSpace(email)) {
		return nil, fmt.Errorf("%s: the answer names the account %s of another email, %s, not %s; nothing was recorded. "+
			"The customer may have been created even so: the next plan looks the email up and adopts the account it finds, "+
			"or import it by its email", epCreateCustomer.Name(), c.secrets.quote(u.AccountID), c.secrets.quote(u.Email), c.secrets.quote(email))
	}
	return u, nil
}

// GetUser reads any account by ID; a missing account is IsNotFound.
//
// An answer that describes no account is an error, never a User: the
// platform answers a corrupted record with accountId "unknown", and an
// outage with fallback values in every field (see reliable). Such an answer
// is asked again a few times, like a failed request, before giving up with
// an error that wraps ErrUnreliableAnswer.
//
// Reads that arrive while others are in flight go out together as one
// GET /rest/api/3/user/bulk, judged by the same rules (bulk.go).
func (c *Client) GetUser(ctx context.Context, accountID string) (*User, error) {
	return c.getUserWithin(ctx, accountID, readBudget)
}

// GetUserForImport is GetUser for an import, whose reads come one after
// another with Terraform's import and plan work between them: batched only
// as far as that costs it about a twentieth of its time (importBudget).
func (c *Client) GetUserForImport(ctx context.Context, accountID string) (*User, error) {
	return c.getUserWithin(ctx, accountID, importBudget)
}

func (c *Client) getUserWithin(ctx context.Context, accountID string, budget float64) (*User, error) {
	u, err := c.readUser(ctx, accountID, budget)
	var ue *UnreliableError
	if errors.As(err, &ue) {
		// The reason quotes the server's accountId and accountType.
		ue.Reason = c.secrets.clean(ue.Reason, messageLimit)
	}
	return u, err
}

// getUser is GetUser alone: GET /rest/api/3/user, from attempt on (a bulk
// answer that described no account was the first).
func (c *Client) getUser(ctx context.Context, accountID string, attempt int) (*User, error) {
	reasks := min(c.rc.RetryMax, unreliableReasks)
	for ; ; attempt++ {
		var p platformUser
		err := c.do(ctx, epGetUser.at().withQuery(url.Values{"accountId": {accountID}}), &p)
		if err != nil {
			return nil, err
		}
		why := p.unreliable(accountID)
		if why == "" {
			return p.user(), nil
		}
		if attempt >= reasks {
			return nil, &UnreliableError{AccountID: accountID, Reason: why, Attempts: attempt + 1}
		}
		if err := sleepCtx(ctx, c.rc.Backoff(c.rc.RetryWaitMin, c.rc.RetryWaitMax, attempt, nil)); err != nil {
			return nil, err
		}
	}
}

// unreliableReasks bounds how often an answer that describes no account is
// asked again: an outage rarely ends within the seconds a plan can wait.
const unreliableReasks = 2

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// ErrUnreliableAnswer is wrapped by the error of a read whose answer
// describes no account (a corrupted record or an outage).
var ErrUnreliableAnswer = errors.New("the answer describes no account")

// UnreliableError is a 200 answer to GET /rest/api/3/user that says nothing
// about the account asked for. Callers must keep what they knew.
type UnreliableError struct {
	AccountID string
	Reason    string
	Attempts  int
}

func (e *UnreliableError) Error() string {
	return fmt.Sprintf("GET /rest/api/3/user for account %s: %s (after %d attempts). The platform answers this way "+
		"during an outage, or for a corrupted record of a deleted account. Nothing was changed; try again later. "+
		"If it persists, check the account in Atlassian Administration", e.AccountID, e.Reason, e.Attempts)
}

func (e *UnreliableError) Unwrap() error { return ErrUnreliableAnswer }

// knownAccountTypes are the account types of real accounts; the schema's
// fourth value, "unknown", is a fallback.
var knownAccountTypes = map[string]bool{"atlassian": true, "app": true, "customer": true}

// unreliable says why an answer to GET /rest/api/3/user?accountId=asked
// describes no account, or "" when it does. The rule, from the User schema:
//   - a corrupted record answers accountId "unknown";
//   - any other accountId than the one asked is not about that account;
//   - an outage answers fallback values in every field, and the type of a
//     real account, deleted or not, is one of atlassian, app and customer:
//     "unknown" or no type marks the fallback answer.
func (p platformUser) unreliable(asked string) string {
	switch {
	case p.AccountID == "unknown":
		return `the answer's accountId is "unknown", the mark of a corrupted record`
	case p.AccountID != asked:
		return fmt.Sprintf("the answer is about account %q, not the one asked for", p.AccountID)
	case !knownAccountTypes[p.AccountType]:
		return fmt.Sprintf("the answer carries only fallback values (accountType %q)", p.AccountType)
	}
	return ""
}

// FormerUserName is the display name the platform gives, as an indication,
// to an account deleted by a right-to-be-forgotten request.
const FormerUserName = "Former user"

// LooksDeleted reports whether u, read back for an account last known as
// knownName, is what the platform answers for an account deleted by a
// right-to-be-forgotten request: 200 with the same accountId and type, a
// display name that is only an indication, a blank email and active false.
//
// An inactive account (deactivated, or a customer whose portal access was
// revoked) also answers active false, and its email may be hidden by privacy
// settings; but it keeps its display name. So an inactive account with a
// blank email counts as deleted only when its display name is no longer the
// one last known (or, when none is known, is "Former user"). Call it on a
// User from GetUser, which has already refused corrupted and outage answers.
func (u *User) LooksDeleted(knownName string) bool {
	if u.Active || u.Email != "" {
		return false
	}
	if knownName == "" {
		return strings.EqualFold(u.DisplayName, FormerUserName)
	}
	return u.DisplayName != knownName
}

// EmailMatches are the accounts user search returns for an exact address.
type EmailMatches struct {
	// Exact hold the address (letter case aside).
	Exact []User
	// Hidden show no email: the search matched the address, or a prefix of
	// it, without showing it (privacy settings), or matched the name.
	Hidden []User
}

// SearchByEmail runs user search for email and sorts the answers. User
// search matches prefixes of names and emails and answers active accounts
// only, so every answer is checked and an inactive account is never found.
func (c *Client) SearchByEmail(ctx context.Context, email string) (EmailMatches, error) {
	// A prefix query on a full email matches few accounts. Past user
	// search's cap the account may be among those it does not list.
	const maxPages = UserSearchCap / userSearchPageSize
	var m EmailMatches
	more, err := c.searchUsers(ctx, email, maxPages, func(p platformUser) bool {
		switch got := deref(p.EmailAddress); {
		case got == "": // null, empty or absent: the real API varies
			m.Hidden = append(m.Hidden, *p.user())
		case strings.EqualFold(got, email):
			m.Exact = append(m.Exact, *p.user())
		}
		return true
	})
	if err == nil && more {
		err = fmt.Errorf("GET %s: %d accounts or more match the email %s (their names or emails start with it), the most user search lists; "+
			"the account may be among those it leaves out. Use the account ID instead", epSearchUser.Pattern, UserSearchCap, email)
	}
	return m, err
}

// HiddenNamed returns the hidden-email matches named displayName.
func (m EmailMatches) HiddenNamed(displayName string) []User {
	var out []User
	for _, u := range m.Hidden {
		if u.DisplayName == displayName {
			out = append(out, u)
		}
	}
	return out
}

// CanBrowseUsers reports whether the credential holds Jira's Browse users
// and groups global permission (key USER_PICKER). Without it user search
// answers nothing, not an error, and reading an account answers 403.
func (c *Client) CanBrowseUsers(ctx context.Context) (bool, error) {
	var out struct {
		Permissions map[string]struct {
			HavePermission *bool `json:"havePermission"`
		} `json:"permissions"`
	}
	if err := c.do(ctx, epMyPermissions.at().withQuery(url.Values{"permissions": {"USER_PICKER"}}), &out); err != nil {
		return false, err
	}
	p, ok := out.Permissions["USER_PICKER"]
	if !ok || p.HavePermission == nil {
		return false, fmt.Errorf("GET %s answered without USER_PICKER's havePermission", epMyPermissions.Pattern)
	}
	return *p.HavePermission, nil
}

// FindUserByEmail returns the account whose email is exactly email
// (ignoring case), preferring a portal-only customer (see PreferCustomer).
// Nothing found is IsNotFound; several candidates an *AmbiguousError.
func (c *Client) FindUserByEmail(ctx context.Context, email string) (*User, error) {
	m, err := c.SearchByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	return c.PreferCustomer(email, m.Exact)
}

// PreferCustomer is the function PreferCustomer, with an *AmbiguousError
// that masks the client's secrets in what it quotes of the candidates.
func (c *Client) PreferCustomer(email string, users []User) (*User, error) {
	u, err := PreferCustomer(email, users)
	var ambiguous *AmbiguousError
	if errors.As(err, &ambiguous) {
		ambiguous.secrets = c.secrets
	}
	return u, err
}

// PreferCustomer picks, among accounts that hold the same email, the one
// to manage as a customer: a portal-only customer and an Atlassian account
// can share an email, and the portal-only one is the customer. With no
// customer among several accounts, or several customers, the choice is
// ambiguous. No account at all is IsNotFound.
func PreferCustomer(email string, users []User) (*User, error) {
	if len(users) == 0 {
		return nil, fmt.Errorf("no active account with email %s: %w", email, ErrNotFound)
	}
	if len(users) == 1 {
		return &users[0], nil
	}
	var customers []User
	for _, u := range users {
		if u.AccountType == "customer" {
			customers = append(customers, u)
		}
	}
	if len(customers) == 1 {
		return &customers[0], nil
	}
	return nil, &AmbiguousError{Email: email, Candidates: users}
}

// AmbiguousError: several accounts fit an email and none can be preferred.
type AmbiguousError struct {
	Email      string
	Candidates []User
	secrets    masker // set by Client.PreferCustomer
}

// Error lists the candidates as the server named them: cleaned, capped and,
// when a client made the error, with its secrets masked.
func (e *AmbiguousError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d accounts fit the email %s, and no single portal-only customer (account type customer) is among them:", len(e.Candidates), e.Email)
	for _, u := range e.Candidates {
		fmt.Fprintf(&b, "\n  - %s (account type %s, named %s)", e.secrets.clean(u.AccountID, maxAccountID),
			e.secrets.clean(u.AccountType, valueLimit), e.secrets.quote(u.DisplayName))
	}
	b.WriteString("\nUse the account ID of the one you mean.")
	return b.String()
}

// RevokePortalAccess takes a portal-only customer's access away.
func (c *Client) RevokePortalAccess(ctx context.Context, accountID string) error {
	return c.do(ctx, epRevokePortalAccess.at(accountID), nil)
}
