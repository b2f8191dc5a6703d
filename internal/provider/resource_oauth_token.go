package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
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

	"github.com/sprighub/terraform-provider-pinterest/internal/journal"
	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokenset"
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
	HandOff                    types.Bool     `tfsdk:"hand_off"`
	RecoveryDocumentWO         types.String   `tfsdk:"recovery_document_wo"`
	AccessToken                types.String   `tfsdk:"access_token"`
	RefreshToken               types.String   `tfsdk:"refresh_token"`
	TokenType                  types.String   `tfsdk:"token_type"`
	Scopes                     types.List     `tfsdk:"scopes"`
	ExpiresAt                  types.String   `tfsdk:"expires_at"`
	RefreshTokenExpiresAt      types.String   `tfsdk:"refresh_token_expires_at"`
	Generation                 types.Int64    `tfsdk:"generation"`
	RotationReason             types.String   `tfsdk:"rotation_reason"`
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
		MarkdownDescription: "Exchanges a Pinterest OAuth authorization code for an access token and a refresh token, " +
			"keeps them in state, and rotates them in place on a scheduled `terraform apply` before they expire. With " +
			"`hand_off = true` it delivers the token set once to a consumer that refreshes it itself, and never refreshes it again.",
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
			"recovery_document_wo": schema.StringAttribute{
				MarkdownDescription: "The token document the store holds now, read back through the store's ephemeral resource, " +
					"as a write-only argument. When it is the direct successor of the state's set (generation one higher, " +
					"`follows` its refresh token, not handed off: a run that wrote the store and died before its state was " +
					"saved), the plan adopts it with no call to Pinterest; any other later document is ignored with a warning. " +
					"See \"When a run dies\" in the token timeline guide. Needs Terraform 1.11 or later.",
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
			"hand_off": schema.BoolAttribute{
				MarkdownDescription: "Deliver the token set to a consumer that refreshes it itself (an ETL tool configured with a " +
					"refresh token, such as Airbyte or Fivetran) and never refresh it again: no rotation is planned, nothing is " +
					"revoked, and later plans and applies make no call to Pinterest, even after the tokens in state have expired. " +
					"Two refreshers of one token set cannot both survive, so `rotate_before`, `rotation_triggers` and " +
					"`revoke_on_destroy = true` are refused with it, and its `token_document` is marked `\"handed_off\": true` so " +
					"that `pinterest_access_token` refuses it. Once on, it stays on for this token set; a new start (a new code) " +
					"is the way back. See the [ETL consumers guide](../guides/etl-consumers.md). Defaults to `false`.",
				Optional: true,
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
			"rotation_reason": schema.StringAttribute{
				MarkdownDescription: "Why the current token set was obtained: the reason of its last rotation (such as `the access " +
					"token expires at 2026-04-01T12:00:00Z, within 168h0m0s`), or of its start. A plan that rotates shows the " +
					"reason for that rotation here.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
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
	return []resource.ConfigValidator{resourcevalidator.Conflicting(startPaths()...), handOffRules{}}
}

// ModifyPlan checks, at create, that a way to start was given, and
// afterwards decides, through the token-set core, whether this apply starts
// a new token set, refreshes the stored one, or only stores arguments. It
// tells Update its decision in the planned private state.
func (r *oauthTokenResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	if req.State.Raw.IsNull() {
		requireStart(ctx, req.Config, &resp.Diagnostics)
		return
	}
	var plan, state oauthTokenModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	decision := plannedDecision{Action: "store"}
	switch {
	case restartRequested(ctx, req.State, req.Plan):
		// A new code or an adopted refresh token starts a new token set in
		// place, so that generation goes on counting from the old one and
		// a store that follows it always sees a new version.
		requireStart(ctx, req.Config, &resp.Diagnostics)
		if way, _, ok := configuredStart(ctx, req.Config); ok && way.kind == tokenset.ByAdopt && state.HandOff.ValueBool() {
			// The refresh token at hand may be the consumer's current one:
			// refreshing it would make this provider a second refresher.
			resp.Diagnostics.AddAttributeError(path.Root("refresh_token_wo"), "Token Set Already Handed Off",
				"This token set was handed off, and adopting a refresh token would refresh it, possibly the one its consumer "+
					"holds now. Start the new token set from a new code instead (authorization_code_wo with a new "+
					"authorization_code_wo_version). See the ETL consumers guide.")
			return
		}
		decision = plannedDecision{Action: "start", Reason: "a new start was configured"}
		plan.markRotating()
		plan.RotationReason = types.StringValue("a new token set was started in place")
		plan.ID = types.StringUnknown()
		plan.Generation = types.Int64Value(state.Generation.ValueInt64() + 1)
	case state.HandOff.ValueBool() && !plan.HandOff.ValueBool():
		resp.Diagnostics.AddAttributeError(path.Root("hand_off"), "Token Set Already Handed Off",
			"This token set was handed off: its consumer refreshes it now, and under continuous refresh two refreshers of one "+
				"token set cannot both survive. Keep hand_off = true, or start a new token set for this resource with a new code "+
				"(authorization_code_wo and a new authorization_code_wo_version) in the same apply. See the ETL consumers guide.")
		return
	default:
		doc, diags := state.document(ctx)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		if next, from := r.recoverable(ctx, req.Config, doc, state.HandOff.ValueBool(), &resp.Diagnostics); next != nil {
			resp.Diagnostics.AddWarning("Recovering a Token Set Not Yet Saved",
				fmt.Sprintf("The state holds generation %d, but %s holds generation %d of this token set: a run obtained it and "+
					"ended before its state was saved. This apply stores it, with no call to Pinterest, and nothing needs to be done.",
					doc.Generation, from, next.Generation))
			decision = plannedDecision{Action: "recover", Reason: from}
			plan.markRotating()
			plan.RotationReason = types.StringValue("recovered from " + from + " after a run ended before saving it")
		} else if d := tokenset.Decide(doc, r.now(), plan.policy(&state)); d.Action == tokenset.Refresh {
			tflog.Info(ctx, "Planning token rotation", map[string]any{"reason": d.Reason})
			decision = plannedDecision{Action: "refresh", Reason: d.Reason}
			plan.markRotating()
			plan.RotationReason = types.StringValue(d.Reason)
		} else if plan.HandOff.ValueBool() != state.HandOff.ValueBool() || plan.TokenDocument.IsUnknown() || plan.TokenDocument.IsNull() {
			// Handing off marks the document, with a new generation so that
			// stores whose version follows it write the marked document; a
			// state written before token_document existed gets it filled in
			// (its document is null, not unknown: the plan carries state's
			// value when nothing in the configuration changed). Neither
			// calls Pinterest.
			if doc.Generation < 1 {
				doc.Generation = 1 // a state from before generation counted
			}
			if plan.HandOff.ValueBool() && !state.HandOff.ValueBool() {
				if doc.Generation >= tokendoc.MaxGeneration {
					resp.Diagnostics.AddError("Token Set Generation Exhausted", tokenset.ErrGenerationExhausted.Error()+
						": replace the resource (terraform apply -replace) with a new code.")
					return
				}
				doc.Generation++
			}
			plan.Generation = types.Int64Value(doc.Generation)
			doc.HandedOff = plan.HandOff.ValueBool()
			plan.TokenDocument = types.StringValue(doc.Encode())
		}
	}
	if decision.Action == "store" {
		plan.RotationReason = state.RotationReason // nothing new obtained
	}
	if decision.Action != "start" {
		warnIgnoredStart(ctx, req.Config, req.State, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, decisionKey, decision.encode())...)
}

// warnIgnoredStart says that a write-only code or refresh token given to a
// resource that already holds a token set is not used, because its version
// did not change: silently ignoring a fresh code wastes a consent.
func warnIgnoredStart(ctx context.Context, config, state attributeGetter, diags *diag.Diagnostics) {
	for _, w := range startWays {
		if w.value == w.version {
			continue // authorization_code is its own version: a change restarts
		}
		var v, version types.String
		config.GetAttribute(ctx, path.Root(w.value), &v)
		state.GetAttribute(ctx, path.Root(w.version), &version)
		if v.IsUnknown() || v.ValueString() == "" {
			continue
		}
		shown := "unset"
		if !version.IsNull() {
			shown = fmt.Sprintf("%q", version.ValueString())
		}
		diags.AddAttributeWarning(path.Root(w.value), "Start Value Ignored",
			fmt.Sprintf("%s is set, but %s is unchanged (%s), so this apply does not use it: the resource keeps its current "+
				"token set, and a code stays unspent (it is valid for 10 minutes after consent). To start a new token set from "+
				"it, change %s in the same apply; otherwise leave %s unset on later applies.", w.value, w.version, shown, w.version, w.value))
	}
}

// requireStart reports a configuration that gives no way to start.
func requireStart(ctx context.Context, config attributeGetter, diags *diag.Diagnostics) {
	if _, _, ok := configuredStart(ctx, config); !ok && !anyUnknownStart(ctx, config) {
		diags.AddAttributeError(path.Root("authorization_code_wo"), "Missing Authorization Code",
			"Starting a pinterest_oauth_token needs an authorization code in authorization_code_wo (never stored) or "+
				"authorization_code, or a refresh token the team already holds in refresh_token_wo. A code is valid for 10 "+
				"minutes after consent; to get one, "+consentHelp("", nil)+" "+onCallGuide)
	}
}

// anyUnknownStart reports a start whose value is known only at apply.
func anyUnknownStart(ctx context.Context, config attributeGetter) bool {
	for _, w := range startWays {
		var v types.String
		config.GetAttribute(ctx, path.Root(w.value), &v)
		if v.IsUnknown() {
			return true
		}
	}
	return false
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
	var plan oauthTokenModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringValue(newID())
	plan.RotationReason = types.StringValue("the first token set was started")
	r.advance(ctx, req.Config, nil, plan, "start", plan.Timeouts.Create, &resp.State, &resp.Diagnostics)
}

// Read makes no call: the framework hands back the prior state unchanged.
// Refreshing here would mint tokens during plan that are thrown away when the
// plan ends, and under continuous refresh that destroys access.
func (r *oauthTokenResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update does what ModifyPlan decided: start a new token set, refresh the
// stored one, or store the planned arguments with no call to Pinterest.
func (r *oauthTokenResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx = withLogging(ctx)
	var plan, prior oauthTokenModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	raw, diags := req.Private.GetKey(ctx, decisionKey)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, decisionKey, nil)...)
	if resp.Diagnostics.HasError() {
		return
	}
	switch decision := decodeDecision(raw); decision.Action {
	case "start":
		plan.ID = types.StringValue(newID())
		r.advance(ctx, req.Config, &prior, plan, "start", plan.Timeouts.Update, &resp.State, &resp.Diagnostics)
	case "recover":
		priorDoc, d := prior.document(ctx)
		resp.Diagnostics.Append(d...)
		client, d := r.data.requireClient()
		resp.Diagnostics.Append(d...)
		if resp.Diagnostics.HasError() {
			resp.Diagnostics.Append(resp.State.Set(ctx, &prior)...)
			return
		}
		if next, _ := r.recoverable(ctx, req.Config, priorDoc, prior.HandOff.ValueBool(), &resp.Diagnostics); next != nil && !resp.Diagnostics.HasError() {
			tflog.Info(ctx, "Storing a token set recovered with no call to Pinterest", map[string]any{"generation": next.Generation})
			next.HandedOff = plan.HandOff.ValueBool()
			r.save(ctx, client, plan, next, &resp.State, &resp.Diagnostics)
			return
		}
		// Gone since the plan (another machine applies a saved plan): the
		// refresh below finds it kept or asks Pinterest.
		r.advance(ctx, req.Config, &prior, plan, "refresh", plan.Timeouts.Update, &resp.State, &resp.Diagnostics)
	case "refresh":
		tflog.Info(ctx, "Rotating the token set", map[string]any{"reason": decision.Reason})
		r.advance(ctx, req.Config, &prior, plan, "refresh", plan.Timeouts.Update, &resp.State, &resp.Diagnostics)
	default:
		if plan.AccessToken.IsUnknown() || plan.RefreshToken.IsUnknown() {
			// The plan expects new tokens but says nothing of why: call
			// nobody, and keep the stored token set as it was.
			resp.Diagnostics.AddError("Planned Decision Missing",
				"This apply was planned to replace the token set, but the plan does not say how, so nothing was sent to "+
					"Pinterest and the stored tokens are unchanged. Run terraform apply again to plan afresh; if this persists, "+
					"report it as a bug of the provider.")
			resp.Diagnostics.Append(resp.State.Set(ctx, &prior)...)
			return
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

// advance obtains the next token set through the core, by a start from the
// configuration or by refreshing prior, and saves it. Nothing issued is ever
// lost: the new tokens are in state before the account is looked up or the
// scopes are checked, and a failed call keeps prior as it was.
func (r *oauthTokenResource) advance(ctx context.Context, config attributeGetter, prior *oauthTokenModel, plan oauthTokenModel,
	action string, timeout func(context.Context, time.Duration) (time.Duration, diag.Diagnostics), state *tfsdk.State, diags *diag.Diagnostics) {
	keepPrior := func() {
		if prior != nil {
			diags.Append(state.Set(ctx, prior)...)
		}
	}
	limit, d := timeout(ctx, defaultCreateTimeout)
	diags.Append(d...)
	client, d := r.data.requireClient()
	diags.Append(d...)
	if diags.HasError() {
		keepPrior()
		return
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()

	var priorDoc *tokendoc.Document
	if prior != nil {
		priorDoc, d = prior.document(ctx)
		diags.Append(d...)
	}
	f := failure{op: opRotate, path: path.Root("refresh_token"), redirectURI: plan.RedirectURI.ValueString(), scopes: plan.knownScopes(ctx)}
	step := tokenset.Step{Kind: tokenset.ByRefresh}
	if prior != nil {
		f.generation = prior.Generation.ValueInt64()
	}
	if action == "start" {
		way, secret, _ := configuredStart(ctx, config)
		step = plan.step(way, secret)
		f.op, f.path, f.generation = opExchange, path.Root(way.value), 0
		if way.kind == tokenset.ByAdopt {
			f.op = opAdopt
		}
	}
	// Take writes the new set ahead into this machine's cache before it
	// returns, so that a run killed before its state reaches the backend
	// loses nothing: the next plan here finds it (see recoverable).
	out, err := tokenset.Take(ctx, client, r.data.journal(), priorDoc, step, r.now().Add(journal.WriteAheadTTL))
	if err != nil {
		diags.Append(diagnose(err, f))
		keepPrior() // nothing was issued: keep the prior token set as it was
		return
	}
	if out.Reused {
		diags.AddWarning("Token Set Recovered",
			fmt.Sprintf("This machine obtained generation %d with the same %s in a run that ended before saving it; it is "+
				"stored now, with no call to Pinterest. Nothing needs to be done.", out.Doc.Generation, tradedName(step.Kind)))
	}
	r.data.warnKeepFailed(ctx, out.KeepErr, diags)
	out.Doc.HandedOff = plan.HandOff.ValueBool()
	r.save(ctx, client, plan, out.Doc, state, diags)
}

// recoverable returns a later generation of prior than the state holds,
// kept by this machine's write-ahead or held by the store (given in
// recovery_document_wo), and where it was found. It first forgets the
// write-ahead whose result prior is: the state holds it, so it arrived.
func (r *oauthTokenResource) recoverable(ctx context.Context, config attributeGetter, prior *tokendoc.Document, handedOff bool,
	diags *diag.Diagnostics) (*tokendoc.Document, string) {
	if prior == nil || handedOff || r.data == nil {
		return nil, ""
	}
	mem := r.data.journal()
	mem.Forget(prior.RefreshToken)
	if next, ok := tokenset.Recall(mem, prior); ok {
		return next, "this machine's cache"
	}
	var raw types.String
	diags.Append(config.GetAttribute(ctx, path.Root("recovery_document_wo"), &raw)...)
	if raw.IsNull() || raw.IsUnknown() || raw.ValueString() == "" {
		return nil, ""
	}
	stored, err := tokendoc.Parse(raw.ValueString())
	switch {
	case err != nil:
		diags.AddAttributeWarning(path.Root("recovery_document_wo"), "Recovery Document Ignored",
			"recovery_document_wo is not a token document this provider can read, so it was not used: "+err.Error()+". "+
				"Pass the store's secret as it holds it (for example the secret_string of the store's ephemeral resource).")
	case stored.Generation <= prior.Generation:
		// The usual case: the store holds what the state holds, or older.
	case stored.Generation == prior.Generation+1 && stored.Follows == tokendoc.Follow(prior.RefreshToken) && !stored.HandedOff:
		// Only the direct successor of the state's own set: not another
		// token set, not one from before a replacement, not a jump.
		return stored, "the store (recovery_document_wo)"
	default:
		diags.AddAttributeWarning(path.Root("recovery_document_wo"), "Recovery Document Ignored",
			fmt.Sprintf("The store holds generation %d, but it is not the direct successor of generation %d in state (it does "+
				"not follow its refresh token, is more than one generation ahead, or was handed off), so it was not adopted. "+
				"If the store belongs to another token set, point recovery_document_wo at this resource's own store.",
				stored.Generation, prior.Generation))
	}
	return nil, ""
}

// tradedName names what a step spends, for messages.
func tradedName(k tokenset.Kind) string {
	if k == tokenset.ByExchange {
		return "authorization code"
	}
	return "refresh token"
}

// save stores a token set Pinterest just issued, and only then looks up the
// account and checks the scopes: whatever fails after a successful exchange
// or refresh, the new tokens are in state, because under continuous refresh
// the previous refresh token may already be dead.
func (r *oauthTokenResource) save(ctx context.Context, client *pinterest.Client, m oauthTokenModel, doc *tokendoc.Document, state *tfsdk.State, diags *diag.Diagnostics) {
	diags.Append(m.setDocument(ctx, doc)...)
	m.UserAccount = types.ObjectNull(userAccountAttrTypes)
	if diags.Append(state.Set(ctx, &m)...); diags.HasError() {
		return
	}

	if slices.Contains(doc.Scopes, "user_accounts:read") {
		ua, err := client.UserAccount(ctx, doc.AccessToken)
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
			diags.Append(state.Set(ctx, &m)...)
		}
	}

	if missing, askFor := m.scopeShortfall(ctx, doc.Scopes, diags); len(missing) > 0 {
		diags.AddAttributeError(path.Root("required_scopes"), "Missing Pinterest Scopes",
			fmt.Sprintf("Pinterest granted %s, which lacks %s. The tokens were saved in state and nothing was lost, but this "+
				"token set cannot do what required_scopes asks. Have the account owner approve a consent that asks for %s "+
				"(provider::pinterest::authorization_url builds it), then start again with the new code in "+
				"authorization_code_wo and a new authorization_code_wo_version.",
				quotedList(doc.Scopes), quotedList(missing), hclList(askFor)))
	}
}

// Delete forgets the tokens, revoking them first when revoke_on_destroy is
// set. A handed-off token set belongs to its consumer and is never revoked.
func (r *oauthTokenResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = withLogging(ctx)
	var state oauthTokenModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	revoke := []struct{ value, hint string }{
		{state.RefreshToken.ValueString(), "refresh_token"},
		{state.AccessToken.ValueString(), "access_token"},
	}
	if r.data != nil {
		// A token set that is destroyed is never recovered: a replacement
		// started from the same code must ask Pinterest, not this cache.
		// A successor a dead run left here is the live one: revoke it too.
		cache, rt := r.data.journal(), sensitive.New(state.RefreshToken.ValueString())
		if doc, _ := state.document(ctx); doc != nil {
			if next, ok := tokenset.Recall(cache, doc); ok {
				revoke = append([]struct{ value, hint string }{
					{next.RefreshToken.Reveal(), "refresh_token"}, {next.AccessToken.Reveal(), "access_token"}}, revoke...)
			}
		}
		cache.Drop(rt)
		cache.Forget(rt)
	}
	if !state.RevokeOnDestroy.ValueBool() || state.HandOff.ValueBool() {
		return
	}
	client, diags := r.data.requireClient()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, tok := range revoke {
		if tok.value == "" {
			continue
		}
		err := client.Revoke(ctx, sensitive.New(tok.value), tok.hint)
		switch pinterest.Classify(err) {
		case pinterest.FailureUnknown:
			if err != nil {
				resp.Diagnostics.Append(diagnose(err, failure{}))
				return
			}
		case pinterest.FailureForbidden:
			resp.Diagnostics.AddWarning("Tokens Not Revoked",
				"Pinterest refused to revoke the "+strings.ReplaceAll(tok.hint, "_", " ")+" (403): it revokes only tokens issued to "+
					"system users today. The tokens were removed from state and stay valid at Pinterest until they expire; "+
					"to end access sooner, remove the app's access in the account's settings.\n\nError: "+err.Error())
			return
		case pinterest.FailureGrantRefused, pinterest.FailureGrantSpent:
			if apiErr, ok := pinterest.AsAPIError(err); !ok || (apiErr.Code != pinterest.CodeInvalidGrant && apiErr.StatusCode != http.StatusBadRequest) {
				// Not a documented "already invalid": say so rather than
				// forget tokens that may still work.
				resp.Diagnostics.Append(diagnose(err, failure{}))
				return
			}
			// Already invalid: nothing left to revoke.
		default:
			resp.Diagnostics.Append(diagnose(err, failure{}))
			return
		}
	}
}

func (r *oauthTokenResource) ImportState(_ context.Context, _ resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resp.Diagnostics.AddError("Import Not Supported",
		"A pinterest_oauth_token cannot be imported: Pinterest has no API that returns an existing token set. Remove the "+
			"import block and let Terraform create the resource from a new authorization code (authorization_code_wo) or from "+
			"a refresh token the team already holds (refresh_token_wo). To get a code, "+consentHelp("", nil))
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

// handOffRules refuses a handed-off token set with settings that would make
// this provider a second refresher (or revoke what the consumer uses).
type handOffRules struct{}

var _ resource.ConfigValidator = handOffRules{}

func (handOffRules) Description(context.Context) string {
	return "with hand_off = true, rotate_before, rotation_triggers and revoke_on_destroy = true are refused"
}

func (v handOffRules) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (handOffRules) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var handOff, revoke types.Bool
	var rotateBefore types.String
	var triggers types.Map
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("hand_off"), &handOff)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("rotate_before"), &rotateBefore)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("rotation_triggers"), &triggers)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("revoke_on_destroy"), &revoke)...)
	if !handOff.ValueBool() {
		return
	}
	const why = "With hand_off = true the token set's consumer (an ETL tool that refreshes it itself) is its only refresher: " +
		"this resource never refreshes or revokes it, because two refreshers of one token set cannot both survive continuous refresh. "
	for attr, set := range map[string]bool{
		"rotate_before":     !rotateBefore.IsNull(),
		"rotation_triggers": !triggers.IsNull(),
		"revoke_on_destroy": revoke.ValueBool(),
	} {
		if set {
			resp.Diagnostics.AddAttributeError(path.Root(attr), "Invalid Hand-Off Configuration",
				why+"Remove "+attr+", or set hand_off = false and give the consumer an access token instead. See the ETL consumers guide.")
		}
	}
}
