package jsmsite

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
)

// The organization property routes.

// GET /rest/servicedeskapi/organization/{organizationId}/property
func (s *Site) handleListOrganizationProperties(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("organizationId")
	o, ok := s.Organization(id)
	if !ok {
		writeOrgNotFound(w, id)
		return
	}
	type keyDTO struct {
		Key  string `json:"key"`
		Self string `json:"self"`
	}
	keys := make([]string, 0, len(o.Properties))
	for k := range o.Properties {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := struct {
		Keys []keyDTO `json:"keys"`
	}{Keys: []keyDTO{}}
	for _, k := range keys {
		out.Keys = append(out.Keys, keyDTO{Key: k, Self: baseURL(r) + "/rest/servicedeskapi/organization/" + id + "/property/" + k})
	}
	writeJSON(w, http.StatusOK, out)
}

func writePropertyNotFound(w http.ResponseWriter, id, key string) {
	writeJSMError(w, http.StatusNotFound, "sd.organization.property.not.found",
		fmt.Sprintf("The property '%s' does not exist on the organization with ID '%s'.", key, id), key, id)
}

// GET /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}
func (s *Site) handleGetOrganizationProperty(w http.ResponseWriter, r *http.Request) {
	id, key := r.PathValue("organizationId"), r.PathValue("propertyKey")
	if _, ok := s.Organization(id); !ok {
		writeOrgNotFound(w, id)
		return
	}
	v, ok := s.OrganizationProperty(id, key)
	if !ok {
		writePropertyNotFound(w, id, key)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Key   string          `json:"key"`
		Value json.RawMessage `json:"value"`
	}{key, v})
}

// PUT /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}:
// 201 when created, 200 when replaced.
func (s *Site) handlePutOrganizationProperty(w http.ResponseWriter, r *http.Request) {
	id, key := r.PathValue("organizationId"), r.PathValue("propertyKey")
	var raw json.RawMessage
	if !decodeJSONBody(w, r, &raw) {
		return
	}
	switch {
	case len(key) > maxPropertyKey:
		writeJSMError(w, http.StatusBadRequest, "jira.properties.service.key.too.long",
			fmt.Sprintf("The property key can't be longer than %d characters.", maxPropertyKey))
		return
	case len(raw) > maxPropertyValue:
		writeJSMError(w, http.StatusBadRequest, "jira.properties.service.value.too.long",
			fmt.Sprintf("The property value can't be longer than %d characters.", maxPropertyValue))
		return
	}
	var existed bool
	ok := s.writeOrg(w, id, func(o *orgRecord) {
		_, existed = o.props[key]
		o.props[key] = append(json.RawMessage(nil), raw...)
	})
	// Atlassian's document gives both answers a JSON body of any shape (it
	// names none): an empty object, not an empty body.
	switch {
	case !ok:
	case existed:
		writeJSON(w, http.StatusOK, struct{}{})
	default:
		writeJSON(w, http.StatusCreated, struct{}{})
	}
}

// DELETE /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}
func (s *Site) handleDeleteOrganizationProperty(w http.ResponseWriter, r *http.Request) {
	id, key := r.PathValue("organizationId"), r.PathValue("propertyKey")
	if _, ok := s.Organization(id); !ok {
		writeOrgNotFound(w, id)
		return
	}
	if !s.DeleteOrganizationProperty(id, key) {
		writePropertyNotFound(w, id, key)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
