package jsm

import (
	"context"
	"fmt"
	"net/url"
	"slices"
)

// The listings below hand each item to visit as its page arrives, and stop
// reading pages as soon as visit returns false: a list resource streams its
// results to Terraform this way, and a query with a limit reads no more
// pages than it needs.

// EachOrganization visits every organization of the site, in the API's
// order.
func (c *Client) EachOrganization(ctx context.Context, visit func(Organization) bool) error {
	return getPaged(ctx, c, epListOrgs.at(), func(d organizationDTO) bool { return visit(d.org()) })
}

// EachOrganizationMember visits the members of an organization as the JSM
// customer API describes them (email empty when hidden); a missing
// organization is IsNotFound.
func (c *Client) EachOrganizationMember(ctx context.Context, orgID string, visit func(User) bool) error {
	return getPaged(ctx, c, epListOrgUsers.at(orgID), func(u userDTO) bool { return visit(*u.user()) })
}

// EachServiceDeskCustomer visits a desk's customers, only those matching
// query when it is not empty (JSM matches the start of a word of the name,
// or of the email). Experimental in JSM.
func (c *Client) EachServiceDeskCustomer(ctx context.Context, deskID, query string, visit func(User) bool) error {
	r := epListDeskCustomers.at(deskID).withHeader(experimental)
	if query != "" {
		r.query = url.Values{"query": {query}}
	}
	return getPaged(ctx, c, r, func(u userDTO) bool { return visit(*u.user()) })
}

// SearchUsers visits the active accounts whose display name or email starts
// with query (letter case ignored; a hidden email matches without being
// shown), of every account type, as Jira's user search answers them. The
// search never lists inactive accounts.
//
// User search lists no more than UserSearchCap matches, and a page past
// them is empty: a listing that reaches the cap fails with a
// *SearchCapError rather than end as if complete.
func (c *Client) SearchUsers(ctx context.Context, query string, visit func(User) bool) error {
	maxPages, capPages := max(c.maxListItems/userSearchPageSize, 1), UserSearchCap/userSearchPageSize
	more, err := c.searchUsers(ctx, query, min(maxPages, capPages), func(p platformUser) bool { return visit(*p.user()) })
	switch {
	case err != nil || !more:
		return err
	case maxPages < capPages:
		return listTooLong(epSearchUser.Pattern, maxPages*userSearchPageSize)
	}
	return &SearchCapError{Query: query}
}

// userSearchPageSize is what user search is asked for per page.
const userSearchPageSize = 50

// searchUsers reads user search page by page (a plain array: a page shorter
// than asked is the last) and hands each account to visit until it returns
// false. more reports that maxPages full pages were read and more may
// follow. A page that repeats the previous one (a server or proxy that
// ignores startAt) stops the search with an error.
func (c *Client) searchUsers(ctx context.Context, query string, maxPages int, visit func(platformUser) bool) (more bool, err error) {
	var prev []string
	budget := c.newListBudget("GET " + epSearchUser.Pattern)
	for n := 0; n < maxPages; n++ {
		r := epSearchUser.at().withQuery(url.Values{"query": {query},
			"startAt": {fmt.Sprint(n * userSearchPageSize)}, "maxResults": {fmt.Sprint(userSearchPageSize)}})
		var page []platformUser
		if err := c.readPage(ctx, r, budget, &page); err != nil {
			return false, err
		}
		ids := pageIDs(page)
		if len(page) == userSearchPageSize && slices.Equal(ids, prev) {
			return false, fmt.Errorf("GET %s: the page at startAt=%d repeats the previous page; "+
				"the search stopped because it would not advance (a proxy or server that ignores startAt)", epSearchUser.Pattern, n*userSearchPageSize)
		}
		for _, p := range page {
			if !visit(p) {
				return false, nil
			}
		}
		if len(page) < userSearchPageSize {
			return false, nil
		}
		prev = ids
	}
	return true, nil
}

// allUsersPageSize is what "Get all users" is asked for per page: the most
// Jira hands out. Its pages may come back shorter while more follow (Jira
// drops from a page the accounts the caller may not see), so only an empty
// page ends the listing.
const allUsersPageSize = 1000

// EachAccount visits every account of the site, active or not, as Jira's
// "Get all users" answers them (GET /rest/api/3/users/search, which takes
// no filter): user search lists active accounts only, so this is the one
// way to find an inactive account by its email. It reads at most maxPages
// pages; more reports that it stopped there while more may follow. It
// advances by what each page held, so a server that lowers maxResults
// skips no one.
func (c *Client) EachAccount(ctx context.Context, maxPages int, visit func(User) bool) (more bool, err error) {
	budget := c.newListBudget("GET " + epAllUsers.Pattern)
	var prev []string
	for n, start := 0, 0; n < maxPages; n++ {
		r := epAllUsers.at().withQuery(url.Values{"startAt": {fmt.Sprint(start)}, "maxResults": {fmt.Sprint(allUsersPageSize)}})
		var page []platformUser
		if err := c.readPage(ctx, r, budget, &page); err != nil {
			return false, err
		}
		if len(page) == 0 {
			return false, nil
		}
		ids := pageIDs(page)
		if slices.Equal(ids, prev) {
			return false, fmt.Errorf("GET %s: the page at startAt=%d repeats the previous page; "+
				"the listing stopped because it would not advance (a proxy or server that ignores startAt)", epAllUsers.Pattern, start)
		}
		for _, p := range page {
			if !visit(*p.user()) {
				return false, nil
			}
		}
		prev, start = ids, start+len(page)
	}
	return true, nil
}

// UserSearchCap is the most matches user search lists: Atlassian's
// findUsers takes them "up to the thousandth user".
const UserSearchCap = 1000

// SearchCapError: a user search listed UserSearchCap accounts, so more may
// match than it can show.
type SearchCapError struct {
	Query string
}

func (e *SearchCapError) Error() string {
	return fmt.Sprintf("GET %s: %d accounts match %q, the most user search lists (Atlassian's cap), so more may match "+
		"and the listing would be incomplete. Narrow it: list by service_desk_id or organization_id instead, or use a longer query",
		epSearchUser.Pattern, UserSearchCap, e.Query)
}

// pageIDs are the IDs of a page of user answers, in order: a page that
// repeats the previous one is a server that ignores startAt.
func pageIDs(page []platformUser) []string {
	ids := make([]string, len(page))
	for i, p := range page {
		ids[i] = p.AccountID
	}
	return ids
}
