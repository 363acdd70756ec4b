package jsmsite

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// An empty or blank state file is a crash or an accident, never an empty
// site: starting from it would silently lose what the site held.
func TestStateFileEmptyIsAnError(t *testing.T) {
	for name, content := range map[string]string{"empty": "", "blank": " \n\t\n"} {
		path := filepath.Join(t.TempDir(), "state.json")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := New(Config{StateFile: path})
		if err == nil || !strings.Contains(err.Error(), "is empty") || !strings.Contains(err.Error(), path) {
			t.Errorf("%s state file: err = %v", name, err)
		}
	}
	// A missing file is still an empty site.
	if _, err := New(Config{StateFile: filepath.Join(t.TempDir(), "none.json")}); err != nil {
		t.Errorf("missing state file: %v", err)
	}
}

// Every save syncs the temp file before the rename, then the directory.
func TestStateFileSyncedBeforeRename(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	var mu sync.Mutex
	var synced []string
	orig := syncFile
	syncFile = func(f *os.File) error {
		mu.Lock()
		// What the final name holds when the temp file is synced: the
		// rename must not have happened yet.
		_, statErr := os.Stat(path)
		synced = append(synced, filepath.Base(f.Name())+map[bool]string{true: " (before rename)", false: ""}[os.IsNotExist(statErr)])
		mu.Unlock()
		return orig(f)
	}
	t.Cleanup(func() { syncFile = orig })

	s, err := New(Config{StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCustomer("Synced", "synced@example.com"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(synced) != 2 || !strings.HasPrefix(synced[0], "state.json.tmp-") || !strings.HasSuffix(synced[0], "(before rename)") ||
		synced[1] != filepath.Base(dir) {
		t.Errorf("synced %q, want the temp file before the rename, then the directory", synced)
	}
}
