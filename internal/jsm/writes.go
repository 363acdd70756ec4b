package jsm

import (
	"context"
	"errors"
	"fmt"
)

// Settle decides a write whose outcome is unclear: cause failed, but
// MayHaveApplied(cause) holds, so an earlier attempt may have been applied
// and its answer lost. Settle reads the object back; done means the write
// did take effect (it then fills the call's result itself), and the call
// succeeds. A non-nil error is a failure of the read-back.
type Settle func(ctx context.Context, cause *Error) (done bool, err error)

// doWrite is do for a write that is not idempotent on the wire, such as a
// POST that creates something: a retry after a lost answer can meet the
// call's own effect (409 "already exists", 404 "already gone") or run out
// of retries. Then, and only then, settle finds out what the server holds.
//
// Writes that are idempotent on the wire (PUT, a POST of memberships that
// answers 204 whatever was there) need only do.
func (c *Client) doWrite(ctx context.Context, r request, out any, settle Settle) error {
	err := c.do(ctx, r, out)
	var e *Error
	if err == nil || settle == nil || !errors.As(err, &e) || !e.MayHaveApplied {
		return err
	}
	done, serr := settle(ctx, e)
	switch {
	case serr != nil:
		return fmt.Errorf("%w; the server may have applied the request anyway, and checking failed: %w", err, serr)
	case done:
		return nil
	}
	return err
}
