package jsm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// The CSM API's customer account and organization operations rename and
// delete what JSM's own API cannot: a customer account (an account of the
// site's customer directory, typically a qm: ID; never an Atlassian
// account) and an organization. Atlassian lists them as experimental since
// January 2026 (its CSM API changelog and reference), names their paths and
// permissions, and says what each changes, but shows neither their request
// bodies nor their answers. Every shape the client assumes is below, in one
// place. A rename's answer is not read at all: JSM's own read of the object
// says whether it happened. A read answered in another shape gets an error.

// FeatureAccounts names what the account and organization operations need,
// for their 404 and 403 hints.
const FeatureAccounts = "Customer Service Management customer account API"

const (
	featureAccounts = FeatureAccounts
	permCSMUser     = "Customer Service Management or Jira Service Management user"
)

// Assumed shapes (Low confidence: not documented; the field names are those
// of JSM's own customer and organization calls and of the CSM profile
// payloads).
type (
	// customerAccountRename is the body of PUT /customer/account/{id}: the
	// display name is the only thing it changes (Atlassian's reference).
	customerAccountRename struct {
		DisplayName string `json:"displayName"`
	}
	// organizationRename is the body of PUT /organization/{id}: the name is
	// the only thing it changes (Atlassian's reference).
	organizationRename struct {
		Name string `json:"name"`
	}
)

// CustomerAccount is a customer account as GET and PUT
// /customer/account/{id} are assumed to answer it: {"id", "email",
// "displayName"}.
type CustomerAccount struct {
	ID          string `json:"id"`
	Email       string `json:"email"`
	DisplayName string `json:"displayName"`
}

// AssumedAccountShapes lists the shapes above with their confidence (as
// Markdown); a test holds the resources' docs to it.
var AssumedAccountShapes = []AssumedShape{
	{"PUT /customer/account/{customerId}", "request", "`{\"displayName\": \"<new name>\"}`", "Low"},
	{"PUT /customer/account/{customerId}", "answer", "any 2xx, not read: JSM's read of the account (`GET /rest/api/3/user`) must then show the new name", "Low"},
	{"GET /customer/account/{customerId}", "answer", "`{\"id\": \"<customerId>\", \"email\", \"displayName\"}`", "Low"},
	{"DELETE /customer/account/{customerId}", "answer", "any 2xx without a body, or with JSON", "Low"},
	{"PUT /organization/{organizationId}", "request", "`{\"name\": \"<new name>\"}`", "Medium-Low"},
	{"PUT /organization/{organizationId}", "answer", "any 2xx, not read: JSM's read of the organization (`GET /rest/servicedeskapi/organization/{organizationId}`) must then show the new name", "Low"},
}

// AssumedShape is one assumption about an undocumented body.
type AssumedShape struct {
	Operation, Part, Shape, Confidence string
}

// ErrAnswerShape is the Kind of an *Error whose success answer is not in
// the shape the client assumes: the write may have happened.
var ErrAnswerShape = errors.New("the answer is not in the shape the provider assumes")

// shapeError reports a success answer in another shape than assumed.
func (c *Client) shapeError(r request, what string, raw json.RawMessage) *Error {
	return &Error{Method: r.method, Path: r.path, Kind: ErrAnswerShape, MayHaveApplied: true,
		Cause: fmt.Errorf("the site answered success, but %s (answer: %s). Atlassian does not document this answer; "+
			"the provider assumes %s. The write may have happened: the next plan reads the object back and settles it "+
			"(nothing is created twice, nothing is lost)", what, c.secrets.clean(string(raw), excerptLimit), shapeOf(r.ep))}
}

func shapeOf(e *Endpoint) string {
	for _, s := range AssumedAccountShapes {
		if s.Part == "answer" && s.Operation == e.Method+" "+e.Pattern {
			return s.Shape
		}
	}
	return "another shape"
}

// accountsHint replaces the generic hint of a refused account or
// organization call: what the experimental API needs.
func accountsHint(ep *Endpoint, err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.StatusCode {
	case http.StatusNotFound:
		if ep == epRenameOrgCSM {
			e.Hint = "Either the organization is not there, or the site does not offer the experimental organization " +
				"operations of the Customer Service Management API (Atlassian documents them for Customer Service Management " +
				"sites), or the cloud ID is not this site's"
			break
		}
		e.Hint = "Either the object is not there, or the site does not offer the " + FeatureAccounts + " (experimental; " +
			"Atlassian documents it for Customer Service Management sites and for customer accounts of the site's customer " +
			"directory only, never Atlassian accounts), or the cloud ID is not this site's"
	case http.StatusForbidden:
		e.Hint = fmt.Sprintf("Refused: the token lacks a scope, or the account lacks the permission: %s needs: %s; and the scopes %s",
			ep.Name(), ep.Permission, ep.Scopes())
	case http.StatusPreconditionFailed:
		e.Hint = "The " + FeatureAccounts + " is experimental and answers 412 without the header X-ExperimentalApi: opt-in; " +
			"the provider sends it, so a proxy in between probably dropped it"
	}
	return err
}

// CustomerAccount reads a customer account of the site's customer
// directory. A 404 means no such customer account, or no such API on the
// site: Atlassian accounts are refused.
func (c *Client) CustomerAccount(ctx context.Context, id string) (*CustomerAccount, error) {
	r := epGetCustAccount.at(id)
	var raw json.RawMessage
	if err := c.do(ctx, r, &raw); err != nil {
		return nil, accountsHint(epGetCustAccount, err)
	}
	var a CustomerAccount
	if json.Unmarshal(raw, &a) != nil || a.ID != id {
		e := c.shapeError(r, "not with the account's id", raw)
		e.MayHaveApplied = false
		return nil, e
	}
	return &a, nil
}

// RenameCustomerAccount sets a customer account's display name. The
// answer is not documented, so it is not read: any 2xx is followed by
// JSM's own read of the account, which decides. A name other than the one
// asked is an error of Kind ErrRenameNotShown.
func (c *Client) RenameCustomerAccount(ctx context.Context, id, displayName string) (*CustomerAccount, error) {
	r := epRenameCustAccount.at(id).withBody(customerAccountRename{DisplayName: displayName})
	if err := c.do(ctx, r, nil); err != nil {
		return nil, accountsHint(epRenameCustAccount, err)
	}
	u, err := c.GetUser(ctx, id)
	if err != nil {
		return nil, renameUnconfirmed(r, "account", err)
	}
	if u.DisplayName != displayName {
		return nil, c.renameNotShown(r, "customer account", u.DisplayName, displayName)
	}
	return &CustomerAccount{ID: id, Email: u.Email, DisplayName: u.DisplayName}, nil
}

// DeleteCustomerAccount deletes a customer account, for good: Atlassian
// says it cannot be restored. A 404 may mean the account is gone, or that
// the site has no such API: the caller asks JSM which.
func (c *Client) DeleteCustomerAccount(ctx context.Context, id string) error {
	return accountsHint(epDeleteCustAccount, c.do(ctx, epDeleteCustAccount.at(id), nil))
}

// RenameOrganization renames an organization in place, keeping its ID,
// its members and its service desks. As for RenameCustomerAccount, JSM's
// own read of the organization decides, not the rename's answer.
func (c *Client) RenameOrganization(ctx context.Context, id, name string) error {
	r := epRenameOrgCSM.at(id).withBody(organizationRename{Name: name})
	if err := c.do(ctx, r, nil); err != nil {
		return accountsHint(epRenameOrgCSM, err)
	}
	o, err := c.GetOrganization(ctx, id)
	if err != nil {
		return renameUnconfirmed(r, "organization", err)
	}
	if o.Name != name {
		return c.renameNotShown(r, "organization", o.Name, name)
	}
	return nil
}

// ErrRenameNotShown is the Kind of an *Error whose rename was answered
// success while JSM's read still shows another name.
var ErrRenameNotShown = errors.New("the site answered success, but JSM still shows another name")

func (c *Client) renameNotShown(r request, what, shown, asked string) *Error {
	return &Error{Method: r.method, Path: r.path, Kind: ErrRenameNotShown,
		Cause: fmt.Errorf("the site answered success, but JSM's read of the %s still shows %s, not %q. If JSM only lags, "+
			"the next plan finds the new name and plans nothing; if it still shows the old name, the site did not make the "+
			"rename: rename it in JSM instead, or keep the old name in the configuration", what, c.secrets.quote(shown), asked)}
}

// renameUnconfirmed is a rename answered success whose read-back failed:
// it has probably happened, and the next plan reads it.
func renameUnconfirmed(r request, what string, err error) *Error {
	return &Error{Method: r.method, Path: r.path, MayHaveApplied: true,
		Cause: fmt.Errorf("the site answered success, but reading the %s back through JSM failed: %w", what, err)}
}

// IsAccountAPIUnavailable reports whether err is an answer of the CSM
// account and organization operations that says the site does not let the
// client use them: 404 (no such API, or not a customer account), 401, 403
// or 412.
func IsAccountAPIUnavailable(err error) bool {
	switch StatusCode(err) {
	case http.StatusNotFound, http.StatusForbidden, http.StatusPreconditionFailed, http.StatusUnauthorized:
		return true
	}
	return false
}
