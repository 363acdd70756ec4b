package jsmsite

import (
	"fmt"
	"net/http"
	"slices"
)

// Page sizes of GET /rest/api/3/user/bulk. Atlassian documents a default of
// 10; the most it hands out per page is not documented (see
// AccountAnswers.BulkPageCap), so the site's default cap is generous.
const (
	defaultBulkMaxResults = 10
	defaultBulkPageCap    = 200
)

// bulkPage is the platform's PageBeanUser.
type bulkPage struct {
	Self       string         `json:"self,omitempty"`
	MaxResults int            `json:"maxResults"`
	StartAt    int            `json:"startAt"`
	Total      int            `json:"total"`
	IsLast     bool           `json:"isLast"`
	Values     []platformUser `json:"values"`
}

// GET /rest/api/3/user/bulk?accountId=A&accountId=B&startAt=&maxResults=
//
// Reads several accounts at once, as one page of the accounts found, in the
// order asked (duplicates once). An ID that matches no account is left out
// of values, as public reports describe; so is a deleted account where the
// single read answers 404 (AccountAnswers.DeletedAnswer404). Deleted,
// corrupted and unavailable accounts otherwise answer as the single read
// does.
func (s *Site) handleBulkUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ids := q["accountId"]
	if len(ids) == 0 {
		writePlatformError(w, http.StatusBadRequest, "The accountId query parameter needs to be provided.")
		return
	}
	startAt, ok := intParam(w, q, "startAt", 0)
	if !ok {
		return
	}
	maxResults, ok := intParam(w, q, "maxResults", defaultBulkMaxResults)
	if !ok {
		return
	}
	ans := s.accountAnswers()
	pageCap := ans.BulkPageCap
	if pageCap <= 0 {
		pageCap = defaultBulkPageCap
	}
	if maxResults == 0 {
		maxResults = defaultBulkMaxResults
	}
	maxResults = min(maxResults, pageCap)
	if stuckPaging(r) != "" {
		startAt = 0
	}

	base := baseURL(r)
	var found []platformUser
	var seen []string
	for _, id := range ids {
		if slices.Contains(seen, id) {
			continue
		}
		seen = append(seen, id)
		a, ok := s.Account(id)
		if !ok && ans.BulkUnknown404 {
			MarkFault(r) // Atlassian documents no 404 for this operation
			writePlatformError(w, http.StatusNotFound, fmt.Sprintf("User with accountId '%s' does not exist.", id))
			return
		}
		if !ok || a.Deleted && ans.DeletedAnswer404 {
			continue
		}
		switch {
		case ans.Unavailable:
			a = fallbackAccount(id)
		case a.Corrupted:
			a = fallbackAccount("unknown")
		}
		found = append(found, ans.toPlatformUser(base, "3", a, ""))
	}
	if startAt == 0 {
		s.faults.countBulk(len(seen))
	}
	values := []platformUser{}
	if startAt < len(found) {
		values = found[startAt:min(startAt+maxResults, len(found))]
	}
	writeJSON(w, http.StatusOK, bulkPage{
		Self:       fmt.Sprintf("%s%s?%s", base, r.URL.Path, r.URL.RawQuery),
		MaxResults: maxResults,
		StartAt:    startAt,
		Total:      len(found),
		IsLast:     stuckPaging(r) == "" && startAt+len(values) >= len(found),
		Values:     values,
	})
}
