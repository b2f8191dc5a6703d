package standin

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// The ETL tools' refresh behaviours, as sync simulators. Each copies the
// rules of the real tool that decide whether a sync refreshes and what it
// keeps afterwards (the upstream files are named on each), and talks to the
// fake Pinterest on loopback as the tool talks to Pinterest: POST
// /v5/oauth/token with HTTP Basic client authentication, then a call with
// the access token. A sync succeeds when Pinterest accepted its access
// token.

// SyncResult is what one sync did.
type SyncResult struct {
	Attempted bool  // the sync sent a refresh of its own
	Refreshed bool  // the sync refreshed the token set itself
	Err       error // nil when the sync reached Pinterest with a valid token
}

// Credentials is what a tool is configured with, as its spec names them.
type Credentials struct {
	ClientID, ClientSecret, RefreshToken string
	// AccessToken and TokenExpiry are Airbyte's optional
	// credentials.access_token and credentials.token_expiry_date.
	AccessToken string
	TokenExpiry time.Time
}

// AirbytePlatform stands in for an Airbyte workspace: its config store of
// sources (what airbyte_source_pinterest writes through the Airbyte API),
// and the source-pinterest connector's syncs.
//
// The refresh rules are those of the low-code connector
// (airbytehq/airbyte, airbyte-integrations/connectors/source-pinterest/
// manifest.yaml: an OAuthAuthenticator with refresh_token_updater, which
// the CDK builds as SingleUseRefreshTokenOauth2Authenticator in
// airbytehq/airbyte-python-cdk, airbyte_cdk/sources/streams/http/
// requests_native_auth/oauth.py): a sync refreshes when the configured
// credentials.token_expiry_date is absent or past (token_has_expired; the
// access token itself is not checked), posts grant_type=refresh_token with
// Basic auth and neither continuous_refresh nor refresh_on, and saves the
// new refresh token, access token and expiry into the source's
// configuration (the control message the platform persists).
type AirbytePlatform struct {
	mu      sync.Mutex
	sources map[string]*Credentials
	writes  int
	apiURL  string
	now     func() time.Time
	client  *http.Client
}

// NewAirbytePlatform returns a platform whose connectors call apiURL (the
// fake Pinterest) and read time from now (the fake's clock).
func NewAirbytePlatform(apiURL string, now func() time.Time) *AirbytePlatform {
	return &AirbytePlatform{sources: map[string]*Credentials{}, apiURL: apiURL, now: now, client: &http.Client{Timeout: 10 * time.Second}}
}

// put stores a source's configuration, as the Airbyte API's create and
// update (a whole-configuration replace) do.
func (p *AirbytePlatform) put(id string, c Credentials) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sources[id] = &c
	p.writes++
}

func (p *AirbytePlatform) remove(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.sources, id)
}

// ConfigWrites counts the configurations Terraform wrote (create and update).
func (p *AirbytePlatform) ConfigWrites() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.writes
}

// Source returns a copy of a source's stored credentials.
func (p *AirbytePlatform) Source(id string) (Credentials, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.sources[id]
	if !ok {
		return Credentials{}, false
	}
	return *c, true
}

// Sources lists the source ids.
func (p *AirbytePlatform) Sources() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var ids []string
	for id := range p.sources {
		ids = append(ids, id)
	}
	return ids
}

// Sync runs one sync of a source.
func (p *AirbytePlatform) Sync(ctx context.Context, id string) SyncResult {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.sources[id]
	if !ok {
		return SyncResult{Err: fmt.Errorf("no source %s", id)}
	}
	var res SyncResult
	if c.TokenExpiry.IsZero() || !p.now().Before(c.TokenExpiry) {
		res.Attempted = true
		ts, err := refresh(ctx, p.client, p.apiURL, *c, p.now())
		if err != nil {
			return SyncResult{Attempted: true, Err: err}
		}
		// The rotated refresh token is kept in the platform's config.
		c.AccessToken, c.TokenExpiry = ts.accessToken, ts.expiresAt
		if ts.refreshToken != "" {
			c.RefreshToken = ts.refreshToken
		}
		res.Refreshed = true
	}
	res.Err = readAccount(ctx, p.client, p.apiURL, c.AccessToken)
	return res
}

// SingerSync is one run of singer-io/tap-pinterest-ads: it is configured with
// client_id, client_secret and refresh_token and refreshes at the start of
// every run, keeping only the access token, in memory
// (tap_pinterest_ads/auth.py). Under continuous refresh its second run sends
// a refresh token its first run retired.
func SingerSync(ctx context.Context, apiURL string, c Credentials, now time.Time) SyncResult {
	client := &http.Client{Timeout: 10 * time.Second}
	ts, err := refresh(ctx, client, apiURL, c, now)
	if err != nil {
		return SyncResult{Attempted: true, Err: err}
	}
	return SyncResult{Attempted: true, Refreshed: true, Err: readAccount(ctx, client, apiURL, ts.accessToken)}
}

// AccessTokenSync is one run of a tool given an access token only
// (MeltanoLabs/tap-pinterest's access_token setting, ingestr's
// pinterest://?access_token=): it never refreshes. The job reads the token
// document from the store at the start of the run and uses access_token.
func AccessTokenSync(ctx context.Context, apiURL, tokenDocument string) SyncResult {
	var doc struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal([]byte(tokenDocument), &doc); err != nil || doc.AccessToken == "" {
		return SyncResult{Err: errors.New("the store holds no token document")}
	}
	return SyncResult{Err: readAccount(ctx, &http.Client{Timeout: 10 * time.Second}, apiURL, doc.AccessToken)}
}

type issued struct {
	accessToken, refreshToken string
	expiresAt                 time.Time
}

// refresh posts grant_type=refresh_token as the tools do: Basic auth, a
// form body, nothing else.
func refresh(ctx context.Context, client *http.Client, apiURL string, c Credentials, now time.Time) (issued, error) {
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {c.RefreshToken}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, apiURL+"/v5/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		return issued{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(c.ClientID+":"+c.ClientSecret)))
	resp, err := client.Do(req)
	if err != nil {
		return issued{}, err
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		ExpiresIn    int64  `json:"expires_in"`
		Code         int    `json:"code"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode/100 != 2 || body.AccessToken == "" {
		return issued{}, fmt.Errorf("refresh refused: HTTP %d (code %d)", resp.StatusCode, body.Code)
	}
	return issued{body.AccessToken, body.RefreshToken, now.Add(time.Duration(body.ExpiresIn) * time.Second)}, nil
}

// readAccount is the sync's first API call.
func readAccount(ctx context.Context, client *http.Client, apiURL, accessToken string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, apiURL+"/v5/user_account", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("access token refused: HTTP %d", resp.StatusCode)
	}
	return nil
}
