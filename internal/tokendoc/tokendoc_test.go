package tokendoc

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func tokenSet(refresh string) *pinterest.TokenSet {
	return &pinterest.TokenSet{
		AccessToken: sensitive.New("pina_access_0123456789"), RefreshToken: sensitive.New(refresh), TokenType: "bearer",
		Scopes: []string{"boards:read", "pins:read"}, ExpiresAt: now.Add(30 * 24 * time.Hour),
		RefreshTokenExpiresAt: now.Add(60 * 24 * time.Hour),
	}
}

// FromTokenSet is the first document of a token set, as the core builds it.
func FromTokenSet(ts *pinterest.TokenSet) *Document {
	return &Document{
		AccessToken: ts.AccessToken, AccessTokenExpiresAt: ts.ExpiresAt, RefreshToken: ts.RefreshToken,
		RefreshTokenExpiresAt: ts.RefreshTokenExpiresAt, TokenType: ts.TokenType, Scopes: ts.Scopes, Generation: 1,
	}
}

func TestEncodeParseRoundTrip(t *testing.T) {
	d := FromTokenSet(tokenSet("pinr_refresh_0123456789"))
	if d.Generation != 1 {
		t.Fatalf("first generation %d, want 1", d.Generation)
	}
	s := d.Encode()
	want := `{"format":"pinterest-token-document","version":1,"access_token":"pina_access_0123456789",` +
		`"access_token_expires_at":"2026-03-31T12:00:00Z","refresh_token":"pinr_refresh_0123456789",` +
		`"refresh_token_expires_at":"2026-04-30T12:00:00Z","token_type":"bearer","scopes":["boards:read","pins:read"],"generation":1}`
	if s != want {
		t.Fatalf("Encode:\n got %s\nwant %s", s, want)
	}
	back, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	if back.Encode() != s {
		t.Fatalf("round trip changed the document")
	}
}

func TestHandedOffRoundTrips(t *testing.T) {
	d := FromTokenSet(tokenSet("pinr_refresh_0123456789"))
	if strings.Contains(d.Encode(), "handed_off") {
		t.Fatal("a document that was not handed off names handed_off")
	}
	d.HandedOff = true
	back, err := Parse(d.Encode())
	if err != nil || !back.HandedOff || !strings.HasSuffix(d.Encode(), `"generation":1,"handed_off":true}`) {
		t.Fatalf("handed_off did not round-trip: %v", err)
	}
}

func TestParseErrorsNeverQuoteTheInput(t *testing.T) {
	secret := "pinr_secret_0123456789"
	for name, in := range map[string]string{
		"not json":        secret,
		"other format":    `{"format":"x","refresh_token":"` + secret + `"}`,
		"newer":           `{"format":"pinterest-token-document","version":2,"refresh_token":"` + secret + `","generation":1}`,
		"no refresh":      `{"format":"pinterest-token-document","version":1,"access_token":"` + secret + `","generation":1}`,
		"bad generation":  `{"format":"pinterest-token-document","version":1,"refresh_token":"` + secret + `","generation":0}`,
		"bad time":        `{"format":"pinterest-token-document","version":1,"refresh_token":"` + secret + `","generation":1,"access_token_expires_at":"` + secret + `"}`,
		"wrong type":      `{"format":"pinterest-token-document","version":1,"refresh_token":"` + secret + `","generation":"` + secret + `"}`,
		"two spellings":   `{"format":"pinterest-token-document","version":1,"refresh_token":"pinr_a_0123456789","REFRESH_TOKEN":"` + secret + `","generation":1}`,
		"twice":           `{"format":"pinterest-token-document","version":1,"refresh_token":"pinr_a_0123456789","refresh_token":"` + secret + `","generation":1}`,
		"huge generation": `{"format":"pinterest-token-document","version":1,"refresh_token":"` + secret + `","generation":9223372036854775807}`,
		"handed_off null": `{"format":"pinterest-token-document","version":1,"refresh_token":"` + secret + `","generation":1,"handed_off":null}`,
		"trailing":        `{"format":"pinterest-token-document","version":1,"refresh_token":"pinr_a_0123456789","generation":1} {"refresh_token":"` + secret + `"}`,
	} {
		_, err := Parse(in)
		if err == nil {
			t.Errorf("%s: parsed", name)
			continue
		}
		if strings.Contains(err.Error(), "secret_0123") {
			t.Errorf("%s: the error quotes the input", name)
		}
	}
}

// encoding/json folds keys with Unicode case folding, so "ſ" (U+017F) reads
// as "s" and "K" (Kelvin, U+212A) as "k": such a key would override the
// real one for the provider while jq and Python read the first.
func TestParseRefusesKeysThatFoldOntoAField(t *testing.T) {
	base := `{"format":"pinterest-token-document","version":1,"access_token":"pina_first_0123456789","refresh_token":"pinr_first_0123456789","generation":1,`
	for name, extra := range map[string]string{
		"long s, raw":      `"acceſſ_token":"pina_second_0123456789"}`,
		"long s, escaped":  `"acce\u017f\u017f_token":"pina_second_0123456789"}`,
		"kelvin sign":      `"refresh_to\u212aen":"pinr_second_0123456789"}`,
		"non-ASCII, other": `"note_ü":"x"}`,
	} {
		if _, err := Parse(base + extra); !errors.Is(err, ErrAmbiguous) {
			t.Errorf("%s: got %v, want ErrAmbiguous", name, err)
		}
	}
}

func TestPrintingADocumentShowsNoSecret(t *testing.T) {
	d := FromTokenSet(tokenSet("pinr_refresh_0123456789"))
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(verb, d); strings.Contains(out, "0123456789") {
			t.Errorf("%s prints a secret: %s", verb, out)
		}
	}
}
