package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	goversion "github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/jsmtf/terraform-provider-jsm/internal/serve"
)

// queryCLIPath is the Terraform that runs acceptance tests, when it has
// `terraform query` (1.14+); the test skips otherwise.
func queryCLIPath(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("terraform"); err != nil {
			t.Skip("no terraform on PATH")
		}
	}
	out, err := exec.Command(bin, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version: %v", bin, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v", bin, err)
	}
	if goversion.Must(goversion.NewVersion(v.Version)).LessThan(goversion.Must(goversion.NewVersion("1.14.0"))) {
		t.Skipf("Terraform %s has no terraform query (1.14 or newer)", v.Version)
	}
	return bin
}

// terraformCLI runs a Terraform CLI in dir against the provider under test,
// served in this process (as terraform-plugin-testing does), so a test can
// run commands the testing framework does not offer, such as
// `terraform query -generate-config-out`.
type terraformCLI struct {
	t        *testing.T
	bin, dir string
}

// run runs terraform with args; it returns the exit code and the output.
func (c terraformCLI) run(args ...string) (int, string) {
	c.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattachCh, closed := make(chan *plugin.ReattachConfig), make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve("registry.terraform.io/jsmtf/jsm",
			func() tfprotov6.ProviderServer { s, _ := serve.Protocol6(New("test")())(); return s },
			tf6server.WithDebug(ctx, reattachCh, closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithoutLogStderrOverride(),
			tf6server.WithLoggingSink(c.t)) // provider logs only as TF_ACC_LOG_PATH asks, as in other acceptance tests
	}()
	var reattach *plugin.ReattachConfig
	select {
	case reattach = <-reattachCh:
	case err := <-served:
		cancel()
		c.t.Fatalf("serving the provider: %v", err)
	}
	defer func() { cancel(); <-closed }()
	// The form Terraform reads from TF_REATTACH_PROVIDERS.
	type reattachAddr struct{ Network, String string }
	info, _ := json.Marshal(map[string]any{"registry.terraform.io/jsmtf/jsm": struct {
		Protocol        plugin.Protocol
		ProtocolVersion int
		Pid             int
		Test            bool
		Addr            reattachAddr
	}{reattach.Protocol, reattach.ProtocolVersion, reattach.Pid, reattach.Test,
		reattachAddr{reattach.Addr.Network(), reattach.Addr.String()}}})
	cmd := exec.Command(c.bin, args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "TF_REATTACH_PROVIDERS="+string(info), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"TF_CLI_CONFIG_FILE="+filepath.Join(c.dir, "cli.tfrc"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		c.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	return cmd.ProcessState.ExitCode(), out.String()
}

// must runs terraform and fails the test unless it succeeds.
func (c terraformCLI) must(args ...string) string {
	c.t.Helper()
	code, out := c.run(args...)
	if code != 0 {
		c.t.Fatalf("terraform %s exited %d:\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

func (c terraformCLI) write(name, text string) {
	c.t.Helper()
	if err := os.WriteFile(filepath.Join(c.dir, name), []byte(text), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// The whole adoption of an existing site, as the README shows it: `terraform
// query -generate-config-out` writes a resource and an import block for each
// listed customer and organization, `apply` imports them without changing
// the site, and the next plan is empty.
func TestAccQueryGenerateConfig_basic(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	cli := terraformCLI{t: t, bin: queryCLIPath(t), dir: t.TempDir()}
	ctx := context.Background()
	ann := createCustomer(t, s, "Adopted Ann", randomEmail("ann"))
	bob := createCustomer(t, s, "Adopted Bob", randomEmail("bob"))
	if err := s.client.AddServiceDeskCustomers(ctx, closedDeskID, []string{ann.AccountID, bob.AccountID}); err != nil {
		t.Fatal(err)
	}
	org, err := s.client.CreateOrganization(ctx, "Adopted Co")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.client.SetOrganizationProperty(ctx, org.ID, "attributes", json.RawMessage(`{"tier":"gold","contacts":["ops@adopted.example"]}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.client.CreateOrganization(ctx, "Bare Org"); err != nil { // no properties
		t.Fatal(err)
	}

	cli.write("cli.tfrc", "")
	cli.write("main.tf", "terraform {\n  required_providers {\n    jsm = { source = \"jsmtf/jsm\" }\n  }\n}\n"+s.provider())
	cli.write("adopt.tfquery.hcl", listBlock("jsm_customer", "hr", "  include_resource = true\n", fmt.Sprintf("    service_desk_id = %q\n", closedDeskID))+
		listBlock("jsm_organization", "all", "  include_resource = true\n", ""))
	cli.must("init", "-input=false", "-no-color")
	out := cli.must("query", "-generate-config-out=generated.tf", "-no-color")
	for _, want := range []string{"Adopted Ann <" + ann.Email + ">", "Adopted Co", "Bare Org"} {
		if !strings.Contains(out, want) {
			t.Errorf("query output lacks %q:\n%s", want, out)
		}
	}
	generated, err := os.ReadFile(filepath.Join(cli.dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated.tf:\n%s", generated)
	if n := strings.Count(string(generated), "identity = {"); n != 4 {
		t.Fatalf("generated.tf has %d import blocks by identity, want 4:\n%s", n, generated)
	}

	// The plan imports each resource and changes nothing.
	cli.must("plan", "-out=adopt.tfplan", "-input=false", "-no-color")
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions   []string        `json:"actions"`
				Importing json.RawMessage `json:"importing"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(cli.must("show", "-json", "adopt.tfplan")), &plan); err != nil {
		t.Fatal(err)
	}
	if len(plan.ResourceChanges) != 4 {
		t.Fatalf("the plan has %d resource changes, want 4 imports", len(plan.ResourceChanges))
	}
	for _, rc := range plan.ResourceChanges {
		if fmt.Sprint(rc.Change.Actions) != "[no-op]" || len(rc.Change.Importing) == 0 {
			t.Errorf("%s: actions %v, importing %s; want an import without changes\n%s", rc.Address, rc.Change.Actions,
				rc.Change.Importing, cli.must("show", "-no-color", "adopt.tfplan"))
		}
	}

	accounts, orgs := len(site.Accounts()), len(site.Organizations())
	cli.must("apply", "-input=false", "-no-color", "adopt.tfplan")
	if code, out := cli.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("the plan after the import is not empty (exit %d):\n%s\ngenerated.tf:\n%s", code, out, generated)
	}
	if o, _ := site.Organization(org.ID); len(o.Properties) != 1 {
		t.Errorf("the organization's properties are now %s", o.Properties)
	}
	if len(site.Accounts()) != accounts || len(site.Organizations()) != orgs {
		t.Fatalf("the import changed the site: %d accounts (had %d), %d organizations (had %d)",
			len(site.Accounts()), accounts, len(site.Organizations()), orgs)
	}
	state := cli.must("state", "list", "-no-color")
	for _, want := range []string{"jsm_customer.hr_0", "jsm_customer.hr_1", "jsm_organization.all_0", "jsm_organization.all_1"} {
		if !strings.Contains(state, want) {
			t.Errorf("the state lacks %s:\n%s", want, state)
		}
	}
}
