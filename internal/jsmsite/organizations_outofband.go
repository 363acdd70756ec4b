package jsmsite

import "encoding/json"

// Out-of-band operations on organizations: what an admin does in the
// Atlassian UI, and what tests check.

// Organizations lists the organizations, by ID.
func (s *Site) Organizations() []Organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.organizationsLocked()
}

// Organization looks an organization up by ID.
func (s *Site) Organization(id string) (Organization, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orgLocked(id); ok {
		return o.snapshot(), true
	}
	return Organization{}, false
}

// AddOrganization creates an organization out of band, or returns the one
// that already has the name.
func (s *Site) AddOrganization(name string) Organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, created := s.createOrgLocked(name)
	if created {
		s.saveOrLog()
	}
	return o.snapshot()
}

// DeleteOrganization deletes an organization out of band, with its service
// desk links.
func (s *Site) DeleteOrganization(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orgLocked(id)
	if !ok {
		return false
	}
	s.deleteOrgLocked(o.ID)
	s.saveOrLog()
	return true
}

// OrganizationMembers lists the account IDs in an organization, sorted; nil
// when there is no such organization.
func (s *Site) OrganizationMembers(id string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orgLocked(id); ok {
		return sortedSet(o.members)
	}
	return nil
}

// AddOrganizationMembers adds accounts to an organization out of band (a
// portal sign-up, another tool); unknown account IDs are added too.
func (s *Site) AddOrganizationMembers(id string, accountIDs ...string) bool {
	return s.orgMutate(id, func(o *orgRecord) bool {
		for _, a := range accountIDs {
			o.members[a] = true
		}
		return true
	})
}

// RemoveOrganizationMember removes one account from an organization out of
// band; it reports whether the account was a member.
func (s *Site) RemoveOrganizationMember(id, accountID string) bool {
	return s.orgMutate(id, func(o *orgRecord) bool {
		if !o.members[accountID] {
			return false
		}
		delete(o.members, accountID)
		return true
	})
}

// OrganizationProperty returns a property's stored JSON value.
func (s *Site) OrganizationProperty(id, key string) (json.RawMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orgLocked(id); ok {
		if v, ok := o.props[key]; ok {
			return append(json.RawMessage(nil), v...), true
		}
	}
	return nil, false
}

// SetOrganizationProperty stores a property out of band; value must be JSON.
func (s *Site) SetOrganizationProperty(id, key string, value json.RawMessage) bool {
	if !json.Valid(value) {
		return false
	}
	return s.orgMutate(id, func(o *orgRecord) bool {
		o.props[key] = append(json.RawMessage(nil), value...)
		return true
	})
}

// DeleteOrganizationProperty removes a property out of band.
func (s *Site) DeleteOrganizationProperty(id, key string) bool {
	return s.orgMutate(id, func(o *orgRecord) bool {
		if _, ok := o.props[key]; !ok {
			return false
		}
		delete(o.props, key)
		return true
	})
}
