package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testdata/failing.json is `go test -json ./...` over two small packages:
// tsdemo/a, with a passing, a skipped and a failing subtest, and tsdemo/b,
// which does not build. passing.json runs the first two alone.

func TestSummaryNamesEachFailureAndItsFirstLines(t *testing.T) {
	in, err := os.Open(filepath.Join("testdata", "failing.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = in.Close() }()
	var out bytes.Buffer
	code, err := mainErr(nil, in, &out)
	if code != 1 || err != nil {
		t.Fatalf("exit %d, %v; want 1 for failed tests", code, err)
	}
	got := out.String()
	summary := got[strings.Index(got, "\n\n=== "):]
	for _, want := range []string{
		"=== 2 failure(s)\n",
		"--- FAIL: tsdemo/b\n    # tsdemo/b [tsdemo/b.test]\n    b/b_test.go:3:33: undefined: undefinedThing\n",
		"--- FAIL: tsdemo/a TestParent/child\n        a_test.go:6: context line\n        a_test.go:6: want 1, got 2\n",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary lacks %q:\n%s", want, summary)
		}
	}
	// The parent fails with its child: only the child is named, and the
	// runner's framing lines are left out.
	if strings.Contains(summary, "FAIL: tsdemo/a TestParent\n") || strings.Contains(summary, "=== RUN") {
		t.Errorf("the summary names the parent or keeps framing lines:\n%s", summary)
	}
	if !strings.HasSuffix(got, "\ntests: 2 passed, 2 failed, 1 skipped\n") {
		t.Errorf("closing line: %q", got[strings.LastIndex(strings.TrimSuffix(got, "\n"), "\n")+1:])
	}
	// Live, a failing test's output is shown whole when it fails, and a
	// passing test's not at all.
	live := got[:strings.Index(got, "\n\n=== ")]
	if !strings.Contains(live, "=== RUN   TestParent/child\n") || strings.Contains(live, "TestOK") {
		t.Errorf("live output:\n%s", live)
	}
}

func TestSummaryOfPassingRun(t *testing.T) {
	in, err := os.Open(filepath.Join("testdata", "passing.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = in.Close() }()
	var out bytes.Buffer
	jsonOut := filepath.Join(t.TempDir(), "ci", "unit.json")
	if code, err := mainErr([]string{"-json-out", jsonOut}, in, &out); code != 0 || err != nil {
		t.Fatalf("exit %d, %v:\n%s", code, err, out.String())
	}
	if want := "ok  \ttsdemo/a\t0.027s\ntests: 1 passed, 0 failed, 1 skipped\n"; !strings.HasSuffix(out.String(), want) {
		t.Errorf("output %q, want it to end %q", out.String(), want)
	}
	// The events kept are read again by -summarize, with another run's.
	out.Reset()
	code, err := mainErr([]string{"-summarize", jsonOut, filepath.Join("testdata", "failing.json")}, nil, &out)
	if code != 1 || err != nil || !strings.HasSuffix(out.String(), "tests: 3 passed, 2 failed, 2 skipped\n") ||
		!strings.Contains(out.String(), "--- FAIL: tsdemo/a TestParent/child\n") {
		t.Errorf("-summarize: exit %d, %v:\n%s", code, err, out.String())
	}
}

func TestNoTestRunIsAnError(t *testing.T) {
	var out bytes.Buffer
	if code, err := mainErr(nil, strings.NewReader(""), &out); code != 1 || err == nil {
		t.Errorf("empty input: exit %d, %v", code, err)
	}
}

// A package that stops without a failed test (a panic, a timeout) is named
// with its output and the tests that were still running.
func TestPackageFailureWithoutFailedTest(t *testing.T) {
	events := `{"Action":"run","Package":"p","Test":"TestSlow"}
{"Action":"output","Package":"p","Test":"TestSlow","Output":"=== RUN   TestSlow\n"}
{"Action":"output","Package":"p","Output":"panic: test timed out after 1s\n"}
{"Action":"output","Package":"p","Output":"FAIL\tp\t1.0s\n"}
{"Action":"fail","Package":"p"}
`
	var out bytes.Buffer
	code, err := mainErr(nil, strings.NewReader(events), &out)
	if code != 1 || err != nil {
		t.Fatalf("exit %d, %v", code, err)
	}
	if want := "--- FAIL: p\n    still running: TestSlow\n    panic: test timed out after 1s\n"; !strings.Contains(out.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, out.String())
	}
}
