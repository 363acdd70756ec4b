package jsm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// PageLimit is the page size asked for; JSM never hands out more than 50.
const PageLimit = 50

// maxPages bounds a paged read, so a server that never says isLastPage
// cannot loop a Terraform run forever (a million items at 50 a page).
const maxPages = 20000

// page is the servicedeskapi PagedDTO.
type page[T any] struct {
	Size       int  `json:"size"`
	Start      int  `json:"start"`
	Limit      int  `json:"limit"`
	IsLastPage bool `json:"isLastPage"`
	Values     []T  `json:"values"`
}

// getPaged GETs every page of r's paged list, in order, and hands each item
// to visit until it returns false. It follows start and isLastPage, and
// advances by what the server returned, so a server that lowers limit is
// honored.
func getPaged[T any](ctx context.Context, c *Client, r request, visit func(T) bool) error {
	start := 0
	for n := 0; ; n++ {
		if n == maxPages {
			return fmt.Errorf("GET %s: still not on the last page after %d pages; giving up", r.path, maxPages)
		}
		q := url.Values{}
		for k, v := range r.query {
			q[k] = v
		}
		q.Set("start", strconv.Itoa(start))
		q.Set("limit", strconv.Itoa(PageLimit))
		pr := r
		pr.method, pr.query = http.MethodGet, q
		var p page[T]
		if err := c.do(ctx, pr, &p); err != nil {
			return err
		}
		for _, v := range p.Values {
			if !visit(v) {
				return nil
			}
		}
		if p.IsLastPage {
			return nil
		}
		if len(p.Values) == 0 {
			return fmt.Errorf("GET %s: the server answered an empty page at start=%d that is not the last", r.path, start)
		}
		start += len(p.Values)
	}
}

// listPaged collects every item of a paged list.
func listPaged[T any](ctx context.Context, c *Client, r request) ([]T, error) {
	var out []T
	err := getPaged(ctx, c, r, func(v T) bool { out = append(out, v); return true })
	return out, err
}

// BatchSize is the most account IDs JSM takes in one membership call.
const BatchSize = 50

// inBatches calls f with consecutive slices of ids of at most BatchSize.
// It goes on after a failed batch, so every valid ID is applied (as JSM
// itself applies the valid IDs of a failed batch), and returns the errors
// joined.
func inBatches(ids []string, f func([]string) error) error {
	var errs []error
	for i := 0; i < len(ids); i += BatchSize {
		if err := f(ids[i:min(i+BatchSize, len(ids))]); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}
