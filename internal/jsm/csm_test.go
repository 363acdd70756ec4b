package jsm

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// csmRecorder answers tenant_info with a cloud ID and every CSM call with
// status, recording the paths.
type csmRecorder struct {
	recorder
	status int
}

func (rec *csmRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec.mu.Lock()
	rec.seen = append(rec.seen, r.Method+" "+r.URL.EscapedPath()+" "+r.Header.Get("X-ExperimentalApi"))
	rec.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == "/_edge/tenant_info" {
		_, _ = w.Write([]byte(`{"cloudId":"c0ffee00-0000-4000-8000-000000000001"}`))
		return
	}
	if rec.status != 0 {
		w.WriteHeader(rec.status)
		_, _ = w.Write([]byte(`{"errorMessage":"nope"}`))
		return
	}
	_, _ = w.Write([]byte(`{"results":[]}`))
}

func (rec *csmRecorder) paths() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]string(nil), rec.seen...)
}

// The cloud ID is read once from tenant_info, on the first CSM call only.
func TestCSM_discoversTheCloudIDOnce(t *testing.T) {
	rec := &csmRecorder{}
	srv := rtServe(t, rec).URL
	c, _ := newRetryClient(t, srv, Config{NoRetries: true, CSMURL: srv + csmPrefix})
	if len(rec.paths()) != 0 || c.CloudID() != "" {
		t.Fatalf("New made requests or knew the cloud ID: %v", rec.paths())
	}
	for range 2 {
		if _, err := c.ListDetailFields(context.Background(), CustomerDetails); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"GET /_edge/tenant_info ",
		"GET /jsm/csm/cloudid/c0ffee00-0000-4000-8000-000000000001/api/v1/customer/details opt-in",
		"GET /jsm/csm/cloudid/c0ffee00-0000-4000-8000-000000000001/api/v1/customer/details opt-in"}
	if got := rec.paths(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("requests = %q, want %q", got, want)
	}
}

// The gateway form of the URL names the cloud ID: no discovery.
func TestCSM_cloudIDFromTheGatewayURL(t *testing.T) {
	rec := &csmRecorder{}
	srv := rtServe(t, rec).URL
	c, _ := newRetryClient(t, srv+"/ex/jira/abc-123", Config{NoRetries: true, CSMURL: srv + csmPrefix})
	if _, err := c.ListDetailFields(context.Background(), OrganizationDetails); err != nil {
		t.Fatal(err)
	}
	if got := rec.paths(); len(got) != 1 || got[0] != "GET /jsm/csm/cloudid/abc-123/api/v1/organization/details opt-in" {
		t.Errorf("requests = %q", got)
	}
	if _, err := New(Config{BaseURL: srv + "/ex/jira/abc-123", CloudID: "other", Email: tEmail, APIToken: tToken}); err == nil ||
		!strings.Contains(err.Error(), "differs") {
		t.Errorf("a cloud ID other than the gateway URL's: %v", err)
	}
}

// 401, 403 and 404 from the CSM API say what they most likely mean.
func TestCSM_errorsSayWhatIsNeeded(t *testing.T) {
	for status, want := range map[int][]string{
		401: {"scoped API token", "sent basic auth (email and api_token): a classic (unscoped) API token", "OAuth 2.0 access token (access_token)",
			"read:customer.detail-field:jira-service-management"},
		403: {"plan lacks the Customer and organization profiles feature", "Administer Jira"},
		404: {"not enabled", "Project settings → Features", "Premium"},
	} {
		rec := &csmRecorder{status: status}
		srv := rtServe(t, rec).URL
		c, _ := newRetryClient(t, srv, Config{NoRetries: true, CSMURL: srv + "/csm", CloudID: "x1"})
		_, err := c.ListDetailFields(context.Background(), CustomerDetails)
		for _, w := range want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%d: error lacks %q: %v", status, w, err)
			}
		}
	}
}

// A failed discovery is ErrNoCloudID, which the provider turns into the
// setting that avoids it, and says where the cloud ID is shown.
func TestCSM_failedDiscoveryIsErrNoCloudID(t *testing.T) {
	f := &fakeAPI{status: 404, body: `{}`}
	c := newTestClient(t, f, Config{NoRetries: true})
	_, err := c.ListProducts(context.Background())
	if !errors.Is(err, ErrNoCloudID) || !strings.Contains(err.Error(), "/_edge/tenant_info") {
		t.Errorf("error = %v", err)
	}
}

// The CSM API's error body carries errors as a list of codes: its message
// still reaches the user.
func TestCSM_errorBodyWithAListOfCodes(t *testing.T) {
	e := decodeError("PUT", "/x", 400, []byte(`{"errorMessage":"Invalid detail field \"R\".","errors":["BAD_REQUEST"],"statusCode":400}`), masker{})
	if len(e.Messages) != 1 || e.Messages[0] != `Invalid detail field "R".` || e.Excerpt != "" {
		t.Errorf("decoded %+v", e)
	}
}

// The owner's entitlement listing takes the shapes it may have (its answer
// is not documented), and answers anything else with an error, never with
// an empty list that a caller would take for "gone".
func TestCSM_listEntitlementsShapes(t *testing.T) {
	ent := `{"id":"e1","productId":"p1","entityType":"ORGANIZATION","entityId":"7"}`
	for body, want := range map[string]string{
		`[` + ent + `]`:                    "e1",
		`{"results":[` + ent + `]}`:        "e1",
		`{"values":[` + ent + `]}`:         "e1",
		`{"results":[]}`:                   "",
		`{"entitlements":[` + ent + `]}`:   "error",
		`{"results":[{"productId":"p1"}]}`: "error",
	} {
		srv := rtServe(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if r.URL.Path != "/csm/organization/7/entitlement" || r.URL.Query().Get("product") != "p1" {
				t.Errorf("request %s", r.URL)
			}
			_, _ = w.Write([]byte(body))
		})).URL
		c, _ := newRetryClient(t, srv, Config{NoRetries: true, CSMURL: srv + "/csm", CloudID: "x1"})
		got, err := c.ListEntitlements(context.Background(), EntitlementOfOrganization, "7", "p1")
		switch {
		case want == "error" && err == nil:
			t.Errorf("%s: no error, %+v", body, got)
		case want != "error" && err != nil:
			t.Errorf("%s: %v", body, err)
		case want == "e1" && (len(got) != 1 || got[0].ID != "e1" || got[0].ProductID != "p1" || got[0].OwnerType != EntitlementOfOrganization):
			t.Errorf("%s: %+v", body, got)
		case want == "" && len(got) != 0:
			t.Errorf("%s: %+v", body, got)
		}
	}
}

// A create whose attempt may have been applied (a 503) is not retried
// blindly: the owner's listing is asked, and the create is sent again only
// when the listing shows no entitlement to the product.
func TestCSM_createEntitlementLooksBeforeSendingAgain(t *testing.T) {
	for _, applied := range []bool{false, true} {
		var posts, lists int
		srv := rtServe(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			switch r.Method {
			case http.MethodPost:
				posts++
				if posts == 1 {
					w.WriteHeader(http.StatusServiceUnavailable)
					return
				}
				_, _ = w.Write([]byte(`{"id":"e2","productId":"p1"}`))
			default:
				lists++
				if applied {
					_, _ = w.Write([]byte(`{"results":[{"id":"e1","productId":"p1"}]}`))
					return
				}
				_, _ = w.Write([]byte(`{"results":[]}`))
			}
		})).URL
		c, _ := newRetryClient(t, srv, Config{CSMURL: srv + "/csm", CloudID: "x1"})
		e, err := c.CreateEntitlement(context.Background(), EntitlementOfOrganization, "7", "p1")
		want, wantPosts := "e2", 2
		if applied {
			want, wantPosts = "e1", 1
		}
		if err != nil || e.ID != want || posts != wantPosts || lists != 1 {
			t.Errorf("applied %v: %+v, %v after %d creates and %d listings; want %s after %d creates", applied, e, err, posts, lists, want, wantPosts)
		}
	}
}
