package provider

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/ephemeral/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/ephemeralvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokenset"
)

var (
	_ ephemeral.EphemeralResource                     = (*accessTokenEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigure        = (*accessTokenEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigValidators = (*accessTokenEphemeralResource)(nil)
)

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

func (e *accessTokenEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_token"
}

func (e *accessTokenEphemeralResource) Schema(ctx context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An access token for the run, never in plan or state. From a stored token document it returns " +
			"the stored access token while more than `refresh_before` is left; otherwise it refreshes and returns " +
			"`latest_token_document`, which the same run must write back. Set `apply_time = timestamp()`.",
		Attributes: map[string]schema.Attribute{
			"token_document": schema.StringAttribute{
				MarkdownDescription: "The store's token document, as the last run's `latest_token_document` wrote it. Exactly one " +
					"of `token_document` and `refresh_token`; prefer this one, which skips refreshes not due.",
				Optional:  true,
				Sensitive: true,
			},
			"refresh_token": schema.StringAttribute{
				MarkdownDescription: "A bare refresh token to trade, to start from a token obtained by hand. Every open refreshes " +
					"with it: store `latest_token_document` and give that from the next run on.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"apply_time": schema.StringAttribute{
				MarkdownDescription: "Set it to `timestamp()`, which is known only during apply, so that Terraform and OpenTofu " +
					"open this resource during apply and never during plan. Either `apply_time` or `enabled` must be set.",
				Optional: true,
			},
			"refresh_before": schema.StringAttribute{
				MarkdownDescription: "With `token_document`, refresh only when a token expires within this duration. Defaults to " +
					"`\"168h\"` (7 days), like `rotate_before`.",
				Optional: true,
				Validators: []validator.String{
					durationAtLeast(0), stringvalidator.AlsoRequires(path.MatchRoot("token_document")),
				},
			},
			"requested_scopes": schema.ListAttribute{
				MarkdownDescription: "Scopes to narrow the access token to (sent as `scope`); each must have been granted to the " +
					"refresh token. Only with `refresh_token`: a stored access token cannot be narrowed.",
				ElementType: types.StringType,
				Optional:    true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(knownScope{}),
					listvalidator.ConflictsWith(path.MatchRoot("token_document")),
				},
			},
			"scopes": schema.ListAttribute{
				MarkdownDescription: "The scopes of `access_token`, sorted.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether to open at all. Defaults to `true`; when `false` every result is null. Without " +
					"`apply_time` it opens during plan: a plan that refreshes and is not applied on this machine within 30 minutes " +
					"loses the new token.",
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
			"access_token_expires_at": schema.StringAttribute{
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
				MarkdownDescription: "The token document to store from now on: the one given, or the next generation after a " +
					"refresh. Write it back in the same run, through a write-only argument.",
				Computed:  true,
				Sensitive: true,
			},
			"generation": schema.Int64Attribute{
				MarkdownDescription: "The generation of `latest_token_document`; `1` when started from a bare `refresh_token`.",
				Computed:            true,
			},
			"timeouts": timeouts.AttributesWithOpts(ctx, timeouts.Opts{
				OpenDescription: "How long the whole open may take, retries and their waits included, as a duration such as " +
					"`\"2m\"`. Defaults to `\"5m\"`; `request_timeout` of the provider still bounds each request.",
			}),
			"refreshed": schema.BoolAttribute{
				MarkdownDescription: "Whether `latest_token_document` holds a new token set (refreshed now, or handed back from a " +
					"refresh on this machine in the last 30 minutes), which must reach the store in this run.",
				Computed: true,
			},
		},
	}
}

func (e *accessTokenEphemeralResource) ConfigValidators(context.Context) []ephemeral.ConfigValidator {
	return []ephemeral.ConfigValidator{
		ephemeralvalidator.ExactlyOneOf(path.MatchRoot("token_document"), path.MatchRoot("refresh_token")),
		planPhaseChoice{},
	}
}

func (e *accessTokenEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Open reads top to bottom: decode, let the core decide and advance, warn.
func (e *accessTokenEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	ctx = withLogging(ctx)
	var m accessTokenModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.setDocument(nil, false)
	if !m.Enabled.IsNull() && !m.Enabled.ValueBool() {
		resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
		return
	}
	in := m.openInputs(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, in.timeout)
	defer cancel()

	client, clientDiags := e.client()
	out, err := tokenset.Obtain(ctx, client, e.data.journal(), in.prior, in.given, e.data.now(), m.policy(), in.scopes)
	if err != nil {
		resp.Diagnostics.Append(in.failure(err, clientDiags)...)
		return
	}
	tflog.Info(ctx, "Token set obtained", map[string]any{
		"decision": out.Decision.Action.String(), "reason": out.Decision.Reason, "reused": out.Reused, "generation": out.Doc.Generation,
	})
	m.setDocument(out.Doc, out.Refreshed)
	resp.Diagnostics.Append(in.warnings(ctx, out)...)
	e.data.warnNotKept(ctx, out, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}

// openInputs is what an open starts from.
type openInputs struct {
	prior     *tokendoc.Document // the stored document, or nil for a bare refresh token
	given     sensitive.Secret   // the refresh token to trade
	givenPath path.Path          // where it came from, for diagnostics
	scopes    []string
	timeout   time.Duration
}

func (m *accessTokenModel) openInputs(ctx context.Context, diags *diag.Diagnostics) openInputs {
	var in openInputs
	if !m.RequestedScopes.IsNull() && !m.RequestedScopes.IsUnknown() {
		diags.Append(m.RequestedScopes.ElementsAs(ctx, &in.scopes, false)...)
	}
	var d diag.Diagnostics
	in.timeout, d = m.Timeouts.Open(ctx, defaultCreateTimeout)
	diags.Append(d...)
	in.prior, in.givenPath = m.priorDocument(diags)
	in.given = sensitive.New(m.RefreshToken.ValueString())
	if in.prior != nil {
		in.given = in.prior.RefreshToken
	}
	return in
}

// client is the provider's client, or one that fails only if the core has
// to call Pinterest: a set that is not due needs no app credentials.
func (e *accessTokenEphemeralResource) client() (tokenset.Client, diag.Diagnostics) {
	c, diags := e.data.requireClient()
	if diags.HasError() {
		return unconfiguredClient{}, diags
	}
	return c, diags
}

func (in openInputs) failure(err error, clientDiags diag.Diagnostics) diag.Diagnostics {
	if errors.Is(err, pinterest.ErrMissingCredentials) && clientDiags.HasError() {
		return clientDiags
	}
	return diag.Diagnostics{diagnose(err, failure{op: opOpen, path: in.givenPath, generation: generationOf(in.prior)})}
}

// warnings say when a result came back from an earlier run. A routine
// refresh is no warning: it is the pattern working, and the `refreshed`
// result and the log say it; a write-back that then fails is the store's
// error, and the runbook's "a run failed after a refresh" says what to do.
func (in openInputs) warnings(ctx context.Context, out tokenset.Outcome) diag.Diagnostics {
	var diags diag.Diagnostics
	switch {
	case out.Reused:
		diags.Append(handedBackAgain(in.givenPath, out.Doc.Generation, afterRefreshInRun))
	case out.Refreshed && !out.Doc.RefreshToken.Equal(in.given):
		tflog.Info(ctx, "Pinterest issued a new refresh token: latest_token_document must be written back to the store in this run",
			map[string]any{"generation": out.Doc.Generation})
	}
	return diags
}

// priorDocument parses token_document, if given, and refuses one that was
// handed off to a consumer that refreshes it itself. It returns the
// attribute the refresh token comes from, for diagnostics.
func (m *accessTokenModel) priorDocument(diags *diag.Diagnostics) (*tokendoc.Document, path.Path) {
	if m.TokenDocument.IsNull() {
		return nil, path.Root("refresh_token")
	}
	at := path.Root("token_document")
	doc, err := tokendoc.Parse(m.TokenDocument.ValueString())
	switch {
	case err != nil:
		diags.Append(invalidTokenDocument(at, err))
		return nil, at
	case doc.HandedOff:
		diags.Append(documentHandedOff(at, doc.Generation))
		return nil, at
	}
	return doc, at
}

// unconfiguredClient stands in for a client without app credentials: it
// fails only if the core has to call Pinterest.
type unconfiguredClient struct{}

func (unconfiguredClient) Exchange(context.Context, sensitive.Secret, string, bool) (*pinterest.TokenSet, error) {
	return nil, pinterest.ErrMissingCredentials
}

func (unconfiguredClient) Refresh(context.Context, sensitive.Secret, []string) (*pinterest.TokenSet, error) {
	return nil, pinterest.ErrMissingCredentials
}

func generationOf(doc *tokendoc.Document) int64 {
	if doc == nil {
		return 0
	}
	return doc.Generation
}
