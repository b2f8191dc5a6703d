package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
)

var (
	_ resource.Resource                     = (*oauthTokenResource)(nil)
	_ resource.ResourceWithConfigure        = (*oauthTokenResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*oauthTokenResource)(nil)
	_ resource.ResourceWithConfigValidators = (*oauthTokenResource)(nil)
	_ resource.ResourceWithImportState      = (*oauthTokenResource)(nil)
)

const (
	defaultCreateTimeout = 5 * time.Minute
	defaultRotateBefore  = "168h"
)

// adoptRecovery and rotationRecovery say how to get going again when
// Pinterest refuses a refresh token.
const (
	adoptRecovery = "Give refresh_token_wo a refresh token that is current (the newest one issued; under continuous refresh every " +
		"refresh ends the previous one), with a new refresh_token_wo_version, or start from a new code instead: " + consentHelp
	rotationRecovery = "The stored token set cannot be refreshed. Two ways back, each starts a new token set in place (generation counts on): (1) a new code: " +
		"set authorization_code_wo to a new code and change authorization_code_wo_version (or set authorization_code to the " +
		"new code). " + consentHelp + " (2) adopt a current refresh token, if another holder has one: set refresh_token_wo to " +
		"it and change refresh_token_wo_version. Then apply again."
)

// oauthTokenResource is pinterest_oauth_token: a token set obtained by
// exchanging an authorization code. A token set is not a remote object that
// can be read back, so Read makes no call and Delete only forgets.
type oauthTokenResource struct {
	data *providerData
}

func newOAuthTokenResource() resource.Resource { return &oauthTokenResource{} }

type oauthTokenModel struct {
	ID                         types.String   `tfsdk:"id"`
	RedirectURI                types.String   `tfsdk:"redirect_uri"`
	AuthorizationCode          types.String   `tfsdk:"authorization_code"`
	AuthorizationCodeWO        types.String   `tfsdk:"authorization_code_wo"`
	AuthorizationCodeWOVersion types.String   `tfsdk:"authorization_code_wo_version"`
	RefreshTokenWO             types.String   `tfsdk:"refresh_token_wo"`
	RefreshTokenWOVersion      types.String   `tfsdk:"refresh_token_wo_version"`
	ContinuousRefresh          types.Bool     `tfsdk:"continuous_refresh"`
	RotateBefore               types.String   `tfsdk:"rotate_before"`
	RotationTriggers           types.Map      `tfsdk:"rotation_triggers"`
	RequiredScopes             types.Set      `tfsdk:"required_scopes"`
	RevokeOnDestroy            types.Bool     `tfsdk:"revoke_on_destroy"`
	AccessToken                types.String   `tfsdk:"access_token"`
	RefreshToken               types.String   `tfsdk:"refresh_token"`
	TokenType                  types.String   `tfsdk:"token_type"`
	Scopes                     types.List     `tfsdk:"scopes"`
	ExpiresAt                  types.String   `tfsdk:"expires_at"`
	RefreshTokenExpiresAt      types.String   `tfsdk:"refresh_token_expires_at"`
	Generation                 types.Int64    `tfsdk:"generation"`
	TokenDocument              types.String   `tfsdk:"token_document"`
	UserAccount                types.Object   `tfsdk:"user_account"`
	Timeouts                   timeouts.Value `tfsdk:"timeouts"`
}

// userAccountAttrTypes describes the user_account object.
var userAccountAttrTypes = map[string]attr.Type{
	"id":           types.StringType,
	"username":     types.StringType,
	"account_type": types.StringType,
}

func (r *oauthTokenResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_oauth_token"
}

func (r *oauthTokenResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := stringplanmodifier.UseStateForUnknown()
	resp.Schema = schema.Schema{
		MarkdownDescription: "Exchanges a Pinterest OAuth authorization code for an access token and a refresh token " +
			"(`grant_type=authorization_code`), keeps them in state, and keeps them fresh.\n\n" +
			"**Rotation.** When a plan finds that the access token or the refresh token expires within `rotate_before`, or " +
			"`rotation_triggers` changed, it plans an in-place update, and the apply refreshes the tokens " +
			"(`grant_type=refresh_token`). Nothing is refreshed during `plan` or refresh: a token minted then would be thrown " +
			"away, and under continuous refresh that ends access. Run `terraform apply` on a schedule (daily is plenty) and " +
			"the token set stays alive indefinitely. Each rotation stores the newest refresh token and increments " +
			"`generation`, which secret stores' `*_wo_version` arguments can follow.\n\n" +
			"**Starting.** Exactly one of `authorization_code_wo`, `authorization_code` (a code from the consent page) or " +
			"`refresh_token_wo` (adopting a refresh token the team already holds) starts the resource.\n\n" +
			"**Recovery.** If Pinterest refuses the stored refresh token (someone else refreshed it, access was revoked, or it " +
			"went unused for 60 days), the apply fails and says so. Start again with a new code (`authorization_code_wo` " +
			"with a new `authorization_code_wo_version`) or adopt a current refresh token (`refresh_token_wo` with a new " +
			"`refresh_token_wo_version`); either starts a new token set in place, and `generation` counts on from the old one.\n\n" +
			"A token set is not a remote object: reading the resource makes no call to Pinterest, and destroying it only " +
			"removes the tokens from state unless `revoke_on_destroy` is set. Import is not supported: start from a code or " +
			"adopt a refresh token instead.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "A random identifier of this token set, made at create. It is not derived from any secret.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{keep},
			},
			"redirect_uri": schema.StringAttribute{
				MarkdownDescription: "The redirect URI that was on the consent page; Pinterest requires the exchange to send the same " +
					"value, and it must be registered on the app. Changing it later has no effect on the tokens.",
				Required:   true,
				Validators: []validator.String{absoluteURL{}},
			},
			"authorization_code": schema.StringAttribute{
				MarkdownDescription: "The `code` Pinterest appended to the redirect URI after consent. It is exchanged once, at create, " +
					"and must be used within 10 minutes of consent. Keeping the spent code in the configuration, or removing it, " +
					"plans no change; a different code starts a new token set in place (a new exchange). Prefer `authorization_code_wo`, " +
					"which is never stored. Exactly one of `authorization_code` and `authorization_code_wo` is needed at create.",
				Optional:      true,
				Computed:      true,
				Sensitive:     true,
				PlanModifiers: []planmodifier.String{spentGrantModifier{}},
			},
			"authorization_code_wo": schema.StringAttribute{
				MarkdownDescription: "The authorization code, as a write-only argument: it is sent to Pinterest at create and never " +
					"stored in the plan or state. Needs Terraform 1.11 or later. Change `authorization_code_wo_version` to exchange a new code.",
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
			},
			"authorization_code_wo_version": schema.StringAttribute{
				MarkdownDescription: "Any string; changing it starts a new token set in place with a new exchange of `authorization_code_wo`. " +
					"Removing it plans no change.",
				Optional:      true,
				Computed:      true,
				PlanModifiers: []planmodifier.String{spentGrantModifier{}},
			},
			"refresh_token_wo": schema.StringAttribute{
				MarkdownDescription: "A refresh token the team already holds (for example one obtained with the manual `curl` steps), " +
					"as a write-only argument: the resource starts from it instead of a code. The provider refreshes once, at " +
					"create, to check it and learn the token set; under continuous refresh the token given stops being the " +
					"current one. Needs Terraform 1.11 or later.",
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
			},
			"refresh_token_wo_version": schema.StringAttribute{
				MarkdownDescription: "Any string; changing it starts a new token set in place, adopting `refresh_token_wo` anew. Removing it plans no change.",
				Optional:            true,
				Computed:            true,
				PlanModifiers:       []planmodifier.String{spentGrantModifier{}},
			},
			"rotate_before": schema.StringAttribute{
				MarkdownDescription: "Rotate when the access token or the refresh token expires within this duration, such as " +
					"`\"168h\"`. Defaults to `\"168h\"` (7 days). `\"0s\"` turns time-based rotation off.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(defaultRotateBefore),
				Validators: []validator.String{durationAtLeast(0)},
			},
			"rotation_triggers": schema.MapAttribute{
				MarkdownDescription: "Arbitrary values; any change refreshes the tokens in place (never a replacement). Tie it to " +
					"`time_rotating` or to a pipeline's own schedule.",
				ElementType: types.StringType,
				Optional:    true,
			},
			"required_scopes": schema.SetAttribute{
				MarkdownDescription: "Scopes the token set must have. If Pinterest granted fewer, the apply fails naming the missing " +
					"scopes; the tokens are kept in state (a new resource is tainted), never lost.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Set{setvalidator.ValueStringsAre(knownScope{})},
			},
			"revoke_on_destroy": schema.BoolAttribute{
				MarkdownDescription: "Revoke both tokens at Pinterest on destroy. Pinterest revokes only tokens issued to system users " +
					"today; for others it answers 403, which becomes a warning, and the tokens stay valid until they expire. " +
					"Defaults to `false`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"continuous_refresh": schema.BoolAttribute{
				MarkdownDescription: "Ask for a continuous refresh token (`continuous_refresh=true`), which every refresh replaces with a " +
					"new 60-day token. Apps created before 2025-09-25 must ask; later apps get one anyway. Defaults to `true`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "The access token (`pina...`), sent as `Authorization: Bearer` to the Pinterest API.",
				Computed:            true,
				Sensitive:           true,
				PlanModifiers:       []planmodifier.String{keep},
			},
			"refresh_token": schema.StringAttribute{
				MarkdownDescription: "The refresh token (`pinr...`), which data pipelines trade for new access tokens. Under continuous " +
					"refresh each refresh returns a new one and the previous one may stop working at once: store the newest.",
				Computed:      true,
				Sensitive:     true,
				PlanModifiers: []planmodifier.String{keep},
			},
			"token_type": schema.StringAttribute{
				MarkdownDescription: "The token type, `bearer`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{keep},
			},
			"scopes": schema.ListAttribute{
				MarkdownDescription: scopesResultDescription,
				ElementType:         types.StringType,
				Computed:            true,
				PlanModifiers:       []planmodifier.List{listplanmodifier.UseStateForUnknown()},
			},
			"expires_at": schema.StringAttribute{
				MarkdownDescription: "When the access token expires (RFC 3339, UTC); null if Pinterest did not say.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{keep},
			},
			"refresh_token_expires_at": schema.StringAttribute{
				MarkdownDescription: "When the refresh token expires (RFC 3339, UTC); null if Pinterest did not say.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{keep},
			},
			"generation": schema.Int64Attribute{
				MarkdownDescription: "Starts at 1 and grows by one with every rotation and every new start (a new code, an adopted " +
					"refresh token), so a store that follows it sees a new version each time. Only a new resource (after a " +
					"destroy, a taint or `-replace`) starts again at 1. Use it as a secret " +
					"store's `*_wo_version` so that every new token set is written on.",
				Computed:      true,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"token_document": schema.StringAttribute{
				MarkdownDescription: "The token set as the [token document](../guides/token-document.md) that secret stores hold: " +
					"JSON with the access token and its expiry, the refresh token and its expiry, the scopes and `generation`. " +
					"Write it to a store's write-only argument, with `generation` as its version; the ETL job reads its " +
					"`access_token`.",
				Computed:      true,
				Sensitive:     true,
				PlanModifiers: []planmodifier.String{keep},
			},
			"user_account": schema.SingleNestedAttribute{
				MarkdownDescription: "The Pinterest account the tokens act for, read from `GET /v5/user_account` after each exchange " +
					"or refresh when the granted scopes include `user_accounts:read`; otherwise null.",
				Computed:      true,
				PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
				Attributes: map[string]schema.Attribute{
					"id":           schema.StringAttribute{MarkdownDescription: "The account id.", Computed: true},
					"username":     schema.StringAttribute{MarkdownDescription: "The account's username.", Computed: true},
					"account_type": schema.StringAttribute{MarkdownDescription: "`PINNER` or `BUSINESS`.", Computed: true},
				},
			},
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{Create: true, Update: true}),
		},
	}
}

const scopesResultDescription = "The scopes Pinterest granted, sorted. Pinterest lists every scope the user approved for the app."

func (r *oauthTokenResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *oauthTokenResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.Conflicting(path.MatchRoot("authorization_code"), path.MatchRoot("authorization_code_wo"), path.MatchRoot("refresh_token_wo")),
	}
}

// ModifyPlan checks, at create, that exactly one way to start was given, and
// afterwards decides whether the tokens are due for rotation or a new start.
func (r *oauthTokenResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var config, plan oauthTokenModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		requireStart(config, &resp.Diagnostics)
		return
	}

	var state oauthTokenModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if restartRequested(state, plan) {
		// A new code or an adopted refresh token starts a new token set in
		// place, so that generation goes on counting from the old one and
		// a store that follows it always sees a new version.
		requireStart(config, &resp.Diagnostics)
		tflog.Info(ctx, "Planning a new start of the token set")
		plan.markRotating()
		plan.ID = types.StringUnknown()
		plan.Generation = types.Int64Value(state.Generation.ValueInt64() + 1)
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	reason := rotationReason(state, plan, r.now())
	if reason == "" {
		return
	}
	tflog.Info(ctx, "Planning token rotation", map[string]any{"reason": reason})
	plan.markRotating()
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// requireStart reports a configuration that gives no way to start.
func requireStart(config oauthTokenModel, diags *diag.Diagnostics) {
	if config.AuthorizationCode.IsNull() && config.AuthorizationCodeWO.IsNull() && config.RefreshTokenWO.IsNull() {
		diags.AddAttributeError(path.Root("authorization_code"), "Missing Authorization Code",
			"Starting a pinterest_oauth_token needs an authorization code to exchange: set authorization_code_wo (Terraform 1.11+, "+
				"never stored) or authorization_code. "+consentHelp+" The code is valid for 10 minutes. To start from a refresh "+
				"token the team already holds, set refresh_token_wo instead.")
	}
}

// restartRequested reports a new code or a new version of a write-only
// start in the plan. spentGrantModifier keeps the stored values when the
// configuration repeats or drops them, so any difference is a new start.
func restartRequested(state, plan oauthTokenModel) bool {
	return !plan.AuthorizationCode.Equal(state.AuthorizationCode) ||
		!plan.AuthorizationCodeWOVersion.Equal(state.AuthorizationCodeWOVersion) ||
		!plan.RefreshTokenWOVersion.Equal(state.RefreshTokenWOVersion)
}

// now reads the provider's clock; before the provider is configured (as in
// validation) it falls back to the wall clock.
func (r *oauthTokenResource) now() time.Time {
	if r.data != nil && r.data.now != nil {
		return r.data.now()
	}
	return time.Now()
}

func (r *oauthTokenResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = withLogging(ctx)
	var plan, config oauthTokenModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	createTimeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	client, diags := r.data.requireClient()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, createTimeout)
	defer cancel()

	state := plan
	state.Generation = types.Int64Value(1)
	if ts := r.start(ctx, client, config, &state, &resp.Diagnostics); ts != nil {
		r.store(ctx, client, &state, ts, &resp.State, &resp.Diagnostics)
	}
}

// start exchanges the configured code, or adopts the configured refresh
// token, and returns the token set, or nil after reporting why not. m
// receives a new id, and the adopted refresh token in case Pinterest sends
// none back.
func (r *oauthTokenResource) start(ctx context.Context, client *pinterest.Client, config oauthTokenModel, m *oauthTokenModel, diags *diag.Diagnostics) *pinterest.TokenSet {
	var ts *pinterest.TokenSet
	var err error
	if adopt := config.RefreshTokenWO.ValueString(); adopt != "" {
		// Adoption: one refresh checks the token and learns the token set.
		m.RefreshToken = types.StringValue(adopt)
		m.RefreshTokenExpiresAt = types.StringNull()
		ts, err = client.Refresh(ctx, pinterest.NewSecret(adopt), nil)
		if err != nil {
			diags.Append(refreshDiagnostic(err, path.Root("refresh_token_wo"), adoptRecovery))
			return nil
		}
	} else {
		code, codePath := config.AuthorizationCode.ValueString(), path.Root("authorization_code")
		if code == "" {
			code, codePath = config.AuthorizationCodeWO.ValueString(), path.Root("authorization_code_wo")
		}
		ts, err = client.Exchange(ctx, pinterest.NewSecret(code), m.RedirectURI.ValueString(), m.ContinuousRefresh.ValueBool())
		if err != nil {
			diags.Append(exchangeDiagnostic(err, codePath, m.RedirectURI.ValueString()))
			return nil
		}
	}
	m.ID = types.StringValue(newID())
	return ts
}

// store saves a token set Pinterest just issued, and only then looks up the
// account and checks the scopes: whatever fails after a successful exchange
// or refresh, the new tokens are in state, because under continuous refresh
// the previous refresh token may already be dead.
func (r *oauthTokenResource) store(ctx context.Context, client *pinterest.Client, m *oauthTokenModel, ts *pinterest.TokenSet, state *tfsdk.State, diags *diag.Diagnostics) {
	diags.Append(m.setTokens(ctx, ts)...)
	diags.Append(m.setDocument(ctx)...)
	m.UserAccount = types.ObjectNull(userAccountAttrTypes)
	if diags.Append(state.Set(ctx, m)...); diags.HasError() {
		return
	}

	if slices.Contains(ts.Scopes, "user_accounts:read") {
		ua, err := client.UserAccount(ctx, ts.AccessToken)
		if err != nil {
			diags.AddWarning("Pinterest Account Not Identified",
				"The tokens were saved, but reading the account behind them (GET /v5/user_account) failed, so user_account is "+
					"null until the next rotation. Nothing needs to be done about the tokens.\n\nError: "+err.Error())
		} else {
			obj, d := types.ObjectValue(userAccountAttrTypes, map[string]attr.Value{
				"id": types.StringValue(ua.ID), "username": types.StringValue(ua.Username), "account_type": types.StringValue(ua.AccountType),
			})
			diags.Append(d...)
			m.UserAccount = obj
			diags.Append(state.Set(ctx, m)...)
		}
	}

	if missing, askFor := m.scopeShortfall(ctx, ts.Scopes, diags); len(missing) > 0 {
		diags.AddAttributeError(path.Root("required_scopes"), "Missing Pinterest Scopes",
			fmt.Sprintf("Pinterest granted %s, which lacks %s. The tokens were saved in state and nothing was lost, but this "+
				"token set cannot do what required_scopes asks. Build a consent URL that asks for every scope needed, for example "+
				"provider::pinterest::authorization_url(client_id, redirect_uri, %s, state), have the account owner approve it, "+
				"and start again with the new code (authorization_code_wo with a new authorization_code_wo_version).",
				quotedList(ts.Scopes), quotedList(missing), hclList(askFor)))
	}
}

// Read makes no call: the framework hands back the prior state unchanged.
// Refreshing here would mint tokens during plan that are thrown away when the
// plan ends, and under continuous refresh that destroys access.
func (r *oauthTokenResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update starts a new token set when ModifyPlan planned a new start, refreshes
// the tokens when it planned a rotation (the token attributes are unknown in
// the plan either way), and otherwise only stores arguments.
func (r *oauthTokenResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx = withLogging(ctx)
	var plan, prior oauthTokenModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.AccessToken.IsUnknown() {
		if plan.TokenDocument.IsUnknown() {
			// A state written before token_document existed: fill it in,
			// with no call to Pinterest.
			resp.Diagnostics.Append(plan.setDocument(ctx)...)
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}

	updateTimeout, diags := plan.Timeouts.Update(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	client, diags := r.data.requireClient()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &prior)...)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, updateTimeout)
	defer cancel()

	state := plan
	state.Generation = types.Int64Value(prior.Generation.ValueInt64() + 1)
	if restartRequested(prior, plan) {
		var config oauthTokenModel
		resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
		var ts *pinterest.TokenSet
		if !resp.Diagnostics.HasError() {
			ts = r.start(ctx, client, config, &state, &resp.Diagnostics)
		}
		if ts == nil {
			// Nothing was issued: keep the prior token set as it was.
			resp.Diagnostics.Append(resp.State.Set(ctx, &prior)...)
			return
		}
		r.store(ctx, client, &state, ts, &resp.State, &resp.Diagnostics)
		return
	}
	ts, err := client.Refresh(ctx, pinterest.NewSecret(prior.RefreshToken.ValueString()), nil)
	if err != nil {
		// Nothing was issued: keep the prior token set as it was.
		resp.Diagnostics.Append(refreshDiagnostic(err, path.Root("refresh_token"), rotationRecovery))
		resp.Diagnostics.Append(resp.State.Set(ctx, &prior)...)
		return
	}
	state.RefreshToken = prior.RefreshToken // replaced only if Pinterest sent a new one
	state.RefreshTokenExpiresAt = prior.RefreshTokenExpiresAt
	r.store(ctx, client, &state, ts, &resp.State, &resp.Diagnostics)
}

// Delete forgets the tokens, revoking them first when revoke_on_destroy is set.
func (r *oauthTokenResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = withLogging(ctx)
	var state oauthTokenModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !state.RevokeOnDestroy.ValueBool() {
		return
	}
	client, diags := r.data.requireClient()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, tok := range []struct{ value, hint string }{
		{state.RefreshToken.ValueString(), "refresh_token"},
		{state.AccessToken.ValueString(), "access_token"},
	} {
		if tok.value == "" {
			continue
		}
		err := client.Revoke(ctx, pinterest.NewSecret(tok.value), tok.hint)
		apiErr, isAPIErr := pinterest.AsAPIError(err)
		switch {
		case err == nil:
		case isAPIErr && apiErr.IsForbidden():
			resp.Diagnostics.AddWarning("Tokens Not Revoked",
				"Pinterest refused to revoke the "+strings.ReplaceAll(tok.hint, "_", " ")+" (403): it revokes only tokens issued to "+
					"system users today. The tokens were removed from state and stay valid at Pinterest until they expire; "+
					"to end access sooner, remove the app's access in the account's settings.\n\nError: "+err.Error())
			return
		case isAPIErr && apiErr.IsInvalidGrant():
			// Already invalid: nothing left to revoke.
		default:
			resp.Diagnostics.Append(commonDiagnostic(err))
			return
		}
	}
}

func (r *oauthTokenResource) ImportState(_ context.Context, _ resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resp.Diagnostics.AddError("Import Not Supported",
		"A pinterest_oauth_token cannot be imported: Pinterest has no API that returns an existing token set. Remove the "+
			"import block and let Terraform create the resource, either from a refresh token the team already holds "+
			"(refresh_token_wo) or from a new authorization code (authorization_code_wo or authorization_code). "+consentHelp)
}

// setTokens stores a token set. A refresh token is replaced only when
// Pinterest returned one: the newest refresh token is never thrown away.
func (m *oauthTokenModel) setTokens(ctx context.Context, ts *pinterest.TokenSet) diag.Diagnostics {
	m.AccessToken = types.StringValue(ts.AccessToken.Reveal())
	m.TokenType = types.StringValue(ts.TokenType)
	m.ExpiresAt = timeValue(ts.ExpiresAt)
	if !ts.RefreshToken.IsEmpty() {
		m.RefreshToken = types.StringValue(ts.RefreshToken.Reveal())
		m.RefreshTokenExpiresAt = timeValue(ts.RefreshTokenExpiresAt)
	} else if m.RefreshToken.IsUnknown() {
		m.RefreshToken = types.StringNull()
		m.RefreshTokenExpiresAt = types.StringNull()
	}
	if m.RefreshTokenExpiresAt.IsUnknown() {
		m.RefreshTokenExpiresAt = types.StringNull()
	}
	scopes, diags := scopesValue(ctx, ts.Scopes)
	m.Scopes = scopes
	return diags
}

// timeValue renders t as RFC 3339 UTC, or null when unknown.
func timeValue(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}

// scopesValue renders granted scopes; a response without scope gives null.
func scopesValue(ctx context.Context, scopes []string) (types.List, diag.Diagnostics) {
	if scopes == nil {
		return types.ListNull(types.StringType), nil
	}
	return types.ListValueFrom(ctx, types.StringType, scopes)
}

// newID returns a random identifier that has nothing to do with any secret.
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// absoluteURL validates a redirect URI.
type absoluteURL struct{}

var _ validator.String = absoluteURL{}

func (absoluteURL) Description(context.Context) string { return "must be an absolute URL" }

func (v absoluteURL) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (absoluteURL) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := pinterest.ValidateRedirectURI(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Redirect URI",
			fmt.Sprintf("%s. Use the redirect URI registered on the app at https://developers.pinterest.com/apps/.", err))
	}
}
