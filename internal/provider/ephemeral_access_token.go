package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
)

var (
	_ ephemeral.EphemeralResource              = (*accessTokenEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*accessTokenEphemeralResource)(nil)
)

// accessTokenEphemeralResource is pinterest_access_token: a refresh, whose
// result lives only for the run. It implements no Renew: the framework's
// Renew cannot hand back new values, and a 30-day access token outlives any
// Terraform run. It implements no Close: Pinterest revokes only system-user
// tokens, so there is nothing to release.
type accessTokenEphemeralResource struct {
	data *providerData
}

func newAccessTokenEphemeralResource() ephemeral.EphemeralResource {
	return &accessTokenEphemeralResource{}
}

type accessTokenModel struct {
	RefreshToken          types.String `tfsdk:"refresh_token"`
	Scopes                types.List   `tfsdk:"scopes"`
	Enabled               types.Bool   `tfsdk:"enabled"`
	AccessToken           types.String `tfsdk:"access_token"`
	TokenType             types.String `tfsdk:"token_type"`
	ExpiresAt             types.String `tfsdk:"expires_at"`
	LatestRefreshToken    types.String `tfsdk:"latest_refresh_token"`
	RefreshTokenExpiresAt types.String `tfsdk:"refresh_token_expires_at"`
}

func (e *accessTokenEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_token"
}

func (e *accessTokenEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Trades a refresh token for a short-lived access token (`grant_type=refresh_token`) that is never " +
			"written to the plan or state. Needs Terraform 1.10 or later.\n\n" +
			"**What each run costs.** Terraform opens an ephemeral resource during `plan` and again during `apply` (even an " +
			"apply with no changes), and every open is one refresh at Pinterest, one request against the app's rate limit. " +
			"With `enabled = terraform.applying` a plan costs nothing and an apply one refresh.\n\n" +
			"**Never lose the newest refresh token.** Under continuous refresh Pinterest answers every refresh with a new " +
			"refresh token, and the one sent may stop working at once. This resource cannot keep anything between runs, so it " +
			"hands the new token back as `latest_refresh_token`, and warns each time it does: write it back to where " +
			"`refresh_token` came from in the same run, for example a secret store's write-only argument. Do not give it the " +
			"`refresh_token` of a `pinterest_oauth_token`; that resource owns its refresh and rotates it on schedule, so read " +
			"its `access_token` instead.",
		Attributes: map[string]schema.Attribute{
			"refresh_token": schema.StringAttribute{
				MarkdownDescription: "The refresh token to trade. It may itself be an ephemeral value, such as a secret read from a secret store.",
				Required:            true,
				Sensitive:           true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"scopes": schema.ListAttribute{
				MarkdownDescription: "Scopes to narrow the access token to (sent as `scope`); each must have been granted to the refresh " +
					"token. After opening, the scopes Pinterest granted.",
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Validators:  []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(knownScope{})},
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether to refresh at all. Defaults to `true`. Set it to `terraform.applying` to skip the refresh " +
					"during plan; the results are then null during plan.",
				Optional: true,
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "The new access token (`pina...`).",
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
				MarkdownDescription: "When `latest_refresh_token` expires (RFC 3339, UTC), when Pinterest returned a new one; otherwise null.",
				Computed:            true,
			},
		},
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
	m.AccessToken, m.TokenType, m.ExpiresAt = types.StringNull(), types.StringNull(), types.StringNull()
	m.LatestRefreshToken, m.RefreshTokenExpiresAt = types.StringNull(), types.StringNull()
	if m.Scopes.IsUnknown() {
		m.Scopes = types.ListNull(types.StringType)
	}
	if !m.Enabled.IsNull() && !m.Enabled.ValueBool() {
		resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
		return
	}

	client, diags := e.data.requireClient()
	resp.Diagnostics.Append(diags...)
	var scopes []string
	if !m.Scopes.IsNull() {
		resp.Diagnostics.Append(m.Scopes.ElementsAs(ctx, &scopes, false)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	given := pinterest.Secret(m.RefreshToken.ValueString())
	ts, err := client.Refresh(ctx, given, scopes)
	if err != nil {
		resp.Diagnostics.Append(refreshDiagnostic(err, path.Root("refresh_token"),
			"To recover, give this resource a refresh token that is current: the newest one written to your secret store, or "+
				"the refresh_token of a pinterest_oauth_token that owns the refresh. If none is current, a person must approve "+
				"again: "+consentHelp))
		return
	}

	m.AccessToken = types.StringValue(ts.AccessToken.Reveal())
	m.TokenType = types.StringValue(ts.TokenType)
	m.ExpiresAt = timeValue(ts.ExpiresAt)
	m.LatestRefreshToken = m.RefreshToken
	if !ts.RefreshToken.IsEmpty() {
		m.LatestRefreshToken = types.StringValue(ts.RefreshToken.Reveal())
		m.RefreshTokenExpiresAt = timeValue(ts.RefreshTokenExpiresAt)
	}
	if ts.RefreshToken != "" && ts.RefreshToken != given {
		// This resource cannot keep anything: only the configuration can
		// carry latest_refresh_token on. Say so every time it matters.
		resp.Diagnostics.AddAttributeWarning(path.Root("refresh_token"), "Refresh Token Replaced",
			"Pinterest answered this refresh with a new refresh token, and the one given may stop working at once. Make sure "+
				"latest_refresh_token is written back to where refresh_token came from in this run (for example a secret "+
				"store's write-only argument), or the next run will be refused. A refresh token owned by a "+
				"pinterest_oauth_token must not be given here: that resource refreshes it itself.")
	}
	granted, diags := scopesValue(ctx, ts.Scopes)
	resp.Diagnostics.Append(diags...)
	m.Scopes = granted
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
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
