package contract

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// Atlassian's schemas mark no answer field required, so an answer that
// lacks a field the client cannot do without keeps to the documents. Needed
// lists, per site route, the fields of a success answer the client
// (internal/jsm) reads and depends on; an answer without one is a
// violation like any other. It is kept here, beside the validator, and
// never in the vendored documents, which stay Atlassian's.
//
// A field is a dotted path; "[]" stands for every element of an array (a
// leading "[]" for an answer that is an array). A field present with null
// counts as missing. emailAddress is special: a hidden email is legitimately
// absent, null or empty, and the client takes it so (User.Email ""); it is
// needed only where the site shows the account's email (see emailShown).
var Needed = map[string][]string{
	// CreateCustomer reads the account and its link; the email checks that
	// the answer is this create's.
	"POST /rest/servicedeskapi/customer": customerFields(""),
	// GetUser judges the answer by accountId and accountType (unreliable),
	// LooksDeleted by active, displayName and the email; the links are
	// built from self.
	"GET /rest/api/3/user":         platformUserFields(""),
	"GET /rest/api/3/user/bulk":    append([]string{"isLast", "values"}, platformUserFields("values[].")...),
	"GET /rest/api/3/user/search":  platformUserFields("[]."),
	"GET /rest/api/3/users/search": platformUserFields("[]."),
	// CanBrowseUsers asks for USER_PICKER only, and errs without it.
	"GET /rest/api/3/mypermissions": {"permissions.USER_PICKER.havePermission"},

	"GET /rest/servicedeskapi/organization":                                         pagedFields(organizationFields("values[].")...),
	"POST /rest/servicedeskapi/organization":                                        organizationFields(""),
	"GET /rest/servicedeskapi/organization/{organizationId}":                        organizationFields(""),
	"GET /rest/servicedeskapi/organization/{organizationId}/user":                   pagedFields(customerFields("values[].")...),
	"GET /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}": {"value"},
	"GET /rest/servicedeskapi/servicedesk":                                          pagedFields(deskFields("values[].")...),
	"GET /rest/servicedeskapi/servicedesk/{serviceDeskId}":                          deskFields(""),
	"GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/customer":                 pagedFields(customerFields("values[].")...),
	"GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/organization":             pagedFields(organizationFields("values[].")...),

	// Every CSM call's URL holds the cloud ID.
	"GET /_edge/tenant_info": {"cloudId"},

	// The CSM API has no published document: these are all that holds the
	// site's CSM answers to the shapes the client reads.
	"GET " + jsmsite.CSMPrefix + "/product":                                    {"results", "results[].id", "results[].name"},
	"POST " + jsmsite.CSMPrefix + "/product":                                   {"id", "name"},
	"GET " + jsmsite.CSMPrefix + "/product/{productId}":                        {"id", "name"},
	"PUT " + jsmsite.CSMPrefix + "/product/{productId}":                        {"id", "name"},
	"GET " + jsmsite.CSMPrefix + "/customer/account/{customerId}":              {"id", "displayName"},
	"GET " + jsmsite.CSMPrefix + "/customer/details":                           {"results", "results[].name", "results[].type"},
	"GET " + jsmsite.CSMPrefix + "/organization/details":                       {"results", "results[].name", "results[].type"},
	"GET " + jsmsite.CSMPrefix + "/entitlement/details":                        {"results", "results[].name", "results[].type"},
	"GET " + jsmsite.CSMPrefix + "/customer/{customerId}":                      {"details"},
	"GET " + jsmsite.CSMPrefix + "/organization/{organizationId}":              {"details"},
	"GET " + jsmsite.CSMPrefix + "/entitlement/{entitlementId}":                {"id", "details"},
	"POST " + jsmsite.CSMPrefix + "/customer/{customerId}/entitlement":         {"id"},
	"POST " + jsmsite.CSMPrefix + "/organization/{organizationId}/entitlement": {"id"},
}

// platformUserFields: the platform User as platformUser.user and
// unreliable read it.
func platformUserFields(prefix string) []string {
	return prefixed(prefix, "accountId", "accountType", "active", "displayName", "self", "emailAddress")
}

// customerFields: the servicedeskapi UserDTO as userDTO.user reads it (the
// links are rebuilt from _links.self; the account type is implied).
func customerFields(prefix string) []string {
	return prefixed(prefix, "accountId", "active", "displayName", "_links.self", "emailAddress")
}

func organizationFields(prefix string) []string { return prefixed(prefix, "id", "name") }

func deskFields(prefix string) []string {
	return prefixed(prefix, "id", "projectId", "projectKey", "projectName")
}

// pagedFields: the PagedDTO envelope getPaged follows (start, isLastPage,
// values), and the items' fields.
func pagedFields(items ...string) []string {
	return append([]string{"start", "isLastPage", "values"}, items...)
}

func prefixed(prefix string, fields ...string) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = prefix + f
	}
	return out
}

// missingNeeds returns a violation for every needed field body lacks.
// emailShown says whether the site shows an account's email (nil: never
// needed).
func missingNeeds(operation, side string, needs []string, body []byte, emailShown func(accountID string) bool) []Violation {
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		return []Violation{{Operation: operation, Side: side, Field: "(body)",
			Reason: "the answer is not JSON, and the client reads " + strings.Join(needs, ", ") + " from it"}}
	}
	var out []Violation
	for _, need := range needs {
		for _, field := range lacking(doc, strings.Split(need, "."), "", emailShown) {
			out = append(out, Violation{Operation: operation, Side: side, Field: field,
				Reason: "the answer lacks a field the client relies on (contract.Needed: " + need + ")"})
		}
	}
	return out
}

// lacking walks path into v and returns the paths (dotted, with indexes)
// where a needed field is absent or null.
func lacking(v any, path []string, at string, emailShown func(string) bool) []string {
	if len(path) == 0 {
		return nil
	}
	join := func(s string) string { return strings.TrimPrefix(at+"."+s, ".") }
	step, rest := path[0], path[1:]
	isArray := strings.HasSuffix(step, "[]")
	name := strings.TrimSuffix(step, "[]")
	child := v
	if name != "" {
		obj, ok := v.(map[string]any)
		if !ok {
			return []string{join(name)}
		}
		val, present := obj[name]
		if name == "emailAddress" && len(rest) == 0 {
			id, _ := obj["accountId"].(string)
			if s, _ := val.(string); s == "" && emailShown != nil && obj["accountType"] != "unknown" && emailShown(id) {
				return []string{join(name)}
			}
			return nil
		}
		if !present || val == nil {
			return []string{join(name)}
		}
		child, at = val, join(name)
	}
	if !isArray {
		return lacking(child, rest, at, emailShown)
	}
	list, ok := child.([]any)
	if !ok {
		return []string{strings.TrimPrefix(at+" (not an array)", " ")}
	}
	var out []string
	for i, item := range list {
		out = append(out, lacking(item, rest, join(strconv.Itoa(i)), emailShown)...)
	}
	return out
}

// emailShownBy says whether site shows the email of accountID: an account
// it holds with an email that is neither hidden nor blanked by a deletion.
func emailShownBy(site *jsmsite.Site) func(string) bool {
	if site == nil {
		return nil
	}
	return func(id string) bool {
		a, ok := site.Account(id)
		return ok && a.Email != "" && !a.EmailHidden && !a.Deleted && !a.Corrupted
	}
}

// checkNeeds records the needed fields a success answer lacks. A
// deliberate departure, a dropped connection and an answer with no body
// (a 204) are not checked.
func (v *Validator) checkNeeds(operation string, needs []string, rec *recorder, faulted bool) {
	status := rec.status
	if status == 0 {
		status = 200
	}
	if len(needs) == 0 || faulted || rec.hijacked || status < 200 || status > 299 || rec.body.Len() == 0 {
		return
	}
	v.record(missingNeeds(operation, "answer "+strconv.Itoa(status), needs, rec.body.Bytes(), v.emailShown)...)
}

// userSearchCap: findUsers "takes the filtered users in the range defined
// by startAt and maxResults, up to the thousandth user" (Atlassian's
// description, which no schema keyword carries).
const userSearchCap = 1000

// checkSearchCap records a findUsers answer that reaches past the
// thousandth match.
func (v *Validator) checkSearchCap(op *Operation, r *http.Request, rec *recorder) {
	if op.ID != "findUsers" || rec.status != 0 && rec.status != http.StatusOK {
		return
	}
	var page []json.RawMessage
	if json.Unmarshal(rec.body.Bytes(), &page) != nil {
		return // not an array: the schema check says so
	}
	start, _ := strconv.Atoi(r.URL.Query().Get("startAt"))
	if start+len(page) > userSearchCap {
		v.record(Violation{Operation: op.Name(), Side: "answer 200", Field: "(body)",
			Reason: fmt.Sprintf("startAt %d and %d users reach past the thousandth user, where Atlassian's user search stops", start, len(page))})
	}
}
