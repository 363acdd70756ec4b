package jsm

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// accountServer answers the CSM account and organization operations with a
// fixed status and body, recording each request's method, path, header and
// body.
type accountServer struct {
	mu     sync.Mutex
	status int
	body   string
	seen   []string
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
	status, body := s.status, s.body
	s.mu.Unlock()
	if status == 0 {
		status = http.StatusOK
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
		`GET /jsm/csm/cloudid/c1/api/v1/customer/account/qm:1:a opt-in `,
		`DELETE /jsm/csm/cloudid/c1/api/v1/customer/account/qm:1:a opt-in `,
		`PUT /jsm/csm/cloudid/c1/api/v1/organization/7 opt-in {"name":"Acme"}`,
	}
	if strings.Join(s.seen, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(s.seen, "\n"), strings.Join(want, "\n"))
	}
}

// A success answer in another shape is an error that says the write may
// have happened, of Kind ErrAnswerShape, and shows what was assumed.
func TestAccounts_answerInAnotherShape(t *testing.T) {
	ctx := context.Background()
	for name, call := range map[string]func(c *Client) error{
		"customer rename, wrapped": func(c *Client) error {
			_, err := c.RenameCustomerAccount(ctx, "qm:1:a", "New")
			return err
		},
		"organization rename, wrapped": func(c *Client) error { return c.RenameOrganization(ctx, "7", "Acme") },
	} {
		t.Run(name, func(t *testing.T) {
			c := newAccountClient(t, &accountServer{body: `{"result":{"id":"7","name":"Acme"},"status":"UPDATED"}`})
			err := call(c)
			if !errors.Is(err, ErrAnswerShape) || !MayHaveApplied(err) {
				t.Fatalf("err = %v, want ErrAnswerShape and MayHaveApplied", err)
			}
			for _, want := range []string{"may have happened", "assumes", "UPDATED", "settles"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q: %v", want, err)
				}
			}
		})
	}
	// The answer of another account, or with another name, is no proof either.
	c := newAccountClient(t, &accountServer{body: `{"id":"qm:2:b","displayName":"New"}`})
	if _, err := c.RenameCustomerAccount(ctx, "qm:1:a", "New"); !errors.Is(err, ErrAnswerShape) {
		t.Errorf("another account's answer: %v", err)
	}
	c = newAccountClient(t, &accountServer{body: `{"id":"qm:1:a","displayName":"Old"}`})
	if _, err := c.RenameCustomerAccount(ctx, "qm:1:a", "New"); !errors.Is(err, ErrAnswerShape) {
		t.Errorf("the old name's answer: %v", err)
	}
	// An empty 200 to a rename is not the account either: it may have happened.
	c = newAccountClient(t, &accountServer{})
	if _, err := c.RenameCustomerAccount(ctx, "qm:1:a", "New"); !MayHaveApplied(err) {
		t.Errorf("empty answer: %v", err)
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
