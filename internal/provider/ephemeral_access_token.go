package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/ephemeralvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/refreshcache"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

var (
	_ ephemeral.EphemeralResource                     = (*accessTokenEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigure        = (*accessTokenEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigValidators = (*accessTokenEphemeralResource)(nil)
)

// defaultRefreshBefore matches the managed resource's rotate_before, so that
// both refresh a token set at the same point of its life.
const defaultRefreshBefore = defaultRotateBefore

// accessTokenEphemeralResource is pinterest_access_token: an access token
// that lives only for the run. Given the token document a store holds, it
// hands back the stored access token while it has more than refresh_before
// left, and refreshes only inside that window.
//
// It implements no Renew: the framework's Renew cannot hand back new values,
// and a 30-day access token outlives any run. It implements no Close:
// Pinterest revokes only system-user tokens, so there is nothing to release.
type accessTokenEphemeralResource struct {
	data *providerData
}

func newAccessTokenEphemeralResource() ephemeral.EphemeralResource {
	return &accessTokenEphemeralResource{}
}

type accessTokenModel struct {
	RefreshToken          types.String `tfsdk:"refresh_token"`
	TokenDocument         types.String `tfsdk:"token_document"`
	ApplyTime             types.String `tfsdk:"apply_time"`
	RefreshBefore         types.String `tfsdk:"refresh_before"`
	Scopes                types.List   `tfsdk:"scopes"`
	Enabled               types.Bool   `tfsdk:"enabled"`
	AccessToken           types.String `tfsdk:"access_token"`
	TokenType             types.String `tfsdk:"token_type"`
	ExpiresAt             types.String `tfsdk:"expires_at"`
	LatestRefreshToken    types.String `tfsdk:"latest_refresh_token"`
	RefreshTokenExpiresAt types.String `tfsdk:"refresh_token_expires_at"`
	LatestTokenDocument   types.String `tfsdk:"latest_token_document"`
	Generation            types.Int64  `tfsdk:"generation"`
	Refreshed             types.Bool   `tfsdk:"refreshed"`
}

func (e *accessTokenEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_token"
}

func (e *accessTokenEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An access token for the run, never written to the plan or state. Give it the " +
			"[token document](../guides/token-document.md) your secret store holds: while the stored access token has more " +
			"than `refresh_before` left it is handed back as it is, with no call to Pinterest; inside that window the " +
			"provider refreshes (`grant_type=refresh_token`) and returns the next document, `latest_token_document`, which " +
			"the same run must write back to the store. Needs Terraform 1.11 or OpenTofu 1.11, or later.\n\n" +
			"**Set `apply_time = timestamp()`.** Terraform and OpenTofu open an ephemeral resource during `plan` and again " +
			"during `apply`. `timestamp()` is known only during apply, so with it neither CLI opens this resource during " +
			"plan: no refresh is spent on a plan that may never be applied, a plan saved with `-out` and applied later " +
			"refreshes once (at apply), and consumers see \"known after apply\" at plan rather than null, which secret " +
			"stores whose write-only value and version are required together accept.\n\n" +
			"**Never lose the newest refresh token.** Under continuous refresh Pinterest answers every refresh with a new " +
			"refresh token, and the one sent may stop working at once. When this resource refreshes it says so in a " +
			"warning, and keeps the result for 30 minutes on the machine that ran it, encrypted under the refresh token that " +
			"was sent: a second open in the same run (a configuration without `apply_time` is opened at plan and at apply), " +
			"or a new apply after the write-back failed, gets the same new token set instead of a second refresh. Do not " +
			"give it the refresh token or document of a `pinterest_oauth_token`; that resource owns its refresh and " +
			"rotates it on schedule.",
		Attributes: map[string]schema.Attribute{
			"token_document": schema.StringAttribute{
				MarkdownDescription: "The [token document](../guides/token-document.md) the store holds, as written by a " +
					"`pinterest_oauth_token` or by this resource's `latest_token_document`. Exactly one of `token_document` " +
					"and `refresh_token` is required; prefer this one: it lets the provider skip refreshes that are not due.",
				Optional:  true,
				Sensitive: true,
			},
			"refresh_token": schema.StringAttribute{
				MarkdownDescription: "A bare refresh token to trade. With it every open refreshes, since nothing says when the " +
					"last access token expires; use it to start from a token obtained by hand, then store `latest_token_document` " +
					"and give that from the next run on.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"apply_time": schema.StringAttribute{
				MarkdownDescription: "Set it to `timestamp()`. Its value is not used: what matters is that Terraform and " +
					"OpenTofu know it only during apply, so they do not open this resource during plan (see above).",
				Optional: true,
			},
			"refresh_before": schema.StringAttribute{
				MarkdownDescription: "With `token_document`, refresh only when the access token or the refresh token expires " +
					"within this duration, such as `\"168h\"`. Defaults to `\"168h\"` (7 days), like `rotate_before` of " +
					"`pinterest_oauth_token`. A run a day then spends about one refresh every 23 days.",
				Optional:   true,
				Validators: []validator.String{durationAtLeast(0)},
			},
			"scopes": schema.ListAttribute{
				MarkdownDescription: "Scopes to narrow the access token to (sent as `scope`); each must have been granted to the refresh " +
					"token. Only with `refresh_token`: a stored access token cannot be narrowed. After opening, the scopes Pinterest granted.",
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(knownScope{}),
					listvalidator.ConflictsWith(path.MatchRoot("token_document")),
				},
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether to open at all. Defaults to `true`. When `false` nothing is called and every result is " +
					"null. To skip the plan, prefer `apply_time`: null results fail stores that require a write-only value and " +
					"its version together, where \"known after apply\" does not.",
				Optional: true,
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "The access token (`pina...`) to send as `Authorization: Bearer`.",
				Computed:            true,
				Sensitive:           true,
			},
			"token_type": schema.StringAttribute{
				MarkdownDescription: "The token type, `bearer`.",
				Computed:            true,
			},
			"expires_at": schema.StringAttribute{
				MarkdownDescription: "When the access token expires (RFC 3339, UTC); null if Pinterest did not say.",
				Computed:            true,
			},
			"latest_refresh_token": schema.StringAttribute{
				MarkdownDescription: "The refresh token to keep from now on: the new one Pinterest returned, or the one given when none came back.",
				Computed:            true,
				Sensitive:           true,
			},
			"refresh_token_expires_at": schema.StringAttribute{
				MarkdownDescription: "When `latest_refresh_token` expires (RFC 3339, UTC); null if not known.",
				Computed:            true,
			},
			"latest_token_document": schema.StringAttribute{
				MarkdownDescription: "The [token document](../guides/token-document.md) to store from now on. It is the one given " +
					"when nothing was refreshed, and the next generation when this open refreshed: write it back to the store in " +
					"the same run, through a write-only argument.",
				Computed:  true,
				Sensitive: true,
			},
			"generation": schema.Int64Attribute{
				MarkdownDescription: "The generation of `latest_token_document`: the document's own when nothing was refreshed, one " +
					"more when this open refreshed, `1` when started from a bare `refresh_token`.",
				Computed: true,
			},
			"refreshed": schema.BoolAttribute{
				MarkdownDescription: "Whether this run refreshed: Pinterest issued new tokens, and `latest_token_document` must reach " +
					"the store in this run.",
				Computed: true,
			},
		},
	}
}

func (e *accessTokenEphemeralResource) ConfigValidators(context.Context) []ephemeral.ConfigValidator {
	return []ephemeral.ConfigValidator{
		ephemeralvalidator.ExactlyOneOf(path.MatchRoot("token_document"), path.MatchRoot("refresh_token")),
	}
}

func (e *accessTokenEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (e *accessTokenEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	ctx = withLogging(ctx)
	var m accessTokenModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.setDocument(nil, false)
	if m.Scopes.IsUnknown() {
		m.Scopes = types.ListNull(types.StringType)
	}
	if !m.Enabled.IsNull() && !m.Enabled.ValueBool() {
		resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
		return
	}

	now := e.data.now()
	cache := e.data.refreshCache()
	if n, err := cache.Sweep(); err != nil || n > 0 {
		tflog.Debug(ctx, "Swept the refresh cache", map[string]any{"removed": n, "error": fmt.Sprint(err)})
	}

	// What to start from: the stored document, or a bare refresh token.
	var prior *tokendoc.Document
	given, givenPath := pinterest.Secret(m.RefreshToken.ValueString()), path.Root("refresh_token")
	if !m.TokenDocument.IsNull() {
		doc, err := tokendoc.Parse(m.TokenDocument.ValueString())
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("token_document"), "Invalid Token Document",
				"token_document cannot be read: "+err.Error()+". Give it the document a pinterest_oauth_token (token_document) "+
					"or an earlier run of this resource (latest_token_document) wrote to the store, unchanged. See the token "+
					"document guide for its fields.")
			return
		}
		prior, given, givenPath = doc, doc.RefreshToken, path.Root("token_document")
		window := defaultRefreshBeforeDuration
		if v := m.RefreshBefore.ValueString(); v != "" {
			window, _ = time.ParseDuration(v) // validated by the schema
		}
		reason := doc.RefreshReason(now, window)
		if reason == "" {
			tflog.Info(ctx, "Token document is not due for a refresh; handing back its access token", map[string]any{"generation": doc.Generation})
			m.setDocument(doc, false)
			resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
			return
		}
		tflog.Info(ctx, "Token document is due for a refresh", map[string]any{"reason": reason, "generation": doc.Generation})
	}

	next, reused := cachedDocument(cache, given)
	if reused {
		tflog.Info(ctx, "Handing back the token set this machine got for the same refresh token earlier; not refreshing again",
			map[string]any{"generation": next.Generation})
	} else {
		client, diags := e.data.requireClient()
		resp.Diagnostics.Append(diags...)
		var scopes []string
		if !m.Scopes.IsNull() {
			resp.Diagnostics.Append(m.Scopes.ElementsAs(ctx, &scopes, false)...)
		}
		if resp.Diagnostics.HasError() {
			return
		}
		ts, err := client.Refresh(ctx, given, scopes)
		if err != nil {
			resp.Diagnostics.Append(refreshDiagnostic(err, givenPath,
				"To recover, give this resource what the store holds now, if someone stored a newer token set; otherwise a "+
					"person must approve again and a pinterest_oauth_token (or the manual steps) must start a new token set: "+consentHelp))
			return
		}
		next = tokendoc.FromTokenSet(ts, prior)
		if next.RefreshToken.IsEmpty() {
			next.RefreshToken = given // Pinterest sent none: the given one is still the newest
		}
		if err := cache.Put(given, []byte(next.Encode())); err != nil {
			resp.Diagnostics.AddWarning("Refreshed Tokens Not Kept for Reuse",
				"The provider could not keep the new token set on this machine ("+err.Error()+"), so an open of this resource "+
					"later in the run, or a new apply after a failed write-back, cannot get it again. The tokens in this run are "+
					"fine; make sure latest_token_document is stored.")
		}
	}
	m.setDocument(next, true)
	if next.RefreshToken != given {
		resp.Diagnostics.AddAttributeWarning(givenPath, "Refresh Token Replaced", refreshTokenReplacedDetail(next.Generation))
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}

var defaultRefreshBeforeDuration, _ = time.ParseDuration(defaultRefreshBefore)

// refreshTokenReplacedDetail is what every run that refreshed says, so that
// a run whose write-back failed tells on-call what happened and what to do.
func refreshTokenReplacedDetail(generation int64) string {
	return fmt.Sprintf("Pinterest issued a new refresh token in this run (token document generation %d), and the one given "+
		"may stop working at once. latest_token_document must be written back to the store in this run.\n\n"+
		"If anything in this run failed before it was stored, the store still holds a token that no longer works. Apply "+
		"again from this machine within %d minutes: the provider hands back the same new token set (kept encrypted under the old "+
		"refresh token) instead of refreshing again, and the write-back can succeed. After that, a person must approve "+
		"again. %s", generation, int(refreshcache.DefaultTTL.Minutes()), consentHelp)
}

// cachedDocument returns the token set this machine got for given within
// the cache's lifetime, if any.
func cachedDocument(cache *refreshcache.Cache, given pinterest.Secret) (*tokendoc.Document, bool) {
	raw, ok := cache.Get(given)
	if !ok {
		return nil, false
	}
	doc, err := tokendoc.Parse(string(raw))
	if err != nil {
		return nil, false
	}
	return doc, true
}

// setDocument fills the results from doc; a nil doc makes them null.
func (m *accessTokenModel) setDocument(doc *tokendoc.Document, refreshed bool) {
	if doc == nil {
		m.AccessToken, m.TokenType, m.ExpiresAt = types.StringNull(), types.StringNull(), types.StringNull()
		m.LatestRefreshToken, m.RefreshTokenExpiresAt = types.StringNull(), types.StringNull()
		m.LatestTokenDocument, m.Generation, m.Refreshed = types.StringNull(), types.Int64Null(), types.BoolNull()
		return
	}
	m.AccessToken = types.StringValue(doc.AccessToken.Reveal())
	m.TokenType = types.StringValue(doc.TokenType)
	m.ExpiresAt = timeValue(doc.AccessTokenExpiresAt)
	m.LatestRefreshToken = types.StringValue(doc.RefreshToken.Reveal())
	m.RefreshTokenExpiresAt = timeValue(doc.RefreshTokenExpiresAt)
	m.LatestTokenDocument = types.StringValue(doc.Encode())
	m.Generation = types.Int64Value(doc.Generation)
	m.Refreshed = types.BoolValue(refreshed)
	m.Scopes = types.ListNull(types.StringType)
	if doc.Scopes != nil {
		m.Scopes, _ = types.ListValueFrom(context.Background(), types.StringType, doc.Scopes)
	}
}

// knownScope checks a scope name against Pinterest's list.
type knownScope struct{}

var _ validator.String = knownScope{}

func (knownScope) Description(context.Context) string { return "must be a Pinterest API v5 scope" }

func (v knownScope) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (knownScope) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); !pinterest.IsKnownScope(s) {
		resp.Diagnostics.AddAttributeError(req.Path, "Unknown Pinterest Scope", unknownScopeMessage(s)+".")
	}
}
