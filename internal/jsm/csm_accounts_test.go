package jsm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// accountServer answers the CSM account and organization operations with a
// fixed status and body, recording each request's method, path, header and
// body. JSM's reads of the account and the organization answer the name
// the last successful rename asked for (or "Old"), unless dropRenames.
type accountServer struct {
	mu          sync.Mutex
	status      int
	body        string
	dropRenames bool
	readFails   bool
	name        string
	seen        []string
}

func (s *accountServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == "/_edge/tenant_info" {
		_, _ = w.Write([]byte(`{"cloudId":"c1"}`))
		return
	}
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.seen = append(s.seen, r.Method+" "+r.URL.EscapedPath()+" "+r.Header.Get("X-ExperimentalApi")+" "+string(b))
	status, body, name, readFails := s.status, s.body, s.name, s.readFails
	if name == "" {
		name = "Old"
	}
	if status == 0 {
		status = http.StatusOK
	}
	if r.Method == http.MethodPut && status < 300 && !s.dropRenames {
		var asked struct{ DisplayName, Name string }
		_ = json.Unmarshal(b, &asked)
		s.name = asked.DisplayName + asked.Name
	}
	s.mu.Unlock()
	isRead := r.URL.Path == "/rest/api/3/user" || strings.HasPrefix(r.URL.Path, "/rest/servicedeskapi/organization/")
	switch {
	case isRead && readFails:
		w.WriteHeader(http.StatusInternalServerError)
		return
	case r.URL.Path == "/rest/api/3/user":
		_ = json.NewEncoder(w).Encode(map[string]any{"accountId": r.URL.Query().Get("accountId"),
			"accountType": "customer", "displayName": name, "active": true})
		return
	case strings.HasPrefix(r.URL.Path, "/rest/servicedeskapi/organization/"):
		_ = json.NewEncoder(w).Encode(map[string]any{"id": strings.TrimPrefix(r.URL.Path, "/rest/servicedeskapi/organization/"),
			"name": name})
		return
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func newAccountClient(t *testing.T, s *accountServer) *Client {
	t.Helper()
	srv := rtServe(t, s).URL
	c, _ := newRetryClient(t, srv, Config{NoRetries: true, CSMURL: srv + csmPrefix})
	return c
}

// The requests are the assumed shapes, with the experimental header, and a
// customer ID's colons travel escaped once.
func TestAccounts_requests(t *testing.T) {
	ctx := context.Background()
	s := &accountServer{body: `{"id":"qm:1:a","email":"a@example.com","displayName":"New"}`}
	c := newAccountClient(t, s)
	a, err := c.RenameCustomerAccount(ctx, "qm:1:a", "New")
	if err != nil || a.DisplayName != "New" {
		t.Fatalf("rename = %+v, %v", a, err)
	}
	if _, err := c.CustomerAccount(ctx, "qm:1:a"); err != nil {
		t.Fatal(err)
	}
	s.body = ""
	s.status = http.StatusNoContent
	if err := c.DeleteCustomerAccount(ctx, "qm:1:a"); err != nil {
		t.Fatal(err)
	}
	s.status, s.body = http.StatusOK, `{"id":"7","name":"Acme"}`
	if err := c.RenameOrganization(ctx, "7", "Acme"); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`PUT /jsm/csm/cloudid/c1/api/v1/customer/account/qm:1:a opt-in {"displayName":"New"}`,
		`GET /rest/api/3/user  `,
		`GET /jsm/csm/cloudid/c1/api/v1/customer/account/qm:1:a opt-in `,
		`DELETE /jsm/csm/cloudid/c1/api/v1/customer/account/qm:1:a opt-in `,
		`PUT /jsm/csm/cloudid/c1/api/v1/organization/7 opt-in {"name":"Acme"}`,
		`GET /rest/servicedeskapi/organization/7  `,
	}
	if strings.Join(s.seen, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(s.seen, "\n"), strings.Join(want, "\n"))
	}
}

// A rename answered success whose read-back fails may have happened, and
// the error says the site answered success.
func TestAccounts_renameReadBackFails(t *testing.T) {
	ctx := context.Background()
	c := newAccountClient(t, &accountServer{status: http.StatusNoContent, readFails: true})
	_, errAccount := c.RenameCustomerAccount(ctx, "qm:1:a", "New")
	errOrg := c.RenameOrganization(ctx, "7", "New")
	for what, err := range map[string]error{"customer": errAccount, "organization": errOrg} {
		if !MayHaveApplied(err) || !strings.Contains(fmt.Sprint(err), "answered success, but reading the") {
			t.Errorf("%s: %v", what, err)
		}
	}
}

// Any 2xx to a rename is settled by JSM's read, whatever its body: a 204
// without one, a numeric ID, a wrapped object, another account's answer.
func TestAccounts_renameTrustsTheRead(t *testing.T) {
	ctx := context.Background()
	for name, answer := range map[string]struct {
		status int
		body   string
	}{
		"204 without body": {http.StatusNoContent, ""},
		"numeric id":       {http.StatusOK, `{"id":7,"name":"New"}`},
		"wrapped":          {http.StatusOK, `{"result":{"id":"7","name":"New"},"status":"UPDATED"}`},
		"empty 200":        {http.StatusOK, ""},
		"a JSON string":    {http.StatusOK, `"UPDATED"`},
	} {
		t.Run(name, func(t *testing.T) {
			s := &accountServer{status: answer.status, body: answer.body}
			c := newAccountClient(t, s)
			a, err := c.RenameCustomerAccount(ctx, "qm:1:a", "New")
			if err != nil || a.ID != "qm:1:a" || a.DisplayName != "New" {
				t.Errorf("customer rename = %+v, %v", a, err)
			}
			if err := c.RenameOrganization(ctx, "7", "New"); err != nil {
				t.Errorf("organization rename: %v", err)
			}
		})
	}
}

// A 2xx to a rename after which JSM still shows the old name is an error
// that says so, and what to do; it is not an answer-shape error.
func TestAccounts_renameSuccessButOldName(t *testing.T) {
	ctx := context.Background()
	s := &accountServer{status: http.StatusNoContent, dropRenames: true}
	c := newAccountClient(t, s)
	_, errAccount := c.RenameCustomerAccount(ctx, "qm:1:a", "New")
	errOrg := c.RenameOrganization(ctx, "7", "New")
	for what, err := range map[string]error{"customer": errAccount, "organization": errOrg} {
		if err == nil || errors.Is(err, ErrAnswerShape) {
			t.Fatalf("%s: err = %v", what, err)
		}
		for _, want := range []string{"answered success", `still shows "Old"`, `"New"`, "plan"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error lacks %q: %v", what, want, err)
			}
		}
	}
}

// 404, 403 and 412 say what the experimental API needs; each counts as the
// API being unavailable.
func TestAccounts_refusals(t *testing.T) {
	ctx := context.Background()
	for status, want := range map[int]string{
		http.StatusNotFound:           "customer account API",
		http.StatusForbidden:          "write:customer:jira-service-management",
		http.StatusPreconditionFailed: "X-ExperimentalApi: opt-in",
	} {
		c := newAccountClient(t, &accountServer{status: status, body: `{"errorMessage":"nope"}`})
		_, err := c.RenameCustomerAccount(ctx, "qm:1:a", "New")
		if !IsAccountAPIUnavailable(err) || !strings.Contains(err.Error(), want) || errors.Is(err, ErrAnswerShape) {
			t.Errorf("%d: %v (want %q)", status, err, want)
		}
	}
	// An organization's 404 speaks of organizations, not of customer accounts.
	c := newAccountClient(t, &accountServer{status: http.StatusNotFound, body: `{"errorMessage":"nope"}`})
	if err := c.RenameOrganization(ctx, "7", "A"); !IsAccountAPIUnavailable(err) ||
		!strings.Contains(err.Error(), "organization is not there") || strings.Contains(err.Error(), "customer account") {
		t.Errorf("organization rename 404: %v", err)
	}
	c = newAccountClient(t, &accountServer{status: http.StatusInternalServerError, body: `{"errorMessage":"boom"}`})
	if err := c.RenameOrganization(ctx, "7", "A"); IsAccountAPIUnavailable(err) || err == nil {
		t.Errorf("500 counted as unavailable: %v", err)
	}
}

// Every assumed answer shape names an operation of the table.
func TestAccounts_assumedShapesNameEndpoints(t *testing.T) {
	for _, s := range AssumedAccountShapes {
		found := false
		for _, e := range Endpoints {
			found = found || e.Method+" "+e.Pattern == s.Operation
		}
		if !found {
			t.Errorf("%s is not an endpoint", s.Operation)
		}
	}
}
