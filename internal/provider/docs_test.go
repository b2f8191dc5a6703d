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

// TestRunbookNamesEveryTitle: every diagnostic's title, as the provider's
// source writes it, is in bold in the on-call runbook, which every message
// points to.
func TestRunbookNamesEveryTitle(t *testing.T) {
	runbook, err := os.ReadFile("../../docs/guides/runbook.md")
	if err != nil {
		t.Fatal(err)
	}
	call := regexp.MustCompile(`(?:New(?:Attribute)?(?:Error|Warning)Diagnostic|Add(?:Attribute)?(?:Error|Warning))\(\s*(?:path\.[^,]+,\s*)?"([^"]+)"`)
	sources, _ := filepath.Glob("*.go")
	titles := 0
	for _, src := range sources {
		if strings.HasSuffix(src, "_test.go") {
			continue
		}
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllSubmatch(b, -1) {
			titles++
			if !strings.Contains(string(runbook), "**"+string(m[1])+"**") {
				t.Errorf("%s: the runbook does not name %q", src, m[1])
			}
		}
	}
	if titles < 30 {
		t.Fatalf("only %d diagnostic titles found; the search is broken", titles)
	}
}
