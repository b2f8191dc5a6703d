package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokenset"
)

// TestPlannedActionCodec: the action ModifyPlan writes to the private state
// is the one Update reads; anything else (an empty or foreign value) is
// Keep, which calls nobody.
func TestPlannedActionCodec(t *testing.T) {
	for _, a := range []tokenset.Action{tokenset.Keep, tokenset.Start, tokenset.Refresh, tokenset.Recover, tokenset.Remark} {
		if got := decodeAction(encodeAction(a)); got != a {
			t.Errorf("%s came back as %s", a, got)
		}
	}
	for _, raw := range []string{"", `"`, `"store"`, `{"action":"refresh"}`} {
		if got := decodeAction([]byte(raw)); got != tokenset.Keep {
			t.Errorf("%q decoded as %s, want keep", raw, got)
		}
	}
}

// TestApplyPlanned: what each action makes "known after apply" and what it
// shows in the plan already.
func TestApplyPlanned(t *testing.T) {
	prior := oauthTokenModel{RotationReason: types.StringValue("the first token set was started"), Generation: types.Int64Value(2),
		AccessToken: types.StringValue("pina_old"), TokenDocument: types.StringValue("{}")}
	doc := &tokendoc.Document{AccessToken: sensitive.New("pina_0123456789"), RefreshToken: sensitive.New("pinr_0123456789"),
		TokenType: "bearer", Generation: 3}
	for _, tc := range []struct {
		planned    tokenset.Planned
		rotating   bool
		generation types.Int64
		reason     string
	}{
		{tokenset.Planned{Action: tokenset.Keep, Generation: 2}, false, types.Int64Value(2), "the first token set was started"},
		{tokenset.Planned{Action: tokenset.Start, Reason: "a new token set was started in place", Generation: 3}, true, types.Int64Value(3), "a new token set was started in place"},
		{tokenset.Planned{Action: tokenset.Refresh, Reason: "rotation_triggers changed"}, true, types.Int64Unknown(), "rotation_triggers changed"},
		{tokenset.Planned{Action: tokenset.Recover, Reason: "recovered"}, true, types.Int64Unknown(), "recovered"},
		{tokenset.Planned{Action: tokenset.Remark, Generation: 3, Doc: doc}, false, types.Int64Value(3), "the first token set was started"},
	} {
		m := oauthTokenModel{Generation: types.Int64Value(2), AccessToken: types.StringValue("pina_old"), TokenDocument: types.StringValue("{}")}
		m.applyPlanned(tc.planned, &prior)
		if m.AccessToken.IsUnknown() != tc.rotating || m.TokenDocument.IsUnknown() != tc.rotating || !m.Generation.Equal(tc.generation) ||
			m.RotationReason.ValueString() != tc.reason {
			t.Errorf("%s: access unknown %v, generation %s, reason %q", tc.planned.Action, m.AccessToken.IsUnknown(), m.Generation, m.RotationReason.ValueString())
		}
		if tc.planned.Action == tokenset.Remark && m.TokenDocument.ValueString() != doc.Encode() {
			t.Error("remark: the plan does not show the marked document")
		}
	}
}

// TestUpgradeState: states written by schema versions 0 and 1 (before
// 0.1.0) reach version 2 with nothing called: the stored code is dropped
// and its version recorded as 1 (a configuration moved to
// authorization_code_wo with version 1 starts nothing), expires_at is
// renamed, versions become numbers (1 when not one), hand_off is false, the
// default rotate_before is no longer shown, and a state from before
// token_document and generation gets both from its own tokens.
func TestUpgradeState(t *testing.T) {
	ctx := context.Background()
	s := tokenSchema(t)
	expires := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
	base := `"id": "0123", "redirect_uri": "` + testRedirectURI + `", "access_token": "pina_stored_0123456789",
		"refresh_token": "pinr_stored_0123456789", "token_type": "bearer", "scopes": ["boards:read", "pins:read"],
		"expires_at": "` + tokendoc.FormatTime(expires) + `", "authorization_code": "spent-code-0123456789"`
	for _, tc := range []struct {
		name, state            string
		codeVersion, rtVersion types.Int64
		rotateBefore           types.String
	}{
		{name: "v0 without document", state: `{` + base + `, "generation": 0, "rotate_before": "168h"}`,
			codeVersion: types.Int64Value(1), rtVersion: types.Int64Null(), rotateBefore: types.StringNull()},
		{name: "v1 with versions", state: `{` + base + `, "generation": 0, "authorization_code_wo_version": "2",
			"refresh_token_wo_version": "june", "rotate_before": "72h", "hand_off": null, "timeouts": null}`,
			codeVersion: types.Int64Value(2), rtVersion: types.Int64Value(1), rotateBefore: types.StringValue("72h")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			upgraders := (&oauthTokenResource{}).UpgradeState(ctx)
			resp := resource.UpgradeStateResponse{State: tfsdk.State{Schema: s.Schema}}
			upgraders[1].StateUpgrader(ctx, resource.UpgradeStateRequest{RawState: &tfprotov6.RawState{JSON: []byte(tc.state)}}, &resp)
			var m oauthTokenModel
			if resp.Diagnostics.Append(resp.State.Get(ctx, &m)...); resp.Diagnostics.HasError() {
				t.Fatal(resp.Diagnostics)
			}
			doc, err := tokendoc.Parse(m.TokenDocument.ValueString())
			if err != nil || m.Generation.ValueInt64() != 1 || doc.Generation != 1 || doc.RefreshToken.Reveal() != "pinr_stored_0123456789" ||
				len(doc.Scopes) != 2 || !doc.AccessTokenExpiresAt.Equal(expires) || m.ID.ValueString() != "0123" {
				t.Fatalf("upgraded: %v, generation %d, document %+v", err, m.Generation.ValueInt64(), doc)
			}
			if m.AccessTokenExpiresAt.ValueString() != tokendoc.FormatTime(expires) || m.HandOff.IsNull() || m.HandOff.ValueBool() ||
				!m.AuthorizationCodeWOVersion.Equal(tc.codeVersion) || !m.RefreshTokenWOVersion.Equal(tc.rtVersion) ||
				!m.RotateBefore.Equal(tc.rotateBefore) {
				t.Fatalf("upgraded model: %+v", m)
			}
			if strings.Contains(resp.State.Raw.String(), "spent-code") {
				t.Fatal("the stored authorization code survived the upgrade")
			}
			if _, ok := upgraders[0]; !ok {
				t.Fatal("no upgrader from schema version 0")
			}
		})
	}
	// A state that is no object, or has an attribute of the wrong type,
	// is an error that quotes no value, never a panic.
	for _, raw := range []string{`null`, `[]`, `{"id": "0123", "scopes": "pinr_not_a_list_0123456789"}`} {
		resp := resource.UpgradeStateResponse{State: tfsdk.State{Schema: s.Schema}}
		upgradeState(ctx, resource.UpgradeStateRequest{RawState: &tfprotov6.RawState{JSON: []byte(raw)}}, &resp)
		if !resp.Diagnostics.HasError() || strings.Contains(diagText(resp.Diagnostics), "pinr_") {
			t.Errorf("%s: %v", raw, resp.Diagnostics)
		}
	}
}

// TestDocumentRoundTrip: the model and the token document say the same,
// including what Pinterest did not say (no expiry: null, and back).
func TestDocumentRoundTrip(t *testing.T) {
	ctx := context.Background()
	in := &tokendoc.Document{AccessToken: sensitive.New("pina_0123456789"), RefreshToken: sensitive.New("pinr_0123456789"),
		RefreshTokenExpiresAt: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), TokenType: "bearer", Scopes: []string{"pins:read"},
		Generation: 7, Follows: "abc"}
	var m oauthTokenModel
	m.setDocument(in)
	if !m.AccessTokenExpiresAt.IsNull() {
		t.Errorf("expires_at %s for an expiry not said, want null", m.AccessTokenExpiresAt)
	}
	out, diags := m.document(ctx)
	if diags.HasError() || out.Encode() != in.Encode() {
		t.Fatalf("round trip: %v\n%s\n%s", diags, in.Encode(), out.Encode())
	}
}

// TestWarnIgnoredStart: a write-only start given while its version is
// unchanged is named, with the version to change; a start known only at
// apply, or none, says nothing.
func TestWarnIgnoredStart(t *testing.T) {
	prior := &oauthTokenModel{AuthorizationCodeWOVersion: types.Int64Value(1), RefreshTokenWOVersion: types.Int64Null()}
	var diags diag.Diagnostics
	warnIgnoredStart(&oauthTokenModel{AuthorizationCodeWO: types.StringValue("a-fresh-code"), RefreshTokenWO: types.StringUnknown()}, prior, &diags)
	if diags.WarningsCount() != 1 || !containsInOrder(diagText(diags), "Start Value Ignored", "authorization_code_wo is set",
		"authorization_code_wo_version is unchanged (1)") {
		t.Errorf("warnings:\n%s", diagText(diags))
	}
	diags = nil
	warnIgnoredStart(&oauthTokenModel{}, prior, &diags)
	if len(diags) != 0 {
		t.Errorf("no start given: %v", diags)
	}
}

// TestStartRequest: a start value known only at apply counts as given, with
// its way, so that the rules of that way hold at plan.
func TestStartRequest(t *testing.T) {
	prior := &oauthTokenModel{AuthorizationCodeWOVersion: types.Int64Value(1), RefreshTokenWOVersion: types.Int64Value(1)}
	plan := &oauthTokenModel{AuthorizationCodeWOVersion: types.Int64Value(1), RefreshTokenWOVersion: types.Int64Value(2)}
	got := startRequest(&oauthTokenModel{RefreshTokenWO: types.StringUnknown()}, prior, plan)
	if !got.Requested || !got.Pending || got.Way != tokenset.ByAdopt {
		t.Errorf("a pending refresh_token_wo with a new version: %+v", got)
	}
	got = startRequest(&oauthTokenModel{AuthorizationCodeWO: types.StringValue("code")}, prior, prior)
	if got.Requested || got.Pending || got.Way != tokenset.ByExchange {
		t.Errorf("a code with its version unchanged: %+v", got)
	}
	if got := startRequest(&oauthTokenModel{}, nil, plan); !got.Requested || got.Way != 0 {
		t.Errorf("create with nothing: %+v", got)
	}
	// A version set where the state had none is a new start: adopting a
	// refresh token into a set started from a code.
	unset := &oauthTokenModel{AuthorizationCodeWOVersion: types.Int64Value(1), RefreshTokenWOVersion: types.Int64Null()}
	if got := startRequest(&oauthTokenModel{RefreshTokenWO: types.StringValue("pinr_held")}, unset, prior); !got.Requested {
		t.Errorf("a version set where the state had none: %+v", got)
	}
}

// TestRestartCause names the version change that asks for a new start.
func TestRestartCause(t *testing.T) {
	prior := &oauthTokenModel{AuthorizationCodeWOVersion: types.Int64Value(1), RefreshTokenWOVersion: types.Int64Null()}
	plan := &oauthTokenModel{AuthorizationCodeWOVersion: types.Int64Value(2), RefreshTokenWOVersion: types.Int64Null()}
	if got := restartCause(prior, plan); got != "authorization_code_wo_version changed from 1 to 2" {
		t.Errorf("restartCause = %q", got)
	}
	if got := restartCause(plan, prior); !strings.Contains(got, "authorization_code_wo_version went back from 2 to 1") {
		t.Errorf("restartCause = %q", got)
	}
	if got := restartCause(nil, plan); got != "" {
		t.Errorf("at create: %q", got)
	}
}
