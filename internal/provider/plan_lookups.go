package provider

import (
	"sync"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// planLookupLimit bounds the user searches one plan sends to predict
// customer creates. A pull request adds a few customers and gets each one
// checked; a first import of thousands would otherwise double or triple its
// requests (Terraform plans again while applying), against user search's
// tenant-wide rate limit. Past the limit the apply decides, as it always
// can, and the plan says once that it stopped checking.
const planLookupLimit = 100

// planLookups counts the look-ups of each provider configuration (one
// client each, one per Terraform command).
var planLookups = &lookupCounter{n: map[*jsm.Client]int{}}

type lookupCounter struct {
	mu sync.Mutex
	n  map[*jsm.Client]int
}

// take reports whether c may look one more customer up, and whether this
// is the first refusal (which the plan reports).
func (l *lookupCounter) take(c *jsm.Client) (ok, firstRefusal bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n[c]++
	return l.n[c] <= planLookupLimit, l.n[c] == planLookupLimit+1
}
