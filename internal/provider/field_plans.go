package provider

import (
	"context"
	"strings"
	"sync"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// plannedFields holds the detail fields the current plan creates or
// changes, as planned, so that a details resource checks its values against
// a field's options after the apply rather than the site's options of now
// (the same apply may add an option it uses). Terraform plans a field
// before the details whose keys reference it, in the same provider process;
// entries are keyed by client, since each provider configuration has its
// own, and by kind and name.
var plannedFields = &fieldPlans{m: map[fieldPlanKey]plannedField{}, site: map[fieldPlanKey][]jsm.DetailField{}}

type fieldPlans struct {
	mu sync.Mutex
	m  map[fieldPlanKey]plannedField
	// site holds the site's fields of a kind as first listed by this
	// client (name empty in the key): every details resource of a plan
	// checks against the same list, so one listing serves them all. Fields
	// this run creates or changes are in m, which wins.
	site map[fieldPlanKey][]jsm.DetailField
}

type fieldPlanKey struct {
	client     *jsm.Client
	kind, name string
}

// plannedField is a field as planned; optionsUnknown: its options are known
// only at apply (computed from other resources), so nothing can be checked.
type plannedField struct {
	field          jsm.DetailField
	optionsUnknown bool
}

// fieldKey compares names as the API does: letter case and surrounding
// spaces aside.
func fieldKey(c *jsm.Client, kind, name string) fieldPlanKey {
	return fieldPlanKey{client: c, kind: kind, name: strings.ToLower(strings.TrimSpace(name))}
}

func (p *fieldPlans) record(c *jsm.Client, kind string, f plannedField) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.m[fieldKey(c, kind, f.field.Name)] = f
}

// recordUnnamed notes a field of kind planned with a name known only at
// apply: any key may name it, so none is judged missing.
func (p *fieldPlans) recordUnnamed(c *jsm.Client, kind string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.m[fieldPlanKey{client: c, kind: kind, name: unnamedField}] = plannedField{optionsUnknown: true}
}

// unnamed reports whether a field of kind is planned with an unknown name.
func (p *fieldPlans) unnamed(c *jsm.Client, kind string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.m[fieldPlanKey{client: c, kind: kind, name: unnamedField}]
	return ok
}

// unnamedField keys recordUnnamed: no field name holds a control
// character (jsm.CheckDetailFieldName).
const unnamedField = "\x00unnamed"

func (p *fieldPlans) lookup(c *jsm.Client, kind, name string) (plannedField, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, ok := p.m[fieldKey(c, kind, name)]
	return f, ok
}

// siteFields lists the site's fields of kind once per client; a failed
// listing is not kept, so a later resource asks again.
func (p *fieldPlans) siteFields(ctx context.Context, c *jsm.Client, kind string, details *jsm.DetailKind) ([]jsm.DetailField, error) {
	key := fieldPlanKey{client: c, kind: kind}
	p.mu.Lock()
	fields, ok := p.site[key]
	p.mu.Unlock()
	if ok {
		return fields, nil
	}
	fields, err := c.ListDetailFields(ctx, details)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.site[key] = fields
	p.mu.Unlock()
	return fields, nil
}
