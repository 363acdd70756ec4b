package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"

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

// browseChecks remembers, per client, whether its credential may browse
// users: without Browse users and groups, user search answers nothing
// rather than an error, so an empty look-up proves nothing. The plan asks
// once (GET /rest/api/3/mypermissions), the first time a look-up finds no
// account, and says it once.
var browseChecks = &browseCheck{m: map[*jsm.Client]*browseState{}}

type browseCheck struct {
	mu sync.Mutex
	m  map[*jsm.Client]*browseState
}

type browseState struct {
	once   sync.Once
	cannot bool // the site said the credential lacks the permission
	warned bool
}

// firstBlind reports whether c's credential cannot see accounts, the
// first time only: the plan says it once. A failed check (a token without
// the permission-read scope, say) is logged and counts as seeing: the plan
// then behaves as it did before it asked.
func (b *browseCheck) firstBlind(ctx context.Context, c *jsm.Client) bool {
	b.mu.Lock()
	st := b.m[c]
	if st == nil {
		st = &browseState{}
		b.m[c] = st
	}
	b.mu.Unlock()
	st.once.Do(func() {
		can, err := c.CanBrowseUsers(ctx)
		if err != nil {
			tflog.Debug(ctx, "could not tell whether the credential may browse users; trusting the user search", map[string]any{"error": err.Error()})
			return
		}
		st.cannot = !can
	})
	b.mu.Lock()
	defer b.mu.Unlock()
	first := st.cannot && !st.warned
	st.warned = st.warned || st.cannot
	return first
}
