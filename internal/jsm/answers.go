package jsm

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Limits on what a server's text may put in front of a user: a proxy or a
// hostile server can answer with megabytes of messages.
const (
	messageLimit = 500 // bytes per message, after cleaning
	maxMessages  = 10  // messages shown; the rest are counted
)

// minSecret is the shortest secret masked.
const minSecret = 6

// secretMask replaces a secret in server text, as tflog's masking does.
const secretMask = "***"

// masker hides the client's own secrets (token, access token, the
// Authorization header value, the client secret and each access token
// obtained with it) in text a server sent back: an error page may echo the
// request's headers. It learns new secrets as they come (learn) and is safe
// for concurrent use; the zero masker masks nothing.
type masker struct{ l *secretList }

type secretList struct {
	mu      sync.RWMutex
	secrets []string // longest first, so that a whole header value is masked before a part of it
}

// newMasker lists the secrets of a configuration.
func newMasker(email, apiToken, accessToken, authz string, more ...string) masker {
	m := masker{l: &secretList{}}
	m.learn(apiToken)
	m.learn(accessToken)
	m.learn(authz)
	if email != "" && apiToken != "" {
		m.learn(base64.StdEncoding.EncodeToString([]byte(email + ":" + apiToken)))
	}
	for _, s := range more {
		m.learn(s)
	}
	return m
}

// learn adds a secret to mask from now on (an access token just obtained).
func (m masker) learn(secret string) {
	// Shorter strings are no real credential, and masking them would
	// garble every message (a test token "t").
	if m.l == nil || len(secret) < minSecret {
		return
	}
	m.l.mu.Lock()
	defer m.l.mu.Unlock()
	for _, s := range m.l.secrets {
		if s == secret {
			return
		}
	}
	m.l.secrets = append(m.l.secrets, secret)
	sort.SliceStable(m.l.secrets, func(i, j int) bool { return len(m.l.secrets[i]) > len(m.l.secrets[j]) })
}

func (m masker) mask(s string) string {
	if m.l == nil {
		return s
	}
	m.l.mu.RLock()
	defer m.l.mu.RUnlock()
	for _, secret := range m.l.secrets {
		s = strings.ReplaceAll(s, secret, secretMask)
	}
	return s
}

// escapeSequence matches terminal escape sequences: CSI (ESC [ or the C1
// byte), OSC (ESC ], up to BEL or ESC \), and the two-byte ESC forms.
var escapeSequence = regexp.MustCompile(`(\x1b\[|\x{9b})[0-?]*[ -/]*[@-~]?|(\x1b\]|\x{9d})[^\x07\x1b\x{9c}]*(\x07|\x1b\\|\x{9c})?|\x1b[ -~]?`)

// clean makes server text safe to show: valid UTF-8, no terminal escape
// sequences, no control or bidirectional-override characters, whitespace
// collapsed to single spaces, the client's secrets masked, and at most
// limit bytes (cut on a rune boundary, marked with "…").
func (m masker) clean(s string, limit int) string {
	// Diagnostics travel as protobuf strings, which must be valid UTF-8.
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = escapeSequence.ReplaceAllString(s, "")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	// After stripping, so that a secret split by escape sequences is found.
	s = m.mask(s)
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// Caps on server values quoted in the client's own messages and logs.
const (
	valueLimit     = 100 // an ID, a cursor, a host, a cloud ID
	logHeaderLimit = 100 // a rate-limit header value in the DEBUG log
)

// quote is a server value (an ID, a cloud ID, a cursor) cleaned, capped at
// valueLimit and quoted, for the client's own messages: a hostile or broken
// server may answer megabytes, escape sequences or an echo of the token.
func (m masker) quote(s string) string { return strconv.Quote(m.clean(s, valueLimit)) }

// Quote is text the site sent (a name, a key, an ID) cleaned, capped,
// masked and quoted (masker.quote), for a caller's own messages and logs.
// A nil client cleans without masking.
func (c *Client) Quote(s string) string {
	if c == nil {
		return masker{}.quote(s)
	}
	return c.secrets.quote(s)
}

// Clean is text the site sent cleaned, masked and capped at limit bytes
// (masker.clean), for a caller's own messages and logs. A nil client
// cleans without masking.
func (c *Client) Clean(s string, limit int) string {
	if c == nil {
		return masker{}.clean(s, limit)
	}
	return c.secrets.clean(s, limit)
}

// cleanError is an error whose text is cleaned server text (cleanErr); it
// wraps the original, so errors.Is and errors.As still see it.
type cleanError struct {
	text string
	err  error
}

func (e *cleanError) Error() string { return e.text }
func (e *cleanError) Unwrap() error { return e.err }

// cleanErr cleans an error's text as server text: a transport error may
// quote what the server sent (net/http puts a malformed header line, of any
// length, in its error).
func (m masker) cleanErr(err error) error {
	if err == nil {
		return nil
	}
	text := err.Error()
	if cleaned := m.clean(text, messageLimit); cleaned != text {
		return &cleanError{text: cleaned, err: err}
	}
	return err
}

// cleanMessages cleans each message and keeps at most maxMessages, counting
// the rest.
func (m masker) cleanMessages(msgs []string) []string {
	var out []string
	for _, msg := range msgs {
		if msg = m.clean(msg, messageLimit); msg != "" {
			out = append(out, msg)
		}
	}
	if len(out) > maxMessages {
		out = append(out[:maxMessages], fmt.Sprintf("… and %d more messages", len(out)-maxMessages))
	}
	return out
}

// RedactURL shows a URL as scheme and host only: a user:password@, a path,
// a query or a fragment may hold secrets or personal data, and never belong
// in a message. A URL that cannot be parsed is shown as "the URL".
func RedactURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "the URL"
	}
	return siteOf(u)
}

func siteOf(u *url.URL) string { return u.Scheme + "://" + u.Host }

// writeMayNotHaveHappened ends the message of a write whose answer does not
// say what the site did.
const writeMayNotHaveHappened = "The write may not have happened (or may have): the next refresh or plan will find out what the site holds."

// htmlProblem is what a 2xx HTML page means.
const htmlProblem = "answered an HTML page, not the API's JSON: a proxy, captive portal or wrong URL?"

// redirectProblem describes a 3xx answer: redirects are never followed (a
// followed redirect carries the credentials to wherever it points, and
// turns a POST or DELETE into a GET that answers 200).
func redirectProblem(sent *url.URL, location string, names Names, m masker) string {
	target := "no Location"
	if location != "" {
		target = "an unreadable Location"
		if loc, err := url.Parse(location); err == nil {
			if sent != nil {
				loc = sent.ResolveReference(loc)
			}
			if loc.Scheme != "" && loc.Host != "" {
				// The host is the server's text: any length, the token
				// as a subdomain.
				target = m.clean(siteOf(loc), valueLimit)
			}
		}
	}
	msg := "the site answered with a redirect to " + target
	if sent != nil && sent.Scheme == "https" && strings.HasPrefix(target, "http://") {
		msg += " (from https to http: the credentials would travel in clear text)"
	}
	return msg + ", which " + names.Client + " never follows. Set " + names.BaseURL + " to the site itself " +
		"(e.g. https://your-domain.atlassian.net), or fix the proxy or gateway in between."
}

// formProblem says why a 2xx answer is not in the API's own form, or "":
// JSON where the call returns JSON (wantJSON), empty or JSON where it
// returns 204. The Content-Type and the body decide, so that an HTML page
// from a proxy or captive portal is never taken for success.
func formProblem(h http.Header, body []byte, wantJSON bool) string {
	trimmed := bytes.TrimSpace(body)
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	switch {
	case len(trimmed) == 0:
		if wantJSON {
			return "answered an empty body, not the API's JSON: a proxy, captive portal or wrong URL?"
		}
		return ""
	case mt == "text/html" || mt == "application/xhtml+xml" || trimmed[0] == '<':
		return htmlProblem
	case json.Valid(trimmed):
		return "" // JSON whatever its label: decoding decides the rest
	case mt != "" && mt != "application/json" && !strings.HasSuffix(mt, "+json"):
		// mime.ParseMediaType only returns token characters.
		return "answered " + mt + ", not the API's JSON: a proxy, captive portal or wrong URL?"
	case !wantJSON:
		return "answered a body that is not JSON: a proxy, captive portal or wrong URL?"
	}
	return ""
}
