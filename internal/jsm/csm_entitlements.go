package jsm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Entitlements link a customer or an organization to a product, with
// entitlement detail values (Atlassian's CSM API reference). The detail field
// calls are documented; the entitlement calls' paths are known, but
// not their bodies, answers or scopes. Every assumption about them is in
// this file: the create body {"productId"}, an answer carrying "id", and a
// read answering "id", the product as "productId" or "product": {"id"},
// and "details" in the shape of a customer's.

// Entity kinds an entitlement belongs to.
const (
	EntitlementOfCustomer     = "CUSTOMER"
	EntitlementOfOrganization = "ORGANIZATION"
)

// Entitlement is an entitlement as read back.
type Entitlement struct {
	ID        string
	ProductID string
	// OwnerType (EntitlementOfCustomer or EntitlementOfOrganization) and
	// OwnerID, when the answer names them (undocumented).
	OwnerType, OwnerID string
	Details            []DetailValue
}

// entitlementCreateBody is the assumed body of POST .../entitlement.
func entitlementCreateBody(productID string) any {
	return map[string]string{"productId": productID}
}

type entitlementDTO struct {
	ID         string `json:"id"`
	EntityType string `json:"entityType"`
	EntityID   string `json:"entityId"`
	ProductID  string `json:"productId"`
	Product    *struct {
		ID string `json:"id"`
	} `json:"product"`
	Details []detailFieldDTO `json:"details"`
}

func (d entitlementDTO) entitlement() Entitlement {
	e := Entitlement{ID: d.ID, ProductID: d.ProductID, OwnerType: strings.ToUpper(d.EntityType), OwnerID: d.EntityID}
	if e.ProductID == "" && d.Product != nil {
		e.ProductID = d.Product.ID
	}
	for _, f := range d.Details {
		e.Details = append(e.Details, DetailValue{Name: f.Name, Type: f.Type.Name, Options: f.Type.Options, Values: nonNil(f.Values)})
	}
	return e
}

// CreateEntitlement entitles a customer (kind EntitlementOfCustomer, id an
// account ID) or an organization to a product.
//
// The create's answer is not documented. When it holds no readable "id"
// (another shape), or the answer was lost so the create may have been
// applied, the entitlement is looked up among the owner's entitlements to
// that product: exactly one is taken as this create's, so the next apply
// does not create a duplicate. None, or several, is an error that says
// what the site holds.
func (c *Client) CreateEntitlement(ctx context.Context, kind, id, productID string) (*Entitlement, error) {
	ep := epCreateCustEntitlement
	if kind == EntitlementOfOrganization {
		ep = epCreateOrgEntitlement
	}
	var raw json.RawMessage
	var settled *Entitlement
	// Not retried once it may have been applied: nothing documents that the
	// site refuses a second entitlement to the same product, so a retry
	// could make a duplicate. The owner's listing settles it instead, and
	// only an entitlement the listing shows absent is sent again.
	var err error
	for attempt := 0; ; attempt++ {
		notApplied := false
		err = c.doWrite(ctx, ep.at(id).withBody(entitlementCreateBody(productID)).withNoResendIfMaybeApplied(), &raw, func(ctx context.Context, _ *Error) (bool, error) {
			e, err := c.findEntitlement(ctx, kind, id, productID)
			if errors.Is(err, errNoEntitlement) {
				notApplied = true
				return false, nil // not applied: the error stands, or the create is sent again
			}
			settled = e
			return e != nil, err
		})
		if !notApplied || attempt >= c.rc.RetryMax {
			break
		}
		if werr := sleepCtx(ctx, c.rc.Backoff(c.rc.RetryWaitMin, c.rc.RetryWaitMax, attempt, nil)); werr != nil {
			return nil, werr
		}
	}
	switch {
	case err != nil:
		return nil, err
	case settled != nil:
		return settled, nil
	}
	var d entitlementDTO
	if err := json.Unmarshal(raw, &d); err == nil && d.ID != "" {
		// The ID goes to the state and, later, into paths.
		if err := checkSegment("entitlementId", d.ID); err != nil {
			return nil, fmt.Errorf("%s: the answer holds no valid entitlement ID (%s); nothing was recorded. "+
				"The entitlement may have been created: find it in JSM and import it", ep.Name(), c.secrets.clean(err.Error(), messageLimit))
		}
		e := d.entitlement()
		return &e, nil
	}
	answer := c.secrets.clean(string(raw), excerptLimit)
	e, ferr := c.findEntitlement(ctx, kind, id, productID)
	if ferr != nil {
		return nil, fmt.Errorf("%s answered no entitlement id (the provider expects the answer to carry \"id\"; Atlassian does not document it): %s. "+
			"Looking the entitlement up failed too: %w. It may have been created: check the %s's entitlements before applying again, and import it",
			ep.Name(), answer, ferr, strings.ToLower(kind))
	}
	return e, nil
}

// errNoEntitlement: the owner's listing answered, without an entitlement
// to the product (a 404 of the listing itself is not this).
var errNoEntitlement = errors.New("no such entitlement")

// findEntitlement finds the one entitlement of the owner to productID
// (one it holds itself, not through an organization). None or several is
// an error.
func (c *Client) findEntitlement(ctx context.Context, kind, id, productID string) (*Entitlement, error) {
	all, err := c.ListEntitlements(ctx, kind, id, productID)
	if err != nil {
		return nil, err
	}
	var ids []string
	var found *Entitlement
	for i, e := range all {
		if e.ProductID != productID || e.OwnerType != "" && (e.OwnerType != kind || e.OwnerID != id) {
			continue
		}
		ids = append(ids, e.ID)
		found = &all[i]
	}
	switch len(ids) {
	case 0:
		return nil, fmt.Errorf("the %s %s holds no entitlement to product %s: %w", strings.ToLower(kind), id, productID, errNoEntitlement)
	case 1:
		// The ID goes to the state and, later, into paths.
		if err := checkSegment("entitlementId", found.ID); err != nil {
			return nil, fmt.Errorf("the %s %s's entitlement listing holds no valid entitlement ID (%s)", strings.ToLower(kind), id,
				c.secrets.clean(err.Error(), messageLimit))
		}
		return found, nil
	}
	for i := range ids {
		ids[i] = c.secrets.clean(ids[i], messageLimit)
	}
	return nil, fmt.Errorf("the %s %s holds %d entitlements to product %s (%s): import the one to manage",
		strings.ToLower(kind), id, len(ids), productID, strings.Join(ids, ", "))
}

// ListEntitlements lists a customer's (kind EntitlementOfCustomer) or an
// organization's entitlements, of productID only when it is not empty: GET
// /customer/{customerId}/entitlement?product= (a customer's include its
// organizations'). The answer's shape is not documented: a JSON array, or
// an object holding it under "results" or "values", of entitlements as a
// read answers them, is taken; the owner of each, when the answer names
// it as "entityType" and "entityId", is kept. Any other answer is an
// error, never an empty list, so that a caller cannot take it for "gone".
func (c *Client) ListEntitlements(ctx context.Context, kind, id, productID string) ([]Entitlement, error) {
	ep := epListCustEntitlements
	if kind == EntitlementOfOrganization {
		ep = epListOrgEntitlements
	}
	r := ep.at(id)
	if productID != "" {
		r = r.withQuery(url.Values{"product": {productID}})
	}
	var raw json.RawMessage
	if err := c.do(ctx, r, &raw); err != nil {
		return nil, err
	}
	var list []entitlementDTO
	if err := json.Unmarshal(raw, &list); err != nil {
		var page struct {
			Results *[]entitlementDTO `json:"results"`
			Values  *[]entitlementDTO `json:"values"`
		}
		switch {
		case json.Unmarshal(raw, &page) != nil:
		case page.Results != nil:
			list = *page.Results
		case page.Values != nil:
			list = *page.Values
		}
		if list == nil {
			return nil, fmt.Errorf("%s answered no list of entitlements (the provider expects an array, or one under \"results\"; Atlassian does not document the shape): %s",
				ep.Name(), c.secrets.clean(string(raw), excerptLimit))
		}
	}
	out := make([]Entitlement, 0, len(list))
	for _, d := range list {
		if d.ID == "" {
			return nil, fmt.Errorf("%s answered an entitlement without an id: %s", ep.Name(), c.secrets.clean(string(raw), excerptLimit))
		}
		out = append(out, d.entitlement())
	}
	return out, nil
}

// ProductsFeatureOn asks for one product, the cheapest call of the
// "Products and entitlements" feature: it tells a site where the feature
// answers from one where every path of it answers 404 (the error, which
// IsCSMNotFound then holds).
func (c *Client) ProductsFeatureOn(ctx context.Context) error {
	var page struct {
		Results []Product `json:"results"`
	}
	return c.do(ctx, epListProducts.at().withQuery(url.Values{"limit": {"1"}}), &page)
}

// GetEntitlement reads an entitlement with its details.
func (c *Client) GetEntitlement(ctx context.Context, id string) (*Entitlement, error) {
	var d entitlementDTO
	if err := c.do(ctx, epGetEntitlement.at(id), &d); err != nil {
		return nil, err
	}
	if d.ID != "" && d.ID != id {
		return nil, fmt.Errorf("%s answered entitlement %s for %q", epGetEntitlement.Name(), c.secrets.quote(d.ID), id)
	}
	e := d.entitlement()
	e.ID = id
	return &e, nil
}

// DeleteEntitlement deletes an entitlement and its details.
func (c *Client) DeleteEntitlement(ctx context.Context, id string) error {
	return c.do(ctx, epDeleteEntitlement.at(id), nil)
}
