package provider

// The GitOps guide's repository, run as a pipeline runs it: the real
// terraform CLI, the provider built from this tree and installed from a
// filesystem mirror (so that `terraform init` writes the lock file the
// workflow then reads with -lockfile=readonly), and every change through a
// saved plan. Beside it, every HCL block of the guides that declares
// something is validated against the modules the repository ships.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// builtProvider is the provider built once per test binary, as a release
// names it, for the CLI tests below.
var builtProvider struct {
	once sync.Once
	dir  string
	err  error
}

// providerBuild builds the provider from this tree, once, and returns the
// directory that holds it as terraform-provider-jsm_v0.1.0.
func providerBuild(t *testing.T) string {
	t.Helper()
	builtProvider.once.Do(func() {
		dir, err := os.MkdirTemp("", "jsm-provider-build") //nolint:usetesting // outlives one test: shared, and removed by TestMain
		if err != nil {
			builtProvider.err = err
			return
		}
		root, err := filepath.Abs(filepath.Join("..", ".."))
		if err != nil {
			builtProvider.err = err
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-jsm_v0.1.0"), ".")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			builtProvider.err = fmt.Errorf("go build: %w\n%s", err, out)
			return
		}
		builtProvider.dir = dir
	})
	if builtProvider.err != nil {
		t.Fatal(builtProvider.err)
	}
	return builtProvider.dir
}

// terraformBinary is the terraform binary of the acceptance tests; the tests
// below need Terraform itself (their CLI configuration names its registry).
func terraformBinary(t *testing.T) string {
	t.Helper()
	if testCLI == nil || testCLI.Name != "terraform" {
		t.Skip("runs the terraform CLI: TF_ACC=1, with Terraform (not OpenTofu)")
	}
	if bin := os.Getenv("TF_ACC_TERRAFORM_PATH"); bin != "" {
		return bin
	}
	bin, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// cliRun runs terraform commands in directories of one test, with the
// environment a pipeline gives them.
type cliRun struct {
	t   *testing.T
	bin string
	env []string
}

func newCLIRun(t *testing.T, cliConfig string, env ...string) *cliRun {
	t.Helper()
	cfg := filepath.Join(t.TempDir(), "terraformrc")
	if err := os.WriteFile(cfg, []byte(cliConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	var base []string
	for _, kv := range os.Environ() {
		// The developer's site and CLI settings stay out.
		if !strings.HasPrefix(kv, "JSM_") && !strings.HasPrefix(kv, "TF_") && !strings.HasPrefix(kv, "CHECKPOINT_") {
			base = append(base, kv)
		}
	}
	base = append(base, "TF_CLI_CONFIG_FILE="+cfg, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	return &cliRun{t: t, bin: terraformBinary(t), env: append(base, env...)}
}

// in is the same run, reporting to t (a subtest's).
func (c *cliRun) in(t *testing.T) *cliRun { return &cliRun{t: t, bin: c.bin, env: c.env} }

// run runs terraform in dir and returns its exit code and output; any
// code not in ok fails the test with the output.
func (c *cliRun) run(dir string, ok []int, args ...string) (int, string) {
	c.t.Helper()
	cmd := exec.Command(c.bin, append([]string{"-chdir=" + dir}, args...)...) // #nosec G204 -- the test's own CLI
	cmd.Env = c.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		c.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	if !slices.Contains(ok, code) {
		c.t.Fatalf("terraform %s in %s: exit %d\n%s", strings.Join(args, " "), filepath.Base(dir), code, out.String())
	}
	return code, out.String()
}

// copyTree copies the directory src into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// mirrorConfig installs the built provider as jsmtf/jsm 0.1.0 from a
// filesystem mirror, as the installing-without-the-Registry guide does.
func mirrorConfig(t *testing.T) string {
	t.Helper()
	mirror := t.TempDir()
	dir := filepath.Join(mirror, "registry.terraform.io", "jsmtf", "jsm", "0.1.0", runtime.GOOS+"_"+runtime.GOARCH)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(providerBuild(t), "terraform-provider-jsm_v0.1.0"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "terraform-provider-jsm_v0.1.0"), b, 0o755); err != nil { // #nosec G306 -- an executable
		t.Fatal(err)
	}
	return fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path    = %q\n    include = [\"registry.terraform.io/jsmtf/jsm\"]\n  }\n}\n", mirror)
}

// gitopsRepo is a copy of examples/gitops, the guide's repository.
type gitopsRepo struct {
	t    *testing.T
	root string
	tf   *cliRun
}

func (r *gitopsRepo) company(name string) string { return filepath.Join(r.root, "companies", name) }

// writePeople writes a company's people file: rows of id,email,display_name,hr_access.
func (r *gitopsRepo) writePeople(company string, rows ...string) {
	r.t.Helper()
	text := strings.Join(append([]string{"id,email,display_name,hr_access"}, rows...), "\n") + "\n"
	if err := os.WriteFile(filepath.Join(r.company(company), "people.csv"), []byte(text), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// plan saves a plan of the company, as the pull request's job does, and
// reports whether it changes anything.
func (r *gitopsRepo) plan(company string) bool {
	r.t.Helper()
	dir := r.company(company)
	r.tf.run(dir, []int{0}, "init", "-input=false", "-no-color", "-lockfile=readonly")
	code, _ := r.tf.run(dir, []int{0, 2}, "plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=tfplan")
	return code == 2
}

// apply applies the company's saved plan, then checks that the next plan
// is empty.
func (r *gitopsRepo) apply(company string) {
	r.t.Helper()
	dir := r.company(company)
	r.tf.run(dir, []int{0}, "apply", "-input=false", "-no-color", "tfplan")
	if code, out := r.tf.run(dir, []int{0, 2}, "plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		r.t.Fatalf("%s: the plan after the apply is not empty:\n%s", company, out)
	}
}

// TestAccGitOpsSmoke runs examples/gitops, the GitOps guide's repository (a
// state per company under companies/, one shared module), against the
// local site through saved plans: the first onboarding, then a person
// added, moved to another company, renamed and removed. Each apply is
// followed by an empty plan, and the site holds what the files say.
func TestAccGitOpsSmoke(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	s.csm = true // renames go through the CSM API
	t.Parallel()

	repo := &gitopsRepo{t: t, root: t.TempDir()}
	copyTree(t, filepath.Join("..", "..", "examples", "gitops"), repo.root)
	repo.tf = newCLIRun(t, mirrorConfig(t),
		"JSM_URL="+s.url, "JSM_ACCESS_TOKEN="+testAccessToken, "JSM_CSM_URL="+s.url+jsmsite.CSMPrefix,
		"TF_VAR_csm_lifecycle=true")
	// The lock file a team commits once: the workflow's init then only reads it.
	for _, c := range []string{"acme", "globex"} {
		repo.tf.run(repo.company(c), []int{0}, "init", "-input=false", "-no-color")
		if _, err := os.Stat(filepath.Join(repo.company(c), ".terraform.lock.hcl")); err != nil {
			t.Fatalf("%s: init wrote no lock file: %v", c, err)
		}
	}

	org := func(name string) string {
		for _, o := range site.Organizations() {
			if o.Name == name {
				return fmt.Sprint(o.ID)
			}
		}
		t.Fatalf("no organization %q", name)
		return ""
	}
	account := func(email string) jsmsite.Account {
		a, ok := site.AccountByEmail(email)
		if !ok {
			t.Fatalf("no account for %s", email)
		}
		return a
	}
	// expect checks who is a member of each company and who is on the HR desk.
	expect := func(acme, globex, hr []string) {
		t.Helper()
		ids := func(emails []string) []string {
			out := []string{}
			for _, e := range emails {
				out = append(out, account(e).AccountID)
			}
			slices.Sort(out)
			return out
		}
		sorted := func(v []string) []string { v = slices.Clone(v); slices.Sort(v); return v }
		if got, want := sorted(site.OrganizationMembers(org("Acme Corporation"))), ids(acme); !slices.Equal(got, want) {
			t.Errorf("Acme's members: %v, want %v (%v)", got, want, acme)
		}
		if got, want := sorted(site.OrganizationMembers(org("Globex Corporation"))), ids(globex); !slices.Equal(got, want) {
			t.Errorf("Globex's members: %v, want %v (%v)", got, want, globex)
		}
		if got, want := sorted(site.DeskCustomers("HR")), ids(hr); !slices.Equal(got, want) {
			t.Errorf("HR desk customers: %v, want %v (%v)", got, want, hr)
		}
		for _, c := range []string{"Acme Corporation", "Globex Corporation"} {
			if !slices.Contains(site.DeskOrganizations("IT"), org(c)) {
				t.Errorf("%s has no access to the IT desk", c)
			}
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	const ada, bob, cy, dee = "ada@acme.example", "bob@acme.example", "cy@globex.example", "dee@acme.example"

	// Onboarding, from the example's own people files.
	for _, c := range []string{"acme", "globex"} {
		if !repo.plan(c) {
			t.Fatalf("%s: the first plan changes nothing", c)
		}
		repo.apply(c)
	}
	expect([]string{ada, bob}, []string{cy}, []string{ada})
	bobID := account(bob).AccountID

	// A person added.
	adaRow, bobRow, cyRow := "p-0001,"+ada+",Ada Lovelace,yes", "p-0002,"+bob+",Bob Brown,no", "p-0101,"+cy+",Cy Young,no"
	repo.writePeople("acme", adaRow, bobRow, "p-0003,"+dee+",Dee Dee,yes")
	if repo.plan("globex") {
		t.Fatal("globex: a change to acme's file plans a change to globex")
	}
	repo.plan("acme")
	repo.apply("acme")
	expect([]string{ada, bob, dee}, []string{cy}, []string{ada, dee})

	// A person moved to another company: both pull request plans first,
	// then the applies, the adopting side first (the riskier order: the
	// other state's plan still forgets the person).
	repo.writePeople("acme", adaRow, "p-0003,"+dee+",Dee Dee,yes")
	repo.writePeople("globex", cyRow, bobRow)
	repo.plan("acme")
	repo.plan("globex")
	repo.apply("globex")
	repo.apply("acme")
	expect([]string{ada, dee}, []string{cy, bob}, []string{ada, dee})
	if b := account(bob); b.AccountID != bobID || !b.Active {
		t.Fatalf("bob after the move: %+v, want the account %s, active", b, bobID)
	}

	// A person renamed: in place, the same account.
	deeID := account(dee).AccountID
	repo.writePeople("acme", adaRow, "p-0003,"+dee+",Dee Smith,yes")
	repo.plan("acme")
	repo.apply("acme")
	if d := account(dee); d.AccountID != deeID || d.DisplayName != "Dee Smith" {
		t.Fatalf("dee after the rename: %+v, want the account %s named Dee Smith", d, deeID)
	}

	// A person removed: out of the organization and off the HR desk; the
	// account remains (on_destroy = "forget").
	repo.writePeople("acme", adaRow)
	repo.plan("acme")
	repo.apply("acme")
	expect([]string{ada}, []string{cy, bob}, []string{ada})
	if d := account(dee); d.AccountID != deeID || !d.Active {
		t.Fatalf("dee after the removal: %+v, want the account %s, active", d, deeID)
	}
}

// guideBlock is a fenced HCL block of a guide.
type guideBlock struct {
	where string // file:line
	text  string
}

// declaring matches a block that declares something to validate.
var declaring = regexp.MustCompile(`(?m)^\s*(resource|data|module)\s+"`)

// guideBlocks are the HCL blocks of the rendered guides (docs/guides; CI
// checks that they match their templates) that declare a resource, a data
// source or a module call.
func guideBlocks(t *testing.T) []guideBlock {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "docs", "guides", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no guides: %v", err)
	}
	var out []guideBlock
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(b), "\n")
		for i := 0; i < len(lines); i++ {
			lang := strings.TrimPrefix(strings.TrimSpace(lines[i]), "```")
			if lang == strings.TrimSpace(lines[i]) || (lang != "terraform" && lang != "hcl" && lang != "tf") {
				continue
			}
			start := i + 1
			for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			}
			text := strings.Join(lines[start:i], "\n") + "\n"
			if declaring.MatchString(text) {
				out = append(out, guideBlock{where: fmt.Sprintf("%s:%d", filepath.Base(f), start), text: text})
			}
		}
	}
	return out
}

// blockPath is where a block goes in the guide's repository, from its first
// line ("# companies/acme/main.tf: ..."); "" for a block on its own.
var blockPath = regexp.MustCompile(`^#\s*((?:companies|modules)/[A-Za-z0-9_./-]+\.tf)\b`)

// TestAccGuideBlocks validates every HCL block of the guides that declares
// something: a block whose first line names a file of the guide's
// repository (companies/..., modules/...) replaces that file in a copy of
// examples/gitops, with its people files and modules; any other is
// validated on its own. `terraform validate` checks the module calls'
// arguments against the modules the repository ships.
func TestAccGuideBlocks(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests need TF_ACC=1 (make test sets it)")
	}
	t.Parallel()
	blocks := guideBlocks(t)
	if len(blocks) < 3 {
		t.Fatalf("found %d declaring blocks in the guides; the extraction is broken", len(blocks))
	}
	bin := providerBuild(t)
	tf := newCLIRun(t, fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n    %q = %q\n  }\n  direct {}\n}\n",
		"registry.terraform.io/jsmtf/jsm", bin, "registry.terraform.io/hashicorp/jsm", bin))
	// dev_overrides wants the binary as terraform-provider-jsm.
	if _, err := os.Stat(filepath.Join(bin, "terraform-provider-jsm")); err != nil {
		if err := os.Link(filepath.Join(bin, "terraform-provider-jsm_v0.1.0"), filepath.Join(bin, "terraform-provider-jsm")); err != nil {
			t.Fatal(err)
		}
	}
	placed := 0
	for _, b := range blocks {
		t.Run(b.where, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "main.tf")
			if m := blockPath.FindStringSubmatch(b.text); m != nil {
				placed++
				copyTree(t, filepath.Join("..", "..", "examples", "gitops"), dir)
				file = filepath.Join(dir, filepath.FromSlash(m[1]))
				if _, err := os.Stat(file); err != nil {
					t.Fatalf("the block names %s, which examples/gitops does not have", m[1])
				}
				dir = filepath.Dir(file)
			}
			if err := os.WriteFile(file, []byte(b.text), 0o644); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(b.text, "module \"") {
				tf.in(t).run(dir, []int{0}, "get", "-no-color")
			}
			tf.in(t).run(dir, []int{0}, "validate", "-no-color")
		})
	}
	if placed == 0 {
		t.Error("no block of the guides names a file of the guide's repository (# companies/<name>/main.tf)")
	}
}
