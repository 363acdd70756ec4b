package jsm

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// ErrNotFound is returned (wrapped) by look-ups that find nothing.
var ErrNotFound = errors.New("not found")

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
	// Hint is the likely cause for statuses whose messages rarely say it.
	Hint string
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	switch {
	case len(e.Messages) > 0:
		b.WriteString(": ")
		b.WriteString(strings.Join(e.Messages, "; "))
	case e.Excerpt != "":
		fmt.Fprintf(&b, " (body: %q)", e.Excerpt)
	default:
		b.WriteString(" (empty body)")
	}
	if e.Hint != "" {
		b.WriteString(". ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Is lets errors.Is(err, ErrNotFound) hold for 404 answers.
func (e *Error) Is(target error) bool {
	return target == ErrNotFound && e.StatusCode == http.StatusNotFound
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

// IsConflict reports whether err is a 409 Conflict.
func IsConflict(err error) bool { return StatusCode(err) == http.StatusConflict }

const excerptLimit = 200

// errorBody holds both error shapes JSM and the Jira platform use.
type errorBody struct {
	ErrorMessage  string            `json:"errorMessage"`
	ErrorMessages []string          `json:"errorMessages"`
	Errors        map[string]string `json:"errors"`
	Message       string            `json:"message"` // gateway (api.atlassian.com) errors
}

// decodeError builds an *Error from any response body; it never fails.
func decodeError(method, path string, status int, body []byte) *Error {
	e := &Error{Method: method, Path: path, StatusCode: status}
	trimmed := strings.TrimSpace(string(body))
	if trimmed != "" {
		var eb errorBody
		if err := json.Unmarshal([]byte(trimmed), &eb); err == nil {
			if eb.ErrorMessage != "" {
				e.Messages = append(e.Messages, eb.ErrorMessage)
			}
			for _, m := range eb.ErrorMessages {
				if m != "" {
					e.Messages = append(e.Messages, m)
				}
			}
			for _, k := range sortedKeys(eb.Errors) {
				e.Messages = append(e.Messages, k+": "+eb.Errors[k])
			}
			if eb.Message != "" && len(e.Messages) == 0 {
				e.Messages = append(e.Messages, eb.Message)
			}
		}
		if len(e.Messages) == 0 {
			e.Excerpt = excerpt(trimmed)
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
	}
	return e
}

// excerpt returns a short, single-line, valid UTF-8 start of s.
func excerpt(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= excerptLimit {
		return s
	}
	cut := excerptLimit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
