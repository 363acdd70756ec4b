package jsmsite

import (
	"context"
	"net/http"
	"sync/atomic"
)

// A contract validator (internal/jsmsite/contract) holds the site's answers
// to Atlassian's OpenAPI documents. Some answers break them on purpose: the
// injected faults and the variations of real sites that the documents do
// not describe (a null email, a paging proxy stuck on one page, an
// organization read answering "{}"). The handler that gives such an answer
// marks the request, and the validator leaves that answer alone. Faults
// that answer without running the API (faults.go, proxyfaults.go) sit
// outside the validator and never reach it.

type faultMarkKey struct{}

// WithFaultMark returns r carrying a mark that the site sets when it
// answers r with a deliberate departure from Atlassian's documents, and a
// function that reports whether it did.
func WithFaultMark(r *http.Request) (*http.Request, func() bool) {
	m := new(atomic.Bool)
	return r.WithContext(context.WithValue(r.Context(), faultMarkKey{}, m)), m.Load
}

// MarkFault records that the answer to r departs from the documents on
// purpose (see WithFaultMark). The site's handlers call it; so does a
// test's own fault-injecting middleware when it sits inside a validator
// (added with Use after it).
func MarkFault(r *http.Request) {
	if m, ok := r.Context().Value(faultMarkKey{}).(*atomic.Bool); ok {
		m.Store(true)
	}
}
