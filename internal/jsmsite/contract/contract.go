// Package contract holds the local JSM site (internal/jsmsite) to
// Atlassian's published OpenAPI documents: every request the site receives
// and every answer it gives is validated against them, so that the site and
// the client cannot agree on a shape Atlassian's API does not have.
//
// The documents are trimmed copies of Atlassian's (testdata/, made by
// ./trim; the source and date are in each one's info.x-trimmed). The
// validation uses github.com/getkin/kin-openapi's openapi3filter: it is
// maintained and widely used, validates requests and responses alike
// (ValidateRequest, ValidateResponse) with errors that carry the schema
// path of the offending field, and needs no router of its own here: the
// site's route name already names the operation.
//
// Operations the documents lack are listed once, in Undocumented, with the
// source of the shape the site assumes; they are not validated. A request
// to any other path the documents lack is a violation.
package contract

import (
	"bufio"
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

//go:embed testdata/jsm-servicedeskapi.json testdata/jira-platform-users.json
var documents embed.FS

// Documents are the vendored documents' file names.
var Documents = []string{"testdata/jsm-servicedeskapi.json", "testdata/jira-platform-users.json"}

// An UndocumentedOperation is served by the site but absent from the
// vendored documents. Route is a site route name (see jsmsite.Site.Routes),
// or a prefix of one ending in "/" (every method and path under it).
type UndocumentedOperation struct {
	Route  string
	Source string // where the shape the site assumes comes from
}

// Undocumented lists every operation the site serves that the documents do
// not describe. Nothing else escapes validation.
var Undocumented = []UndocumentedOperation{
	{"GET /rest/api/2/user", "the platform API v2, which UserDTO._links.jiraRest and self point at: the same User as GET /rest/api/3/user"},
	{"PUT /rest/servicedeskapi/customer/user/{accountId}/revoke-portal-only-access", "newer than the published JSM spec; Atlassian's own client libraries document it: 204, no body"},
	{jsmsite.TokenPath, "Atlassian's OAuth 2.0 token endpoint (https://auth.atlassian.com/oauth/token), which no REST API document covers: " +
		"the client-credentials grant of service accounts as Atlassian's support article \"Create OAuth 2.0 credential for service accounts\" " +
		"describes it, in the standard form encoding of RFC 6749 section 4.4; the answer {access_token, token_type, expires_in, scope}"},
	{"GET /_edge/tenant_info", "the site's tenant information, not part of any REST API spec: {\"cloudId\": \"...\"}, as Atlassian's developer documentation on the cloud ID shows"},
	{"GET " + jsmsite.CSMPrefix + "/", "the Customer Service Management REST API (developer.atlassian.com/cloud/customer-service-management/rest/v1), whose OpenAPI document Atlassian does not publish: shapes from its reference pages"},
	{"POST " + jsmsite.CSMPrefix + "/", "as above"},
	{"PUT " + jsmsite.CSMPrefix + "/", "as above"},
	{"DELETE " + jsmsite.CSMPrefix + "/", "as above"},
	{"GET " + jsmsite.CSMPrefix + "/customer/account/{customerId}", "Atlassian's CSM API reference (api-group-customer) and its " +
		"\"Supported customer IDs\" page: customer accounts only; answer assumed {id, email, displayName} (not documented)"},
	{"PUT " + jsmsite.CSMPrefix + "/customer/account/{customerId}", "Atlassian's CSM API reference (api-group-customer): updates the " +
		"display name only; body {displayName} and answer {id, email, displayName} assumed (not documented)"},
	{"DELETE " + jsmsite.CSMPrefix + "/customer/account/{customerId}", "Atlassian's CSM API reference (api-group-customer): deletes " +
		"the customer account, which cannot be restored; 204 assumed"},
	{"PUT " + jsmsite.CSMPrefix + "/organization/{organizationId}", "Atlassian's CSM API reference (api-group-organization): updates " +
		"the name only; body {name} and answer {id, name} assumed (not documented)"},
	{"GET /__site/", "the local site's own out-of-band operations (what an admin does in Atlassian's UI); no real site has them"},
	{"POST /__site/", "as above"},
	{"PUT /__site/", "as above"},
	{"PATCH /__site/", "as above"},
	{"DELETE /__site/", "as above"},
}

func undocumented(route string) bool {
	for _, u := range Undocumented {
		if route == u.Route || strings.HasSuffix(u.Route, "/") && strings.HasPrefix(route, u.Route) {
			return true
		}
	}
	return false
}

// An Operation of the documents.
type Operation struct {
	Method, Path string // as in the document
	ID           string // operationId
	Op           *openapi3.Operation
	doc          *openapi3.T
	item         *openapi3.PathItem
}

// Name is "METHOD /path (operationId)".
func (o *Operation) Name() string { return o.Method + " " + o.Path + " (" + o.ID + ")" }

var (
	loadOnce sync.Once
	loadErr  error
	ops      map[string]*Operation // by key(method, path)
)

var placeholder = regexp.MustCompile(`\{[^}]*\}`)

func key(method, path string) string {
	return strings.ToUpper(method) + " " + placeholder.ReplaceAllString(path, "{}")
}

func load() (map[string]*Operation, error) {
	loadOnce.Do(func() {
		ops = map[string]*Operation{}
		for _, name := range Documents {
			data, err := documents.ReadFile(name)
			if err != nil {
				loadErr = err
				return
			}
			doc, err := openapi3.NewLoader().LoadFromData(data)
			if err == nil {
				err = validDocument(doc)
			}
			if err != nil {
				loadErr = fmt.Errorf("contract: %s: %w", name, err)
				return
			}
			for path, item := range doc.Paths.Map() {
				for method, op := range item.Operations() {
					ops[key(method, path)] = &Operation{Method: method, Path: path, ID: op.OperationID, Op: op, doc: doc, item: item}
				}
			}
		}
	})
	return ops, loadErr
}

// validDocument validates doc, but for one flaw of Atlassian's own: two
// operations share an operationId (getOrganizations), which the site does
// not care about.
func validDocument(doc *openapi3.T) error {
	err := doc.Validate(openapi3.WithValidationOptions(context.Background(), openapi3.EnableMultiError()))
	var multi openapi3.MultiError
	if !errors.As(err, &multi) {
		return err
	}
	var left openapi3.MultiError
	for _, e := range multi {
		if !strings.Contains(e.Error(), "have the same operation id") {
			left = append(left, e)
		}
	}
	if len(left) == 0 {
		return nil
	}
	return left
}

// Operations lists the documents' operations, sorted by path and method.
func Operations() ([]*Operation, error) {
	m, err := load()
	if err != nil {
		return nil, err
	}
	out := make([]*Operation, 0, len(m))
	for _, o := range m {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Path+" "+out[i].Method < out[j].Path+" "+out[j].Method
	})
	return out, nil
}

// Find is the documented operation of method and path (a pattern with
// {variables}, whatever their names), or nil.
func Find(method, path string) *Operation {
	m, _ := load()
	return m[key(method, path)]
}

// Scopes are an operation's OAuth 2.0 scopes: Classic from its security
// requirement, Granular from x-atlassian-oauth2-scopes (the "Beta" entry,
// as Atlassian labels granular scopes).
func (o *Operation) Scopes() (classic, granular []string) {
	if o.Op.Security != nil {
		for _, req := range *o.Op.Security {
			classic = append(classic, req["OAuth2"]...)
		}
	}
	if xs, ok := o.Op.Extensions["x-atlassian-oauth2-scopes"].([]any); ok {
		for _, x := range xs {
			e, _ := x.(map[string]any)
			if e["state"] != "Beta" {
				continue
			}
			list, _ := e["scopes"].([]any)
			for _, s := range list {
				if str, ok := s.(string); ok {
					granular = append(granular, str)
				}
			}
		}
	}
	return classic, granular
}

// A Violation is a request or answer the documents forbid.
type Violation struct {
	Operation string // "METHOD /path (operationId)", or the request's method and path when no operation matches
	Side      string // "request" or "answer NNN"
	Field     string // the offending parameter or body field, "" when the whole message is at fault
	Reason    string
}

func (v Violation) String() string {
	s := v.Operation + ": " + v.Side
	if v.Field != "" {
		s += ": field " + v.Field
	}
	return s + ": " + v.Reason
}

// Validator validates what passes through its Middleware and records the
// violations. It is safe for concurrent use.
type Validator struct {
	mu         sync.Mutex
	violations []Violation
	emailShown func(accountID string) bool // see Attach
}

// New loads the documents (once per process) and returns a validator.
func New() (*Validator, error) {
	if _, err := load(); err != nil {
		return nil, err
	}
	return &Validator{}, nil
}

// Take returns the violations recorded so far and forgets them: for a test
// that provokes one on purpose.
func (v *Validator) Take() []Violation {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := v.violations
	v.violations = nil
	return out
}

// Violations returns the violations recorded so far.
func (v *Validator) Violations() []Violation {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]Violation(nil), v.violations...)
}

func (v *Validator) record(vs ...Violation) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.violations = append(v.violations, vs...)
}

var options = &openapi3filter.Options{
	MultiError: true,
	// The site checks credentials itself; the documents' security
	// requirements (OAuth2, basic) are not the validator's business.
	AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
	SkipSettingDefaults: true,
	// A body sent to an operation that takes none is a violation too.
	RejectWhenRequestBodyNotSpecified: true,
	// An answer whose status the operation does not document is a
	// violation, except those Atlassian says any operation may give
	// (anyStatus).
	IncludeResponseStatus: true,
}

// anyStatus: statuses any operation may answer, documented or not, in
// any shape (often an HTML page): Atlassian's rate limiting, and the
// gateway statuses of an outage.
func anyStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// Middleware is a jsmsite.Middleware. Added with Site.Use after the site's
// fault injectors, it sits inside them: answers the injectors make up never
// reach it, and answers the site marks as deliberate departures
// (jsmsite.WithFaultMark) are not validated.
func (v *Validator) Middleware(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		needs := Needed[route]
		if undocumented(route) {
			if len(needs) == 0 {
				next.ServeHTTP(w, r)
				return
			}
			// No document, but the client's needs still hold.
			r, faulted := jsmsite.WithFaultMark(r)
			rec := &recorder{ResponseWriter: w}
			next.ServeHTTP(rec, r)
			v.checkNeeds(route, needs, rec, faulted())
			return
		}
		var op *Operation
		if route != jsmsite.RouteNotFound {
			if m, p, ok := strings.Cut(route, " "); ok {
				op = Find(m, p)
			}
		}
		if op == nil {
			if route == jsmsite.RouteNotFound && undocumented(r.Method+" "+r.URL.Path) {
				next.ServeHTTP(w, r)
				return
			}
			v.record(Violation{Operation: r.Method + " " + r.URL.Path, Side: "request",
				Reason: "no operation of Atlassian's documents matches it, and contract.Undocumented does not list it"})
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			next.ServeHTTP(w, r)
			return
		}
		_ = r.Body.Close()
		in := &openapi3filter.RequestValidationInput{
			Request:    r.Clone(r.Context()),
			PathParams: pathParams(route, op.Path, r),
			Route: &routers.Route{Spec: op.doc, Path: op.Path, PathItem: op.item,
				Method: op.Method, Operation: op.Op},
			Options: options,
		}
		in.Request.Body = io.NopCloser(bytes.NewReader(body))
		if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
			v.record(violations(op, "request", err)...)
		}
		v.record(unknownQuery(op, r)...)
		r.Body = io.NopCloser(bytes.NewReader(body))
		r, faulted := jsmsite.WithFaultMark(r)
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		if faulted() || rec.hijacked || anyStatus(status) {
			return // a deliberate fault, a dropped connection, an outage
		}
		in.Request.Body = io.NopCloser(bytes.NewReader(body))
		out := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in, Status: status, Header: w.Header(),
			Body: io.NopCloser(bytes.NewReader(rec.body.Bytes())), Options: options,
		}
		if err := openapi3filter.ValidateResponse(r.Context(), out); err != nil {
			v.record(violations(op, fmt.Sprintf("answer %d", status), err)...)
		}
		v.checkNeeds(op.Name(), needs, rec, false)
		v.checkSearchCap(op, r, rec)
	})
}

// unknownQuery: a query parameter the operation does not declare is a
// violation, as a real site ignores it (openapi3filter lets it pass).
func unknownQuery(op *Operation, r *http.Request) []Violation {
	declared := map[string]bool{}
	for _, params := range []openapi3.Parameters{op.item.Parameters, op.Op.Parameters} {
		for _, p := range params {
			if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
				declared[p.Value.Name] = true
			}
		}
	}
	var out []Violation
	names := make([]string, 0, len(r.URL.Query()))
	for name := range r.URL.Query() {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !declared[name] {
			out = append(out, Violation{Operation: op.Name(), Side: "request", Field: "query parameter " + name,
				Reason: "the operation has no such parameter: a real site ignores it"})
		}
	}
	return out
}

// pathParams maps the document's path variables to the values of the
// site's route variables in the same positions.
func pathParams(route, docPath string, r *http.Request) map[string]string {
	_, pattern, _ := strings.Cut(route, " ")
	rs, ds := strings.Split(pattern, "/"), strings.Split(docPath, "/")
	params := map[string]string{}
	for i := range min(len(rs), len(ds)) {
		if strings.HasPrefix(ds[i], "{") && strings.HasPrefix(rs[i], "{") {
			params[strings.Trim(ds[i], "{}")] = r.PathValue(strings.Trim(rs[i], "{}."))
		}
	}
	return params
}

// violations flattens err into violations naming the field at fault.
func violations(op *Operation, side string, err error) []Violation {
	var multi openapi3.MultiError
	if errors.As(err, &multi) && len(multi) > 0 {
		var out []Violation
		for _, e := range multi {
			out = append(out, violations(op, side, e)...)
		}
		return out
	}
	v := Violation{Operation: op.Name(), Side: side, Reason: err.Error()}
	var reqErr *openapi3filter.RequestError
	if errors.As(err, &reqErr) && reqErr.Parameter != nil {
		v.Field = reqErr.Parameter.In + " parameter " + reqErr.Parameter.Name
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		field := strings.Join(se.JSONPointer(), ".")
		if m := propertyName.FindStringSubmatch(se.Reason); m != nil && !strings.HasSuffix("."+field, "."+m[1]) {
			// An unsupported property is named in the reason only.
			field = strings.TrimPrefix(field+"."+m[1], ".")
		}
		if v.Field == "" {
			v.Field = field
		}
		v.Reason = se.Reason
	}
	if v.Field == "" && reqErr != nil && (reqErr.RequestBody != nil || strings.Contains(reqErr.Error(), "request body")) {
		v.Field = "(request body)"
	}
	return []Violation{v}
}

var propertyName = regexp.MustCompile(`^property "([^"]+)" is (?:missing|unsupported)`)

// recorder passes an answer on and keeps a copy of its status and body.
type recorder struct {
	http.ResponseWriter
	status   int
	body     bytes.Buffer
	hijacked bool // the connection was taken over (dropped): no answer
}

func (w *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.hijacked = true
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.body.Len() < 16<<20 {
		w.body.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Attach validates what site serves from now on (site.Use), and lets the
// validator ask the site whose email it shows: only those answers need an
// emailAddress (Needed).
func (v *Validator) Attach(site *jsmsite.Site) {
	v.emailShown = emailShownBy(site)
	site.Use(v.Middleware)
}

// TB is the part of testing.TB that Enable uses.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Cleanup(func())
}

// Enable validates everything site serves from now on against the
// documents, and fails t, when it ends, with every violation seen.
func Enable(t TB, site *jsmsite.Site) *Validator {
	t.Helper()
	v, err := New()
	if err != nil {
		t.Errorf("contract: %v", err)
		return nil
	}
	v.Attach(site)
	t.Cleanup(func() {
		for _, viol := range v.Violations() {
			t.Errorf("contract: the local site broke Atlassian's documents: %s", viol)
		}
	})
	return v
}
