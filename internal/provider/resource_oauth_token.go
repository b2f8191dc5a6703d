package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
)

var (
	_ resource.Resource                     = (*oauthTokenResource)(nil)
	_ resource.ResourceWithConfigure        = (*oauthTokenResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*oauthTokenResource)(nil)
	_ resource.ResourceWithConfigValidators = (*oauthTokenResource)(nil)
	_ resource.ResourceWithImportState      = (*oauthTokenResource)(nil)
)

const defaultCreateTimeout = 5 * time.Minute

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
	ContinuousRefresh          types.Bool     `tfsdk:"continuous_refresh"`
	AccessToken                types.String   `tfsdk:"access_token"`
	RefreshToken               types.String   `tfsdk:"refresh_token"`
	TokenType                  types.String   `tfsdk:"token_type"`
	Scopes                     types.List     `tfsdk:"scopes"`
	ExpiresAt                  types.String   `tfsdk:"expires_at"`
	RefreshTokenExpiresAt      types.String   `tfsdk:"refresh_token_expires_at"`
	Timeouts                   timeouts.Value `tfsdk:"timeouts"`
}

func (r *oauthTokenResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_oauth_token"
}

func (r *oauthTokenResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := stringplanmodifier.UseStateForUnknown()
	resp.Schema = schema.Schema{
		MarkdownDescription: "Exchanges a Pinterest OAuth authorization code for an access token and a refresh token " +
			"(`grant_type=authorization_code`) and keeps them in state.\n\n" +
			"A token set is not a remote object: reading the resource makes no call to Pinterest, and destroying it only " +
			"removes the tokens from state (they stay valid at Pinterest until they expire). Import is not supported: " +
			"start from an authorization code instead.",
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
					"plans no change; a different code replaces the resource with a new exchange. Prefer `authorization_code_wo`, " +
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
				MarkdownDescription: "Any string; changing it replaces the resource with a new exchange of `authorization_code_wo`. " +
					"Removing it plans no change.",
				Optional:      true,
				Computed:      true,
				PlanModifiers: []planmodifier.String{spentGrantModifier{}},
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
		resourcevalidator.Conflicting(path.MatchRoot("authorization_code"), path.MatchRoot("authorization_code_wo")),
	}
}

// ModifyPlan checks, at create, that exactly one way to start was given.
// Afterwards the start attributes are spent and may be left out.
func (r *oauthTokenResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || !req.State.Raw.IsNull() {
		return
	}
	var config oauthTokenModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if config.AuthorizationCode.IsNull() && config.AuthorizationCodeWO.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("authorization_code"), "Missing Authorization Code",
			"A new pinterest_oauth_token needs an authorization code to exchange: set authorization_code_wo (Terraform 1.11+, never "+
				"stored) or authorization_code. "+consentHelp+" The code is valid for 10 minutes.")
	}
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

	code, codePath := config.AuthorizationCode.ValueString(), path.Root("authorization_code")
	if code == "" {
		code, codePath = config.AuthorizationCodeWO.ValueString(), path.Root("authorization_code_wo")
	}
	ts, err := client.Exchange(ctx, pinterest.Secret(code), plan.RedirectURI.ValueString(), plan.ContinuousRefresh.ValueBool())
	if err != nil {
		resp.Diagnostics.Append(exchangeDiagnostic(err, codePath, plan.RedirectURI.ValueString()))
		return
	}

	state := plan
	state.ID = types.StringValue(newID())
	resp.Diagnostics.Append(state.setTokens(ctx, ts)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Read makes no call: the framework hands back the prior state unchanged.
// Refreshing here would mint tokens during plan that are thrown away when the
// plan ends, and under continuous refresh that destroys access.
func (r *oauthTokenResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update stores changes to arguments that do not touch the tokens.
func (r *oauthTokenResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan oauthTokenModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete forgets the tokens. They stay valid at Pinterest until they expire.
func (r *oauthTokenResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

func (r *oauthTokenResource) ImportState(_ context.Context, _ resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resp.Diagnostics.AddError("Import Not Supported",
		"A pinterest_oauth_token cannot be imported: Pinterest has no API that returns an existing token set. Remove the "+
			"import block and let Terraform create the resource from a new authorization code (authorization_code_wo or "+
			"authorization_code). "+consentHelp)
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
