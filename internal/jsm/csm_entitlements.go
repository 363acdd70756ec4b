package jsm

import (
	"context"
	"encoding/json"
	"fmt"
)

// Entitlements link a customer or an organization to a product, with
// entitlement detail values (CSM-API-NOTES.md section 8). The detail field
// calls are documented (High); the entitlement calls' paths are known, but
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
	Details   []DetailValue
}

// entitlementCreateBody is the assumed body of POST .../entitlement.
func entitlementCreateBody(productID string) any {
	return map[string]string{"productId": productID}
}

type entitlementDTO struct {
	ID        string `json:"id"`
	ProductID string `json:"productId"`
	Product   *struct {
		ID string `json:"id"`
	} `json:"product"`
	Details []detailFieldDTO `json:"details"`
}

func (d entitlementDTO) entitlement() Entitlement {
	e := Entitlement{ID: d.ID, ProductID: d.ProductID}
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
func (c *Client) CreateEntitlement(ctx context.Context, kind, id, productID string) (*Entitlement, error) {
	ep := epCreateCustEntitlement
	if kind == EntitlementOfOrganization {
		ep = epCreateOrgEntitlement
	}
	var raw json.RawMessage
	if err := c.do(ctx, ep.at(id).withBody(entitlementCreateBody(productID)), &raw); err != nil {
		return nil, err
	}
	var d entitlementDTO
	if err := json.Unmarshal(raw, &d); err != nil || d.ID == "" {
		return nil, fmt.Errorf("%s answered no entitlement id; the provider assumes the answer carries \"id\" (undocumented): %s",
			ep.Name(), c.secrets.clean(string(raw), excerptLimit))
	}
	// The ID goes to the state and, later, into paths.
	if err := checkSegment("entitlementId", d.ID); err != nil {
		return nil, fmt.Errorf("%s: the answer holds no valid entitlement ID (%s); nothing was recorded. "+
			"The entitlement may have been created: find it in JSM and import it", ep.Name(), c.secrets.clean(err.Error(), messageLimit))
	}
	e := d.entitlement()
	return &e, nil
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

// SetEntitlementDetail sets one field's values on an entitlement.
func (c *Client) SetEntitlementDetail(ctx context.Context, id, field string, values []string) error {
	return c.setDetail(ctx, entitlementDetails, id, field, values)
}

// ListEntitlementDetailFields lists the site's entitlement detail fields.
func (c *Client) ListEntitlementDetailFields(ctx context.Context) ([]DetailField, error) {
	return c.listFields(ctx, entitlementDetails)
}

// CreateEntitlementDetailField creates an entitlement detail field.
func (c *Client) CreateEntitlementDetailField(ctx context.Context, f DetailField) (*DetailField, error) {
	return c.createField(ctx, entitlementDetails, f)
}

// EditEntitlementDetailField renames the field and/or replaces its options.
func (c *Client) EditEntitlementDetailField(ctx context.Context, name string, f DetailField) (*DetailField, error) {
	return c.editField(ctx, entitlementDetails, name, f)
}

// DeleteEntitlementDetailField deletes a field and every value stored in it.
func (c *Client) DeleteEntitlementDetailField(ctx context.Context, name string) error {
	return c.do(ctx, entitlementDetails.del.at(name), nil)
}
