package provider

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// providerData is what Configure hands every resource, data source and list
// resource of one provider configuration: its client, and the record of its
// run. Terraform starts the provider anew for each command, so a
// configuration's record lives as long as one plan or one apply.
type providerData struct {
	client *jsm.Client
	run    *runState
}

// runState is what one provider configuration remembers across the
// requests of its run: what its plans create, destroy and hold, the
// notices it gave, the look-ups it made.
type runState struct {
	mu sync.Mutex
	// lookups counts the customer look-ups of the plan (planLookupLimit).
	lookups int
	// browse: whether the credential may browse users, asked once.
	browseOnce         sync.Once
	blind, warnedBlind bool
	orgs               []jsm.Organization // the last plan-time organization listing
	orgsAt             time.Time          // when it was made; zero when none is held
	// now is the run's clock, for orgsAt; nil: time.Now. Tests keep it
	// still, so that whether a create reuses the plan's listing does not
	// depend on the machine's speed.
	now func() time.Time
	// seen holds, by key: the creates this run claimed (claimCreate), the
	// destroys it plans that undo something (planDestroy), the objects its
	// creates hold (hold), and the notices it gave (once).
	seen map[string]bool
	// holders: the objects that resources of this run keep (planHold), by
	// kind and key, with the first keeper's ID and configuration.
	holders map[string]holder
	// stateOrgs: the organizations this run refreshed (of this
	// configuration's state); true for one a create that failed half-way
	// left, which Terraform has tainted.
	stateOrgs map[string]bool
	// fields: the detail fields this run plans (fieldPlans).
	fields fieldPlans
	// inactive: the site's inactive accounts by email, read once a run
	// (inactiveAccounts).
	inactiveOnce sync.Once
	inactive     map[string][]jsm.User // by email, letter case aside; nil when unread
	// imported: the accounts ImportState just read, by ID, for the read
	// Terraform makes of each right after (takeImported).
	imported map[string]*jsm.User
}

// rememberImported keeps the account an import read, for the read that
// follows it.
func (s *runState) rememberImported(u *jsm.User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.imported == nil {
		s.imported = map[string]*jsm.User{}
	}
	s.imported[u.AccountID] = u
}

// takeImported is the account an import of id read in this run, once:
// Terraform reads every object it imports right after importing it, and
// the import's own read (which tells a wrong ID from a missing account)
// has just answered what that read would. Importing 2,000 customers reads
// each account once, not twice.
func (s *runState) takeImported(id string) (*jsm.User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.imported[id]
	delete(s.imported, id)
	return u, ok
}

// claimCreate records that a resource plans to create the object of this
// kind and key (a customer's email, an organization's name; letter case
// aside, as JSM compares them), and reports whether another resource of
// the run already did: the site holds one such object, so both resources
// would end up managing it, and destroying one would pull it from under
// the other. Terraform plans each create once per run, and plans it again
// in the apply's run before creating it, so a second claim is a second
// resource, caught before any create.
func (s *runState) claimCreate(kind, key string) (taken bool) {
	return !s.first(createKey(kind, key))
}

// createKey is the seen key of a create claimed (claimCreate).
func createKey(kind, key string) string { return "create\x00" + objectKey(kind, key) }

// planDestroy records that a resource plans to destroy the object of this
// kind and key (a customer's email whose account it revokes or deletes, an
// organization's name, letter case aside), and reports whether another
// resource of the run plans to create (or adopt) that key: the destroy would
// pull the object from under it. claimCreate's twin, checked whichever of
// the two Terraform plans second (createDestroyed is the create's side).
func (s *runState) planDestroy(kind, key string) (created, kept bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mark(destroyKey(kind, key))
	_, kept = s.holders[objectKey(kind, key)]
	return s.seen[createKey(kind, key)], kept
}

// holder is a resource that keeps an object in this run: the object's ID,
// the resource's configuration, and whether its destroy would revoke or
// delete the object.
type holder struct {
	id     string
	config tftypes.Value
	undoes bool
}

// planHold records that a resource keeps the object of this kind and key in
// this run (its plan neither destroys nor replaces it), and reports whether
// another resource of the run plans to create or adopt that key, or to
// destroy it, and the first other resource that keeps it too, if any.
func (s *runState) planHold(kind, key string, h holder) (created, destroyed bool, other *holder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := objectKey(kind, key)
	if prev, ok := s.holders[k]; ok {
		other = &prev
	} else {
		if s.holders == nil {
			s.holders = map[string]holder{}
		}
		s.holders[k] = h
	}
	return s.seen[createKey(kind, key)], s.seen[destroyKey(kind, key)], other
}

// keeper is the resource of the run that keeps the object of this kind and
// key (planHold), if any.
func (s *runState) keeper(kind, key string) (holder, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.holders[objectKey(kind, key)]
	return h, ok
}

// createDestroyed reports whether a resource of the run plans to destroy
// the object of this kind and key (planDestroy).
func (s *runState) createDestroyed(kind, key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[destroyKey(kind, key)]
}

func destroyKey(kind, key string) string { return "destroy\x00" + objectKey(kind, key) }

// objectKey names an object of the site by kind and key, letter case aside.
func objectKey(kind, key string) string { return kind + "\x00" + strings.ToLower(key) }

// hold records that a create of this run holds the object of this kind and
// ID (created or adopted it), and holds reports it: a destroy in the same
// apply (the deposed object of a create_before_destroy replacement) never
// revokes or deletes what its replacement holds.
func (s *runState) hold(kind, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mark(heldKey(kind, id))
}

func (s *runState) holds(kind, id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[heldKey(kind, id)]
}

// heldKey is the seen key of an object a create holds (hold); IDs are
// compared exactly.
func heldKey(kind, id string) string { return "held\x00" + kind + "\x00" + id }

// mark records key as seen; the caller holds s.mu.
func (s *runState) mark(key string) {
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	s.seen[key] = true
}

// once reports whether the notice is said for the first time this run.
func (s *runState) once(notice string) bool { return s.first("notice\x00" + notice) }

// first reports whether this run meets key for the first time.
func (s *runState) first(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen[key] {
		return false
	}
	s.mark(key)
	return true
}

// planLookupLimit bounds the user searches one plan sends to predict
// customer creates. A pull request adds a few customers and gets each one
// checked; a first import of thousands would otherwise double or triple its
// requests (on OpenTofu and Terraform before 1.9, the apply's walk looks up
// again: applyWalk), against user search's tenant-wide rate limit. Past the
// limit the apply decides, as it always can, and the plan says once that it
// stopped checking.
const planLookupLimit = 100

// takeLookup reports whether the plan may look one more customer up, and
// whether this is the first refusal (which the plan reports).
func (s *runState) takeLookup() (ok, firstRefusal bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lookups++
	return s.lookups <= planLookupLimit, s.lookups == planLookupLimit+1
}

// cannotBrowseUsersOnce reports whether the credential cannot see
// accounts, the first time only: the plan says it once. Without Browse users and groups, user
// search answers nothing rather than an error, so an empty look-up proves
// nothing; the plan asks once (canBrowse: GET /rest/api/3/mypermissions),
// the first time a look-up finds no account. A failed check (a token
// without the permission-read scope, say) is logged and counts as seeing:
// the plan then behaves as it did before it asked. (The caller makes the
// call, so that the types declaring their client calls see whose it is.)
func (s *runState) cannotBrowseUsersOnce(ctx context.Context, canBrowse func() (bool, error)) bool {
	s.browseOnce.Do(func() {
		can, err := canBrowse()
		if err != nil {
			tflog.Debug(ctx, "could not tell whether the credential may browse users; trusting the user search", map[string]any{"error": err.Error()})
			return
		}
		s.mu.Lock()
		s.blind = !can
		s.mu.Unlock()
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	first := s.blind && !s.warnedBlind
	s.warnedBlind = s.warnedBlind || s.blind
	return first
}

// cannotBrowseUsers reports whether the run has found that the credential
// cannot see accounts (cannotBrowseUsersOnce asked): its user search and
// its listing of every account answer nothing, so neither is worth a
// request.
func (s *runState) cannotBrowseUsers() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.blind
}

// inactiveAccountPages bounds the one listing of every account a run
// makes: 20 pages of 1,000, the accounts of all but the largest sites. A
// larger site gets no prediction, as before there was one.
const inactiveAccountPages = 20

// inactiveAccounts are the site's inactive accounts by email, read once a
// run, the first time a plan meets an email no active account holds:
// user search finds active accounts only, so an email whose account was
// revoked looks free, and its create fails at apply when JSM answers that
// the email is taken. each lists every account (jsm.Client.EachAccount; the
// caller makes the call, so that the types declaring their client calls
// see whose it is). A failed or incomplete listing is logged, and
// predicts nothing.
func (s *runState) inactiveAccounts(ctx context.Context, each func(maxPages int, visit func(jsm.User) bool) (bool, error)) map[string][]jsm.User {
	s.inactiveOnce.Do(func() {
		byEmail := map[string][]jsm.User{}
		more, err := each(inactiveAccountPages, func(u jsm.User) bool {
			if !u.Active && u.Email != "" {
				k := strings.ToLower(u.Email)
				byEmail[k] = append(byEmail[k], u)
			}
			return true
		})
		switch {
		case err != nil:
			tflog.Debug(ctx, "could not list the site's accounts; inactive accounts are not predicted", map[string]any{"error": err.Error()})
		case more:
			tflog.Debug(ctx, "the site has more accounts than one plan lists; inactive accounts are not predicted", map[string]any{"pages": inactiveAccountPages})
		default:
			s.inactive = byEmail
		}
	})
	return s.inactive
}

// orgListingReuse: the plan of a create and the create itself follow each
// other within milliseconds; a listing older than this was made for
// another purpose (an earlier plan).
const orgListingReuse = 5 * time.Second

// rememberOrgs keeps the organization listing of a plan-time look-up of a
// name, for the create that follows: Terraform plans a resource again just
// before creating it, in the same process, and the create need not list
// every organization again (on a large site, many pages) a moment later.
func (s *runState) rememberOrgs(orgs []jsm.Organization) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orgs, s.orgsAt = orgs, s.clock()
}

// takeOrgs hands out the listing if it is recent, and forgets it: a
// listing serves one create.
func (s *runState) takeOrgs() ([]jsm.Organization, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	orgs, fresh := s.orgs, !s.orgsAt.IsZero() && s.clock().Sub(s.orgsAt) <= orgListingReuse
	s.orgs, s.orgsAt = nil, time.Time{}
	return orgs, fresh
}

// clock is the run's time now; the caller holds s.mu.
func (s *runState) clock() time.Time {
	if s.now != nil {
		return s.now()
	}
	return time.Now()
}

// forgetOrgs drops the listing: after a create it no longer holds every
// organization.
func (s *runState) forgetOrgs() { s.takeOrgs() }

// refreshedOrg records that the state holds the organization id; leftover:
// a create that failed half-way left it.
func (s *runState) refreshedOrg(id string, leftover bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stateOrgs == nil {
		s.stateOrgs = map[string]bool{}
	}
	s.stateOrgs[id] = leftover
}

// refreshedThisRun reports whether this run refreshed the organization id
// (the state holds it), and whether a create that failed half-way left it.
func (s *runState) refreshedThisRun(id string) (refreshed, leftover bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	leftover, refreshed = s.stateOrgs[id]
	return refreshed, leftover
}
