package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocsScale holds the README and docs/ to the scale of HashiCorp's own
// providers' (README at most 700 words, docs/ at most 10,000, counted as wc -w
// counts), and keeps test names out of what users read.
func TestDocsScale(t *testing.T) {
	words := func(path string) int {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if m := regexp.MustCompile(`\bTest[A-Z]\w*`).Find(b); m != nil {
			t.Errorf("%s names the test %s", path, m)
		}
		return len(strings.Fields(string(b)))
	}
	if n := words("../../README.md"); n > 700 {
		t.Errorf("README.md has %d words, more than 700", n)
	}
	total := 0
	_ = filepath.WalkDir("../../docs", func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".md") {
			total += words(path)
		}
		return nil
	})
	if total == 0 || total > 10000 {
		t.Errorf("docs/ has %d words; the limit is 10,000", total)
	}
	t.Logf("README.md and docs/: %d words in docs/", total)
}
