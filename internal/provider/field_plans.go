package provider

import (
	"context"
	"strings"
	"sync"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// fieldPlans holds the detail fields the current plan creates or
// changes, as planned, so that a details resource checks its values against
// a field's options after the apply rather than the site's options of now
// (the same apply may add an option it uses). Terraform plans a field
// before the details whose keys reference it, in the same provider process;
// each provider configuration keeps its own (runState.fields), keyed by
// kind and name. The zero value is ready to use.
type fieldPlans struct {
	mu sync.Mutex
	m  map[fieldPlanKey]plannedField
	// site holds the site's fields of a kind as first listed by this
	// run (name empty in the key): every details resource of a plan
	// checks against the same list, so one listing serves them all. Fields
	// this run creates or changes are in m, which wins.
	site map[fieldPlanKey][]jsm.DetailField
}

type fieldPlanKey struct{ kind, name string }

// plannedField is a field as planned; optionsUnknown: its options are known
// only at apply (computed from other resources), so nothing can be checked.
type plannedField struct {
	field          jsm.DetailField
	optionsUnknown bool
}

// fieldKey compares names as the API does: letter case and surrounding
// spaces aside.
func fieldKey(kind, name string) fieldPlanKey {
	return fieldPlanKey{kind: kind, name: strings.ToLower(strings.TrimSpace(name))}
}

func (p *fieldPlans) record(kind string, f plannedField) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.put(fieldKey(kind, f.field.Name), f)
}

// put keeps f under key; the caller holds p.mu.
func (p *fieldPlans) put(key fieldPlanKey, f plannedField) {
	if p.m == nil {
		p.m = map[fieldPlanKey]plannedField{}
	}
	p.m[key] = f
}

// recordUnnamed notes a field of kind planned with a name known only at
// apply: any key may name it, so none is judged missing.
func (p *fieldPlans) recordUnnamed(kind string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.put(fieldPlanKey{kind: kind, name: unnamedField}, plannedField{optionsUnknown: true})
}

// unnamed reports whether a field of kind is planned with an unknown name.
func (p *fieldPlans) unnamed(kind string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.m[fieldPlanKey{kind: kind, name: unnamedField}]
	return ok
}

// unnamedField keys recordUnnamed: no field name holds a control
// character (jsm.CheckDetailFieldName).
const unnamedField = "\x00unnamed"

func (p *fieldPlans) lookup(kind, name string) (plannedField, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, ok := p.m[fieldKey(kind, name)]
	return f, ok
}

// siteFields lists the site's fields of kind once per run; a failed
// listing is not kept, so a later resource asks again.
func (p *fieldPlans) siteFields(ctx context.Context, c *jsm.Client, kind string, details *jsm.DetailKind) ([]jsm.DetailField, error) {
	key := fieldPlanKey{kind: kind}
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
	if p.site == nil {
		p.site = map[fieldPlanKey][]jsm.DetailField{}
	}
	p.site[key] = fields
	p.mu.Unlock()
	return fields, nil
}
