package jsmsite

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// LoopbackHost reports whether a Host header names a loopback host:
// localhost, an address of 127.0.0.0/8 or [::1], with or without a port.
func LoopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Zone() == "" && ip.Unmap().IsLoopback()
}

// RouteNotFound is the route name of requests no route matches.
const RouteNotFound = "NOT FOUND"

// Messages of the authentication failure, per API family.
const (
	msgUnauthenticated = "You are not authenticated. Authentication required to perform this operation."
)

type ctxKey int

const prefixKey ctxKey = 1 // the gateway path prefix a request came through (Gateway)

// Use adds a middleware around every route, outside the authentication
// check (so it sees unauthenticated requests too). Middlewares added first
// run outermost. It may be called while the site is serving.
func (s *Site) Use(mw Middleware) {
	s.mwMu.Lock()
	defer s.mwMu.Unlock()
	s.middlewares = append(s.middlewares, mw)
}

// Routes lists the route names, in registration order. A route's name is its
// ServeMux pattern, e.g. "PUT /rest/servicedeskapi/customer/user/{accountId}/revoke-portal-only-access".
func (s *Site) Routes() []string {
	return append([]string(nil), s.routes...)
}

// ServeHTTP implements http.Handler. It answers only requests addressed to
// a loopback host (see LoopbackHost): a web page that rebinds its own DNS
// name to 127.0.0.1 sends its own name as Host, and must not drive the site.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !LoopbackHost(r.Host) {
		host := r.Host
		if len(host) > 100 {
			host = host[:100] + "…"
		}
		http.Error(w, fmt.Sprintf("jsmsite: refusing a request addressed to the host %q: the local JSM site answers only "+
			"requests addressed to a loopback host (localhost, 127.0.0.0/8 or [::1], with any port), so that a web page "+
			"cannot drive it through DNS rebinding. Use its URL as printed, e.g. http://127.0.0.1:8089.", host),
			http.StatusMisdirectedRequest)
		return
	}
	s.screenDotSegments(r)
	s.mux.ServeHTTP(w, r)
}

// route registers h under pattern, which also becomes the route's stable
// name. Every route goes through the middlewares and the auth check.
func (s *Site) route(pattern string, h http.HandlerFunc) {
	s.routes = append(s.routes, pattern)
	s.mux.Handle(pattern, s.wrap(pattern, h))
}

// wrap builds the chain per request so that middlewares added by Use after
// New still apply.
func (s *Site) wrap(name string, h http.HandlerFunc) http.Handler {
	return s.wrapHandler(name, s.requireAuth(s.requireScopes(name, h)))
}

// routePublic registers a route that answers without credentials, through
// the middlewares all the same.
func (s *Site) routePublic(pattern string, h http.HandlerFunc) {
	s.routes = append(s.routes, pattern)
	s.mux.Handle(pattern, s.wrapHandler(pattern, h))
}

func (s *Site) wrapHandler(name string, authed http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mwMu.RLock()
		mws := s.middlewares
		s.mwMu.RUnlock()
		next := authed
		for i := len(mws) - 1; i >= 0; i-- {
			next = mws[i](name, next)
		}
		next.ServeHTTP(w, r)
	})
}

// requireAuth accepts HTTP basic (email + API token) or, when configured,
// a bearer access token.
func (s *Site) requireAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.authenticated(r) {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Add("WWW-Authenticate", `Basic realm="jsmsite"`)
		if s.cfg.AccessToken != "" || s.cfg.ClientID != "" {
			w.Header().Add("WWW-Authenticate", `Bearer realm="jsmsite"`)
		}
		writeError(w, r, http.StatusUnauthorized, "rest.authentication.required", msgUnauthenticated)
	})
}

func (s *Site) authenticated(r *http.Request) bool {
	if user, token, ok := r.BasicAuth(); ok {
		// Atlassian login emails are case-insensitive; tokens are not.
		if s.cfg.Email == "" || !strings.EqualFold(user, s.cfg.Email) {
			return false
		}
		if s.cfg.APIToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.APIToken)) == 1 {
			return true
		}
		// A scoped token works only through Atlassian's gateway: sent to
		// the site URL it fails with 401.
		_, viaGateway := r.Context().Value(prefixKey).(string)
		return s.cfg.ScopedAPIToken != "" && (viaGateway || strings.HasPrefix(r.URL.Path, "/jsm/csm/")) &&
			subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.ScopedAPIToken)) == 1
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	token = strings.TrimSpace(token)
	known := s.tokens.valid(token, s.now()) ||
		s.cfg.AccessToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.AccessToken)) == 1
	// Atlassian takes bearer tokens (OAuth 2.0 apps, service accounts) only
	// through its gateway and on the CSM API: sent to the site URL they fail
	// with 401, like a scoped API token.
	_, viaGateway := r.Context().Value(prefixKey).(string)
	return known && (viaGateway || strings.HasPrefix(r.URL.Path, "/jsm/csm/"))
}

// jsmError is the servicedeskapi ErrorResponse.
type jsmError struct {
	ErrorMessage     string       `json:"errorMessage"`
	I18nErrorMessage i18nErrorMsg `json:"i18nErrorMessage"`
}

type i18nErrorMsg struct {
	I18nKey    string   `json:"i18nKey"`
	Parameters []string `json:"parameters"`
}

// platformError is the Jira platform ErrorCollection.
type platformError struct {
	ErrorMessages []string          `json:"errorMessages"`
	Errors        map[string]string `json:"errors"`
}

// writeError answers in the error shape of the API family the path belongs
// to: the JSM shape under /rest/servicedeskapi/, the platform shape
// elsewhere. i18nKey and params are used by the JSM shape only.
func writeError(w http.ResponseWriter, r *http.Request, status int, i18nKey, msg string, params ...string) {
	if isJSMPath(r.URL.Path) {
		writeJSMError(w, status, i18nKey, msg, params...)
		return
	}
	writePlatformError(w, status, msg)
}

func isJSMPath(p string) bool { return strings.HasPrefix(p, "/rest/servicedeskapi/") }

func writeJSMError(w http.ResponseWriter, status int, i18nKey, msg string, params ...string) {
	if params == nil {
		params = []string{}
	}
	writeJSON(w, status, jsmError{ErrorMessage: msg, I18nErrorMessage: i18nErrorMsg{I18nKey: i18nKey, Parameters: params}})
}

func writePlatformError(w http.ResponseWriter, status int, msgs ...string) {
	writeJSON(w, status, platformError{ErrorMessages: msgs, Errors: map[string]string{}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // Jira does not escape & < > in URLs and names
	_ = enc.Encode(v)
}

// decodeJSONBody reads a JSON request body as Jira does: a non-JSON content
// type is 415, an unreadable or non-object body 400. It writes the error
// answer itself and reports whether the caller may go on.
func decodeJSONBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, r, http.StatusUnsupportedMediaType, "rest.unsupported.media.type",
			"Unsupported media type: send the request body as application/json.")
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		writeError(w, r, http.StatusBadRequest, "rest.invalid.payload",
			"Invalid request payload. Refer to the REST API documentation and try again.")
		return false
	}
	return true
}

// baseURL is the scheme, host (and gateway prefix) the request reached the
// site on, so that links in answers point back at this site.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	prefix, _ := r.Context().Value(prefixKey).(string)
	return scheme + "://" + r.Host + prefix
}

// Gateway serves the site under the path of Atlassian's API gateway,
// /ex/jira/<cloudID> (what OAuth and scoped tokens use), as well as at the
// root. Links in answers then carry the prefix of the request's URL.
//
// Another cloud ID names no site of this gateway: every request under it is
// answered 404 in the gateway's JSON ({"code", "message"}) without reaching
// the site, as for a cloud ID mistyped in a provider's url.
func (s *Site) Gateway(cloudID string) http.Handler {
	prefix := "/ex/jira/" + cloudID
	strip := http.StripPrefix(prefix, s)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, prefix+"/") {
			if strings.HasPrefix(r.URL.Path, "/ex/jira/") && LoopbackHost(r.Host) {
				writeJSON(w, http.StatusNotFound, map[string]any{"code": http.StatusNotFound, "message": "Not Found"})
				return
			}
			s.ServeHTTP(w, r)
			return
		}
		strip.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), prefixKey, prefix)))
	})
}
