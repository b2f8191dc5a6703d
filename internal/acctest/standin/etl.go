package standin

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
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

// AirbytePlatform stands in for an Airbyte workspace: its sources and
// connections as its public API serves them (what airbyte_source and
// airbyte_connection read and write), and the source-pinterest connector's
// syncs. Fivetran's connectors are kept here too, with the same syncs.
//
// The refresh rules are those of the low-code connector
// (airbytehq/airbyte, airbyte-integrations/connectors/source-pinterest/
// manifest.yaml: an OAuthAuthenticator with refresh_token_updater, which
// the CDK builds as SingleUseRefreshTokenOauth2Authenticator in
// airbytehq/airbyte-python-cdk, airbyte_cdk/sources/streams/http/
// requests_native_auth/oauth.py): a sync refreshes when the configured
// credentials.token_expiry_date is absent or past (token_has_expired; the
// access token itself is not checked; until then it uses
// credentials.access_token, the manifest's access_token_value), posts grant_type=refresh_token with
// Basic auth and neither continuous_refresh nor refresh_on, and saves the
// new refresh token, access token and expiry into the source's
// configuration (the control message the platform persists).
type AirbytePlatform struct {
	mu          sync.Mutex
	sources     map[string]*sourceRecord
	connections map[string]*connectionRecord
	writes      int // configurations Terraform wrote: creates and updates
	authWrites  int // of those, the ones that carried credentials
	seq         int
	apiURL      string
	now         func() time.Time
	client      *http.Client
}

// sourceRecord is a source (Airbyte) or connector (Fivetran) as the
// platform holds it.
type sourceRecord struct {
	id, name, workspaceID, definitionID, sourceType string
	createdAt                                       int64
	config                                          map[string]any // Airbyte's configuration, as last written
	creds                                           Credentials
}

type connectionRecord struct{ sourceID, destinationID, name string }

// NewAirbytePlatform returns a platform whose connectors call apiURL (the
// fake Pinterest) and read time from now (the fake's clock).
func NewAirbytePlatform(apiURL string, now func() time.Time) *AirbytePlatform {
	return &AirbytePlatform{sources: map[string]*sourceRecord{}, connections: map[string]*connectionRecord{},
		apiURL: apiURL, now: now, client: &http.Client{Timeout: 10 * time.Second}}
}

// newID returns a platform id; callers hold mu.
func (p *AirbytePlatform) newID(kind string) string {
	p.seq++
	return fmt.Sprintf("%s-%04d", kind, p.seq)
}

// airbyteSecrets are the source-pinterest spec's airbyte_secret fields,
// which the API masks on every read.
var airbyteSecrets = []string{"client_secret", "refresh_token", "access_token"}

// credentialsOf reads the connector's credentials from a configuration as
// the manifest does: config.credentials.{client_id, client_secret,
// refresh_token, access_token, token_expiry_date}.
func credentialsOf(cfg map[string]any) Credentials {
	c, _ := cfg["credentials"].(map[string]any)
	str := func(k string) string { s, _ := c[k].(string); return s }
	cr := Credentials{ClientID: str("client_id"), ClientSecret: str("client_secret"), RefreshToken: str("refresh_token"), AccessToken: str("access_token")}
	if t, err := time.Parse(time.RFC3339, str("token_expiry_date")); err == nil {
		cr.TokenExpiry = t
	}
	return cr
}

func (p *AirbytePlatform) createSource(name, workspaceID, definitionID string, cfg map[string]any) sourceRecord {
	p.mu.Lock()
	defer p.mu.Unlock()
	if definitionID == "" {
		definitionID = "5cb7e5fe-38c2-11ec-8d3d-0242ac130003"
	}
	id := p.newID("source")
	src := &sourceRecord{name: name, workspaceID: workspaceID, definitionID: definitionID, sourceType: "pinterest",
		createdAt: p.now().Unix(), config: cfg, creds: credentialsOf(cfg)}
	p.sources[id] = src
	p.writes++
	p.authWrites++
	return withID(*src, id)
}

// withID is a record with its id, for the resources.
func withID(r sourceRecord, id string) sourceRecord { r.id = id; return r }

func (p *AirbytePlatform) getSource(id string) (sourceRecord, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	src, ok := p.sources[id]
	if !ok {
		return sourceRecord{}, false
	}
	return withID(*src, id), true
}

// putSource replaces the name and the whole configuration (PUT).
func (p *AirbytePlatform) putSource(id, name string, cfg map[string]any) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	src, ok := p.sources[id]
	if !ok {
		return false
	}
	src.name, src.config, src.creds = name, cfg, credentialsOf(cfg)
	p.writes++
	p.authWrites++
	return true
}

// maskedConfiguration is the configuration as the API returns it.
func (r sourceRecord) maskedConfiguration() string {
	b, _ := json.Marshal(r.config)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	if c, ok := out["credentials"].(map[string]any); ok {
		for _, k := range airbyteSecrets {
			if _, ok := c[k]; ok {
				c[k] = "**********"
			}
		}
	}
	b, _ = json.Marshal(out)
	return string(b)
}

// RenameSource is a person renaming the source in Airbyte's UI.
func (p *AirbytePlatform) RenameSource(id, name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if src, ok := p.sources[id]; ok {
		src.name = name
	}
}

// DeleteSource is a person deleting the source in Airbyte: its connections
// go with it.
func (p *AirbytePlatform) DeleteSource(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.sources, id)
	for cid, c := range p.connections {
		if c.sourceID == id {
			delete(p.connections, cid)
		}
	}
}

func (p *AirbytePlatform) createConnection(sourceID, destinationID, name string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.sources[sourceID]; !ok {
		return "", fmt.Errorf("source %s not found", sourceID)
	}
	if name == "" {
		name = "Pinterest → destination"
	}
	id := p.newID("connection")
	p.connections[id] = &connectionRecord{sourceID: sourceID, destinationID: destinationID, name: name}
	return id, nil
}

func (p *AirbytePlatform) connectionName(id string) string {
	c, _ := p.getConnection(id)
	return c.name
}

func (p *AirbytePlatform) getConnection(id string) (connectionRecord, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.connections[id]
	if !ok {
		return connectionRecord{}, false
	}
	return *c, true
}

func (p *AirbytePlatform) patchConnection(id, name string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.connections[id]
	if ok {
		c.name = name
	}
	return ok
}

func (p *AirbytePlatform) deleteConnection(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.connections, id)
}

// Connections lists the connection ids and the source each syncs.
func (p *AirbytePlatform) Connections() map[string]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]string{}
	for id, c := range p.connections {
		out[id] = c.sourceID
	}
	return out
}

// createConnector and patchConnector are Fivetran's: a patch without
// credentials keeps the ones the platform holds.
func (p *AirbytePlatform) createConnector(c Credentials) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	id := p.newID("connector")
	p.sources[id] = &sourceRecord{creds: c}
	p.writes++
	p.authWrites++
	return id
}

func (p *AirbytePlatform) patchConnector(id string, c *Credentials) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	src, ok := p.sources[id]
	if !ok {
		return false
	}
	p.writes++
	if c != nil {
		src.creds = *c
		p.authWrites++
	}
	return true
}

func (p *AirbytePlatform) exists(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.sources[id]
	return ok
}

func (p *AirbytePlatform) remove(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.sources, id)
}

// ConfigWrites counts the configurations Terraform wrote (creates and
// updates), and of those the ones that carried credentials.
func (p *AirbytePlatform) ConfigWrites() (writes, withCredentials int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.writes, p.authWrites
}

// Source returns a copy of a source's stored credentials.
func (p *AirbytePlatform) Source(id string) (Credentials, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.sources[id]
	if !ok {
		return Credentials{}, false
	}
	return c.creds, true
}

// Sources lists the source ids.
func (p *AirbytePlatform) Sources() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var ids []string
	for id := range p.sources {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Sync runs one sync of a source.
func (p *AirbytePlatform) Sync(ctx context.Context, id string) SyncResult {
	p.mu.Lock()
	defer p.mu.Unlock()
	src, ok := p.sources[id]
	if !ok {
		return SyncResult{Err: fmt.Errorf("no source %s", id)}
	}
	c := &src.creds
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
		if cr, ok := src.config["credentials"].(map[string]any); ok {
			cr["access_token"], cr["refresh_token"], cr["token_expiry_date"] = c.AccessToken, c.RefreshToken, c.TokenExpiry.Format(time.RFC3339)
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
