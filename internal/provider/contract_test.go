package provider

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every local site the provider's tests build is held to Atlassian's
// documents: each jsmsite.New is followed by contract.Enable.
func TestContract_enabledWhereverASiteIsBuilt(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	newSite, enable := regexp.MustCompile(`jsmsite\.New\(`), regexp.MustCompile(`contract\.Enable\(`)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if n, m := len(newSite.FindAllIndex(src, -1)), len(enable.FindAllIndex(src, -1)); n != m {
			t.Errorf("%s builds %d local sites but enables contract validation %d times", f, n, m)
		}
	}
}

// The validation newTestSite switches on catches a local site answering a
// shape Atlassian's documents forbid, and names the operation and field.
func TestAccContract_catchesAForbiddenAnswer(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	site.Use(func(route string, next http.Handler) http.Handler {
		if route != "GET /rest/api/3/user" {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			// Every field the client needs is there (contract.Needed); one has the wrong type.
			_, _ = io.WriteString(w, `{"accountId": 42, "accountType": "customer", "active": true, "displayName": "X", `+
				`"self": "https://example.atlassian.net/rest/api/3/user?accountId=42"}`)
		})
	})
	_, _ = s.client.GetUser(context.Background(), "qm:someone")
	got := s.contract.Take() // taken, so that this test itself passes
	if len(got) != 1 {
		t.Fatalf("want one violation, got %v", got)
	}
	if msg := got[0].String(); !strings.Contains(msg, "GET /rest/api/3/user (getUser)") || got[0].Field != "accountId" {
		t.Errorf("the violation names neither the operation nor the field: %s", msg)
	}
}
