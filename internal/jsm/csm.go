package jsm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// The Customer Service Management (CSM) REST API serves customer and
// organization details, products and entitlements. It lives on Atlassian's
// gateway, not on the site URL (Atlassian's CSM API reference), and is
// reached only when a caller uses one of its calls: a configuration without
// details never sends a request to it, nor discovers the cloud ID.

// DefaultCSMURL is the CSM API base; {cloudId} is replaced by the site's
// cloud ID.
const DefaultCSMURL = "https://api.atlassian.com" + csmPrefix

// CloudIDPlaceholder is replaced by the cloud ID in a CSM URL.
const CloudIDPlaceholder = "{cloudId}"

// csmPrefix is the path of the CSM base on the gateway; endpoint names carry
// it so docs and errors show the real path.
const csmPrefix = "/jsm/csm/cloudid/" + CloudIDPlaceholder + "/api/v1"

// Features a CSM call belongs to, as JSM's project settings name them.
// When one is off, or the site's plan lacks it, every path of it answers
// 404, its listings included.
const (
	FeatureProfiles = "Customer and organization profiles"
	FeatureProducts = "Products and entitlements"

	featureProfiles = FeatureProfiles
	featureProducts = FeatureProducts
)

// csmState resolves the CSM base once, on first use.
type csmState struct {
	mu       sync.Mutex
	template string // a URL, possibly holding CloudIDPlaceholder
	cloudID  string // known from the configuration or the gateway URL
	base     *url.URL
}

var (
	gatewayCloudID = regexp.MustCompile(`^/ex/jira/([^/]+)$`)
	cloudIDForm    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,63}$`)
)

// ValidCloudID reports whether id has the form of a cloud ID (a UUID on
// real sites; any short run of letters, digits and dashes is accepted).
func ValidCloudID(id string) bool { return cloudIDForm.MatchString(id) }

// CloudIDFromURL returns the cloud ID of a gateway URL
// (https://api.atlassian.com/ex/jira/<cloudId>), or "".
func CloudIDFromURL(u *url.URL) string {
	if m := gatewayCloudID.FindStringSubmatch(u.Path); m != nil && ValidCloudID(m[1]) {
		return m[1]
	}
	return ""
}

// ValidateCSMURL checks a CSM base override like ValidateBaseURL; it may
// hold {cloudId}.
func ValidateCSMURL(raw string) error {
	_, err := ValidateBaseURL(strings.ReplaceAll(raw, CloudIDPlaceholder, "cloud-id"))
	return err
}

func newCSMState(cfg Config, base *url.URL) (*csmState, error) {
	st := &csmState{template: cfg.CSMURL, cloudID: cfg.CloudID}
	if st.template == "" {
		st.template = DefaultCSMURL
	}
	if err := ValidateCSMURL(st.template); err != nil {
		return nil, fmt.Errorf("CSM URL: %w", err)
	}
	if st.cloudID != "" && !ValidCloudID(st.cloudID) {
		return nil, fmt.Errorf("the cloud ID %q is not of the form of a cloud ID (a UUID such as 2a927c94-363f-4977-a0d6-9477d535f329)", st.cloudID)
	}
	if fromURL := CloudIDFromURL(base); fromURL != "" {
		if st.cloudID != "" && st.cloudID != fromURL {
			return nil, fmt.Errorf("the cloud ID %q differs from the one in the gateway URL (%q): drop one of them", st.cloudID, fromURL)
		}
		st.cloudID = fromURL
	}
	return st, nil
}

// csmBase returns the CSM base, finding the cloud ID on first use: from the
// configuration or the gateway URL, else from the site's
// /_edge/tenant_info (Atlassian's CSM API reference). A failed discovery is
// not remembered, so a later call tries again.
func (c *Client) csmBase(ctx context.Context) (*url.URL, error) {
	st := c.csm
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.base != nil {
		return st.base, nil
	}
	raw := st.template
	if strings.Contains(raw, CloudIDPlaceholder) {
		if err := c.discoverCloudID(ctx); err != nil {
			return nil, fmt.Errorf("%w (needed by customer and organization details, products and entitlements): %w. "+
				"The cloud ID is shown at https://<your-site>.atlassian.net/_edge/tenant_info", ErrNoCloudID, err)
		}
		raw = strings.ReplaceAll(raw, CloudIDPlaceholder, url.PathEscape(st.cloudID))
	}
	u, err := ValidateBaseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("CSM URL: %w", err)
	}
	st.base = u
	return u, nil
}

// discoverCloudID reads the cloud ID from the site once, unless known;
// c.csm.mu is held.
func (c *Client) discoverCloudID(ctx context.Context) error {
	if c.csm.cloudID != "" {
		return nil
	}
	id, err := c.TenantCloudID(ctx)
	if err != nil {
		return err
	}
	c.csm.cloudID = id
	return nil
}

// siteCloudID returns the site's cloud ID, discovering it once.
func (c *Client) siteCloudID(ctx context.Context) (string, error) {
	c.csm.mu.Lock()
	defer c.csm.mu.Unlock()
	if err := c.discoverCloudID(ctx); err != nil {
		return "", err
	}
	return c.csm.cloudID, nil
}

// CloudID returns the cloud ID the client uses for the CSM API, once known
// ("" before the first CSM call when it had to be discovered).
func (c *Client) CloudID() string {
	c.csm.mu.Lock()
	defer c.csm.mu.Unlock()
	return c.csm.cloudID
}

// ErrNoCloudID is in the chain of a CSM call's error when the site's cloud
// ID could not be found (Config.CloudID names it explicitly).
var ErrNoCloudID = errors.New("could not find the site's cloud ID for the Customer Service Management API")

// TenantCloudID reads the site's cloud ID from /_edge/tenant_info.
func (c *Client) TenantCloudID(ctx context.Context) (string, error) {
	var out struct {
		CloudID string `json:"cloudId"`
	}
	if err := c.do(ctx, epTenantInfo.at(), &out); err != nil {
		return "", err
	}
	if !ValidCloudID(out.CloudID) {
		return "", fmt.Errorf("GET /_edge/tenant_info answered no usable cloudId (%s)", c.secrets.quote(out.CloudID))
	}
	return out.CloudID, nil
}

// csmHint says what a failed CSM call needs. The gateway is not the site:
// the credentials that work on the site URL may be refused there, and a 404
// or 403 usually means the feature is off or not in the plan. basic: the
// client sends basic auth (an email and an API token).
func (e *Endpoint) csmHint(status int, generic string, basic bool) string {
	needs := fmt.Sprintf("%s needs: %s; and the scopes %s", e.Name(), e.Permission, e.Scopes())
	switch status {
	case http.StatusUnauthorized:
		sent := "The provider sent an OAuth 2.0 access token: it may have expired, or it lacks the scopes below. "
		if basic {
			sent = "The provider sent basic auth (email and api_token): a classic (unscoped) API token, which the site URL " +
				"accepts, is the likely cause, as Atlassian documents basic auth on its gateway only with scoped tokens. "
		}
		return "The Customer Service Management API (on api.atlassian.com, not on the site URL) refused the credentials. " + sent +
			"The CSM API needs an OAuth 2.0 access token (access_token), or basic auth with an email and a scoped API token " +
			"(create one with the scopes below at https://id.atlassian.com/manage-profile/security/api-tokens, \"Create API token " +
			"with scopes\", and use it with a gateway url, https://api.atlassian.com/ex/jira/<cloudId>: the site URL refuses " +
			"scoped tokens). " + needs
	case http.StatusForbidden:
		return "Refused: the token lacks a scope, the account lacks the permission, or the site's plan lacks the " + e.feature +
			" feature (JSM Premium or Enterprise). " + needs
	case http.StatusNotFound:
		return "Not found on the Customer Service Management API: the object does not exist, or the " + e.feature +
			" feature is not enabled (a project admin turns it on in Project settings → Features), or the site's plan lacks it " +
			"(JSM Premium or Enterprise), or the cloud ID is not this site's (set cloud_id)"
	}
	return generic
}

// IsCSMNotFound reports whether err is a 404 from the CSM API.
func IsCSMNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == http.StatusNotFound
}
