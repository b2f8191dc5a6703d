package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

// BenchmarkPlanUnchanged is what the provider does for one unchanged
// pinterest_oauth_token in a plan, as Terraform asks it over the plugin
// protocol: validate, upgrade, read, plan. The whole-CLI comparison with
// another provider's resource is `make bench-plan`.
//
//	go test ./internal/provider -run '^$' -bench PlanUnchanged -benchmem
func BenchmarkPlanUnchanged(b *testing.B) {
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(&pinterestProvider{version: "bench", now: time.Now, cacheDir: b.TempDir()})()
	if err != nil {
		b.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	providerType := schemas.Provider.ValueType()
	config := objectValue(providerType, map[string]tftypes.Value{"client_id": str(testClientID), "client_secret": str(testClientSecret)})
	dv := func(t tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
		d, err := tfprotov6.NewDynamicValue(t, v)
		if err != nil {
			b.Fatal(err)
		}
		return &d
	}
	if resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: dv(providerType, config)}); err != nil || len(resp.Diagnostics) > 0 {
		b.Fatal(err, resp.Diagnostics)
	}
	typ := schemas.ResourceSchemas["pinterest_oauth_token"].ValueType()
	doc := &tokendoc.Document{AccessToken: sensitive.New("pina_0123456789abcdef"), RefreshToken: sensitive.New("pinr_0123456789abcdef"),
		AccessTokenExpiresAt: time.Now().Add(30 * 24 * time.Hour), RefreshTokenExpiresAt: time.Now().Add(60 * 24 * time.Hour),
		TokenType: "bearer", Scopes: []string{"pins:read"}, Generation: 1}
	scopes := tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{str("pins:read")})
	cfgValues := map[string]tftypes.Value{"redirect_uri": str(testRedirectURI), "authorization_code_wo": str("code_0123456789"),
		"authorization_code_wo_version": tftypes.NewValue(tftypes.Number, 1)}
	cfg := objectValue(typ, cfgValues)
	stateValues := map[string]tftypes.Value{
		"id": str("0123"), "redirect_uri": str(testRedirectURI), "authorization_code_wo_version": tftypes.NewValue(tftypes.Number, 1),
		"hand_off": boolean(false), "revoke_on_destroy": boolean(false), "continuous_refresh": boolean(true),
		"access_token": str(doc.AccessToken.Reveal()), "refresh_token": str(doc.RefreshToken.Reveal()), "token_type": str("bearer"),
		"scopes": scopes, "access_token_expires_at": str(tokendoc.FormatTime(doc.AccessTokenExpiresAt)),
		"refresh_token_expires_at": str(tokendoc.FormatTime(doc.RefreshTokenExpiresAt)),
		"generation":               tftypes.NewValue(tftypes.Number, 1), "rotation_reason": str("the first token set was started"),
		"token_document": str(doc.Encode()),
	}
	state := objectValue(typ, stateValues)
	raw, err := tfprotov6.NewDynamicValue(typ, state)
	if err != nil {
		b.Fatal(err)
	}
	stateJSON, err := raw.Unmarshal(typ)
	if err != nil {
		b.Fatal(err)
	}
	_ = stateJSON
	for b.Loop() {
		if resp, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "pinterest_oauth_token", Config: dv(typ, cfg)}); err != nil || len(resp.Diagnostics) > 0 {
			b.Fatal(err, resp.Diagnostics)
		}
		read, err := server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "pinterest_oauth_token", CurrentState: dv(typ, state)})
		if err != nil || len(read.Diagnostics) > 0 {
			b.Fatal(err, read.Diagnostics)
		}
		plan, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: "pinterest_oauth_token",
			PriorState: read.NewState, ProposedNewState: read.NewState, Config: dv(typ, cfg), PriorPrivate: read.Private})
		if err != nil || len(plan.Diagnostics) > 0 {
			b.Fatal(err, plan.Diagnostics)
		}
	}
}
