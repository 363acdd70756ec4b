package jsm

import (
	"context"
	"encoding/json"
	"fmt"
)

// Organization is a JSM organization.
type Organization struct {
	ID          string
	Name        string
	UUID        string // empty when the site does not return one
	SCIMManaged bool
	Self        string
}

type organizationDTO struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	UUID        string `json:"uuid"`
	SCIMManaged bool   `json:"scimManaged"`
	Links       struct {
		Self string `json:"self"`
	} `json:"_links"`
}

func (d organizationDTO) org() Organization {
	return Organization{ID: d.ID, Name: d.Name, UUID: d.UUID, SCIMManaged: d.SCIMManaged, Self: d.Links.Self}
}

// ListOrganizations returns every organization of the site (all pages).
func (c *Client) ListOrganizations(ctx context.Context) ([]Organization, error) {
	dtos, err := listPaged[organizationDTO](ctx, c, epListOrgs.at())
	if err != nil {
		return nil, err
	}
	out := make([]Organization, len(dtos))
	for i, d := range dtos {
		out[i] = d.org()
	}
	return out, nil
}

// FindOrganizationByName returns the organization named exactly name;
// nothing found is IsNotFound. JSM has no name filter: the listing is read
// until the name turns up, with pages ahead.
func (c *Client) FindOrganizationByName(ctx context.Context, name string) (*Organization, error) {
	var found *Organization
	err := getPagedAhead(ctx, c, epListOrgs.at(), 0, func(d organizationDTO) bool {
		if d.Name == name {
			o := d.org()
			found = &o
			return false
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, fmt.Errorf("no organization named %q: %w", name, ErrNotFound)
	}
	return found, nil
}

// CreateOrganization creates an organization. Beware: when the name is
// taken, JSM answers 201 with the existing organization.
func (c *Client) CreateOrganization(ctx context.Context, name string) (*Organization, error) {
	var d organizationDTO
	if err := c.do(ctx, epCreateOrg.at().withBody(map[string]string{"name": name}), &d); err != nil {
		return nil, err
	}
	if !ValidOrganizationID(d.ID) {
		return nil, fmt.Errorf("%s: the answer holds no valid organization ID (%s)", epCreateOrg.Name(), c.secrets.quote(d.ID))
	}
	o := d.org()
	return &o, nil
}

// GetOrganization reads an organization; a missing one is IsNotFound.
func (c *Client) GetOrganization(ctx context.Context, id string) (*Organization, error) {
	var d organizationDTO
	r := epGetOrg.at(id)
	if err := c.do(ctx, r, &d); err != nil {
		return nil, err
	}
	if d.ID != id {
		return nil, wrongIdentity(r, "organization", id, c.secrets.quote(d.ID))
	}
	o := d.org()
	return &o, nil
}

// DeleteOrganization deletes an organization, whatever it is linked to.
func (c *Client) DeleteOrganization(ctx context.Context, id string) error {
	return c.do(ctx, epDeleteOrg.at(id), nil)
}

// OrganizationMembers returns the account IDs of an organization's members
// (all pages). expect, how many the caller expects (0 when it cannot tell),
// lets the pages up to it be read several at once.
func (c *Client) OrganizationMembers(ctx context.Context, id string, expect int) ([]string, error) {
	return accountIDs(ctx, c, epListOrgUsers.at(id), expect)
}

// AddOrganizationMembers adds accounts in batches of at most BatchSize. An
// unknown account fails its batch with 400, but JSM still adds the others.
func (c *Client) AddOrganizationMembers(ctx context.Context, id string, ids []string) error {
	return c.accountBatches(ctx, epAddOrgUsers.at(id), ids)
}

// RemoveOrganizationMembers removes accounts in batches of at most BatchSize.
func (c *Client) RemoveOrganizationMembers(ctx context.Context, id string, ids []string) error {
	return c.accountBatches(ctx, epRemoveOrgUsers.at(id), ids)
}

func (c *Client) accountBatches(ctx context.Context, r request, ids []string) error {
	return inBatches(ids, func(batch []string) error {
		return c.do(ctx, r.withBody(map[string][]string{"accountIds": batch}), nil)
	})
}

// accountIDs reads the account IDs of a paged list of users, expecting
// about expect of them.
func accountIDs(ctx context.Context, c *Client, r request, expect int) ([]string, error) {
	out := make([]string, 0, expect)
	err := getPagedAhead(ctx, c, r, expect, func(u userDTO) bool { out = append(out, u.AccountID); return true })
	return out, err
}

// OrganizationPropertyKeys lists the keys of an organization's properties.
func (c *Client) OrganizationPropertyKeys(ctx context.Context, id string) ([]string, error) {
	type keyDTO struct {
		Key string `json:"key"`
	}
	var out struct {
		Keys  []keyDTO `json:"keys"`
		Beans []keyDTO `json:"entityPropertyKeyBeans"` // the name in Atlassian's example
	}
	if err := c.do(ctx, epListOrgProps.at(id), &out); err != nil {
		return nil, err
	}
	keys := []string{}
	for _, k := range append(out.Keys, out.Beans...) {
		keys = append(keys, k.Key)
	}
	return keys, nil
}

// GetOrganizationProperty returns a property's JSON value; a missing
// property (or organization) is IsNotFound.
func (c *Client) GetOrganizationProperty(ctx context.Context, id, key string) (json.RawMessage, error) {
	var out struct {
		Value json.RawMessage `json:"value"`
	}
	if err := c.do(ctx, epGetOrgProp.at(id, key), &out); err != nil {
		return nil, err
	}
	return out.Value, nil
}

// SetOrganizationProperty creates or replaces a property; value must be JSON.
func (c *Client) SetOrganizationProperty(ctx context.Context, id, key string, value json.RawMessage) error {
	if !json.Valid(value) {
		return fmt.Errorf("the value of organization property %q is not valid JSON", key)
	}
	return c.do(ctx, epSetOrgProp.at(id, key).withBody(value), nil)
}

// DeleteOrganizationProperty removes a property; a missing one is IsNotFound.
func (c *Client) DeleteOrganizationProperty(ctx context.Context, id, key string) error {
	return c.do(ctx, epDeleteOrgProp.at(id, key), nil)
}

// wrongIdentity is the error for a read answered with another object than
// the one asked for (or none): a proxy, cache or broken server. Such an
// answer must never reach the state, where the next destroy would target
// the other object.
//
// got is the answer's ID, cleaned and quoted (masker.quote): `""` when
// it carries none.
func wrongIdentity(r request, what, want, got string) error {
	if got == `""` {
		got = "none"
	}
	return fmt.Errorf("%s %s: asked for %s %s, the answer carries ID %s; it is not used (a proxy or the server answered "+
		"for another object). Nothing was changed; try again, and if it persists check what sits between the client and the site",
		r.method, r.path, what, want, got)
}
