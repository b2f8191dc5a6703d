//go:build unix

package journal

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

// The journal's cost must not grow with its size: a plan looks up one entry
// per token set (Get), an apply confirms one (Forget) and keeps one (Put).
// Run with: go test ./internal/journal -run '^$' -bench . -benchmem
//
// Each benchmark runs against an empty journal and against one of 1,000
// files (500 entries with their index files, as a shared worker's journal
// after many workspaces' runs); the ns/op of the two should match.

func benchJournal(b *testing.B, entries int) *Journal {
	b.Helper()
	now := time.Now()
	j := &Journal{Dir: filepath.Join(b.TempDir(), "journal"), TTL: time.Hour, Now: func() time.Time { return now },
		Binding: Binding("1234567", sensitive.New("app_secret_0123456789"))}
	if err := j.Usable(); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < entries; i++ {
		g := sensitive.New(fmt.Sprintf("pinr_given_%06d_0123456789", i))
		s := sensitive.New(fmt.Sprintf("pinr_succ_%06d_0123456789", i))
		if err := j.Put(g, s, []byte(value), time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
	return j
}

func benchSizes(b *testing.B, run func(b *testing.B, j *Journal)) {
	for _, n := range []int{0, 500} {
		b.Run(fmt.Sprintf("files=%d", 2*n), func(b *testing.B) { run(b, benchJournal(b, n)) })
	}
}

// BenchmarkGetMissing is a plan's look-up for a token set with nothing kept.
func BenchmarkGetMissing(b *testing.B) {
	benchSizes(b, func(b *testing.B, j *Journal) {
		missing := sensitive.New("pinr_missing_0123456789")
		for b.Loop() {
			if _, ok := j.Get(missing); ok {
				b.Fatal("found")
			}
		}
	})
}

// BenchmarkGetFound is a plan's look-up that recovers a token set.
func BenchmarkGetFound(b *testing.B) {
	benchSizes(b, func(b *testing.B, j *Journal) {
		if err := j.Put(given, next, []byte(value), time.Time{}); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, ok := j.Get(given); !ok {
				b.Fatal("not found")
			}
		}
	})
}

// BenchmarkForgetNothing is an apply's confirmation when nothing is kept.
func BenchmarkForgetNothing(b *testing.B) {
	benchSizes(b, func(b *testing.B, j *Journal) {
		missing := sensitive.New("pinr_missing_0123456789")
		for b.Loop() {
			j.Forget(missing)
		}
	})
}
