package main

import (
	"bytes"
	"strings"
	"testing"
)

const pkg = "github.com/sprighub/terraform-provider-pinterest/internal/x"

func events(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

func TestPassingOutputStaysInTheLog(t *testing.T) {
	in := events(
		`{"Action":"start","Package":"`+pkg+`"}`,
		`{"Action":"run","Package":"`+pkg+`","Test":"TestA"}`,
		`{"Action":"output","Package":"`+pkg+`","Test":"TestA","Output":"    stores_test.go:127: \n"}`,
		`{"Action":"output","Package":"`+pkg+`","Test":"TestA","Output":"    fault matrix:\n"}`,
		`{"Action":"pass","Package":"`+pkg+`","Test":"TestA","Elapsed":1}`,
		`{"Action":"output","Package":"`+pkg+`","Output":"acceptance tests use /usr/local/bin/terraform (version 1.11.4)\n"}`,
		`{"Action":"pass","Package":"`+pkg+`","Elapsed":1.5}`,
	)
	var out, log bytes.Buffer
	if code := report(strings.NewReader(in), &out, &log); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	for _, frag := range []string{"stores_test.go:127", "fault matrix"} {
		if strings.Contains(out.String(), frag) {
			t.Errorf("a passing test's output %q reached the screen:\n%s", frag, out.String())
		}
		if !strings.Contains(log.String(), frag) {
			t.Errorf("%q is missing from the log", frag)
		}
	}
	for _, want := range []string{"run   internal/x", "ok    internal/x", "1.5s", "acceptance tests use", "test: 1 passed, 0 failed, 0 skipped"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the screen lacks %q:\n%s", want, out.String())
		}
	}
}

func TestFailuresSkipsAndBuildErrorsFailTheRun(t *testing.T) {
	for name, in := range map[string]string{
		"a failing test": events(
			`{"Action":"run","Package":"`+pkg+`","Test":"TestB"}`,
			`{"Action":"output","Package":"`+pkg+`","Test":"TestB","Output":"    b_test.go:9: want 2, got 3\n"}`,
			`{"Action":"fail","Package":"`+pkg+`","Test":"TestB"}`,
			`{"Action":"fail","Package":"`+pkg+`","Elapsed":1}`),
		"a skipped test": events(
			`{"Action":"run","Package":"`+pkg+`","Test":"TestC"}`,
			`{"Action":"skip","Package":"`+pkg+`","Test":"TestC"}`,
			`{"Action":"pass","Package":"`+pkg+`","Elapsed":1}`),
		"no CLI": events(
			`{"Action":"start","Package":"`+pkg+`"}`,
			`{"Action":"output","Package":"`+pkg+`","Output":"no Terraform CLI 1.11+ found: install one or set TF_ACC_TERRAFORM_PATH\n"}`,
			`{"Action":"fail","Package":"`+pkg+`","Elapsed":0}`),
		"a build error": events(
			`# `+pkg,
			`internal/x/x.go:3:1: syntax error`,
			`{"Action":"fail","Package":"`+pkg+`","Elapsed":0}`),
	} {
		var out, log bytes.Buffer
		if code := report(strings.NewReader(in), &out, &log); code != 1 {
			t.Errorf("%s: exit %d, want 1:\n%s", name, code, out.String())
		}
		if name == "a failing test" && !strings.Contains(out.String(), "want 2, got 3") {
			t.Errorf("the failing test's output is not shown:\n%s", out.String())
		}
		if name == "no CLI" && !strings.Contains(out.String(), "no Terraform CLI 1.11+ found") {
			t.Errorf("TestMain's message is not shown:\n%s", out.String())
		}
		if name == "a build error" && !strings.Contains(out.String(), "syntax error") {
			t.Errorf("the build error is not shown:\n%s", out.String())
		}
	}
}
