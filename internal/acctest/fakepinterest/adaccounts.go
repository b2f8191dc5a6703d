package fakepinterest

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// AdAccountsPath lists the ad accounts a token's user owns and those shared
// with it through Business Access (operation ad_accounts/list).
const AdAccountsPath = "/v5/ad_accounts"

// AdAccount is an ad account at the fake: its owner, and the users it is
// shared with and their roles (Business Access).
type AdAccount struct {
	ID, Name, Country, Currency string
	Owner                       UserAccount
	shared                      map[string][]string // user id -> roles
}

// AddAdAccount creates an ad account owned by owner.
func (s *Server) AddAdAccount(owner UserAccount, id, name, country, currency string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.adAccounts[id] = &AdAccount{ID: id, Name: name, Country: country, Currency: currency, Owner: owner, shared: map[string][]string{}}
}

// ShareAdAccount gives user access to an ad account with roles, as the
// owner does in Business Access; UnshareAdAccount takes it back.
func (s *Server) ShareAdAccount(id string, user UserAccount, roles ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.adAccounts[id]; ok {
		a.shared[user.ID] = slices.Clone(roles)
	}
}

func (s *Server) UnshareAdAccount(id string, user UserAccount) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.adAccounts[id]; ok {
		delete(a.shared, user.ID)
	}
}

// adAccounts answers GET /v5/ad_accounts: a bearer token with ads:read,
// include_shared_accounts (default true), and pages of page_size (default
// 25, at most 250) joined by an opaque bookmark.
func (s *Server) adAccountsList(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, 405, "Method not allowed.")
		return
	}
	q := r.URL.Query()
	size := 25
	if v := q.Get("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 250 {
			writeError(w, http.StatusBadRequest, 1, "Invalid parameters: page_size must be between 1 and 250.")
			return
		}
		size = n
	}
	shared := q.Get("include_shared_accounts") != "false"
	s.mu.Lock()
	_, g, valid, allowed := s.bearerLocked(r, "ads:read")
	var items []map[string]any
	if allowed {
		for _, a := range s.adAccounts {
			roles, isShared := a.shared[g.user.ID]
			switch {
			case a.Owner.ID == g.user.ID:
				roles = []string{"OWNER"}
			case !isShared || !shared:
				continue
			}
			items = append(items, map[string]any{
				"id": a.ID, "name": a.Name, "country": a.Country, "currency": a.Currency,
				"owner":       map[string]any{"id": a.Owner.ID, "username": a.Owner.Username},
				"permissions": roles,
			})
		}
	}
	s.mu.Unlock()
	if refusedBearer(w, valid, allowed) {
		return
	}
	sort.Slice(items, func(i, j int) bool { return fmt.Sprint(items[i]["id"]) < fmt.Sprint(items[j]["id"]) })
	start := 0
	if b := q.Get("bookmark"); b != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(b, "bm"))
		if err != nil || n < 0 || n > len(items) {
			writeError(w, http.StatusBadRequest, 1, "Invalid parameters: bookmark.")
			return
		}
		start = n
	}
	end := min(start+size, len(items))
	var bookmark any
	if end < len(items) {
		bookmark = "bm" + strconv.Itoa(end)
	}
	page := items[start:end]
	if page == nil {
		page = []map[string]any{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": page, "bookmark": bookmark})
}
