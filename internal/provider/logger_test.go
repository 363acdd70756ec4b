package provider

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// Long waits reach Terraform's log at WARN, with the secrets masked as in
// the other levels.
func TestTFLoggerWarn(t *testing.T) {
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	l := newTFLogger("me@example.com", "tok-secret-1234", "")
	l.Warn(ctx, "waiting 47m0s before retrying (jira-quota-tenant-based) tok-secret-1234",
		map[string]any{"wait_ms": int64(2820000), "echo": "tok-secret-1234"})
	lines, err := tflogtest.MultilineJSONDecode(&buf)
	if err != nil || len(lines) != 1 {
		t.Fatalf("%d lines, %v: %s", len(lines), err, buf.String())
	}
	got := fmt.Sprint(lines[0])
	if lines[0]["@level"] != "warn" || !strings.Contains(got, "jira-quota-tenant-based") || strings.Contains(got, "tok-secret-1234") {
		t.Errorf("logged %s", got)
	}
}

// When Terraform would drop the provider's logs (serve.Run sets
// TF_LOG_PROVIDER_JSM=off unless TF_LOG or a provider level asks for
// them), the client gets no logger and builds no request log; with any
// other level it gets one.
func TestClientLoggerFollowsProviderLogLevel(t *testing.T) {
	for level, want := range map[string]bool{"off": false, " OFF": false, "": true, "trace": true, "debug": true} {
		t.Setenv("TF_LOG_PROVIDER_JSM", level)
		var cfg jsm.Config
		transportSettings{}.apply(&cfg)
		if got := cfg.Logger != nil; got != want {
			t.Errorf("TF_LOG_PROVIDER_JSM=%q: client logger set %v, want %v", level, got, want)
		}
	}
}
