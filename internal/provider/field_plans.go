package provider

import (
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
var plannedFields = &fieldPlans{m: map[fieldPlanKey]plannedField{}}

type fieldPlans struct {
	mu sync.Mutex
	m  map[fieldPlanKey]plannedField
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

func (p *fieldPlans) lookup(c *jsm.Client, kind, name string) (plannedField, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, ok := p.m[fieldKey(c, kind, name)]
	return f, ok
}
