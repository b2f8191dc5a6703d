package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokenset"
)

// ciRun is one scheduled run of the CI job.
type ciRun struct {
	say           string
	refreshBefore string // "721h" stands in for a run 23 days later
	storeMissing  bool   // the store cannot be written: the write-back fails
	refreshes     int    // refreshes Pinterest sees in this run
	generation    int64  // what the store holds afterwards
}

var ciRuns = []ciRun{
	{say: "run 1: the stored access token has 30 days left; nothing is refreshed", refreshBefore: "168h", generation: 1},
	{say: "run 2: the same; a scheduled run costs nothing at Pinterest", refreshBefore: "168h", generation: 1},
	{say: "run 3, standing in for day 24: refresh_before = 721h puts the 30-day access token inside the window, as 7 days " +
		"would on day 24; one refresh, and the store gets generation 2",
		refreshBefore: "721h", refreshes: 1, generation: 2},
	{say: "run 4: due again, and the store is unreachable: the write-back fails after the refresh",
		refreshBefore: "721h", storeMissing: true, refreshes: 1, generation: 2},
	{say: "run 5: on-call applies again from the same machine: the same new token set is handed back, with no second refresh, and stored",
		refreshBefore: "721h", generation: 3},
}

// runCIJob seeds the job's store with a token document and runs the job as
// a schedule would, reading the store before each run.
func runCIJob(cliPath, work, examples string, env []string, fake *fakepinterest.Server, seed *pinterest.TokenSet, show io.Writer) error {
	store := filepath.Join(work, "ci-store.json")
	if err := os.WriteFile(store, []byte(tokenset.Next(seed, nil, tokenset.Step{Kind: tokenset.ByExchange}).Encode()), 0o600); err != nil {
		return err
	}
	step("Seeded the CI job's secret store with the token document of that token set, as the bootstrap apply does "+
		"(generation 1, refresh token fingerprint %s)", seed.RefreshToken.Fingerprint())
	ci, err := tfrun.NewWorkspace(cliPath, filepath.Join(work, "ci"), filepath.Join(examples, "ci"), env)
	if err != nil {
		return err
	}
	if _, err := ci.Run(nil, "init", "-no-color"); err != nil {
		return err
	}
	for _, run := range ciRuns {
		step("CI job, %s", run.say)
		raw, err := os.ReadFile(store)
		if err != nil {
			return err
		}
		target := store
		if run.storeMissing {
			target = filepath.Join(work, "unreachable", "ci-store.json")
		}
		before := fake.Grants("refresh_token")
		out, applyErr := ci.With("TF_VAR_token_document="+string(raw), "TF_VAR_store_path="+target,
			"TF_VAR_refresh_before="+run.refreshBefore).Run(show, "apply", "-auto-approve", "-no-color")
		if got := fake.Grants("refresh_token") - before; got != run.refreshes {
			return fmt.Errorf("%d refreshes at Pinterest in this run, want %d", got, run.refreshes)
		}
		if run.storeMissing {
			if applyErr == nil {
				return errors.New("the run should have failed to write the store")
			}
			fmt.Fprintln(show, firstError(applyErr.Error()))
			if doc, err := readStore(store); err != nil || fake.RefreshTokenValid(doc.RefreshToken.Reveal()) {
				return errors.New("after the failed write-back the store should hold a retired refresh token")
			}
			step("The run failed (the error above) after its refresh; the store still holds generation 2, whose refresh token " +
				"Pinterest has retired. The runbook's way back: apply again from this machine within 30 minutes")
			continue
		}
		if applyErr != nil {
			return applyErr
		}
		if run.refreshes > 0 && strings.Contains(out, "Warning:") {
			return errors.New("a routine refresh warned: " + out)
		}
		if run.generation > 1 && run.refreshes == 0 && !strings.Contains(out, "Token Set Handed Back Again") {
			return errors.New("the recovery run did not say that it handed back the earlier token set")
		}
		doc, err := readStore(store)
		if err != nil {
			return err
		}
		if doc.Generation != run.generation || !fake.RefreshTokenValid(doc.RefreshToken.Reveal()) {
			return fmt.Errorf("the store holds generation %d (want %d); valid at Pinterest: %v", doc.Generation, run.generation, fake.RefreshTokenValid(doc.RefreshToken.Reveal()))
		}
		job, err := os.ReadFile(filepath.Join(ci.Dir, "job_result.txt"))
		if err != nil {
			return fmt.Errorf("the CI job did not run: %w", err)
		}
		step("The job got an access token (%s); the store holds generation %d, refresh token fingerprint %s, valid at Pinterest",
			job, doc.Generation, doc.RefreshToken.Fingerprint())
	}
	return checkState(ci.Dir, fake, false)
}

// firstError returns the CLI's first error block, which it prints on
// standard error: the demo shows standard output only.
func firstError(out string) string {
	i := strings.Index(out, "Error: ")
	if i < 0 {
		return ""
	}
	block := out[i:]
	if j := strings.Index(block, "\n\n"); j > 0 {
		block = block[:j]
	}
	return block
}

func readStore(path string) (*tokendoc.Document, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return tokendoc.Parse(string(raw))
}
