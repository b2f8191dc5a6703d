// Package standin serves small providers that stand in for the secret stores
// the token document is written to, in acceptance tests. Each copies the
// schema rules of the real store's write-only arguments (which argument
// requires which, which conflicts, what forces a new object), because those
// rules are what Terraform checks at plan with our values, and records what
// it was given so that a test can read the stored document back. Nothing
// here talks to a network, and nothing here is linked into the provider.
package standin

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/hashicorp/go-cty/cty"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

// Store records every value written to each secret, oldest first, and can
// be told to refuse writes, as a store does when access is denied.
type Store struct {
	mu      sync.Mutex
	written map[string][]string
	refuse  map[string]int
	planned map[string][]string
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{written: map[string][]string{}, refuse: map[string]int{}, planned: map[string][]string{}}
}

// Planned says what the write-only value was at each plan of a write to
// secret: "unknown", "null" or "known", oldest first.
func (s *Store) Planned(secret string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.planned[secret])
}

// recordPlan is a CustomizeDiff that notes what the write-only value was
// when Terraform planned, which is what the store's rules were checked with.
func recordPlan(store *Store, idAttr, writeOnlyAttr string) schema.CustomizeDiffFunc {
	return func(_ context.Context, d *schema.ResourceDiff, _ any) error {
		raw := d.GetRawConfig()
		if raw.IsNull() || !raw.IsKnown() {
			return nil
		}
		v := raw.GetAttr(writeOnlyAttr)
		seen := "known"
		switch {
		case !v.IsKnown():
			seen = "unknown"
		case v.IsNull():
			seen = "null"
		}
		secret, _ := d.Get(idAttr).(string)
		store.mu.Lock()
		defer store.mu.Unlock()
		store.planned[secret] = append(store.planned[secret], seen)
		return nil
	}
}

// Latest returns the newest value written to secret, if any.
func (s *Store) Latest(secret string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.written[secret]
	if len(w) == 0 {
		return "", false
	}
	return w[len(w)-1], true
}

// Writes returns how many values were written to secret.
func (s *Store) Writes(secret string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.written[secret])
}

// Put writes a value as a person seeding the store would.
func (s *Store) Put(secret, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.written[secret] = append(s.written[secret], value)
}

// RefuseWrites makes the next n writes to secret fail.
func (s *Store) RefuseWrites(secret string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse[secret] = n
}

func (s *Store) write(secret, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refuse[secret] > 0 {
		s.refuse[secret]--
		return fmt.Errorf("AccessDeniedException: the caller may not write to %s", secret)
	}
	s.written[secret] = append(s.written[secret], value)
	return nil
}

// Snapshot returns every value written to every secret, for leak checks.
func (s *Store) Snapshot() map[string][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string][]string, len(s.written))
	for k, v := range s.written {
		out[k] = slices.Clone(v)
	}
	return out
}

// ProtoV5 serves p in process, for terraform-plugin-testing's
// ProtoV5ProviderFactories.
func ProtoV5(p *schema.Provider) func() (tfprotov5.ProviderServer, error) {
	return func() (tfprotov5.ProviderServer, error) { return p.GRPCProvider(), nil }
}

// writeOnlyString reads a write-only string from the configuration: a
// write-only value is never in the plan or state, only in the config.
func writeOnlyString(d *schema.ResourceData, attr string) (string, diag.Diagnostics) {
	v, diags := d.GetRawConfigAt(cty.GetAttrPath(attr))
	if diags.HasError() || v.IsNull() || !v.IsKnown() {
		return "", diags
	}
	return v.AsString(), diags
}

// recordWrite is the Create of every stand-in: read the write-only value
// (or else the plain one), store it under the secret's id, and give the
// resource that id.
func recordWrite(store *Store, idAttr, writeOnlyAttr, plainAttr string) schema.CreateContextFunc {
	return func(_ context.Context, d *schema.ResourceData, _ any) diag.Diagnostics {
		value, diags := writeOnlyString(d, writeOnlyAttr)
		if diags.HasError() {
			return diags
		}
		if v, ok := d.GetOk(plainAttr); ok && value == "" {
			value, _ = v.(string)
		}
		secret, _ := d.Get(idAttr).(string)
		if err := store.write(secret, value); err != nil {
			return diag.FromErr(err)
		}
		d.SetId(fmt.Sprintf("%s|%d", secret, store.Writes(secret)))
		return nil
	}
}

func noop(context.Context, *schema.ResourceData, any) diag.Diagnostics { return nil }
