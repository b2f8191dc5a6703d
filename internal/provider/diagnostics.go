package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokenset"
)

// Every error the provider reports about a call to Pinterest is built by
// diagnose, in one voice: a title-case summary, two or three sentences of
// what happened and what to do with the real values, a pointer to the guide
// section that says more, then the underlying error. None of them can hold a
// secret: the client's errors mask token-shaped text and never quote bodies.

// onCallGuide points at the table of every message and its next step.
const onCallGuide = `See "What on-call does" in the token timeline guide.`

// grantOp is what a failed call was doing with a code or refresh token; the
// messages about a refused grant depend on it.
type grantOp int

const (
	opOther    grantOp = iota // no grant involved (user account, revoke)
	opExchange                // exchanging an authorization code
	opAdopt                   // refreshing a refresh token given to start a token set
	opRotate                  // a scheduled rotation of pinterest_oauth_token
	opOpen                    // an open of pinterest_access_token
)

// failure describes the call that failed, with the values a message can
// name. Zero values are left out of the messages.
type failure struct {
	op          grantOp
	path        path.Path // the attribute the grant came from
	redirectURI string
	scopes      []string
	generation  int64
}

// diagnose turns a failed call into its diagnostic: one switch over
// pinterest.Classify, so a kind of failure reads the same everywhere.
func diagnose(err error, f failure) diag.Diagnostic {
	detail := func(body string) string { return body + "\n\nError: " + err.Error() }
	grant := func(summary, body string) diag.Diagnostic {
		if f.path.Equal(path.Empty()) {
			return diag.NewErrorDiagnostic(summary, detail(body))
		}
		return diag.NewAttributeErrorDiagnostic(f.path, summary, detail(body))
	}
	var locked *tokenset.ErrLocked
	if errors.As(err, &locked) {
		return diag.NewErrorDiagnostic("Token Set Locked by Another Run",
			detail("Another Terraform or OpenTofu run on this machine was obtaining the same token set and still held its lock "+
				"when this operation's timeout passed, so nothing was sent to Pinterest and nothing was lost. Let the other run "+
				"finish, then apply again. If two configurations refresh the same token set on a schedule, keep one: two "+
				"refreshers of one token set cannot both survive. "+onCallGuide))
	}
	switch kind := pinterest.Classify(err); {
	case kind == pinterest.FailureGrantSpent && f.op == opExchange:
		return grant("Authorization Code Spent by an Unanswered Attempt",
			"The first attempt got no answer, so the provider tried again and Pinterest refused the retry: the first attempt most "+
				"likely spent the code and its answer was lost in transit. Nothing was wrong with the code or the configuration. "+
				"Get a new code and apply again within 10 minutes: "+consentHelp(f.redirectURI, f.scopes)+" "+onCallGuide)
	case kind == pinterest.FailureGrantSpent && f.op != opOther:
		return grant("Refresh Token Spent by an Unanswered Attempt",
			"The first attempt got no answer, so the provider tried again and Pinterest refused the retry: the first attempt most "+
				"likely rotated the refresh token"+f.ofGeneration()+" and its answer was lost in transit, so no other party is to "+
				"blame. "+f.recovery()+" "+onCallGuide)
	case kind == pinterest.FailureGrantRefused && f.op == opExchange:
		return grant("Authorization Code Rejected",
			fmt.Sprintf("Pinterest refused the authorization code: a code is valid for 10 minutes, can be exchanged only once, and "+
				"must be exchanged with the same redirect_uri that was on the consent page (this configuration sends %q). Get a "+
				"new code and apply again within 10 minutes: %s %s", f.redirectURI, consentHelp(f.redirectURI, f.scopes), onCallGuide))
	case kind == pinterest.FailureGrantRefused && f.op != opOther:
		return grant("Refresh Token Rejected",
			"Pinterest refused the refresh token"+f.ofGeneration()+": it is no longer valid. Likely causes: another party "+
				"(an ETL tool, a second pipeline, a person with curl) refreshed the same token, the app's access was revoked or its "+
				"secret reset, or it went unused for 60 days. "+f.recovery()+" "+onCallGuide)
	case kind == pinterest.FailureMissingCredentials:
		return diag.NewErrorDiagnostic("Missing Pinterest App Credentials",
			detail("Set client_id and client_secret in the provider block, or PINTEREST_CLIENT_ID and PINTEREST_CLIENT_SECRET in the environment."))
	case kind == pinterest.FailureCancelled:
		return diag.NewErrorDiagnostic("Pinterest Request Cancelled",
			detail("The request to Pinterest was stopped before it finished, because the operation's timeout passed or Terraform "+
				"was interrupted. If a timeout was too short, raise it in the resource's timeouts block, then apply again."))
	case kind == pinterest.FailureCredentials:
		return diag.NewErrorDiagnostic("Pinterest Rejected the App Credentials",
			detail("Pinterest refused the app id and secret. Check client_id (PINTEREST_CLIENT_ID) and client_secret "+
				"(PINTEREST_CLIENT_SECRET) against the app at https://developers.pinterest.com/apps/; a secret reset there must be "+
				"made here too."))
	case kind == pinterest.FailureRateLimited:
		return diag.NewErrorDiagnostic("Pinterest Rate Limit Reached",
			detail("Pinterest kept answering 429 Too Many Requests after the provider's retries (trial apps may make 1,000 requests "+
				"a day). Wait, then apply again; raise max_retries to ride out short bursts."))
	case kind == pinterest.FailureForbidden:
		return diag.NewErrorDiagnostic("Pinterest Refused the Request",
			detail("Pinterest says the app or user may not do this (403). Check the app's access tier and status at "+
				"https://developers.pinterest.com/apps/."))
	case kind == pinterest.FailureUnavailable:
		return diag.NewErrorDiagnostic("Pinterest Is Unavailable",
			detail("Pinterest answered with a server error after the provider's retries; this is usually brief. Apply again in a "+
				"few minutes, and give Pinterest support the request id below if it persists."))
	case kind == pinterest.FailureUnexpectedResponse:
		return diag.NewErrorDiagnostic("Unexpected Response from Pinterest",
			detail("The answer could not be read as Pinterest's API. Check that api_url (PINTEREST_API_URL) points at Pinterest's "+
				"API and that no proxy or captive portal answers in its place, then apply again."))
	case kind == pinterest.FailureTimeout:
		return diag.NewErrorDiagnostic("Cannot Reach Pinterest",
			detail("Pinterest did not answer within request_timeout. Raise request_timeout in the provider block if the network is "+
				"slow, or apply again later."))
	case kind == pinterest.FailureUnreachable:
		return diag.NewErrorDiagnostic("Cannot Reach Pinterest",
			detail("Check the network path to the API host (DNS, proxy, firewall), then apply again."))
	case kind == pinterest.FailureRefused || kind == pinterest.FailureGrantRefused || kind == pinterest.FailureGrantSpent:
		return diag.NewErrorDiagnostic("Pinterest Request Failed",
			detail("Pinterest refused the request. Give Pinterest support the request id below if the message does not say what to change."))
	default:
		return diag.NewErrorDiagnostic("Pinterest Request Failed", detail("Apply again; if it persists, report this error."))
	}
}

// ofGeneration names the token set's generation, when known.
func (f failure) ofGeneration() string {
	if f.generation < 1 {
		return ""
	}
	return fmt.Sprintf(" (token set generation %d)", f.generation)
}

// recovery is the way back after a refused refresh token.
func (f failure) recovery() string {
	switch f.op {
	case opAdopt:
		return "Give refresh_token_wo the newest refresh token with a new refresh_token_wo_version, or start from a new code " +
			"instead: " + consentHelp(f.redirectURI, f.scopes)
	case opOpen:
		return "If someone stored a newer token set, give this resource what the store holds now; otherwise a person must " +
			"approve again, and a bootstrap pinterest_oauth_token writes a new token document to the store (see the token " +
			"document guide)."
	default:
		return "Start a new token set in place (generation counts on): a new code in authorization_code_wo with a new " +
			"authorization_code_wo_version (" + consentHelp(f.redirectURI, f.scopes) + "), or a current refresh token in " +
			"refresh_token_wo with a new refresh_token_wo_version. If a run that rotated was killed and the store holds the next " +
			"generation, give recovery_document_wo the store's document instead (\"When a run dies\" in the token timeline guide)."
	}
}

// consentHelp says how to get a new code, with the redirect URI and scopes
// filled in where the caller knows them.
func consentHelp(redirectURI string, scopes []string) string {
	if redirectURI == "" {
		redirectURI = "<redirect URI>"
	}
	scopeList := strings.Join(scopes, ",")
	if scopeList == "" {
		scopeList = "<scopes>"
	}
	return fmt.Sprintf("the account owner runs terraform-provider-pinterest authorize -redirect-uri %s -scopes %s (or opens "+
		"the URL of provider::pinterest::authorization_url in a browser and copies the code from the address bar).", redirectURI, scopeList)
}
