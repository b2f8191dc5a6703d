// Package provider is the Terraform side of the Pinterest provider: schemas,
// plan logic and diagnostics. Pinterest's protocol lives in package pinterest.
package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/sprighub/terraform-provider-pinterest/internal/journal"
	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokenset"
)

var (
	_ provider.Provider                       = (*pinterestProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*pinterestProvider)(nil)
	_ provider.ProviderWithFunctions          = (*pinterestProvider)(nil)
)

// Environment variables read when the provider block leaves a setting out.
// The PINTEREST_APP_* and *_URI names are those of Pinterest's own sample code.
var (
	envClientID     = []string{"PINTEREST_CLIENT_ID", "PINTEREST_APP_ID"}
	envClientSecret = []string{"PINTEREST_CLIENT_SECRET", "PINTEREST_APP_SECRET"}
	envAPIURL       = []string{"PINTEREST_API_URL", "PINTEREST_API_URI"}
)

const defaultRequestTimeout = 30 * time.Second

// pinterestProvider is the provider. Its clock and HTTP plumbing are fields
// so that tests can move time and shorten retry waits.
type pinterestProvider struct {
	version   string
	now       func() time.Time
	transport http.RoundTripper
	retry     pinterest.RetryPolicy
	// cacheDir keeps refreshed token sets for reuse within a run; see
	// package journal. Empty turns the reuse off.
	cacheDir string
	// noCacheDir: the machine has no cache directory and nobody turned
	// the cache off on purpose, which Configure warns of.
	noCacheDir bool
	// allowLoopback silences the loopback api_url warning, as
	// PINTEREST_ALLOW_LOOPBACK_API_URL=true does (tests against the fake).
	allowLoopback bool
}

// envAllowLoopback, set to true, says that a loopback api_url is meant: a
// trial against the fake Pinterest (make fake prints it), never a real run.
const envAllowLoopback = "PINTEREST_ALLOW_LOOPBACK_API_URL"

// New returns the provider factory that main serves.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		dir := journal.DefaultDir()
		return &pinterestProvider{version: version, now: time.Now, cacheDir: dir,
			noCacheDir: dir == "" && !strings.EqualFold(os.Getenv(journal.EnvDir), "off")}
	}
}

type providerModel struct {
	ClientID       types.String `tfsdk:"client_id"`
	ClientSecret   types.String `tfsdk:"client_secret"`
	APIURL         types.String `tfsdk:"api_url"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	AccessToken    types.String `tfsdk:"access_token"`
}

func (p *pinterestProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "pinterest"
	resp.Version = p.version
}

func (p *pinterestProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Obtains and keeps [Pinterest API](https://developers.pinterest.com/docs/api/v5/) OAuth tokens. " +
			"Every setting is optional: the `authorization_url` function needs none, and missing app credentials are " +
			"reported only when a resource needs them.",
		Attributes: map[string]schema.Attribute{
			"client_id": schema.StringAttribute{
				MarkdownDescription: "The Pinterest app id. Defaults to the environment variable `PINTEREST_CLIENT_ID`, else `PINTEREST_APP_ID`.",
				Optional:            true,
			},
			"client_secret": schema.StringAttribute{
				MarkdownDescription: "The Pinterest app secret. Defaults to the environment variable `PINTEREST_CLIENT_SECRET`, else `PINTEREST_APP_SECRET`.",
				Optional:            true,
				Sensitive:           true,
			},
			"api_url": schema.StringAttribute{
				MarkdownDescription: "Scheme and host of the Pinterest API; `/v5/...` paths are appended. Defaults to the environment variable " +
					"`PINTEREST_API_URL`, else `PINTEREST_API_URI`, else `https://api.pinterest.com`. Use `https://api-sandbox.pinterest.com` for the sandbox. " +
					"Only `https` is accepted, except for loopback hosts (`127.0.0.0/8`, `::1`, `localhost`).",
				Optional: true,
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "How long one HTTP request to Pinterest may take, as a Go duration such as `\"30s\"` or `\"2m\"`. Defaults to `\"30s\"`. " +
					"Retries each get their own timeout.",
				Optional:   true,
				Validators: []validator.String{durationAtLeast(time.Second)},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How often a request is retried after a rate limit (429), a server error (500, 502, 503, 504) or a "+
					"failure before any response, with exponential backoff that honours `Retry-After`. Defaults to `%d`; `0` turns retries off.", pinterest.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 10)},
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "The access token of `pinterest_ad_accounts` when it sets none. Unlike a data source, a provider block takes " +
					"ephemeral values, such as a token read from a secret store during the plan (see `pinterest_ad_accounts`). Never refreshed.",
				Optional:  true,
				Sensitive: true,
			},
		},
	}
}

func (p *pinterestProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	data := &providerData{now: p.now, cacheDir: p.cacheDir,
		accessToken: sensitive.New(cfg.AccessToken.ValueString()), accessTokenUnknown: cfg.AccessToken.IsUnknown()}
	clientID, idKnown := settingOrEnv(cfg.ClientID, envClientID)
	clientSecret, secretKnown := settingOrEnv(cfg.ClientSecret, envClientSecret)
	if clientID == "" {
		data.missing = append(data.missing, missingSetting("client_id", envClientID, idKnown))
	}
	if clientSecret == "" {
		data.missing = append(data.missing, missingSetting("client_secret", envClientSecret, secretKnown))
	}

	apiURL, _ := settingOrEnv(cfg.APIURL, envAPIURL)
	if apiURL == "" {
		apiURL = pinterest.DefaultAPIURL
	}
	if err := pinterest.ValidateAPIURL(apiURL); err != nil {
		resp.Diagnostics.Append(invalidAPIURL(err))
		return
	}

	// The client secret and every token go to api_url: a host that is not
	// Pinterest's is named, loopback too (an export of the fake's address
	// that outlived its trial sends them to whoever listens there next),
	// unless the environment says that loopback is meant.
	switch u, _ := url.Parse(apiURL); { // validated above
	case pinterest.IsPinterestHost(apiURL):
	case pinterest.IsLoopbackHost(u.Hostname()):
		if !p.allowLoopback && !strings.EqualFold(os.Getenv(envAllowLoopback), "true") {
			resp.Diagnostics.Append(loopbackAPIHost(u.Host))
		}
	default:
		resp.Diagnostics.Append(foreignAPIHost(u.Hostname()))
	}

	timeout := defaultRequestTimeout
	if v := cfg.RequestTimeout.ValueString(); v != "" {
		timeout, _ = time.ParseDuration(v) // validated by the schema
	}
	retry := p.retry
	retry.MaxRetries = pinterest.DefaultMaxRetries
	if !cfg.MaxRetries.IsNull() && !cfg.MaxRetries.IsUnknown() {
		retry.MaxRetries = int(cfg.MaxRetries.ValueInt64())
	}

	client, err := pinterest.NewClient(pinterest.Options{
		APIURL:         apiURL,
		ClientID:       clientID,
		ClientSecret:   sensitive.New(clientSecret),
		UserAgent:      fmt.Sprintf("terraform-provider-pinterest/%s (+https://registry.terraform.io/providers/sprighub/pinterest) Terraform/%s", p.version, req.TerraformVersion),
		RequestTimeout: timeout,
		Retry:          retry,
		Transport:      p.transport,
		Now:            p.now,
		Logger:         clientLogger{},
	})
	if err != nil {
		resp.Diagnostics.Append(clientNotConfigured(err))
		return
	}
	data.client = client
	data.binding = journal.Binding(clientID, sensitive.New(clientSecret))
	// Sweep the journal once a run (Tidy), here, before anything opens it. A
	// directory that is not ours (one left by a sudo run) turns reuse and
	// recovery off: say so rather than lose them silently.
	n, unconfirmed, err := data.journal().Tidy()
	if errors.Is(err, journal.ErrUnsafeDir) && os.Getenv(journal.EnvDir) == "" && data.cacheDir != "" {
		// The per-user directory's parents are not safe (a home another
		// user owns, as in CI containers that run as root): a directory
		// of this user's under the sticky temporary directory instead.
		resp.Diagnostics.Append(journalMoved(data.cacheDir, journal.FallbackDir(), err))
		data.cacheDir, data.cache = journal.FallbackDir(), nil
		n, unconfirmed, err = data.journal().Tidy()
	}
	if n > 0 || err != nil {
		tflog.Debug(withLogging(ctx), "Swept the journal", map[string]any{"removed": n, "error": fmt.Sprint(err)})
	}
	if unconfirmed > 0 {
		resp.Diagnostics.Append(unconfirmedExpired(unconfirmed))
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		resp.Diagnostics.Append(journalUnavailable("it cannot use its directory: "+err.Error(),
			"Give the directory back to this user (chown -R), or set "+journal.EnvDir+" to a directory of its own."))
	}
	if p.noCacheDir {
		resp.Diagnostics.Append(journalUnavailable("this machine has no per-user cache directory (is HOME set?)",
			"Set "+journal.EnvDir+" to a directory of this user's, or to off to accept that."))
	}
	resp.ResourceData = data
	resp.DataSourceData = data
	// Without this an ephemeral resource receives no provider data at all.
	resp.EphemeralResourceData = data
}

// settingOrEnv returns the configured value, else the first environment
// variable that is set. known is false when the configured value is not yet
// known (it comes from something that is created in the same run).
func settingOrEnv(v types.String, env []string) (value string, known bool) {
	if v.IsUnknown() {
		return "", false
	}
	if !v.IsNull() && v.ValueString() != "" {
		return v.ValueString(), true
	}
	for _, name := range env {
		if s := os.Getenv(name); s != "" {
			return s, true
		}
	}
	return "", true
}

func missingSetting(attr string, env []string, known bool) string {
	if !known {
		return fmt.Sprintf("%s (its value is not known until apply; use a value known at plan time)", attr)
	}
	return fmt.Sprintf("%s (or the environment variable %s)", attr, strings.Join(env, " or "))
}

func (p *pinterestProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{newOAuthTokenResource, newConversionTokenResource}
}

func (p *pinterestProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{newAccessTokenEphemeralResource}
}

func (p *pinterestProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newUserAccountDataSource, newAdAccountsDataSource}
}

func (p *pinterestProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{newAuthorizationURLFunction}
}

// providerData is what Configure hands to resources.
type providerData struct {
	client   *pinterest.Client
	missing  []string
	now      func() time.Time
	cacheDir string
	binding  []byte // the app's credentials, mixed into every cache key
	cache    *journal.Journal
	// accessToken is the provider block's access_token, for data sources
	// that set none; accessTokenUnknown says it is known only during apply.
	accessToken        sensitive.Secret
	accessTokenUnknown bool
}

// journal is this machine's write-ahead journal (the cache), opened once
// for the provider's life.
func (d *providerData) journal() *journal.Journal {
	if d.cache == nil {
		d.cache = &journal.Journal{Dir: d.cacheDir, Now: d.now, Binding: d.binding}
	}
	return d.cache
}

// warnNotKept says that a token set could not be written to the cache, or
// was obtained without this machine's lock, unless the cache was turned
// off on purpose.
func (d *providerData) warnNotKept(ctx context.Context, out tokenset.Outcome, diags *diag.Diagnostics) {
	if out.KeepErr == nil && out.LockErr == nil {
		return
	}
	if d.cacheDir == "" {
		tflog.Debug(ctx, "The cache is off", map[string]any{"keep_error": fmt.Sprint(out.KeepErr), "lock_error": fmt.Sprint(out.LockErr)})
		return
	}
	if out.KeepErr != nil {
		diags.Append(tokenSetNotKept(out.KeepErr))
	}
	if out.LockErr != nil {
		diags.Append(tokenSetNotLocked(out.LockErr))
	}
}

// requireJournal refuses to obtain a managed token set when the cache
// cannot be used, unless it was turned off on purpose: a run killed after
// Pinterest answered would lose the newest refresh token.
func (d *providerData) requireJournal() diag.Diagnostics {
	if d.cacheDir == "" {
		return nil
	}
	if err := d.journal().Usable(); err != nil {
		return diag.Diagnostics{journalRequired(err)}
	}
	return nil
}

// requireClient returns the client, or an error naming what is missing.
func (d *providerData) requireClient() (*pinterest.Client, diag.Diagnostics) {
	if len(d.missing) > 0 {
		return nil, diag.Diagnostics{missingCredentials(d.missing)}
	}
	return d.client, nil
}

// providerDataFrom unpacks the provider data given to Configure of a
// resource or ephemeral resource.
func providerDataFrom(raw any, diags *diag.Diagnostics) *providerData {
	if raw == nil {
		return nil // the provider is not configured yet (validation)
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.Append(unexpectedProviderData(raw))
		return nil
	}
	return data
}

// bearerShape is RFC 6750's b64token: what a bearer token may be.
var bearerShape = regexp.MustCompile(`^[A-Za-z0-9._~+/-]+=*$`)

// notAnAccessToken says why s cannot be an access token, or "". A refresh
// or conversion token (pinr, pinc), or a whole token document, sent as a
// bearer would travel in headers that proxies may log.
func notAnAccessToken(s string) string {
	switch {
	case s == "": // unset
		return ""
	case strings.HasPrefix(s, "{"):
		return "is a whole JSON document, such as the token document, not its access token"
	case strings.HasPrefix(s, "pinr") || strings.HasPrefix(s, "pinc"):
		return "is a refresh or conversion token (" + s[:4] + "...), not an access token (pina...)"
	case !bearerShape.MatchString(s):
		return "holds characters a bearer token cannot (spaces, line breaks, quotes or others)"
	}
	return ""
}

// readToken is the access token a data source reads with: its own
// access_token, else the provider block's. fromProvider says which, so that
// a refusal names the right place.
func (d *providerData) readToken(own types.String, dataSource string) (tok sensitive.Secret, fromProvider bool, problem diag.Diagnostic) {
	switch {
	case own.IsUnknown(): // Terraform reads a data source only once its arguments are known
		return sensitive.Secret{}, false, providerNotConfigured()
	case !own.IsNull():
		return sensitive.New(own.ValueString()), false, nil
	case d.accessTokenUnknown:
		return sensitive.Secret{}, true, providerTokenUnknown(dataSource)
	case d.accessToken.IsEmpty():
		return sensitive.Secret{}, true, missingAccessToken(dataSource)
	}
	// It comes from a store anyone with write access fills: refuse what
	// would send another secret in its place. Only the data source that
	// reads with it fails; the provider's resources go on.
	if why := notAnAccessToken(d.accessToken.Reveal()); why != "" {
		return sensitive.Secret{}, true, invalidAccessToken(dataSource, why)
	}
	return d.accessToken, true, nil
}
