package jsm

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestDecodeError(t *testing.T) {
	for name, tc := range map[string]struct {
		status   int
		body     string
		messages []string
		excerpt  string
		contains []string
	}{
		"jsm shape": {
			status: 400, body: `{"errorMessage":"The email address 'x' is invalid.","i18nErrorMessage":{"i18nKey":"k","parameters":[]}}`,
			messages: []string{"The email address 'x' is invalid."},
		},
		"platform shape": {
			status: 404, body: `{"errorMessages":["User does not exist."],"errors":{"b":"two","a":"one"},"status":404}`,
			messages: []string{"User does not exist.", "a: one", "b: two"},
		},
		"empty body": {status: 500, body: "", contains: []string{"HTTP 500", "(empty body)"}},
		"html page": {
			status: 502, body: "<html>\n<body>  Bad   gateway </body></html>",
			excerpt: "<html> <body> Bad gateway </body></html>", contains: []string{"HTTP 502", "Bad gateway"},
		},
		"truncated json":        {status: 503, body: `{"errorMessage": "down for`, excerpt: `{"errorMessage": "down for`},
		"json without messages": {status: 500, body: `{"foo":1}`, excerpt: `{"foo":1}`},
		"401 hint":              {status: 401, body: "", contains: []string{"credentials were refused", "api.atlassian.com/ex/jira"}},
		"403 hint":              {status: 403, body: "", contains: []string{"Jira Administrator", "manage:servicedesk-customer"}},
		"gateway":               {status: 401, body: `{"code":401,"message":"Unauthorized; scope does not match"}`, messages: []string{"Unauthorized; scope does not match"}},
	} {
		t.Run(name, func(t *testing.T) {
			e := decodeError("POST", "/rest/x", tc.status, []byte(tc.body), masker{})
			if e.StatusCode != tc.status {
				t.Errorf("status %d", e.StatusCode)
			}
			if fmt.Sprint(e.Messages) != fmt.Sprint(tc.messages) {
				t.Errorf("messages %q, want %q", e.Messages, tc.messages)
			}
			if e.Excerpt != tc.excerpt {
				t.Errorf("excerpt %q, want %q", e.Excerpt, tc.excerpt)
			}
			for _, c := range tc.contains {
				if !strings.Contains(e.Error(), c) {
					t.Errorf("%q does not contain %q", e.Error(), c)
				}
			}
		})
	}
}

func TestExcerptIsShortAndValidUTF8(t *testing.T) {
	long := strings.Repeat("é", 500)
	got := masker{}.clean(long, excerptLimit)
	if len(got) > excerptLimit+len("…") {
		t.Errorf("excerpt of %d bytes", len(got))
	}
	if !strings.HasSuffix(got, "…") || strings.ContainsRune(got, '\uFFFD') {
		t.Errorf("bad cut: %q", got[len(got)-8:])
	}
}

func TestErrorPredicates(t *testing.T) {
	nf := fmt.Errorf("wrapped: %w", &Error{StatusCode: 404})
	if !IsNotFound(nf) || IsConflict(nf) || StatusCode(nf) != 404 {
		t.Error("404 misclassified")
	}
	if !IsConflict(&Error{StatusCode: 409}) || IsNotFound(&Error{StatusCode: 409}) {
		t.Error("409 misclassified")
	}
	if StatusCode(errors.New("x")) != 0 || IsNotFound(errors.New("x")) {
		t.Error("plain error misclassified")
	}
}

// Only the API's own 404 says an object is gone: a proxy's page, or a
// server that is not the site, says nothing of it.
func TestNotFoundNeedsTheAPIsAnswer(t *testing.T) {
	for name, tc := range map[string]struct {
		body     string
		notFound bool
	}{
		"platform error":   {`{"errorMessages":["Specified user does not exist"],"errors":{}}`, true},
		"jsm error":        {`{"errorMessage":"Organization 7 does not exist.","i18nErrorMessage":{"i18nKey":"k","parameters":[]}}`, true},
		"gateway error":    {`{"message":"Not Found"}`, true},
		"empty body":       {``, true},
		"proxy html page":  {`<html><body><h1>404 Not Found</h1>nginx</body></html>`, false},
		"plain text":       {`404 page not found`, false},
		"json of no error": {`{"status":"down"}`, false},
	} {
		t.Run(name, func(t *testing.T) {
			err := decodeError("GET", "/rest/api/3/user", 404, []byte(tc.body), masker{})
			if got := IsNotFound(err); got != tc.notFound {
				t.Errorf("IsNotFound = %v, want %v (%v)", got, tc.notFound, err)
			}
			if StatusCode(err) != 404 {
				t.Errorf("status %d", StatusCode(err))
			}
			if !tc.notFound && !strings.Contains(err.Error(), "not taken to mean that the object is gone") {
				t.Errorf("error does not say why the 404 is not believed: %v", err)
			}
		})
	}
}

// A 401, or the token endpoint refusing client credentials, is a refused
// credential; a 403 or a 500 is not.
func TestIsCredentialRefused(t *testing.T) {
	if !IsCredentialRefused(&Error{StatusCode: 401}) || !IsCredentialRefused(fmt.Errorf("getting a token: %w", ErrTokenRefused)) {
		t.Error("a refused credential not recognised")
	}
	if IsCredentialRefused(&Error{StatusCode: 403}) || IsCredentialRefused(&Error{StatusCode: 500}) || IsCredentialRefused(nil) {
		t.Error("a 403, a 500 or no error taken for a refused credential")
	}
}
