package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

// clearPinterestEnv makes a test independent of the caller's environment.
func clearPinterestEnv(t *testing.T) {
	for _, names := range [][]string{envClientID, envClientSecret, envAPIURL} {
		for _, n := range names {
			t.Setenv(n, "")
		}
	}
}

// TestConfigureFromEnvironment: with an empty provider block, the app
// credentials and the API URL come from the environment, under the current
// names or the names of Pinterest's sample code, and the current names win.
// The client configured so exchanges a code with the fake. Not parallel: it
// sets environment variables.
func TestConfigureFromEnvironment(t *testing.T) {
	ctx := context.Background()
	for name, env := range map[string]map[string]string{
		"current names": {"PINTEREST_CLIENT_ID": testClientID, "PINTEREST_CLIENT_SECRET": testClientSecret, "PINTEREST_API_URL": ""},
		// The names of Pinterest's sample code; the *_URL and *_ID names win
		// over them.
		"sample code names": {"PINTEREST_APP_ID": testClientID, "PINTEREST_APP_SECRET": testClientSecret, "PINTEREST_API_URI": ""},
		"current names win": {
			"PINTEREST_CLIENT_ID": testClientID, "PINTEREST_APP_ID": "wrong-id",
			"PINTEREST_CLIENT_SECRET": testClientSecret, "PINTEREST_APP_SECRET": "wrong-secret",
			"PINTEREST_API_URL": "", "PINTEREST_API_URI": "https://api.invalid",
		},
	} {
		t.Run(name, func(t *testing.T) {
			e := newTestEnv(t)
			clearPinterestEnv(t)
			for k, v := range env {
				if v == "" {
					v = e.fake.URL() // the API URL variable points at this test's fake
				}
				t.Setenv(k, v)
			}
			p := &pinterestProvider{version: "test", now: e.clock.Now, cacheDir: e.cacheDir}
			var sr provider.SchemaResponse
			p.Schema(ctx, provider.SchemaRequest{}, &sr)
			var resp provider.ConfigureResponse
			p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: objectValue(sr.Schema.Type().TerraformType(ctx), nil)}}, &resp)
			if resp.Diagnostics.HasError() {
				t.Fatal(resp.Diagnostics)
			}
			data, ok := resp.ResourceData.(*providerData)
			if !ok {
				t.Fatalf("resource data %T", resp.ResourceData)
			}
			client, diags := data.requireClient()
			if diags.HasError() {
				t.Fatal(diags)
			}
			ts, err := client.Exchange(ctx, sensitive.New(e.fake.IssueCode(testRedirectURI, "pins:read")), testRedirectURI, true)
			if err != nil || ts.TokenType != "bearer" {
				t.Fatalf("exchange with the configured client: %v", err)
			}
			if n := e.fake.Requests(fakepinterest.TokenPath); n != 1 {
				t.Errorf("token endpoint saw %d requests, want 1", n)
			}
		})
	}
}

func TestAccProvider_missingCredentials(t *testing.T) {
	e := newTestEnv(t)
	clearPinterestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "pinterest" {
  api_url = %q
}
resource "pinterest_oauth_token" "test" {
  redirect_uri       = %q
  authorization_code_wo = "abc"
}`, e.fake.URL(), testRedirectURI),
			ExpectError: errorMatching("Missing Pinterest App Credentials", "client_id (or the environment variable PINTEREST_CLIENT_ID or PINTEREST_APP_ID)", "client_secret (or the environment variable PINTEREST_CLIENT_SECRET or PINTEREST_APP_SECRET)"),
		}},
	})
}

func TestAccProvider_apiURL(t *testing.T) {
	e := newTestEnv(t)
	for _, tc := range []struct{ url, want string }{
		{"http://api.pinterest.com", "only https is allowed there"},
		{"http://10.1.2.3:8080", "only https is allowed there"},
		{"https://api.pinterest.com/v5", "has a path"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
provider "pinterest" {
  client_id     = "1"
  client_secret = "2"
  api_url       = %q
}
resource "pinterest_oauth_token" "test" {
  redirect_uri       = "https://x.example.com/cb"
  authorization_code_wo = "abc"
}`, tc.url),
					ExpectError: errorMatching("Invalid Pinterest API URL", tc.want),
				}},
			})
		})
	}
}

// anyResource makes Terraform configure the provider: a provider block that
// nothing uses is not validated.
const anyResource = `
resource "pinterest_oauth_token" "test" {
  redirect_uri       = "https://x.example.com/cb"
  authorization_code_wo = "abc"
}`

func TestAccProvider_invalidSettings(t *testing.T) {
	e := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config:      `provider "pinterest" { request_timeout = "30" }` + anyResource,
				ExpectError: errorMatching("Invalid Duration", `"30" is not valid here`),
			},
			{
				Config:      `provider "pinterest" { max_retries = 50 }` + anyResource,
				ExpectError: errorMatching("max_retries", "between 0 and 10"),
			},
		},
	})
}

// TestConfigureWarnsOfAForeignHost: the client secret and every token go to
// api_url, so a host that is not Pinterest's is named in a warning; loopback
// and Pinterest's own hosts are not.
func TestConfigureWarnsOfAForeignHost(t *testing.T) {
	ctx := context.Background()
	p := &pinterestProvider{version: "test", now: time.Now}
	var sr provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sr)
	configure := func(apiURL string) diag.Diagnostics {
		null := tftypes.NewValue(tftypes.String, nil)
		raw := tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), map[string]tftypes.Value{
			"client_id": tftypes.NewValue(tftypes.String, "1"), "client_secret": tftypes.NewValue(tftypes.String, "s"),
			"api_url": tftypes.NewValue(tftypes.String, apiURL), "request_timeout": null,
			"max_retries": tftypes.NewValue(tftypes.Number, nil), "access_token": null,
		})
		var resp provider.ConfigureResponse
		p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: raw}}, &resp)
		return resp.Diagnostics
	}
	diags := configure("https://proxy.example.com")
	if diags.HasError() || diags.WarningsCount() != 1 || !strings.Contains(diags.Warnings()[0].Detail(), "proxy.example.com") {
		t.Errorf("a foreign host: %v", diags)
	}
	for _, ok := range []string{"https://api.pinterest.com", "https://api-sandbox.pinterest.com"} {
		if diags := configure(ok); len(diags) != 0 {
			t.Errorf("%s: %v", ok, diags)
		}
	}
	// Loopback is named too, and what silences it: an export of the fake's
	// address that outlived its trial must not go unnoticed.
	diags = configure("http://127.0.0.1:8080")
	if diags.HasError() || diags.WarningsCount() != 1 || !containsInOrder(diagText(diags), "API URL Is a Loopback Address",
		"127.0.0.1:8080", "PINTEREST_ALLOW_LOOPBACK_API_URL=true") {
		t.Errorf("a loopback host: %v", diags)
	}
	t.Setenv("PINTEREST_ALLOW_LOOPBACK_API_URL", "true")
	if diags := configure("http://127.0.0.1:8080"); len(diags) != 0 {
		t.Errorf("a loopback host, allowed: %v", diags)
	}
	diags = configure("https://etl:hunter2-password@proxy.example.com")
	if !diags.HasError() || strings.Contains(fmt.Sprint(diags), "hunter2") {
		t.Errorf("a URL with a password: %v", diags)
	}
}

// TestRequireJournal: pinterest_oauth_token obtains nothing when the cache
// cannot be used (here: a parent another user may write), and says what to
// do; a cache turned off on purpose is no obstacle.
func TestRequireJournal(t *testing.T) {
	parent := filepath.Join(t.TempDir(), "shared")
	if err := os.MkdirAll(parent, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(parent, 0o777); err != nil {
		t.Fatal(err)
	}
	diags := (&providerData{cacheDir: filepath.Join(parent, "cache")}).requireJournal()
	if !diags.HasError() || !containsInOrder(diagText(diags), "Token Cache Unavailable", "Nothing was sent to Pinterest",
		"its parent", "PINTEREST_CACHE_DIR=off") {
		t.Errorf("an unusable cache:\n%s", diagText(diags))
	}
	if diags := (&providerData{cacheDir: ""}).requireJournal(); diags.HasError() {
		t.Errorf("the cache turned off: %v", diags)
	}
}

// TestSchemaDescriptions: every description reads whole in an editor's
// hover: at most 100 words, and no relative link, which resolves on the
// registry's pages only. Guides are linked from the page templates.
func TestSchemaDescriptions(t *testing.T) {
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(&pinterestProvider{version: "test", now: time.Now})()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(where, text string) {
		if n := len(strings.Fields(text)); n > 100 {
			t.Errorf("%s: %d words", where, n)
		}
		if strings.Contains(text, "](.") || strings.Contains(text, "](/") {
			t.Errorf("%s: a relative link in a description: %s", where, text)
		}
	}
	var walk func(string, *tfprotov6.SchemaBlock)
	walk = func(where string, b *tfprotov6.SchemaBlock) {
		check(where, b.Description)
		for _, a := range b.Attributes {
			check(where+"."+a.Name, a.Description)
			if a.NestedType != nil {
				for _, n := range a.NestedType.Attributes {
					check(where+"."+a.Name+"."+n.Name, n.Description)
				}
			}
		}
		for _, nb := range b.BlockTypes {
			walk(where+"."+nb.TypeName, nb.Block)
		}
	}
	walk("provider", resp.Provider.Block)
	for name, s := range resp.ResourceSchemas {
		walk(name, s.Block)
	}
	for name, s := range resp.EphemeralResourceSchemas {
		walk(name, s.Block)
	}
	for name, s := range resp.DataSourceSchemas {
		walk(name, s.Block)
	}
	for name, f := range resp.Functions {
		check(name, f.Description)
		for _, p := range f.Parameters {
			check(name+"."+p.Name, p.Description)
		}
	}
}
