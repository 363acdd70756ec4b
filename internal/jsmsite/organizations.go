package jsmsite

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Organization limits, as on JSM Cloud.
const (
	maxOrganizationName = 200
	maxPropertyKey      = 255   // bytes
	maxPropertyValue    = 32768 // bytes
)

// Organization is a JSM organization as the site stores it (and as the state
// file holds it).
type Organization struct {
	ID          int64                      `json:"id"`
	Name        string                     `json:"name"`
	UUID        string                     `json:"uuid"`
	SCIMManaged bool                       `json:"scimManaged"`
	Created     time.Time                  `json:"created"`
	Members     []string                   `json:"members"` // account IDs, sorted
	Properties  map[string]json.RawMessage `json:"properties,omitempty"`
}

type orgRecord struct {
	Organization
	members map[string]bool
	props   map[string]json.RawMessage
}

func (o *orgRecord) snapshot() Organization {
	out := o.Organization
	out.Members = sortedSet(o.members)
	out.Properties = nil
	if len(o.props) > 0 {
		out.Properties = make(map[string]json.RawMessage, len(o.props))
		for k, v := range o.props {
			out.Properties[k] = append(json.RawMessage(nil), v...)
		}
	}
	return out
}

func setOf(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// knownAccountLocked reports whether id is an account of the site.
func (s *Site) knownAccountLocked(id string) bool {
	r, ok := s.accounts[id]
	return ok && !r.Deleted || id == s.admin.AccountID
}

func (s *Site) accountLocked(id string) (Account, bool) {
	if id == s.admin.AccountID {
		return s.admin, true
	}
	if r, ok := s.accounts[id]; ok && !r.Deleted { // deleted accounts leave memberships
		return r.Account, true
	}
	return Account{}, false
}

func parseOrgID(id string) (int64, bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil && n > 0
}

func (s *Site) orgLocked(id string) (*orgRecord, bool) {
	n, ok := parseOrgID(id)
	if !ok {
		return nil, false
	}
	o, ok := s.dir.orgs[n]
	return o, ok
}

// orgByNameLocked finds an organization by name, ignoring letter case.
func (s *Site) orgByNameLocked(name string) (*orgRecord, bool) {
	for _, o := range s.dir.orgs {
		if strings.EqualFold(o.Name, name) {
			return o, true
		}
	}
	return nil, false
}

// createOrgLocked returns the existing organization when the name is taken,
// as POST /organization does; created says which.
func (s *Site) createOrgLocked(name string) (o *orgRecord, created bool) {
	if o, ok := s.orgByNameLocked(name); ok {
		return o, false
	}
	s.dir.nextOrg++
	o = &orgRecord{
		Organization: Organization{ID: s.dir.nextOrg, Name: name, UUID: uuid.NewString(), Created: time.Now().UTC()},
		members:      map[string]bool{},
		props:        map[string]json.RawMessage{},
	}
	s.dir.orgs[o.ID] = o
	return o, true
}

func (s *Site) deleteOrgLocked(id int64) {
	delete(s.dir.orgs, id)
	for _, d := range s.dir.desks {
		delete(d.orgs, id)
	}
}

// orgMutate applies f to an organization under the lock and saves when f
// reports a change, as deskMutate does for desks.
func (s *Site) orgMutate(id string, f func(*orgRecord) bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orgLocked(id)
	if !ok || !f(o) {
		return false
	}
	s.saveOrLog()
	return true
}
