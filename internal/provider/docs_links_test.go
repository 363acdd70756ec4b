package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// markdownLink matches a Markdown link's target: [text](target).
var markdownLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// notAnchor matches what a heading's anchor leaves out.
var notAnchor = regexp.MustCompile("[^a-z0-9 _-]")

// headingAnchor is the anchor GitHub and the Registry give a heading.
func headingAnchor(heading string) string {
	h := strings.ToLower(strings.TrimSpace(heading))
	h = notAnchor.ReplaceAllString(h, "")
	return strings.ReplaceAll(h, " ", "-")
}

// htmlAnchor matches the anchors tfplugindocs writes: <a id="nestedatt--links"></a>.
var htmlAnchor = regexp.MustCompile(`<a id="([^"]+)">`)

// anchors are the heading anchors of a Markdown file, and its HTML ones.
func anchors(t *testing.T, file string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	inCode := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
		}
		if !inCode && strings.HasPrefix(line, "#") {
			out[headingAnchor(strings.TrimLeft(line, "#"))] = true
		}
		for _, m := range htmlAnchor.FindAllStringSubmatch(line, -1) {
			out[m[1]] = true
		}
	}
	return out
}

// Moving prose between pages and guides leaves links behind: every relative
// link of docs/ and README.md reaches a file, and a heading where it names
// one.
func TestDocsLinksResolve(t *testing.T) {
	root := filepath.Join("..", "..")
	files := []string{filepath.Join(root, "README.md")}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range markdownLink.FindAllStringSubmatch(string(b), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, anchor, _ := strings.Cut(target, "#")
			dest := f
			if file != "" {
				dest = filepath.Join(filepath.Dir(f), filepath.FromSlash(file))
			}
			info, err := os.Stat(dest)
			if err != nil {
				t.Errorf("%s: the link %s reaches no file", f, target)
				continue
			}
			checked++
			if anchor != "" && !info.IsDir() && strings.HasSuffix(dest, ".md") && !anchors(t, dest)[anchor] {
				t.Errorf("%s: the link %s names no heading of %s", f, target, filepath.Base(dest))
			}
		}
	}
	if checked < 20 {
		t.Fatalf("checked %d links; the link pattern is broken", checked)
	}
}
