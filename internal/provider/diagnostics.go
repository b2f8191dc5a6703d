package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
)

// Every error the provider reports is built here, in one voice: a title-case
// summary, then what happened, why it probably happened and what to do next,
// then the underlying error. None of them can hold a secret: the client's
// errors mask token-shaped text and never quote response bodies.

const consentHelp = "To get a new code, have the account owner run terraform-provider-pinterest authorize -redirect-uri " +
	"<the app's loopback redirect URI> -scopes <scopes> and pass its output as TF_VAR_authorization_code; or build a consent " +
	"URL with provider::pinterest::authorization_url(client_id, redirect_uri, scopes, state), open it in a browser, approve, " +
	"and copy the code parameter from the address bar of the page Pinterest redirects to."

// lostAnswer is said when Pinterest refused a grant on a retry, after an
// earlier attempt of the same request got no answer: Pinterest most likely
// carried that attempt out, and the refusal is the client's own doing.
const lostAnswer = "The provider's first attempt got no answer (the connection failed, or a gateway timed out), so it " +
	"tried again, and Pinterest refused the retry. Pinterest most likely carried out the first attempt and its answer was " +
	"lost in transit: "

// exchangeDiagnostic explains a failed code exchange.
func exchangeDiagnostic(err error, codePath path.Path, redirectURI string) diag.Diagnostic {
	if apiErr, ok := pinterest.AsAPIError(err); ok && grantProblem(apiErr) && apiErr.UnansweredAttempts > 0 {
		return diag.NewAttributeErrorDiagnostic(codePath, "Authorization Code Spent by an Unanswered Attempt",
			lostAnswer+"the code was spent, and the tokens issued for it never arrived. Nothing was wrong with the code or "+
				"the configuration, and nothing can bring those tokens back.\n\n"+
				"Get a new code and apply again within 10 minutes. "+consentHelp+"\n\nError: "+err.Error())
	}
	if apiErr, ok := pinterest.AsAPIError(err); ok && grantProblem(apiErr) {
		return diag.NewAttributeErrorDiagnostic(codePath, "Authorization Code Rejected",
			fmt.Sprintf("Pinterest refused the authorization code. An authorization code is valid for 10 minutes, can be "+
				"exchanged only once, and must be exchanged with the same redirect_uri that was on the consent page "+
				"(this configuration sends %q).\n\n"+
				"Get a new code and apply again within 10 minutes. %s\n\n"+
				"Error: %s", redirectURI, consentHelp, err))
	}
	return commonDiagnostic(err)
}

// refreshDiagnostic explains a failed refresh.
func refreshDiagnostic(err error, tokenPath path.Path, recovery string) diag.Diagnostic {
	if apiErr, ok := pinterest.AsAPIError(err); ok && grantProblem(apiErr) && apiErr.UnansweredAttempts > 0 {
		return diag.NewAttributeErrorDiagnostic(tokenPath, "Refresh Token Spent by an Unanswered Attempt",
			lostAnswer+"the refresh token was rotated, the new one never arrived, and under continuous refresh the one sent "+
				"is now retired. No other party is to blame, and no client can recover the lost token.\n\n"+recovery+
				"\n\nError: "+err.Error())
	}
	if apiErr, ok := pinterest.AsAPIError(err); ok && grantProblem(apiErr) {
		return diag.NewAttributeErrorDiagnostic(tokenPath, "Refresh Token Rejected",
			"Pinterest refused the refresh token: it is no longer valid. Likely causes: another party (a second pipeline, "+
				"a person with curl, another Terraform configuration) refreshed the same token, and under continuous refresh "+
				"that can end the previous token at once; the app's access was revoked or its secret reset; or the token "+
				"went unused for 60 days.\n\n"+recovery+"\n\nError: "+err.Error())
	}
	return commonDiagnostic(err)
}

// grantProblem tells a refused code or token apart from refused credentials,
// rate limits and outages, which have their own messages.
func grantProblem(e *pinterest.APIError) bool {
	if e.IsBadClientCredentials() || e.IsRateLimited() || e.IsForbidden() || e.StatusCode >= 500 {
		return false
	}
	return e.IsInvalidGrant() || (e.StatusCode >= 400 && e.StatusCode < 500)
}

// commonDiagnostic explains failures that do not depend on the grant.
func commonDiagnostic(err error) diag.Diagnostic {
	var (
		apiErr   *pinterest.APIError
		badResp  *pinterest.UnexpectedResponseError
		transErr *pinterest.TransportError
	)
	switch {
	case errors.Is(err, pinterest.ErrMissingCredentials):
		return diag.NewErrorDiagnostic("Missing Pinterest App Credentials",
			"Set client_id and client_secret in the provider block, or PINTEREST_CLIENT_ID and PINTEREST_CLIENT_SECRET in the environment.\n\nError: "+err.Error())
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return diag.NewErrorDiagnostic("Pinterest Request Cancelled",
			"The request to Pinterest was stopped before it finished, because the operation's timeout passed or Terraform was interrupted. "+
				"If a timeout was too short, raise it in the resource's timeouts block, then apply again.\n\nError: "+err.Error())
	case errors.As(err, &apiErr):
		switch {
		case apiErr.IsBadClientCredentials():
			return diag.NewErrorDiagnostic("Pinterest Rejected the App Credentials",
				"Pinterest refused the app id and secret. Check client_id (PINTEREST_CLIENT_ID) and client_secret "+
					"(PINTEREST_CLIENT_SECRET) against the app at https://developers.pinterest.com/apps/; a secret reset in the "+
					"app console must be updated here too.\n\nError: "+err.Error())
		case apiErr.IsRateLimited():
			return diag.NewErrorDiagnostic("Pinterest Rate Limit Reached",
				"Pinterest kept answering 429 Too Many Requests after the provider's retries. The token endpoint counts against "+
					"the app's rate limits (trial apps: 1,000 requests a day). Wait, then apply again; raise max_retries to ride "+
					"out short bursts.\n\nError: "+err.Error())
		case apiErr.IsForbidden():
			return diag.NewErrorDiagnostic("Pinterest Refused the Request",
				"Pinterest says the app or user may not do this (403). Check the app's access tier and status at "+
					"https://developers.pinterest.com/apps/.\n\nError: "+err.Error())
		case apiErr.StatusCode >= http.StatusInternalServerError:
			return diag.NewErrorDiagnostic("Pinterest Is Unavailable",
				"Pinterest answered with a server error after the provider's retries. This is usually brief: apply again in a "+
					"few minutes. If it persists, give Pinterest support the request id below.\n\nError: "+err.Error())
		default:
			return diag.NewErrorDiagnostic("Pinterest Request Failed",
				"Pinterest refused the request. Give Pinterest support the request id below if the message does not say "+
					"what to change.\n\nError: "+err.Error())
		}
	case errors.As(err, &badResp):
		return diag.NewErrorDiagnostic("Unexpected Response from Pinterest",
			"The answer could not be read as Pinterest's API. Check that api_url (PINTEREST_API_URL) points at Pinterest's "+
				"API, and that no proxy or captive portal answers in its place. Apply again; if it persists, give Pinterest "+
				"support the request id below.\n\nError: "+err.Error())
	case errors.As(err, &transErr):
		next := "Check the network path to the API host (DNS, proxy, firewall), then apply again."
		if transErr.Timeout() {
			next = "Pinterest did not answer within request_timeout. Raise request_timeout in the provider block if the " +
				"network is slow, or apply again later."
		}
		return diag.NewErrorDiagnostic("Cannot Reach Pinterest", next+"\n\nError: "+err.Error())
	default:
		return diag.NewErrorDiagnostic("Pinterest Request Failed", "Apply again; if it persists, report this error.\n\nError: "+err.Error())
	}
}
