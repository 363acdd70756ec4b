package jsm

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// ServiceDesk is a service desk: the JSM side of a Jira project.
type ServiceDesk struct {
	ID          string
	ProjectID   string
	ProjectKey  string
	ProjectName string
}

type serviceDeskDTO struct {
	ID          string `json:"id"`
	ProjectID   string `json:"projectId"`
	ProjectKey  string `json:"projectKey"`
	ProjectName string `json:"projectName"`
}

// experimental is the header JSM's experimental operations require; without
// it they answer 412.
var experimental = http.Header{"X-ExperimentalApi": {"opt-in"}}

// GetServiceDesk reads a service desk by ID or project key (or
// projectKey:KEY, projectId:ID); a missing one is IsNotFound.
func (c *Client) GetServiceDesk(ctx context.Context, idOrKey string) (*ServiceDesk, error) {
	var d serviceDeskDTO
	r := epGetDesk.at(idOrKey)
	if err := c.do(ctx, r, &d); err != nil {
		return nil, err
	}
	if !deskAnswers(idOrKey, d) {
		return nil, wrongIdentity(r, "service desk", idOrKey, c.secrets.quote(d.ID))
	}
	return &ServiceDesk{ID: d.ID, ProjectID: d.ProjectID, ProjectKey: d.ProjectKey, ProjectName: d.ProjectName}, nil
}

// ServiceDeskCustomers returns a desk's customers (all pages), optionally
// filtered by query (part of a name or email). Experimental in JSM.
func (c *Client) ServiceDeskCustomers(ctx context.Context, deskID, query string) ([]User, error) {
	r := epListDeskCustomers.at(deskID).withHeader(experimental)
	if query != "" {
		r.query = url.Values{"query": {query}}
	}
	var out []User
	err := getPagedAhead(ctx, c, r, 0, func(u userDTO) bool { out = append(out, *u.user()); return true })
	return out, err
}

// ServiceDeskCustomerIDs returns the account IDs of a desk's customers;
// expect as for OrganizationMembers.
func (c *Client) ServiceDeskCustomerIDs(ctx context.Context, deskID string, expect int) ([]string, error) {
	return accountIDs(ctx, c, epListDeskCustomers.at(deskID).withHeader(experimental), expect)
}

// AddServiceDeskCustomers adds customers in batches of at most BatchSize. An
// unknown account fails its batch with 400, but JSM still adds the others.
func (c *Client) AddServiceDeskCustomers(ctx context.Context, deskID string, ids []string) error {
	return c.accountBatches(ctx, epAddDeskCustomers.at(deskID), ids)
}

// RemoveServiceDeskCustomers removes customers in batches of at most
// BatchSize. Experimental in JSM; it fails with 400 while the desk is open
// to anyone, and the error then says what to change.
func (c *Client) RemoveServiceDeskCustomers(ctx context.Context, deskID string, ids []string) error {
	err := c.accountBatches(ctx, epRemoveDeskCustomers.at(deskID).withHeader(experimental), ids)
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusBadRequest || e.Hint != "" {
		return err
	}
	// A 400 is also an unknown account ID: the open-desk advice is given
	// when the site's words are about access, or when it gave none.
	const restrict = "Restrict the desk first: Project settings > Customer permissions > Who can raise requests: " +
		"only customers added to the project; then try again"
	switch msg := strings.ToLower(strings.Join(e.Messages, " ")); {
	case strings.Contains(msg, "open access") || strings.Contains(msg, "public signup") || strings.Contains(msg, "anyone"):
		e.Hint = "JSM refuses to remove customers from a service desk that anyone can raise requests on (open access " +
			"or public signup). " + restrict
		e.Kind = ErrDeskOpen
	case msg == "":
		e.Hint = "JSM gave no reason. It refuses removals from a service desk that anyone can raise requests on (open " +
			"access or public signup): if this desk is one, " + strings.ToLower(restrict[:1]) + restrict[1:] +
			". Otherwise check that every account ID exists"
	}
	return err
}

// ServiceDeskOrganizationIDs returns the IDs of the organizations linked to
// a desk (all pages).
func (c *Client) ServiceDeskOrganizationIDs(ctx context.Context, deskID string) ([]string, error) {
	var out []string
	err := getPagedAhead(ctx, c, epListDeskOrgs.at(deskID), 0, func(d organizationDTO) bool {
		out = append(out, d.ID)
		return true
	})
	return out, err
}

// AddServiceDeskOrganization links an organization to a desk (204 even when
// already linked).
func (c *Client) AddServiceDeskOrganization(ctx context.Context, deskID, orgID string) error {
	return c.deskOrganization(ctx, epAddDeskOrg, deskID, orgID)
}

// RemoveServiceDeskOrganization unlinks an organization from a desk (204
// even when not linked).
func (c *Client) RemoveServiceDeskOrganization(ctx context.Context, deskID, orgID string) error {
	return c.deskOrganization(ctx, epRemoveDeskOrg, deskID, orgID)
}

func (c *Client) deskOrganization(ctx context.Context, e *Endpoint, deskID, orgID string) error {
	n, err := strconv.ParseInt(orgID, 10, 64)
	if err != nil {
		return errors.New("organization ID " + strconv.Quote(orgID) + " is not an integer")
	}
	return c.do(ctx, e.at(deskID).withBody(map[string]int64{"organizationId": n}), nil)
}

// deskAnswers reports whether d is the desk ref asked for: its ID is an
// integer, and it is the ID, project ID or project key ref names.
func deskAnswers(ref string, d serviceDeskDTO) bool {
	if !ValidOrganizationID(d.ID) {
		return false
	}
	if k, ok := strings.CutPrefix(ref, "projectKey:"); ok {
		return strings.EqualFold(k, d.ProjectKey)
	}
	if id, ok := strings.CutPrefix(ref, "projectId:"); ok {
		return id == d.ProjectID
	}
	return ref == d.ID || strings.EqualFold(ref, d.ProjectKey)
}

// OrganizationServiceDesks returns the service desks an organization has
// access to. JSM has no call that lists them: it lists every desk the
// caller may see, then each desk's organizations, so it costs a request per
// desk. Meant for rare questions, such as what a rename would drop.
func (c *Client) OrganizationServiceDesks(ctx context.Context, orgID string) ([]ServiceDesk, error) {
	desks, err := c.ServiceDesks(ctx)
	if err != nil {
		return nil, err
	}
	var out []ServiceDesk
	for _, d := range desks {
		orgs, err := c.ServiceDeskOrganizationIDs(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		for _, id := range orgs {
			if id == orgID {
				out = append(out, d)
				break
			}
		}
	}
	return out, nil
}

// ServiceDesks lists every service desk the caller may access (all pages).
func (c *Client) ServiceDesks(ctx context.Context) ([]ServiceDesk, error) {
	var desks []ServiceDesk
	err := getPagedAhead(ctx, c, epListDesks.at(), 0, func(d serviceDeskDTO) bool {
		desks = append(desks, ServiceDesk(d))
		return true
	})
	return desks, err
}
