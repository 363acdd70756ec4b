package jsm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// ErrSiteUnconfirmed is the Kind of a 404 that the site could not confirm:
// the base URL did not show that it is a JSM site (a gateway URL with a
// wrong cloud ID answers every call 404), so the 404 says nothing of the
// object, and errors.Is(err, ErrNotFound) does not hold.
var ErrSiteUnconfirmed = errors.New("the site was not confirmed")

// siteCheck remembers, for the client's lifetime (one Terraform command),
// whether the base URL has shown that it is a JSM site. A 404 is believed
// only once it has: otherwise every object of a state would leave it on the
// word of a URL that names no site.
type siteCheck struct {
	mu        sync.Mutex
	confirmed bool
	wrong     error // a definite answer that the URL names no JSM site
}

// confirmSite asks, once per client, for the first organization of the
// site: an answer only a JSM site gives, to any credential that manages
// customers. A 2xx confirms the site; any other answer to it is returned,
// and a definite one (a 4xx other than 408 and 429, or a 2xx that is not
// the API's) remembered. Transport failures, 5xx and rate limits are not:
// the next 404 asks again.
func (c *Client) confirmSite(ctx context.Context) error {
	c.site.mu.Lock()
	defer c.site.mu.Unlock()
	switch {
	case c.site.confirmed:
		return nil
	case c.site.wrong != nil:
		return c.site.wrong
	}
	probe := epListOrgs.at()
	probe.query = url.Values{"limit": {"1"}}
	var out struct {
		Values []organizationDTO `json:"values"`
	}
	err := c.do(ctx, probe, &out)
	if err == nil {
		c.site.confirmed = true
		return nil
	}
	switch s := StatusCode(err); {
	case s == http.StatusRequestTimeout || s == http.StatusTooManyRequests:
	case s >= 400 && s < 500, s >= 200 && s < 300:
		c.site.wrong = err
	}
	return err
}

// Every caller of the site's API may check the site after a 404, so each
// is a caller of the probe's endpoint too: the permission tables of the docs
// list it.
func init() {
	var callers []string
	for _, e := range Endpoints {
		if e != epListOrgs && e != epTenantInfo && !e.CSM() {
			callers = append(callers, e.callers...)
		}
	}
	epListOrgs.by(callers...)
}

// unconfirmed turns a 404 of the site's API into one that does not count
// as "not found" when the site cannot be confirmed (confirmSite).
func (c *Client) unconfirmed(ctx context.Context, r request, base *url.URL, e *Error) {
	// A bulk read's 404 is never "gone" (a proxy without the route: its IDs
	// settle alone, whose 404s are checked), and the check's own is its answer.
	if e.StatusCode != http.StatusNotFound || e.Excerpt != "" || r.ep.CSM() || r.ep == epTenantInfo || r.ep == epListOrgs ||
		r.ep == epBulkUsers {
		return
	}
	cerr := c.confirmSite(ctx)
	if cerr == nil {
		return
	}
	// The base URL holds no credentials, query or fragment (ValidateBaseURL).
	where := base.Scheme + "://" + base.Host + base.EscapedPath()
	if id := CloudIDFromURL(base); id != "" {
		where += fmt.Sprintf(" (cloud ID %s)", id)
	}
	e.Kind = ErrSiteUnconfirmed
	e.Hint = fmt.Sprintf("Every 404 is checked against the site once a run, and %s did not show that it is a JSM site "+
		"(%s). Check url (and cloud_id): a mistyped cloud ID or domain answers 404 to everything. "+
		"The object may well exist: nothing leaves the state on its word.", where, strings.TrimSuffix(cerr.Error(), "."))
}
