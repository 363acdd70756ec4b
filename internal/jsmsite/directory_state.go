package jsmsite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"sort"
)

// The directory (organizations and service desks) in memory, and in the
// state file.

// directory holds organizations and service desks; guarded by Site.mu.
type directory struct {
	orgs    map[int64]*orgRecord
	nextOrg int64
	desks   map[string]*deskRecord // by service desk ID
}

func newDirectory() *directory {
	d := &directory{orgs: map[int64]*orgRecord{}, desks: map[string]*deskRecord{}}
	for _, sd := range seedServiceDesks() {
		d.desks[sd.ID] = newDeskRecord(sd)
	}
	return d
}

// loadDirectoryLocked takes organizations and service desks from the state
// file. A file without serviceDesks (written before they existed) keeps the
// seeded desks.
func (s *Site) loadDirectoryLocked(st stateFile) error {
	d := &directory{orgs: map[int64]*orgRecord{}, desks: s.dir.desks}
	for _, o := range st.Organizations {
		if o.ID <= 0 || o.Name == "" {
			return fmt.Errorf("jsmsite: state file %s: organization without id or name", s.cfg.StateFile)
		}
		if _, dup := d.orgs[o.ID]; dup {
			return fmt.Errorf("jsmsite: state file %s: duplicate organization id %d", s.cfg.StateFile, o.ID)
		}
		r := &orgRecord{Organization: o, members: setOf(o.Members), props: map[string]json.RawMessage{}}
		for k, v := range o.Properties {
			// MarshalIndent indented the stored values: compact them again.
			var buf bytes.Buffer
			if err := json.Compact(&buf, v); err != nil {
				return fmt.Errorf("jsmsite: state file %s: organization %d property %q: %w", s.cfg.StateFile, o.ID, k, err)
			}
			r.props[k] = buf.Bytes()
		}
		r.Members, r.Properties = nil, nil
		d.orgs[o.ID] = r
		d.nextOrg = max(d.nextOrg, o.ID)
	}
	d.nextOrg = max(d.nextOrg, st.LastOrganizationID)
	if st.ServiceDesks != nil {
		d.desks = map[string]*deskRecord{}
		for _, sd := range st.ServiceDesks {
			if sd.ID == "" || sd.ProjectKey == "" {
				return fmt.Errorf("jsmsite: state file %s: service desk without id or project key", s.cfg.StateFile)
			}
			d.desks[sd.ID] = newDeskRecord(sd)
		}
	}
	s.dir = d
	return nil
}

// fillDirectoryLocked adds organizations and service desks to st.
func (s *Site) fillDirectoryLocked(st *stateFile) {
	st.Organizations = s.organizationsLocked()
	st.LastOrganizationID = s.dir.nextOrg
	st.ServiceDesks = s.serviceDesksLocked()
}

func (s *Site) organizationsLocked() []Organization {
	out := make([]Organization, 0, len(s.dir.orgs))
	for _, o := range s.dir.orgs {
		out = append(out, o.snapshot())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// saveOrLog saves after an out-of-band change; those report only success.
func (s *Site) saveOrLog() {
	if err := s.saveLocked(); err != nil {
		log.Printf("jsmsite: %v", err)
	}
}
