package jsm

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ErrNotFound is returned (wrapped) by look-ups that find nothing.
var ErrNotFound = errors.New("not found")

// ErrDeskOpen is the Kind of an *Error that refuses to remove customers
// from a service desk anyone can raise requests on.
var ErrDeskOpen = errors.New("the service desk is open to anyone")

// Error is the one error type for every failed call: it keeps the status code
// and the server's own words, whatever shape the body had.
type Error struct {
	Method     string
	Path       string // path only: the query may carry an email address
	StatusCode int
	// Messages are the server's messages, from the JSM shape
	// ({"errorMessage"}) or the Jira platform shape ({"errorMessages", "errors"}).
	Messages []string
	// Excerpt is the start of a body that was not JSON (an HTML error page).
	Excerpt string
	// Problem is what is wrong with an answer that is not the API's own:
	// a redirect, an HTML page or other non-JSON success, a body too large.
	Problem string
	// Hint is the likely cause for statuses whose messages rarely say it.
	Hint string
	// Kind, when set, classifies the failure for callers (ErrDeskOpen);
	// errors.Is(err, Kind) holds.
	Kind error

	// Cause is the transport error when no answer came (StatusCode 0):
	// connection refused or lost, timeout, context ended.
	Cause error
	// Attempts is how many times the request was sent (retries included).
	Attempts int
	// MayHaveApplied: this is a write, and an attempt ended without a clear
	// answer (connection lost after sending, timeout, 5xx), so the server
	// may have applied it. A 409 or 404 after such an attempt may be the
	// echo of the call's own success; see MayHaveApplied.
	MayHaveApplied bool
	// GaveUp says why the call was not retried although retries were left:
	// the server asked for a wait longer than the client makes (a spent
	// quota), with the reason and the time the limit resets.
	GaveUp string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.StatusCode == 0 {
		fmt.Fprintf(&b, "%s %s: %v", e.Method, e.Path, e.Cause)
		e.writeAttempts(&b)
		return b.String()
	}
	fmt.Fprintf(&b, "%s %s: HTTP %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Problem != "" {
		b.WriteString(": ")
		b.WriteString(e.Problem)
	}
	if len(e.Messages) > 0 {
		b.WriteString(": ")
		b.WriteString(strings.Join(e.Messages, "; "))
	}
	switch {
	case e.Excerpt != "":
		fmt.Fprintf(&b, " (body: %q)", e.Excerpt)
	case len(e.Messages) == 0 && e.Problem == "":
		b.WriteString(" (empty body)")
	}
	if e.Hint != "" {
		if !strings.HasSuffix(b.String(), ".") {
			b.WriteString(".")
		}
		b.WriteString(" ")
		b.WriteString(e.Hint)
	}
	e.writeAttempts(&b)
	return b.String()
}

func (e *Error) writeAttempts(b *strings.Builder) {
	if e.GaveUp != "" {
		if !strings.HasSuffix(b.String(), ".") {
			b.WriteString(".")
		}
		b.WriteString(" " + strings.ToUpper(e.GaveUp[:1]) + e.GaveUp[1:])
	}
	if e.Attempts > 1 && !errors.Is(e.Cause, ErrCallBudget) { // that one counts them itself
		fmt.Fprintf(b, " (after %d attempts)", e.Attempts)
	}
}

// Unwrap gives the transport error, so errors.Is(err, context.Canceled) holds.
func (e *Error) Unwrap() error { return e.Cause }

// MayHaveApplied reports whether err ends a write the server may
// nevertheless have applied: an attempt's answer was lost or was a 5xx.
// Then a 409 ("already exists") or a 404 ("already gone") may be the echo of
// the call's own success, and a final 5xx or transport error does not prove
// that nothing changed. Read the object back before reporting a failure.
func MayHaveApplied(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.MayHaveApplied
}

// Is lets errors.Is(err, ErrNotFound) hold for 404 answers, and
// errors.Is(err, e.Kind) for a classified failure. A 404 whose body is not
// the API's JSON (a proxy's page) does not count: a refresh would drop every
// object from the state on its word.
func (e *Error) Is(target error) bool {
	return (target == ErrNotFound && e.StatusCode == http.StatusNotFound && e.Excerpt == "" && e.Kind != ErrSiteUnconfirmed) ||
		(e.Kind != nil && target == e.Kind)
}

// StatusCode returns the HTTP status of an *Error in err's chain, or 0.
func StatusCode(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.StatusCode
	}
	return 0
}

// IsNotFound reports whether err means the object does not exist.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// IsCredentialRefused reports whether err says the provider's credentials
// were refused: a 401 answer, or the token endpoint refusing a service
// account's client credentials. Unlike a 403 or an outage, that is certain
// to fail every other call too.
func IsCredentialRefused(err error) bool {
	return StatusCode(err) == http.StatusUnauthorized || errors.Is(err, ErrTokenRefused)
}

// IsConflict reports whether err is a 409 Conflict.
func IsConflict(err error) bool { return StatusCode(err) == http.StatusConflict }

const excerptLimit = 200

// errorBody holds both error shapes JSM and the Jira platform use.
type errorBody struct {
	ErrorMessage  string   `json:"errorMessage"`
	ErrorMessages []string `json:"errorMessages"`
	Errors        errorMap `json:"errors"`
	Message       string   `json:"message"` // gateway (api.atlassian.com) errors
}

// errorMap is the platform's {"field": "message"} errors; the CSM API is
// seen to send a list of codes there instead (["BAD_REQUEST"]), which says
// nothing errorMessage does not and must not spoil the decoding.
type errorMap map[string]string

func (m *errorMap) UnmarshalJSON(b []byte) error {
	var obj map[string]string
	if json.Unmarshal(b, &obj) == nil {
		*m = obj
	}
	return nil
}

// decodeError builds an *Error from any response body; it never fails.
// The server's text is cleaned and capped, and m masks the client's
// secrets in it (see masker.clean).
func decodeError(method, path string, status int, body []byte, m masker) *Error {
	e := &Error{Method: method, Path: path, StatusCode: status}
	trimmed := strings.TrimSpace(string(body))
	if trimmed != "" {
		var eb errorBody
		if err := json.Unmarshal([]byte(trimmed), &eb); err == nil {
			e.Messages = m.cleanMessages(eb.messages())
		}
		if len(e.Messages) == 0 {
			e.Excerpt = m.clean(trimmed, excerptLimit)
		}
	}
	switch status {
	case http.StatusUnauthorized:
		e.Hint = "The credentials were refused: check the token (an expired or revoked API token or access token), " +
			"and that the auth method fits the URL (scoped API tokens and OAuth access tokens only work through " +
			"https://api.atlassian.com/ex/jira/<cloudId>, classic API tokens through https://your-domain.atlassian.net)"
	case http.StatusForbidden:
		e.Hint = "The account lacks permission: managing customers needs the Jira Administrator global permission " +
			"and, for OAuth, the scope manage:servicedesk-customer"
	case http.StatusNotFound:
		if e.Excerpt != "" {
			e.Hint = "This 404 is not the API's own answer (not its JSON error): a proxy, or a URL that is not the site's? " +
				"It is not taken to mean that the object is gone"
		}
	case http.StatusPreconditionFailed:
		e.Hint = "JSM answers 412 to an experimental operation called without the header X-ExperimentalApi: opt-in; " +
			"the client sends it, so a proxy in between probably dropped it"
	}
	return e
}

// messages lists the server's messages, in either shape.
func (eb errorBody) messages() []string {
	var out []string
	if eb.ErrorMessage != "" {
		out = append(out, eb.ErrorMessage)
	}
	out = append(out, eb.ErrorMessages...)
	for _, k := range sortedKeys(eb.Errors) {
		out = append(out, k+": "+eb.Errors[k])
	}
	if eb.Message != "" && len(out) == 0 {
		out = append(out, eb.Message)
	}
	return out
}
