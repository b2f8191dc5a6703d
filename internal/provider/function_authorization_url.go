package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
)

var _ function.Function = (*authorizationURLFunction)(nil)

// authorizationURLFunction is provider::pinterest::authorization_url. It
// needs no provider configuration and makes no call.
type authorizationURLFunction struct{}

func newAuthorizationURLFunction() function.Function { return &authorizationURLFunction{} }

func (f *authorizationURLFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "authorization_url"
}

func (f *authorizationURLFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Build the Pinterest consent URL",
		MarkdownDescription: "Returns the `https://www.pinterest.com/oauth/` URL a person opens to approve the app for the given " +
			"scopes. After approval Pinterest redirects the browser to `redirect_uri` with `code` and `state` in the query; the " +
			"code is valid for 10 minutes and is what `pinterest_oauth_token` exchanges. Check that `state` came back unchanged.",
		Parameters: []function.Parameter{
			function.StringParameter{Name: "client_id", MarkdownDescription: "The Pinterest app id."},
			function.StringParameter{Name: "redirect_uri", MarkdownDescription: "An absolute redirect URI registered on the app."},
			function.ListParameter{Name: "scopes", ElementType: types.StringType,
				MarkdownDescription: "The scopes to ask for, such as `[\"pins:read\", \"user_accounts:read\"]`; at least one."},
			function.StringParameter{Name: "state", MarkdownDescription: "An unguessable value that Pinterest echoes back, to tie the answer to this request."},
		},
		Return: function.StringReturn{},
	}
}

func (f *authorizationURLFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var clientID, redirectURI, state string
	var scopes []string
	resp.Error = req.Arguments.Get(ctx, &clientID, &redirectURI, &scopes, &state)
	if resp.Error != nil {
		return
	}
	if strings.TrimSpace(clientID) == "" {
		resp.Error = function.NewArgumentFuncError(0, "client_id is empty: give the app id shown at https://developers.pinterest.com/apps/")
		return
	}
	if err := pinterest.ValidateRedirectURI(redirectURI); err != nil {
		resp.Error = function.NewArgumentFuncError(1, err.Error())
		return
	}
	if len(scopes) == 0 {
		resp.Error = function.NewArgumentFuncError(2, "scopes is empty: ask for at least one scope, for example [\"user_accounts:read\"]")
		return
	}
	var unique []string
	for _, s := range scopes {
		if !pinterest.IsKnownScope(s) {
			resp.Error = function.NewArgumentFuncError(2, unknownScopeMessage(s))
			return
		}
		if !slices.Contains(unique, s) {
			unique = append(unique, s)
		}
	}
	resp.Error = resp.Result.Set(ctx, pinterest.AuthorizationURL(pinterest.ConsentURL, clientID, redirectURI, unique, state))
}

// unknownScopeMessage has no final period: Terraform adds one to function
// errors.
func unknownScopeMessage(s string) string {
	return fmt.Sprintf("%q is not a Pinterest API v5 scope. Known scopes: %s", s, strings.Join(pinterest.KnownScopes, ", "))
}
