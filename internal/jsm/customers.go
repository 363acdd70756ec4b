package jsm

import (
	"context"
	"fmt"
	"net/url"
	"strings"
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
	return &User{
		AccountID:   d.AccountID,
		AccountType: "customer", // the customer API only makes and returns customers
		Email:       deref(d.EmailAddress),
		DisplayName: d.DisplayName,
		Active:      d.Active,
		TimeZone:    deref(d.TimeZone),
		Links:       UserLinks{Self: d.Links.Self, JiraRest: d.Links.JiraRest, AvatarURLs: d.Links.AvatarURLs},
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
// (<site>/rest/api/2/user?username=<id>), built from the platform API's self
// URL, so an imported customer holds the same links as a created one.
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
		if IsNotFound(err) {
			return false, nil
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
	if settled != nil {
		return settled, nil
	}
	if dto.AccountID == "" {
		return nil, fmt.Errorf("POST /rest/servicedeskapi/customer: the answer holds no accountId")
	}
	return dto.user(), nil
}

// GetUser reads any account by ID; a missing account is IsNotFound.
func (c *Client) GetUser(ctx context.Context, accountID string) (*User, error) {
	var p platformUser
	err := c.do(ctx, epGetUser.at().withQuery(url.Values{"accountId": {accountID}}), &p)
	if err != nil {
		return nil, err
	}
	if p.AccountID == "" {
		return nil, fmt.Errorf("GET /rest/api/3/user: the answer holds no accountId")
	}
	return p.user(), nil
}

// FindUserByEmail returns the account whose email is exactly email (ignoring
// case). User search matches prefixes of names and emails, so every result is
// checked; an account whose email is hidden cannot be matched. Nothing found
// is IsNotFound.
func (c *Client) FindUserByEmail(ctx context.Context, email string) (*User, error) {
	const pageSize = 50
	// A prefix query on a full email matches few accounts; the bound only
	// guards against a server that never stops paging.
	for start := 0; start < 20*pageSize; start += pageSize {
		var page []platformUser
		err := c.do(ctx, epSearchUser.at().withQuery(
			url.Values{"query": {email}, "startAt": {fmt.Sprint(start)}, "maxResults": {fmt.Sprint(pageSize)}}), &page)
		if err != nil {
			return nil, err
		}
		for _, p := range page {
			if p.EmailAddress != nil && strings.EqualFold(*p.EmailAddress, email) {
				return p.user(), nil
			}
		}
		if len(page) < pageSize {
			break
		}
	}
	return nil, fmt.Errorf("no account with email %s: %w", email, ErrNotFound)
}

// RevokePortalAccess takes a portal-only customer's access away.
func (c *Client) RevokePortalAccess(ctx context.Context, accountID string) error {
	return c.do(ctx, epRevokePortalAccess.at(accountID), nil)
}
