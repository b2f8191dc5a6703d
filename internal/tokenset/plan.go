package tokenset

import (
	"errors"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

// The plan of a managed token set: what one apply will do with it. Plan is
// the whole rule, with no Terraform in it; pinterest_oauth_token reads its
// models, asks Plan, and maps the answer onto the plan and private state,
// and its Update switches on the Action it planned.

// StartRequest is what the configuration says of a new start.
type StartRequest struct {
	// Requested: the plan asks for a new token set (always at create; later,
	// a new code or a new version of a write-only start).
	Requested bool
	// Way is the start configured (ByExchange or ByAdopt), zero when none is.
	Way Kind
	// Pending: a start value is not known until apply.
	Pending bool
}

// Request is what a plan knows.
type Request struct {
	// Prior is the token set in state, nil at create. Its HandedOff is the
	// state's hand_off.
	Prior *tokendoc.Document
	// HandOff is the planned hand_off.
	HandOff bool
	Start   StartRequest
	Policy  Policy
	Now     time.Time
	// Recalled is the successor of Prior that this machine's journal holds
	// (Recall), nil when it holds none.
	Recalled *tokendoc.Document
	// Stored is the document a store holds (recovery_document_wo), nil when
	// none was given; StoredErr says why what was given could not be read.
	Stored    *tokendoc.Document
	StoredErr error
	// AppKey is the app's credentials (the journal's Binding), which only
	// this provider holds: a store's document is adopted only when bound
	// with it (Adoptable).
	AppKey []byte
}

// Source is where a recovered token set came from.
type Source int

const (
	// FromJournal: this machine's write-ahead journal.
	FromJournal Source = iota + 1
	// FromStore: the store's document, given in recovery_document_wo.
	FromStore
)

func (s Source) String() string {
	if s == FromStore {
		return "the store (recovery_document_wo)"
	}
	return "this machine's cache"
}

// Planned is Plan's answer.
type Planned struct {
	Action Action
	// Reason says why, in words for rotation_reason and the log.
	Reason string
	// Generation is the generation the apply will hold, when the plan knows
	// it (Start, Keep, Remark); zero when only the apply will know.
	Generation int64
	// Doc is the token set the apply stores with no call to Pinterest: the
	// recovered successor (Recover) or the re-marked document (Remark).
	Doc *tokendoc.Document
	// From is where a recovered set came from (Recover).
	From Source
	// Notices are what the plan tells the user and changes nothing.
	Notices []Notice
}

// NoticeKind names a notice.
type NoticeKind int

const (
	// NoticeRecovering: the apply stores a successor a dead run left.
	NoticeRecovering NoticeKind = iota + 1
	// NoticeStoredUnreadable: the store's document could not be read.
	NoticeStoredUnreadable
	// NoticeStoredRefused: the store holds a later document that is not
	// the direct successor of the state's set (Err says which rule).
	NoticeStoredRefused
)

// Notice is a warning of the plan, with the values its text names.
type Notice struct {
	Kind            NoticeKind
	From            Source
	PriorGeneration int64
	Generation      int64
	Err             error
}

// RefusalKind names a plan that cannot be made.
type RefusalKind int

const (
	// RefuseMissingStart: a start was requested and none is configured.
	RefuseMissingStart RefusalKind = iota + 1
	// RefuseAdoptAfterHandOff: a handed-off set cannot adopt a refresh
	// token, which may be the one its consumer holds now.
	RefuseAdoptAfterHandOff
	// RefuseHandOffUndone: hand-off cannot be turned off.
	RefuseHandOffUndone
	// RefuseGenerationExhausted: the generation cannot grow.
	RefuseGenerationExhausted
)

// Refusal is a plan that cannot be made, and why.
type Refusal struct{ Kind RefusalKind }

func (r *Refusal) Error() string {
	switch r.Kind {
	case RefuseMissingStart:
		return "a new token set needs an authorization code or a refresh token"
	case RefuseAdoptAfterHandOff:
		return "a handed-off token set cannot adopt a refresh token"
	case RefuseHandOffUndone:
		return "a handed-off token set cannot be taken back"
	default:
		return ErrGenerationExhausted.Error()
	}
}

// Plan decides what the apply does. In order: a start (requested and
// possible), the refusal to take a handed-off set back, a successor a dead
// run left (the journal's first, then the store's, if it is the direct
// successor), a refresh that is due, a hand-off that marks the document,
// else keep.
func Plan(r Request) (Planned, error) {
	prior := r.Prior
	if prior == nil || r.Start.Requested {
		return planStart(r)
	}
	if prior.HandedOff && !r.HandOff {
		return Planned{}, &Refusal{RefuseHandOffUndone}
	}
	next, from, notices := recovery(r)
	if next != nil {
		notices = append(notices, Notice{Kind: NoticeRecovering, From: from, PriorGeneration: prior.Generation, Generation: next.Generation})
		return Planned{Action: Recover, Reason: "recovered from " + from.String() + " after a run ended before saving it",
			Doc: next, From: from, Notices: notices}, nil
	}
	if d := Decide(prior, r.Now, r.Policy); d.Action == Refresh {
		return Planned{Action: Refresh, Reason: d.Reason, Notices: notices}, nil
	}
	if r.HandOff && !prior.HandedOff {
		// Handing off marks the document with a new generation, so that
		// stores whose version follows it write the marked document. It
		// calls nobody.
		if prior.Generation >= tokendoc.MaxGeneration {
			return Planned{}, &Refusal{RefuseGenerationExhausted}
		}
		marked := *prior
		marked.Generation++
		marked.HandedOff, marked.Binding = true, "" // a handed-off copy is never adopted
		return Planned{Action: Remark, Reason: "the token set was handed off", Generation: marked.Generation, Doc: &marked, Notices: notices}, nil
	}
	return Planned{Action: Keep, Generation: prior.Generation, Notices: notices}, nil
}

func planStart(r Request) (Planned, error) {
	switch {
	case r.Start.Way == 0 && !r.Start.Pending:
		return Planned{}, &Refusal{RefuseMissingStart}
	case r.Prior == nil:
		return Planned{Action: Start, Reason: "the first token set was started", Generation: 1}, nil
	case r.Prior.HandedOff && r.Start.Way == ByAdopt:
		// The refresh token at hand may be the consumer's current one:
		// refreshing it would make this provider a second refresher.
		return Planned{}, &Refusal{RefuseAdoptAfterHandOff}
	case r.Prior.Generation >= tokendoc.MaxGeneration:
		return Planned{}, &Refusal{RefuseGenerationExhausted}
	}
	// A new start in place: generation goes on counting from the old set,
	// so a store that follows it always sees a new version.
	return Planned{Action: Start, Reason: "a new token set was started in place", Generation: r.Prior.Generation + 1}, nil
}

// recovery returns a later generation of the prior set that a run obtained
// and did not save, and where it is: the journal's, else the store's when
// it is the direct successor (Adoptable). A handed-off set is never
// recovered: its consumer refreshes it.
func recovery(r Request) (*tokendoc.Document, Source, []Notice) {
	if r.Prior.HandedOff {
		return nil, 0, nil
	}
	if r.Recalled != nil && r.Recalled.Generation > r.Prior.Generation {
		return r.Recalled, FromJournal, nil
	}
	notices := recoveryNotices(r)
	if len(notices) == 0 && r.Stored != nil && r.Stored.Generation > r.Prior.Generation {
		return r.Stored, FromStore, nil
	}
	return nil, 0, notices
}

// recoveryNotices says why a store's document given was not adopted.
func recoveryNotices(r Request) []Notice {
	switch {
	case r.StoredErr != nil:
		return []Notice{{Kind: NoticeStoredUnreadable, Err: r.StoredErr}}
	case r.Stored == nil || r.Stored.Generation <= r.Prior.Generation:
		return nil // the usual case: the store holds what the state holds, or older
	}
	if err := Adoptable(r.Prior, r.Stored, r.AppKey, r.Now); err != nil {
		return []Notice{{Kind: NoticeStoredRefused, PriorGeneration: r.Prior.Generation, Generation: r.Stored.Generation, Err: err}}
	}
	return nil
}

// Errors of Adoptable: why a store's document is not the direct successor
// of the state's set (see also binding.go).
var (
	ErrNotNext       = errors.New("it is not one generation ahead")
	ErrNotFollowing  = errors.New("it does not follow the refresh token in state")
	ErrHandedOffCopy = errors.New("it was handed off")
)
