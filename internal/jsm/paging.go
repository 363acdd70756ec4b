package jsm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
)

// PageLimit is the page size asked for; JSM never hands out more than 50.
const PageLimit = 50

// DefaultMaxListItems is the most items one listing reads before it fails
// (Config.MaxListItems): far above any organization, desk or membership list
// the provider manages, it bounds memory and requests should a server keep
// handing out new items. The listing's page and byte caps derive from it
// (newListBudget): 10,002 pages, 200 MiB.
const DefaultMaxListItems = 100000

// listItemBytes is the byte budget of a listing per item of its item cap:
// the largest items (accounts with their links) are well under 1 KiB.
const listItemBytes = 2 << 10

// listBudget bounds one listing by items, pages and bytes: an item cap
// alone lets a server hand out one item per page, each page megabytes
// long, for hours.
type listBudget struct {
	what                         string // "GET /path", for errors
	items, pages, bytes          int    // read so far
	maxItems, maxPages, maxBytes int
}

// newListBudget derives a listing's caps from the client's item cap: at
// most maxListItems items, maxListItems/10 + 2 pages (so pages of 10
// items, a fifth of a full page, still reach the item cap, and a last page
// fits), and listItemBytes per item.
func (c *Client) newListBudget(what string) *listBudget {
	return &listBudget{what: what, maxItems: c.maxListItems, maxPages: c.maxListItems/10 + 2, maxBytes: c.maxListItems * listItemBytes}
}

// page counts a page of n bytes; it fails once the pages or bytes read
// pass their caps.
func (b *listBudget) page(n int) error {
	b.pages++
	b.bytes += n
	switch {
	case b.pages > b.maxPages:
		return fmt.Errorf("%s: the list runs to more than %d pages, the most one listing reads; stopped there rather than read on "+
			"(a server that hands out few items per page and never ends, or a list far larger than expected)", b.what, b.maxPages)
	case b.bytes > b.maxBytes:
		return fmt.Errorf("%s: the list runs to more than %s, the most one listing reads; stopped there rather than read on "+
			"(a server that hands out oversized pages, or a list far larger than expected)", b.what, byteSize(b.maxBytes))
	}
	return nil
}

// byteSize shows n bytes in MiB, or KiB below one MiB.
func byteSize(n int) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d MiB", n>>20)
}

// item counts an item; it fails once the items pass their cap.
func (b *listBudget) item() error {
	if b.items == b.maxItems {
		return fmt.Errorf("%s: the list holds more than %d items, the most one listing reads; "+
			"stopped there rather than read on (a server that keeps handing out new items, or a list far larger than expected)", b.what, b.maxItems)
	}
	b.items++
	return nil
}

// readPage GETs one page of a listing into out, counting its pages and
// bytes against b.
func (c *Client) readPage(ctx context.Context, r request, b *listBudget, out any) error {
	var body json.RawMessage
	if err := c.do(ctx, r, &body); err != nil {
		return err
	}
	return c.decodePage(r, b, body, out)
}

// decodePage counts a page's bytes against b and decodes it into out.
func (c *Client) decodePage(r request, b *listBudget, body json.RawMessage, out any) error {
	if err := b.page(len(body)); err != nil {
		return err
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &Error{Method: r.method, Path: r.path, StatusCode: http.StatusOK,
			Problem: c.secrets.clean("the response is not the expected JSON: "+err.Error(), messageLimit),
			Excerpt: c.secrets.clean(string(body), excerptLimit)}
	}
	return nil
}

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
// honored. A page that does not advance (another start than asked, or the
// previous page again) and a list longer than the client's item cap stop
// the listing with an error: without them a server that always answers
// isLastPage false would be read until the run is killed; so do the
// listing's page and byte caps (listBudget). It reads one page at a time,
// so a visitor that stops early costs no page it did not need.
func getPaged[T any](ctx context.Context, c *Client, r request, visit func(T) bool) error {
	return readPages(ctx, c, r, 0, false, visit)
}

// getPagedAhead is getPaged for a caller that reads the whole list, or
// until it finds one item, expecting about expect items (0 when it cannot
// tell): the pages ahead of the one it reads are asked for at the same time
// (readPages), up to three of them past what it needed.
func getPagedAhead[T any](ctx context.Context, c *Client, r request, expect int, visit func(T) bool) error {
	return readPages(ctx, c, r, expect, true, visit)
}

// pagesAtOnce is how many pages of a listing read ahead may be asked for at
// the same time. JSM pages carry no total, so one by one a 1,000-member
// organization is 20 round trips in a row (2 to 6 s against Atlassian);
// four at a time, six. Four keeps one listing's burst small beside what
// Terraform's other slots send, and a 429 slows all of them down together
// (Pacing).
const pagesAtOnce = 4

// readPages reads r's pages in order for getPaged and getPagedAhead. With
// ahead, once the first page says how many items the server hands out per
// page, the pages after the one being read are asked for too: every page
// up to expect, pagesAtOnce at a time, and beyond it one, then two, then
// pagesAtOnce pages ahead (a list that ends there wastes at most three
// requests; one of one or two pages wastes none). A page read ahead is
// used only when the listing reaches its start, so the list and every
// check are those of reading one by one; the others are dropped. A server
// that changes its page size after the first is read one by one from
// there.
func readPages[T any](ctx context.Context, c *Client, r request, expect int, ahead bool, visit func(T) bool) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()               // first: the pages still being read ahead stop
	asked := map[int]*pageRead{} // pages asked for before the listing reached them, by start
	ask := func(start int) *pageRead {
		p := &pageRead{done: make(chan struct{})}
		wg.Go(func() {
			p.err = c.do(ctx, pageRequest(r, start), &p.body)
			close(p.done)
		})
		return p
	}
	start, size, next, window := 0, 0, 0, 1
	budget := c.newListBudget("GET " + r.path)
	var prev []json.RawMessage
	for {
		pr := asked[start]
		if pr == nil {
			// Past the first page, only a server whose pages stopped falling
			// where the first said gets here: read it one by one from now on.
			ahead = ahead && start == 0
			pr = ask(start)
		}
		<-pr.done
		if pr.err != nil {
			return pr.err
		}
		var p page[json.RawMessage]
		if err := c.decodePage(r, budget, pr.body, &p); err != nil {
			return err
		}
		if err := checkAdvance(r.path, start, p.Start, p.Values, prev); err != nil {
			return err
		}
		for _, raw := range p.Values {
			if err := budget.item(); err != nil {
				return err
			}
			var v T
			if err := json.Unmarshal(raw, &v); err != nil {
				return fmt.Errorf("GET %s: an item of the page at start=%d is not the expected JSON: %w", r.path, start, err)
			}
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
		if start == 0 {
			size = len(p.Values)
		}
		start += len(p.Values)
		prev = p.Values
		if !ahead {
			continue
		}
		pending := 0
		for s := range asked {
			if s < start { // read, or passed over when the server changed its page size
				delete(asked, s)
			} else {
				pending++
			}
		}
		// Never past the item and page caps: a server that never ends gets
		// no more requests than they allow.
		for next = max(next, start); pending < pagesAtOnce && next < c.maxListItems && budget.pages+pending <= budget.maxPages; next += size {
			if next >= expect && pending >= window {
				break // past the expected length, only the window ahead
			}
			if asked[next] == nil {
				asked[next] = ask(next)
				pending++
			}
		}
		if start >= expect {
			window = min(2*window, pagesAtOnce)
		}
	}
}

// pageRead is a page asked for, and its answer once done is closed.
type pageRead struct {
	done chan struct{}
	body json.RawMessage
	err  error
}

// pageRequest is the GET of r's page at start.
func pageRequest(r request, start int) request {
	q := url.Values{}
	for k, v := range r.query {
		q[k] = v
	}
	q.Set("start", strconv.Itoa(start))
	q.Set("limit", strconv.Itoa(PageLimit))
	r.method, r.query = http.MethodGet, q
	return r
}

// checkAdvance fails a page that does not move the listing forward: one
// whose start is not the one asked for, or whose items are the previous
// page's (a server that ignores start).
func checkAdvance(path string, asked, got int, items, prev []json.RawMessage) error {
	if got != asked {
		return fmt.Errorf("GET %s: asked for the page at start=%d, the server answered start=%d; "+
			"the listing stopped because it would not advance (a proxy or server that ignores start)", path, asked, got)
	}
	if len(items) > 0 && samePage(items, prev) {
		return fmt.Errorf("GET %s: the page at start=%d repeats the previous page; "+
			"the listing stopped because it would not advance (a proxy or server that ignores start)", path, asked)
	}
	return nil
}

func samePage(a, b []json.RawMessage) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

func listTooLong(path string, limit int) error {
	return fmt.Errorf("GET %s: the list holds more than %d items, the most one listing reads; "+
		"stopped there rather than read on (a server that keeps handing out new items, or a list far larger than expected)", path, limit)
}

// listPaged collects every item of a paged list.
func listPaged[T any](ctx context.Context, c *Client, r request) ([]T, error) {
	var out []T
	err := getPagedAhead(ctx, c, r, 0, func(v T) bool { out = append(out, v); return true })
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
