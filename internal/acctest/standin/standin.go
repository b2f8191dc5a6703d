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

// getter is what ResourceData and ResourceDiff have in common.
type getter interface {
	Get(key string) any
}

// writeOnly describes how a stand-in resource stores what it is given:
// under which secret name, from which write-only argument (a string or, as
// in Kubernetes, a map whose keys become secret names below it), and which
// plain argument stands in for it when the write-only one is not set.
type writeOnly struct {
	store    *Store
	secretID func(getter) string
	attr     string
	plain    string
	// version, when set, is an argument whose change writes again in place
	// (stores whose version does not force a new object).
	version string
}

// resource completes a stand-in resource: it records at plan what the
// write-only value was, and writes on create and on a version change.
func (w writeOnly) resource(attrs map[string]*schema.Schema) *schema.Resource {
	write := func(_ context.Context, d *schema.ResourceData, _ any) diag.Diagnostics {
		values, diags := w.values(d)
		if diags.HasError() {
			return diags
		}
		for name, value := range values {
			if err := w.store.write(name, value); err != nil {
				return diag.FromErr(err)
			}
		}
		d.SetId(w.secretID(d))
		return nil
	}
	update := func(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
		if w.version != "" && d.HasChange(w.version) {
			return write(ctx, d, meta)
		}
		return nil
	}
	return &schema.Resource{
		CreateContext: write,
		ReadContext:   noop,
		UpdateContext: update,
		DeleteContext: noop,
		CustomizeDiff: w.recordPlan,
		Schema:        attrs,
	}
}

// values reads what is to be stored, by secret name. A write-only value is
// never in the plan or state, only in the configuration.
func (w writeOnly) values(d *schema.ResourceData) (map[string]string, diag.Diagnostics) {
	id := w.secretID(d)
	v, diags := d.GetRawConfigAt(cty.GetAttrPath(w.attr))
	if diags.HasError() {
		return nil, diags
	}
	out := map[string]string{}
	switch {
	case v.IsNull() || !v.IsKnown():
		if plain, ok := d.GetOk(w.plain); ok && w.plain != "" {
			out[id], _ = plain.(string)
		}
	case v.Type() == cty.String:
		out[id] = v.AsString()
	default: // a map of strings
		for key, elem := range v.AsValueMap() {
			if elem.IsKnown() && !elem.IsNull() {
				out[id+"/"+key] = elem.AsString()
			}
		}
	}
	return out, diags
}

// recordPlan notes what the write-only value was when Terraform planned,
// which is what the store's rules were checked with.
func (w writeOnly) recordPlan(_ context.Context, d *schema.ResourceDiff, _ any) error {
	raw := d.GetRawConfig()
	if raw.IsNull() || !raw.IsKnown() {
		return nil
	}
	id := w.secretID(d)
	seen := map[string]cty.Value{id: raw.GetAttr(w.attr)}
	if v := seen[id]; v.IsKnown() && !v.IsNull() && v.Type().IsMapType() {
		seen = map[string]cty.Value{} // a map's keys are secret names of their own
		for key, elem := range v.AsValueMap() {
			seen[id+"/"+key] = elem
		}
	}
	w.store.mu.Lock()
	defer w.store.mu.Unlock()
	for name, v := range seen {
		state := "known"
		switch {
		case !v.IsWhollyKnown():
			state = "unknown"
		case v.IsNull():
			state = "null"
		}
		w.store.planned[name] = append(w.store.planned[name], state)
	}
	return nil
}

// stringAt returns a string argument of a resource.
func stringAt(key string) func(getter) string {
	return func(d getter) string {
		s, _ := d.Get(key).(string)
		return s
	}
}

func noop(context.Context, *schema.ResourceData, any) diag.Diagnostics { return nil }
