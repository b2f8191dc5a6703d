package provider

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
)

// blockSchema is what a pinterest_* block may and must set.
type blockSchema struct{ known, required map[string]bool }

// argumentsOf reads a schema's attributes, whichever kind of schema.
func argumentsOf[A interface {
	IsOptional() bool
	IsRequired() bool
}](attrs map[string]A) blockSchema {
	b := blockSchema{known: map[string]bool{}, required: map[string]bool{}}
	for name, a := range attrs {
		b.known[name] = a.IsOptional() || a.IsRequired()
		b.required[name] = a.IsRequired()
	}
	return b
}

// schemaArguments returns, for each pinterest_* block type, the arguments
// its schema accepts and the ones it requires.
func schemaArguments() map[string]blockSchema {
	ctx := context.Background()
	var rs resource.SchemaResponse
	newOAuthTokenResource().Schema(ctx, resource.SchemaRequest{}, &rs)
	var cs resource.SchemaResponse
	newConversionTokenResource().Schema(ctx, resource.SchemaRequest{}, &cs)
	var es ephemeral.SchemaResponse
	newAccessTokenEphemeralResource().Schema(ctx, ephemeral.SchemaRequest{}, &es)
	var ds datasource.SchemaResponse
	newUserAccountDataSource().Schema(ctx, datasource.SchemaRequest{}, &ds)
	var as datasource.SchemaResponse
	newAdAccountsDataSource().Schema(ctx, datasource.SchemaRequest{}, &as)
	return map[string]blockSchema{
		"resource pinterest_oauth_token":      argumentsOf(rs.Schema.Attributes),
		"resource pinterest_conversion_token": argumentsOf(cs.Schema.Attributes),
		"ephemeral pinterest_access_token":    argumentsOf(es.Schema.Attributes),
		"data pinterest_user_account":         argumentsOf(ds.Schema.Attributes),
		"data pinterest_ad_accounts":          argumentsOf(as.Schema.Attributes),
	}
}

// hclSources returns every configuration users copy: the example files and
// the HCL blocks of the README and the docs templates.
func hclSources(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	_ = filepath.WalkDir("../../examples", func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".tf") {
			b, _ := os.ReadFile(path)
			out[path] = string(b)
		}
		return nil
	})
	for _, doc := range append([]string{"../../README.md"}, globAll("../../internal/docs/templates")...) {
		b, _ := os.ReadFile(doc)
		for i, block := range tfrun.ConfigBlocks(string(b)) {
			out[doc+"#"+string(rune('a'+i))] = block
		}
	}
	return out
}

func globAll(dir string) []string {
	var out []string
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, path)
		}
		return nil
	})
	return out
}

// metaArguments are Terraform's own, valid in every resource, data and
// ephemeral block.
var metaArguments = map[string]bool{"provider": true, "depends_on": true, "count": true, "for_each": true}

// TestExamplesFollowTheSchema reads every example and every HCL block of the
// README and the docs, and checks each pinterest_* block (and pinterest
// provider block) against the provider's schema: no argument it does not
// have, none it requires left out (unless the block sets another start), and
// only Pinterest's scopes.
func TestExamplesFollowTheSchema(t *testing.T) {
	schemas := schemaArguments()
	var ps provider.SchemaResponse
	(&pinterestProvider{}).Schema(context.Background(), provider.SchemaRequest{}, &ps)
	providerArguments := map[string]bool{}
	for name := range ps.Schema.Attributes {
		providerArguments[name] = true
	}
	scopeLiteral := regexp.MustCompile(`"([a-z_]+:[a-z_]+)"`)
	scopeFlag := regexp.MustCompile(`-scopes ([a-z_:,]+)`)
	checked := 0
	for name, src := range hclSources(t) {
		for _, m := range scopeFlag.FindAllStringSubmatch(src, -1) {
			for _, s := range strings.Split(m[1], ",") {
				if !pinterest.IsKnownScope(s) {
					t.Errorf("%s: %q is not a Pinterest scope", name, s)
				}
			}
		}
		file, diags := hclsyntax.ParseConfig([]byte(src), name, hcl.InitialPos)
		if diags.HasErrors() {
			if strings.HasSuffix(name, ".tf") {
				t.Errorf("%s does not parse: %s", name, diags.Error())
			}
			continue // a fragment in prose, such as a CLI configuration with placeholders
		}
		body, _ := file.Body.(*hclsyntax.Body)
		var blocks []*hclsyntax.Block
		for _, b := range body.Blocks {
			blocks = append(blocks, b)
			if b.Type == "check" { // scoped data sources live inside
				blocks = append(blocks, b.Body.Blocks...)
			}
		}
		for _, block := range blocks {
			switch block.Type {
			case "resource", "data", "ephemeral":
			case "provider":
				if len(block.Labels) == 1 && block.Labels[0] == "pinterest" {
					checked++
					for attr := range block.Body.Attributes {
						if !providerArguments[attr] && attr != "alias" {
							t.Errorf("%s: the pinterest provider has no argument %q", name, attr)
						}
					}
				}
				continue
			default:
				continue
			}
			if len(block.Labels) < 2 || !strings.HasPrefix(block.Labels[0], "pinterest_") {
				continue
			}
			schema, ok := schemas[block.Type+" "+block.Labels[0]]
			if !ok {
				t.Errorf("%s: %s %q is not a block type of this provider", name, block.Type, block.Labels[0])
				continue
			}
			checked++
			for attr, a := range block.Body.Attributes {
				if !schema.known[attr] && !metaArguments[attr] {
					t.Errorf("%s: %s.%s has no argument %q", name, block.Labels[0], block.Labels[1], attr)
				}
				for _, m := range scopeLiteral.FindAllStringSubmatch(string(a.SrcRange.SliceBytes([]byte(src))), -1) {
					if strings.Contains(attr, "scope") && !pinterest.IsKnownScope(m[1]) {
						t.Errorf("%s: %q is not a Pinterest scope", name, m[1])
					}
				}
			}
			for req, isRequired := range schema.required {
				if _, ok := block.Body.Attributes[req]; isRequired && !ok {
					t.Errorf("%s: %s.%s lacks the required argument %q", name, block.Labels[0], block.Labels[1], req)
				}
			}
		}
	}
	if checked < 15 {
		t.Fatalf("only %d pinterest_* blocks found in the examples and docs; the search is broken", checked)
	}
	t.Logf("%d pinterest_* blocks in examples, README and docs follow the schema", checked)
}
