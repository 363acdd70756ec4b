package provider

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"regexp"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// testCLIInfo is the CLI that runs the acceptance tests: Terraform or
// OpenTofu, and its version. Tests gate features on the version with
// tfversion checks; what OpenTofu lacks whatever its version is gated on Name.
type testCLIInfo struct {
	Name    string // "terraform" or "tofu"
	Version *version.Version
}

// testCLI is set by TestMain when TF_ACC is set, nil otherwise.
var testCLI *testCLIInfo

func TestMain(m *testing.M) {
	if os.Getenv(resource.EnvTfAcc) != "" {
		if err := setUpTestCLI(); err != nil {
			fmt.Fprintln(os.Stderr, "acceptance tests:", err)
			os.Exit(1)
		}
	}
	code := m.Run()
	if builtProvider.dir != "" { // gitops_test.go's build, shared by its tests
		_ = os.RemoveAll(builtProvider.dir)
	}
	os.Exit(code)
}

// setUpTestCLI finds the CLI as terraform-plugin-testing does
// (TF_ACC_TERRAFORM_PATH, else terraform on PATH) and, for OpenTofu, makes
// the framework serve the provider at OpenTofu's default registry host, where
// OpenTofu looks for the implied "jsm" provider.
func setUpTestCLI() error {
	// OpenTofu warns on stdout about a CLI configuration file that does not
	// exist, which terraform-plugin-testing then fails to read as a version.
	if cfg := os.Getenv("TF_CLI_CONFIG_FILE"); cfg != "" {
		if _, err := os.Stat(cfg); errors.Is(err, fs.ErrNotExist) {
			if err := os.Setenv("TF_CLI_CONFIG_FILE", os.DevNull); err != nil {
				return err
			}
		}
	}
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("terraform"); err != nil {
			return fmt.Errorf("no terraform on PATH and TF_ACC_TERRAFORM_PATH unset: %w", err)
		}
	}
	out, err := exec.Command(bin, "version").Output() // #nosec G204 -- the CLI the developer named
	if err != nil {
		return fmt.Errorf("%s version: %w", bin, err)
	}
	cli, err := parseCLIVersion(string(out))
	if err != nil {
		return fmt.Errorf("%s: %w", bin, err)
	}
	testCLI = cli
	if cli.Name == "tofu" && os.Getenv(resource.EnvTfAccProviderHost) == "" {
		return os.Setenv(resource.EnvTfAccProviderHost, "registry.opentofu.org")
	}
	return nil
}

// skipUnlessTerraform skips a test unless the CLI is Terraform minVersion
// or newer, for features OpenTofu lacks at any version (`terraform query` and
// list resources); use tfversion.SkipBelow for what both CLIs have.
func skipUnlessTerraform(minVersion string) tfversion.TerraformVersionCheck {
	return terraformOnlyCheck{cli: testCLI, min: version.Must(version.NewVersion(minVersion))}
}

type terraformOnlyCheck struct {
	cli *testCLIInfo
	min *version.Version
}

func (c terraformOnlyCheck) CheckTerraformVersion(ctx context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	if c.cli != nil && c.cli.Name != "terraform" {
		resp.Skip = fmt.Sprintf("needs Terraform %s or newer, not %s %s", c.min, c.cli.Name, c.cli.Version)
		return
	}
	tfversion.SkipBelow(c.min).CheckTerraformVersion(ctx, req, resp)
}

var cliVersionLine = regexp.MustCompile(`(?m)^(Terraform|OpenTofu) v(\S+)`)

// parseCLIVersion reads `terraform version` or `tofu version`; OpenTofu
// prints warnings about its CLI configuration before the version line.
func parseCLIVersion(out string) (*testCLIInfo, error) {
	m := cliVersionLine.FindStringSubmatch(out)
	if m == nil {
		return nil, fmt.Errorf("not a Terraform or OpenTofu CLI: version printed %q", out)
	}
	v, err := version.NewVersion(m[2])
	if err != nil {
		return nil, fmt.Errorf("version %q: %w", m[2], err)
	}
	name := "terraform"
	if m[1] == "OpenTofu" {
		name = "tofu"
	}
	return &testCLIInfo{Name: name, Version: v}, nil
}

func TestParseCLIVersion(t *testing.T) {
	for out, want := range map[string]string{
		"Terraform v1.5.7\non linux_amd64\n":                                                     "terraform 1.5.7",
		"Terraform v1.13.3\non linux_amd64\n":                                                    "terraform 1.13.3",
		"OpenTofu v1.12.6\non linux_amd64\n":                                                     "tofu 1.12.6",
		"Terraform v1.14.0-beta1\non linux_amd64\n":                                              "terraform 1.14.0-beta1",
		"\nWarning: Unable to open CLI configuration file\n\nOpenTofu v1.12.6\non linux_amd64\n": "tofu 1.12.6",
	} {
		cli, err := parseCLIVersion(out)
		if err != nil {
			t.Errorf("%q: %v", out, err)
			continue
		}
		if got := cli.Name + " " + cli.Version.String(); got != want {
			t.Errorf("%q: got %q, want %q", out, got, want)
		}
	}
	if _, err := parseCLIVersion("terraform-provider-jsm 0.1.0\n"); err == nil {
		t.Error("a non-CLI version line parsed")
	}
}

func TestSkipUnlessTerraform(t *testing.T) {
	v := func(s string) *version.Version { return version.Must(version.NewVersion(s)) }
	for _, tc := range []struct {
		cli      testCLIInfo
		wantSkip bool
	}{
		{testCLIInfo{"terraform", v("1.14.0")}, false},
		{testCLIInfo{"terraform", v("1.15.2")}, false},
		{testCLIInfo{"terraform", v("1.13.3")}, true},
		{testCLIInfo{"tofu", v("1.14.0")}, true},
		{testCLIInfo{"tofu", v("2.0.0")}, true},
	} {
		check := skipUnlessTerraform("1.14.0").(terraformOnlyCheck)
		check.cli = &tc.cli
		var resp tfversion.CheckTerraformVersionResponse
		check.CheckTerraformVersion(context.Background(), tfversion.CheckTerraformVersionRequest{TerraformVersion: tc.cli.Version}, &resp)
		if got := resp.Skip != ""; got != tc.wantSkip || resp.Error != nil {
			t.Errorf("%s %s: skip %q, error %v; want skip %v", tc.cli.Name, tc.cli.Version, resp.Skip, resp.Error, tc.wantSkip)
		}
	}
}
