package pinterest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

// OpAdAccounts lists ad accounts.
const OpAdAccounts Operation = "list ad accounts"

// AdAccount is an item of GET /v5/ad_accounts, in the shapes the spec gives
// (schema AdAccount): every field is server text, kept only when it has the
// shape the spec allows.
type AdAccount struct {
	ID            string
	Name          string
	OwnerID       string
	OwnerUsername string
	Country       string
	Currency      string
	Permissions   []string
}

// maxAdAccountPages bounds the paging: 400 pages of 250 are 100,000 ad
// accounts, far more than any user has; a server whose bookmarks never end
// is refused rather than followed forever.
const maxAdAccountPages = 400

var (
	adAccountID = regexp.MustCompile(`^\d{1,18}$`)
	// Country and currency codes, and Business Access roles.
	upperWord = regexp.MustCompile(`^[A-Z][A-Z_]{0,39}$`)
	username  = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,100}$`)
	// Bookmarks are opaque, base64-like tokens; anything else is not sent back.
	bookmarkShape = regexp.MustCompile(`^[A-Za-z0-9_=+/-]+$`)
)

// AdAccounts lists the ad accounts the access token's user owns and, with
// includeShared, those shared with it through Business Access, following
// the bookmark to the last page. The token needs ads:read.
func (c *Client) AdAccounts(ctx context.Context, accessToken sensitive.Secret, includeShared bool) ([]AdAccount, error) {
	var out []AdAccount
	seen := map[string]bool{}
	bookmark := ""
	for page := 0; ; page++ {
		if page == maxAdAccountPages {
			return nil, &UnexpectedResponseError{Operation: OpAdAccounts, Reason: fmt.Sprintf("more than %d pages of ad accounts", maxAdAccountPages)}
		}
		q := url.Values{"page_size": {"250"}, "include_shared_accounts": {strconv.FormatBool(includeShared)}}
		if bookmark != "" {
			q.Set("bookmark", bookmark)
		}
		meta, body, err := c.bearer(ctx, OpAdAccounts, http.MethodGet, "/v5/ad_accounts?"+q.Encode(), accessToken, map[string]any{"page": page + 1})
		if err != nil {
			return nil, err
		}
		var answer struct {
			Items []struct {
				ID       string `json:"id"`
				Name     string `json:"name"`
				Country  string `json:"country"`
				Currency string `json:"currency"`
				Owner    struct {
					ID       string `json:"id"`
					Username string `json:"username"`
				} `json:"owner"`
				Permissions []string `json:"permissions"`
			} `json:"items"`
			Bookmark *string `json:"bookmark"`
		}
		bad := func(reason string) error {
			return &UnexpectedResponseError{Operation: OpAdAccounts, StatusCode: meta.StatusCode, ContentType: meta.ContentType, RequestID: meta.RequestID, Reason: reason}
		}
		if err := json.Unmarshal(body, &answer); err != nil || answer.Items == nil {
			return nil, bad("body is not a page of ad accounts")
		}
		// Asked for 250 a page: more is a server not to be followed.
		if len(answer.Items) > 250 {
			return nil, bad("a page holds more than the 250 ad accounts asked for")
		}
		for _, it := range answer.Items {
			if !adAccountID.MatchString(it.ID) {
				return nil, bad("an ad account id is not 1 to 18 digits")
			}
			if seen[it.ID] {
				continue // a page boundary that moved
			}
			seen[it.ID] = true
			a := AdAccount{ID: it.ID, Name: truncate(scrub(it.Name, accessToken), 256)}
			if adAccountID.MatchString(it.Owner.ID) {
				a.OwnerID = it.Owner.ID
			}
			if username.MatchString(it.Owner.Username) {
				a.OwnerUsername = it.Owner.Username
			}
			if upperWord.MatchString(it.Country) {
				a.Country = it.Country
			}
			if upperWord.MatchString(it.Currency) {
				a.Currency = it.Currency
			}
			for _, p := range it.Permissions {
				if upperWord.MatchString(p) {
					a.Permissions = append(a.Permissions, p)
				}
			}
			out = append(out, a)
		}
		if answer.Bookmark == nil || *answer.Bookmark == "" {
			return out, nil
		}
		if *answer.Bookmark == bookmark || len(*answer.Bookmark) > 1024 || !bookmarkShape.MatchString(*answer.Bookmark) {
			return nil, bad("the bookmark is not an opaque token that moves on")
		}
		bookmark = *answer.Bookmark
	}
}
