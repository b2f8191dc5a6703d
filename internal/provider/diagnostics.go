package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sprighub/terraform-provider-pinterest/internal/journal"
	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokenset"
)

// Every diagnostic the provider reports is written in this file, in one
// voice: a title-case summary, one title per condition, two or three
// sentences of what happened and what to do with the real values, a pointer
// to the guide section that says more, then the underlying error. None of
// them can hold a secret: the client's errors mask token-shaped text and
// never quote bodies. diagnose covers every failed call to Pinterest.

// onCallGuide points at the table of every message and its next step.
const onCallGuide = `See this message's title in the on-call runbook guide.`

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
				"Get a new code and apply again within 10 minutes: "+consentHelp(f.redirectURI, f.scopes)+". "+onCallGuide)
	case kind == pinterest.FailureGrantSpent && f.op != opOther:
		return grant("Refresh Token Spent by an Unanswered Attempt",
			"The first attempt got no answer, so the provider tried again and Pinterest refused the retry: the first attempt most "+
				"likely rotated the refresh token"+f.ofGeneration()+" and its answer was lost in transit, so no other party is to "+
				"blame. "+f.recovery()+" "+onCallGuide)
	case kind == pinterest.FailureGrantRefused && f.op == opExchange:
		return grant("Authorization Code Rejected",
			fmt.Sprintf("Pinterest refused the authorization code: a code is valid for 10 minutes, can be exchanged only once, and "+
				"must be exchanged with the same redirect_uri that was on the consent page (this configuration sends %q). Get a "+
				"new code and apply again within 10 minutes: %s. %s", f.redirectURI, consentHelp(f.redirectURI, f.scopes), onCallGuide))
	case kind == pinterest.FailureGrantRefused && f.op != opOther:
		return grant("Refresh Token Rejected",
			"Pinterest refused the refresh token"+f.ofGeneration()+": it is no longer valid. Likely causes: another party "+
				"(an ETL tool, a second pipeline, a person with curl) refreshed the same token, the app's access was revoked or its "+
				"secret reset, or it went unused for 60 days. "+f.recovery()+" "+onCallGuide)
	case kind == pinterest.FailureMissingCredentials:
		return missingCredentials(nil)
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
			"instead: " + consentHelp(f.redirectURI, f.scopes) + "."
	case opOpen:
		return "If someone stored a newer token set, give this resource what the store holds now; otherwise a person must " +
			"approve again, and a bootstrap pinterest_oauth_token writes a new token document to the store (see this message's " +
			"title in the on-call runbook guide)."
	default:
		return "Start a new token set in place (generation counts on): a new code in authorization_code_wo with a new " +
			"authorization_code_wo_version (" + consentHelp(f.redirectURI, f.scopes) + "), or a current refresh token in " +
			"refresh_token_wo with a new refresh_token_wo_version. If a run that rotated was killed and the store holds the next " +
			"generation, give recovery_document_wo the store's document instead (\"When a run dies\" in the on-call runbook guide)."
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
		"the URL of provider::pinterest::authorization_url in a browser and copies the code from the address bar)", redirectURI, scopeList)
}

// userAccountDiagnostic explains why an access token was refused. A 401 here
// is the bearer token's, not the app credentials' as on the token endpoint.
func userAccountDiagnostic(err error) diag.Diagnostic {
	apiErr, ok := pinterest.AsAPIError(err)
	switch {
	case ok && apiErr.StatusCode == 401:
		return diag.NewAttributeErrorDiagnostic(path.Root("access_token"), "Pinterest Access Token Refused",
			"Pinterest refused the access token (401): it expired (about 30 days after the refresh that issued it; compare "+
				"access_token_expires_at), or the account owner removed the app's access. If it expired and the refresh token has time left, "+
				"run the scheduled apply now; if access was removed, the account owner must approve again and the token set "+
				"start anew from a new code. "+onCallGuide+"\n\nError: "+err.Error())
	case ok && apiErr.IsForbidden():
		return diag.NewAttributeErrorDiagnostic(path.Root("access_token"), "Pinterest Account Not Readable",
			"Pinterest accepted the access token but refused to show the account (403): the token lacks the "+
				"user_accounts:read scope. Ask for that scope at the next consent, or watch access_token_expires_at instead."+
				"\n\nError: "+err.Error())
	}
	return diagnose(err, failure{})
}

// adAccountsDiagnostic explains a refused list of ad accounts.
func adAccountsDiagnostic(err error) diag.Diagnostic {
	if apiErr, ok := pinterest.AsAPIError(err); ok && apiErr.IsForbidden() {
		return diag.NewAttributeErrorDiagnostic(path.Root("access_token"), "Pinterest Ad Accounts Not Readable",
			"Pinterest accepted the access token but refused to list ad accounts (403): the token lacks the ads:read "+
				"scope. Ask for ads:read at the next consent. "+onCallGuide+"\n\nError: "+err.Error())
	}
	return userAccountDiagnostic(err)
}

// conversionTokenDiagnostic explains a refused conversion token request.
func conversionTokenDiagnostic(err error) diag.Diagnostic {
	apiErr, ok := pinterest.AsAPIError(err)
	switch {
	case ok && apiErr.StatusCode == 401:
		return diag.NewAttributeErrorDiagnostic(path.Root("access_token_wo"), "Pinterest Access Token Refused",
			"Pinterest refused the access token given to make a conversion token (401): it expired, or the account "+
				"owner removed the app's access. Give the current access token of the token set (for example "+
				"pinterest_oauth_token.<name>.access_token), after the scheduled apply has refreshed it. "+onCallGuide+
				"\n\nError: "+err.Error())
	case ok && apiErr.IsForbidden():
		return diag.NewAttributeErrorDiagnostic(path.Root("access_token_wo"), "Missing Pinterest Scopes",
			"Pinterest accepted the access token but refused to make a conversion token (403): the token lacks the "+
				"ads:write scope, or its account may not manage conversions for the ad account. Ask for ads:write at a new "+
				"consent (and add it to required_scopes), or have an ad account admin approve. "+onCallGuide+
				"\n\nError: "+err.Error())
	}
	return diagnose(err, failure{})
}

// missingCredentials names the app credentials that are not set (all of
// them when missing is empty).
func missingCredentials(missing []string) diag.Diagnostic {
	if len(missing) == 0 {
		missing = []string{"client_id (or the environment variable PINTEREST_CLIENT_ID)", "client_secret (or the environment variable PINTEREST_CLIENT_SECRET)"}
	}
	return diag.NewErrorDiagnostic("Missing Pinterest App Credentials",
		"This needs a Pinterest app id and secret to call Pinterest, and these are not set: "+strings.Join(missing, "; ")+".\n\n"+
			"Find both on the app's page at https://developers.pinterest.com/apps/ and set them in the provider block "+
			"(client_id, client_secret) or in the environment (PINTEREST_CLIENT_ID, PINTEREST_CLIENT_SECRET).")
}

func invalidAPIURL(err error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("api_url"), "Invalid Pinterest API URL",
		fmt.Sprintf("The API URL (from api_url, or else %s) cannot be used: %s.\n\n"+
			"Give the scheme and host only, for example https://api.pinterest.com or https://api-sandbox.pinterest.com.",
			strings.Join(envAPIURL, " or "), err))
}

func foreignAPIHost(host string) diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(path.Root("api_url"), "API URL Is Not Pinterest's",
		fmt.Sprintf("The API URL (from api_url, or else %s) points at %s, which is neither %s. The app's client secret "+
			"and every token are sent there. If that host is not a proxy of yours in front of Pinterest, remove the "+
			"setting, or set it to https://api.pinterest.com.", strings.Join(envAPIURL, " or "), host,
			strings.Join(pinterest.PinterestHosts, " nor ")))
}

func loopbackAPIHost(host string) diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(path.Root("api_url"), "API URL Is a Loopback Address",
		fmt.Sprintf("The API URL (from api_url, or else %s) points at %s on this machine, not at Pinterest. The app's "+
			"client secret and every token are sent to whatever listens there: a fake Pinterest for a trial, or, if an "+
			"export of the fake's address outlived its shell, anyone who took the port since. For a trial against the fake, "+
			"set %s=true in that shell alone; otherwise remove the setting.", strings.Join(envAPIURL, " or "), host, envAllowLoopback))
}

func clientNotConfigured(err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Cannot Configure the Pinterest Client", err.Error())
}

func unexpectedProviderData(raw any) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Unexpected Provider Data",
		fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", raw))
}

// missingAccessToken: a data source was given no token, nor its provider.
func missingAccessToken(dataSource string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Missing Access Token",
		dataSource+" needs an access token, and neither its access_token nor its provider block's access_token is set. "+
			"Set access_token, such as pinterest_oauth_token.etl.access_token, or, where the token is ephemeral (read from "+
			"a secret store), access_token in the provider block that the data source uses.")
}

// providerTokenUnknown: the provider block's token is known only during
// apply, and a data source is read during the plan.
func providerTokenUnknown(dataSource string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Access Token Not Known During Plan",
		dataSource+" reads with the provider block's access_token, which is known only during apply (it comes from a "+
			"pinterest_access_token with apply_time, or from a resource this run changes), and a data source is read "+
			"during the plan. Give the provider block the stored access token instead: "+
			"jsondecode(<the ephemeral read of the secret store>).access_token, which the plan can read and which nothing refreshes.")
}

// fromProviderBlock moves a diagnostic about a data source's access_token
// to the provider block's, where the token came from, keeping its
// severity, and says what a stale stored token means there.
func fromProviderBlock(d diag.Diagnostic) diag.Diagnostic {
	detail := d.Detail() + "\n\nThe access token is the provider block's access_token. If it is read from a secret store, the " +
		"store's copy may be stale: check the job that writes it. A configuration that also refreshes that token set cannot " +
		"run its refresh while this read fails: keep the read in a configuration of its own."
	if d.Severity() == diag.SeverityWarning {
		return diag.NewWarningDiagnostic(d.Summary(), detail)
	}
	return diag.NewErrorDiagnostic(d.Summary(), detail)
}

// invalidAccessToken: the provider block's access_token cannot be an
// access token, such as the refresh token taken from the wrong field.
func invalidAccessToken(dataSource, why string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Invalid Access Token",
		"The provider block's access_token, which "+dataSource+" reads with, "+why+", so it was not sent. Give it the access_token field of the token "+
			"document, such as jsondecode(<the secret>).access_token.")
}

func providerNotConfigured() diag.Diagnostic {
	return diag.NewErrorDiagnostic("Provider Not Configured", "The pinterest provider was not configured; this is a bug in the provider.")
}

// journalUnavailable: the cache on this machine cannot be used, why, and
// what to do.
func journalUnavailable(why, next string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Token Cache Unavailable",
		"The provider writes the token sets it obtains ahead into a cache on this machine, so that a run that dies loses "+
			"nothing, and "+why+". Until this is fixed, pinterest_oauth_token refuses to obtain token sets, and "+
			"pinterest_access_token cannot hand a refreshed set back. "+next)
}

// journalMoved: the default cache directory is not safe; another is used.
func journalMoved(from, to string, err error) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Token Cache Moved",
		fmt.Sprintf("The provider's token cache cannot be used in %s (%s), so this run keeps it in %s, which another run "+
			"on this machine as this user finds too. To choose the place, set %s to a directory of this user's whose parents "+
			"only this user or root may write.", from, err, to, journal.EnvDir))
}

// journalRequired: a managed token set is not obtained without the cache.
func journalRequired(err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Token Cache Unavailable",
		"Nothing was sent to Pinterest: this machine's token cache cannot be used ("+err.Error()+"), and without it a run "+
			"killed after Pinterest answered would lose the newest refresh token. Give the directory back to this user "+
			"(chown -R), make its parents writable by this user or root only, or set "+journal.EnvDir+" to a directory of "+
			"this user's; to go on without the cache, set "+journal.EnvDir+"=off. "+onCallGuide)
}

// unconfirmedExpired: sets written ahead that no run saved expired.
func unconfirmedExpired(n int) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Unsaved Token Set Expired",
		fmt.Sprintf("This machine's token cache held %d token set(s) that a run obtained and never saved (it died after "+
			"Pinterest answered), and no later run here picked them up before their refresh tokens expired; they were "+
			"deleted. A pinterest_oauth_token whose state still holds the set before such a one fails with Refresh Token "+
			"Rejected: start it anew with a new code. %s", n, onCallGuide))
}

// tokenSetNotKept: a new token set is in use but not in the cache.
func tokenSetNotKept(err error) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Token Set Not Kept on This Machine",
		"The new token set is in use, but it could not be written to this machine's cache ("+err.Error()+"), so a run "+
			"killed before its state or store is saved would lose it, and a second open of the same refresh token would be "+
			"refused. Make sure this run stores it (the state, or latest_token_document in the store). Check that the cache "+
			"directory is writable by this user, or set "+journal.EnvDir+" to one that is.")
}

// tokenSetNotLocked: a token set was obtained without this machine's lock.
func tokenSetNotLocked(err error) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Token Set Not Locked on This Machine",
		"The token set was obtained without this machine's lock ("+err.Error()+"), so another run on this machine that "+
			"obtained the same token set at the same moment would not have waited for this one. If a lock file of the cache "+
			"directory belongs to another user (a sudo run leaves one), remove it, or set "+journal.EnvDir+" to a directory "+
			"of this user's.")
}

// Where a token set handed back again came from, for handedBackAgain.
const (
	afterDeadApply    = iota // pinterest_oauth_token: a run that ended before saving it
	afterRefreshInRun        // pinterest_access_token: an earlier open on this machine
)

// handedBackAgain: this machine traded the same token a little while ago,
// and the provider handed back what it got then instead of a call that
// Pinterest would refuse.
func handedBackAgain(at path.Path, generation int64, after int) diag.Diagnostic {
	detail := fmt.Sprintf("This machine obtained generation %d with the same code or refresh token in a run that ended "+
		"before saving it; it is stored now, with no call to Pinterest. Nothing needs to be done.", generation)
	if after == afterRefreshInRun {
		detail = fmt.Sprintf("This machine refreshed the same refresh token less than %d minutes ago, so the provider handed "+
			"back the token set it received then (token document generation %d) instead of a refresh Pinterest would refuse: "+
			"latest_token_document must be written back to the store in this run. %s",
			int(journal.DefaultTTL.Minutes()), generation, recoverWithinTTL)
	}
	if at.Equal(path.Empty()) {
		return diag.NewWarningDiagnostic("Token Set Handed Back Again", detail)
	}
	return diag.NewAttributeWarningDiagnostic(at, "Token Set Handed Back Again", detail)
}

// recoverWithinTTL is the way back after a failed write-back.
var recoverWithinTTL = fmt.Sprintf("If the write-back fails, apply again from this machine within %d minutes: the same "+
	"token set is handed back and can be stored. "+onCallGuide, int(journal.DefaultTTL.Minutes()))

func invalidTokenDocument(at path.Path, err error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, "Invalid Token Document",
		"token_document cannot be read: "+err.Error()+". Give it, unchanged, the document that latest_token_document of an "+
			"earlier run, or token_document of the bootstrap pinterest_oauth_token, wrote to the store. "+onCallGuide)
}

func documentHandedOff(at path.Path, generation int64) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, "Token Set Handed Off",
		fmt.Sprintf("This token document (generation %d) was handed off: a pinterest_oauth_token with hand_off = true gave it to "+
			"a consumer that refreshes it itself, and a second refresher would end one of them under continuous refresh. Give "+
			"this resource a token set of its own (its own consent), or read access_token from the consumer's side. "+
			onCallGuide, generation))
}

func invalidDuration(at path.Path, value, rule string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, "Invalid Duration",
		fmt.Sprintf("%q is not valid here: the value %s. Units are s, m and h (there is no d; write 168h for 7 days).", value, rule))
}

func invalidRedirectURI(at path.Path, err error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, "Invalid Redirect URI",
		fmt.Sprintf("%s. Use the redirect URI registered on the app at https://developers.pinterest.com/apps/.", err))
}

func unknownScope(at path.Path, scope string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, "Unknown Pinterest Scope", unknownScopeMessage(scope)+".")
}

func invalidHandOff(attr string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root(attr), "Invalid Hand-Off Configuration",
		"With hand_off = true the token set's consumer (an ETL tool that refreshes it itself) is its only refresher: "+
			"this resource never refreshes or revokes it, because two refreshers of one token set cannot both survive continuous refresh. "+
			"Remove "+attr+", or set hand_off = false and give the consumer an access token instead. See this message's title in the on-call runbook guide.")
}

func missingApplyTime() diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("apply_time"), "Missing apply_time",
		"Set apply_time = timestamp() in this pinterest_access_token. Without it, Terraform and OpenTofu open the resource "+
			"during plan as well as apply, and a refresh during a plan that is never applied (a pull request's plan check, a "+
			"drift check) leaves the new refresh token nowhere while Pinterest retires the one in your store. timestamp() is "+
			"known only during apply, so neither CLI opens the resource during plan. To open it during plan on purpose, set "+
			"enabled = true instead.")
}

// refusalDiagnostic is a plan the core refused (tokenset.Refusal); cause,
// when not empty, says which version change asked for a new start.
func refusalDiagnostic(err error, cause string) diag.Diagnostic {
	var refusal *tokenset.Refusal
	if !errors.As(err, &refusal) {
		return diag.NewErrorDiagnostic("Token Set Not Planned", err.Error())
	}
	switch kind := refusal.Kind; {
	case kind == tokenset.RefuseMissingStart && cause != "":
		return diag.NewAttributeErrorDiagnostic(path.Root("authorization_code_wo"), "Missing Authorization Code",
			"This plan starts a new token set in place because "+cause+", but it gives no authorization code (and no "+
				"refresh token in refresh_token_wo) to start it from. Give the new code in the same apply; or, to keep the "+
				"current token set, set the version back to what it was, or leave it unset (an unset version keeps the "+
				"state's). A code is valid for 10 minutes after consent; to get "+
				"one, "+consentHelp("", nil)+". "+onCallGuide)
	case kind == tokenset.RefuseMissingStart:
		return diag.NewAttributeErrorDiagnostic(path.Root("authorization_code_wo"), "Missing Authorization Code",
			"Starting a pinterest_oauth_token needs an authorization code in authorization_code_wo (never stored), "+
				"or a refresh token the team already holds in refresh_token_wo. A code is valid for 10 "+
				"minutes after consent; to get one, "+consentHelp("", nil)+". "+onCallGuide)
	case kind == tokenset.RefuseAdoptAfterHandOff:
		// The refresh token at hand may be the consumer's current one.
		return diag.NewAttributeErrorDiagnostic(path.Root("refresh_token_wo"), "Token Set Already Handed Off",
			"This token set was handed off, and adopting a refresh token would refresh it, possibly the one its consumer "+
				"holds now. Start the new token set from a new code instead (authorization_code_wo with a new "+
				"authorization_code_wo_version). See this message's title in the on-call runbook guide.")
	case kind == tokenset.RefuseHandOffUndone:
		return diag.NewAttributeErrorDiagnostic(path.Root("hand_off"), "Token Set Already Handed Off",
			"This token set was handed off: its consumer refreshes it now, and under continuous refresh two refreshers of one "+
				"token set cannot both survive. Keep hand_off = true, or start a new token set for this resource with a new code "+
				"(authorization_code_wo and a new authorization_code_wo_version) in the same apply. See this message's title in the on-call runbook guide.")
	default:
		return diag.NewErrorDiagnostic("Token Set Generation Exhausted", tokenset.ErrGenerationExhausted.Error()+
			": replace the resource (terraform apply -replace) with a new code.")
	}
}

// noticeDiagnostics are the plan's warnings (tokenset.Notice).
func noticeDiagnostics(notices []tokenset.Notice) diag.Diagnostics {
	var diags diag.Diagnostics
	at := path.Root("recovery_document_wo")
	for _, n := range notices {
		switch n.Kind {
		case tokenset.NoticeRecovering:
			diags.AddWarning("Recovering a Token Set Not Yet Saved",
				fmt.Sprintf("The state holds generation %d, but %s holds generation %d of this token set: a run obtained it and "+
					"ended before its state was saved. This apply stores it, with no call to Pinterest, and nothing needs to be done.",
					n.PriorGeneration, n.From, n.Generation))
		case tokenset.NoticeStoredUnreadable:
			diags.AddAttributeWarning(at, "Recovery Document Ignored",
				"recovery_document_wo is not a token document this provider can read, so it was not used: "+n.Err.Error()+". "+
					"Pass the store's secret as it holds it (for example the secret_string of the store's ephemeral resource).")
		case tokenset.NoticeStoredRefused:
			diags.AddAttributeWarning(at, "Recovery Document Ignored",
				fmt.Sprintf("The store holds generation %d, but it is not the direct successor of generation %d in state (%s), so "+
					"it was not adopted. If the store belongs to another token set, point recovery_document_wo at this "+
					"resource's own store.", n.Generation, n.PriorGeneration, n.Err))
		}
	}
	return diags
}

func plannedActionMissing() diag.Diagnostic {
	return diag.NewErrorDiagnostic("Planned Decision Missing",
		"This apply was planned to replace the token set, but the plan does not say how, so nothing was sent to "+
			"Pinterest and the stored tokens are unchanged. Run terraform apply again to plan afresh; if this persists, "+
			"report it as a bug of the provider.")
}

// startValueIgnored: a write-only start given to a resource that holds a
// token set, with its version unchanged.
func startValueIgnored(w startWay, version types.Int64) diag.Diagnostic {
	shown := "unset"
	if !version.IsNull() {
		shown = fmt.Sprint(version.ValueInt64())
	}
	return diag.NewAttributeWarningDiagnostic(path.Root(w.value), "Start Value Ignored",
		fmt.Sprintf("%s is set, but %s is unchanged (%s), so this apply does not use it: the resource keeps its current "+
			"token set, and a code stays unspent (it is valid for 10 minutes after consent). To start a new token set from "+
			"it, change %s in the same apply; otherwise leave %s unset on later applies.", w.value, w.version, shown, w.version, w.value))
}

// wrongAccount: a start approved by another account than required_account.
func wrongAccount(required, username, id string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("required_account"), "Wrong Pinterest Account Approved",
		fmt.Sprintf("The new token set was approved by the Pinterest account %s (id %s), but required_account is %q, so "+
			"nothing was stored: the resource keeps the token set it had, if any, and the code is spent. Have the owner of "+
			"%q approve a new consent, and apply again with that code (check that codes of two clients were not swapped). "+
			"On a machine other people use, run authorize with -no-browser. %s", username, id, required, required, onCallGuide))
}

// accountNotVerifiable: required_account is set and cannot be checked.
func accountNotVerifiable(required string, err error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("required_account"), "Approving Account Not Verified",
		fmt.Sprintf("required_account is %q, but the account behind the new token set could not be read, so it was not "+
			"stored in state; this machine's cache keeps it, and the next apply with the same code or refresh token checks it "+
			"again with no new consent. If the consent lacked the user_accounts:read scope, approve a new consent that asks "+
			"for it.\n\nError: %s", required, err))
}

func accountNotIdentified(err error) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Pinterest Account Not Identified",
		"The tokens were saved, but reading the account behind them (GET /v5/user_account) failed, so user_account is "+
			"null until the next rotation. Nothing needs to be done about the tokens.\n\nError: "+err.Error())
}

func missingScopes(granted, missing, askFor []string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("required_scopes"), "Missing Pinterest Scopes",
		fmt.Sprintf("Pinterest granted %s, which lacks %s. The tokens were saved in state and nothing was lost, but this "+
			"token set cannot do what required_scopes asks. Have the account owner approve a consent that asks for %s "+
			"(provider::pinterest::authorization_url builds it), then start again with the new code in "+
			"authorization_code_wo and a new authorization_code_wo_version. If this was the resource's first apply, Terraform "+
			"has marked it tainted: the next apply needs the new code (no version change), or run terraform untaint on the "+
			"resource to keep this token set as it is.",
			quotedList(granted), quotedList(missing), hclList(askFor)))
}

func tokensNotRevoked(hint string, err error) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Tokens Not Revoked",
		"Pinterest refused to revoke the "+strings.ReplaceAll(hint, "_", " ")+" (403): it revokes only tokens issued to "+
			"system users today. The tokens were removed from state and stay valid at Pinterest until they expire; "+
			"to end access sooner, remove the app's access in the account's settings.\n\nError: "+err.Error())
}

func importNotSupported() diag.Diagnostic {
	return diag.NewErrorDiagnostic("Import Not Supported",
		"A pinterest_oauth_token cannot be imported: Pinterest has no API that returns an existing token set. Remove the "+
			"import block and let Terraform create the resource from a new authorization code (authorization_code_wo) or from "+
			"a refresh token the team already holds (refresh_token_wo). To get a code, "+consentHelp("", nil)+".")
}

func quotedList(items []string) string {
	if len(items) == 0 {
		return "no scopes"
	}
	return strings.Join(items, ", ")
}

// hclList renders scopes as an HCL list literal for a copyable example.
func hclList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
