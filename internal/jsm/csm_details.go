package jsm

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// Detail field types: Atlassian's examples show SELECT, MULTISELECT, TEXT,
// DATE and EMAIL
// (https://developer.atlassian.com/cloud/customer-service-management/rest/v1/api-group-customer/);
// NUMBER and URL are the names in use for the UI's Number and URL types
// (https://support.atlassian.com/jira-service-management-cloud/docs/manage-organization-detail-fields).
// Only SELECT and MULTISELECT take options.
var DetailFieldTypes = []string{"TEXT", "SELECT", "MULTISELECT", "DATE", "EMAIL", "NUMBER", "URL"}

// Limits of the detail fields (Atlassian's CSM API reference).
const (
	MaxDetailFields  = 50
	MaxDetailOptions = 50
)

// TakesOptions reports whether fields of type t have a list of options.
func TakesOptions(t string) bool { return t == "SELECT" || t == "MULTISELECT" }

// DetailField is a customer or organization detail field definition.
type DetailField struct {
	Name     string
	Type     string
	Options  []string
	Position int64
}

// DetailValue is one field's values on a customer or an organization;
// values are strings whatever the field's type.
type DetailValue struct {
	Name    string
	Type    string
	Options []string
	Values  []string
}

type detailTypeDTO struct {
	Name    string   `json:"name"`
	Options []string `json:"options,omitempty"`
}

type detailFieldDTO struct {
	ID            string        `json:"id,omitempty"`
	Name          string        `json:"name"`
	Type          detailTypeDTO `json:"type"`
	Values        []string      `json:"values,omitempty"`
	Configuration *struct {
		Position int64 `json:"position"`
	} `json:"configuration,omitempty"`
}

func (d detailFieldDTO) field() DetailField {
	f := DetailField{Name: d.Name, Type: d.Type.Name, Options: d.Type.Options}
	if d.Configuration != nil {
		f.Position = d.Configuration.Position
	}
	return f
}

// DetailKind is one family of detail fields (customer, organization or
// entitlement): the endpoints of its field definitions and of the values an
// object holds in them. Every detail call takes its kind.
type DetailKind struct {
	list, create, edit, del, get, set *Endpoint
}

// The detail kinds. Declaring one names its endpoints' callers (the
// generic methods below), for the permission docs (EndpointsOf).
var (
	CustomerDetails     = detailKind(epListCustFields, epCreateCustField, epEditCustField, epDeleteCustField, epGetCustDetails, epSetCustDetail)
	OrganizationDetails = detailKind(epListOrgFields, epCreateOrgField, epEditOrgField, epDeleteOrgField, epGetOrgDetails, epSetOrgDetail)
	EntitlementDetails  = detailKind(epListEntFields, epCreateEntField, epEditEntField, epDeleteEntField, epGetEntitlement, epSetEntDetail)
)

func detailKind(list, create, edit, del, get, set *Endpoint) *DetailKind {
	k := &DetailKind{list.by("ListDetailFields"), create.by("CreateDetailField"), edit.by("EditDetailField"),
		del.by("DeleteDetailField"), get.by("Details"), set.by("SetDetail")}
	for _, e := range []*Endpoint{list, create, edit, del, get, set} {
		e.kind = k
	}
	return k
}

// ListDetailFields lists the site's detail fields of kind k.
func (c *Client) ListDetailFields(ctx context.Context, k *DetailKind) ([]DetailField, error) {
	var out struct {
		Results []detailFieldDTO `json:"results"`
	}
	if err := c.do(ctx, k.list.at(), &out); err != nil {
		return nil, err
	}
	fields := make([]DetailField, len(out.Results))
	for i, d := range out.Results {
		fields[i] = d.field()
	}
	return fields, nil
}

// CreateDetailField creates a detail field of kind k.
func (c *Client) CreateDetailField(ctx context.Context, k *DetailKind, f DetailField) (*DetailField, error) {
	var out detailFieldDTO
	body := detailFieldDTO{Name: f.Name, Type: detailTypeDTO{Name: f.Type, Options: f.Options}}
	if err := c.do(ctx, k.create.at().withBody(body), &out); err != nil {
		return nil, err
	}
	got := out.field()
	return &got, nil
}

// DeleteDetailField deletes a field of kind k and every value stored in it.
func (c *Client) DeleteDetailField(ctx context.Context, k *DetailKind, name string) error {
	return c.do(ctx, k.del.at(name), nil)
}

// editFieldBody is the body of PUT .../details/{fieldName}. Atlassian's
// reference names one required string and one optional string array but
// not their names: "name" and "options" are assumed, here only.
func editFieldBody(f DetailField) any {
	body := map[string]any{"name": f.Name}
	if TakesOptions(f.Type) {
		body["options"] = nonNil(f.Options)
	}
	return body
}

// EditDetailField renames the field of kind k called name and/or replaces
// its options.
func (c *Client) EditDetailField(ctx context.Context, k *DetailKind, name string, f DetailField) (*DetailField, error) {
	var out detailFieldDTO
	if err := c.do(ctx, k.edit.at(name).withBody(editFieldBody(f)), &out); err != nil {
		return nil, err
	}
	got := out.field()
	return &got, nil
}

// Details reads the detail values of the object id of kind k (a customer's
// account ID, an organization's ID).
func (c *Client) Details(ctx context.Context, k *DetailKind, id string) ([]DetailValue, error) {
	var out struct {
		ID      string           `json:"id"`
		Details []detailFieldDTO `json:"details"`
	}
	if err := c.do(ctx, k.get.at(id), &out); err != nil {
		return nil, err
	}
	if out.ID != "" && out.ID != id {
		return nil, fmt.Errorf("%s answered %s for %q: the answer is not about the object asked for", k.get.Name(), c.secrets.quote(out.ID), id)
	}
	vals := make([]DetailValue, len(out.Details))
	for i, d := range out.Details {
		vals[i] = DetailValue{Name: d.Name, Type: d.Type.Name, Options: d.Type.Options, Values: nonNil(d.Values)}
	}
	return vals, nil
}

// SetDetail sets one field's values on the object id of kind k; no values
// clears it (an assumption: Atlassian does not document how to clear).
func (c *Client) SetDetail(ctx context.Context, k *DetailKind, id, field string, values []string) error {
	if strings.TrimSpace(field) == "" {
		return fmt.Errorf("%s: the field name is empty", k.set.Name())
	}
	body := map[string]any{"values": nonNil(values)}
	return c.do(ctx, k.set.at(id).withQuery(url.Values{"fieldName": {field}}).withBody(body), nil)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Product is a CSM product (Atlassian's CSM API reference).
type Product struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ListProducts lists every product, following nextPageCursor.
func (c *Client) ListProducts(ctx context.Context) ([]Product, error) {
	var all []Product
	cursor := ""
	seen := map[string]bool{}
	budget := c.newListBudget(epListProducts.Name())
	for {
		q := url.Values{"limit": {"100"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var page struct {
			Results        []Product `json:"results"`
			NextPageCursor string    `json:"nextPageCursor"`
		}
		if err := c.readPage(ctx, epListProducts.at().withQuery(q), budget, &page); err != nil {
			return nil, err
		}
		for range page.Results {
			if err := budget.item(); err != nil {
				return nil, err
			}
		}
		all = append(all, page.Results...)
		if page.NextPageCursor == "" {
			return all, nil
		}
		if len(page.Results) == 0 {
			// Followed, a server that answers empty pages with new cursors
			// would be read until the run is killed.
			return nil, fmt.Errorf("%s: the server answered an empty page that is not the last (it names a next cursor); "+
				"the listing stopped because it would not advance", epListProducts.Name())
		}
		if seen[page.NextPageCursor] {
			return nil, fmt.Errorf("%s: the cursor %s came back twice; the listing does not advance", epListProducts.Name(), c.secrets.quote(page.NextPageCursor))
		}
		seen[page.NextPageCursor] = true
		cursor = page.NextPageCursor
	}
}

// CreateProduct creates a product.
func (c *Client) CreateProduct(ctx context.Context, name string) (*Product, error) {
	var p Product
	if err := c.do(ctx, epCreateProduct.at().withBody(map[string]string{"name": name}), &p); err != nil {
		return nil, err
	}
	// The ID goes to the state and, later, into paths.
	if err := checkSegment("productId", p.ID); err != nil {
		return nil, fmt.Errorf("%s: the answer holds no valid product ID (%s); nothing was recorded. "+
			"The product may have been created: find it in JSM and import it by its ID", epCreateProduct.Name(), c.secrets.clean(err.Error(), messageLimit))
	}
	return &p, nil
}

// GetProduct reads a product.
func (c *Client) GetProduct(ctx context.Context, id string) (*Product, error) {
	var p Product
	if err := c.do(ctx, epGetProduct.at(id), &p); err != nil {
		return nil, err
	}
	if p.ID != id {
		return nil, fmt.Errorf("%s answered product %s for %q: the answer is not about the product asked for", epGetProduct.Name(), c.secrets.quote(p.ID), id)
	}
	return &p, nil
}

// RenameProduct renames a product.
func (c *Client) RenameProduct(ctx context.Context, id, name string) (*Product, error) {
	var p Product
	if err := c.do(ctx, epRenameProduct.at(id).withBody(map[string]string{"name": name}), &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// DeleteProduct deletes a product and, on the site, all its entitlements.
func (c *Client) DeleteProduct(ctx context.Context, id string) error {
	return c.do(ctx, epDeleteProduct.at(id), nil)
}
