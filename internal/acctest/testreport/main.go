// Command testreport turns `go test -json` into what `make test` shows: a
// line when each package starts and when it ends (with its time and counts),
// the whole output of every failing test, and a closing count. Everything
// else, the output of passing tests included, goes to the log file only, so
// that nothing on the screen looks like a failure unless it is one. It exits
// 1 when a test fails or is skipped (a skipped test does not count as run),
// or a package fails to build.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

type pkgState struct {
	running               bool
	passed, failed, skips int
	output                map[string]*strings.Builder // test -> its output, kept until it ends
}

func main() {
	logPath := flag.String("log", ".test.log", "where the full output goes")
	flag.Parse()
	logFile, err := os.Create(*logPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer logFile.Close()
	os.Exit(report(os.Stdin, os.Stdout, logFile))
}

func report(in io.Reader, out, log io.Writer) int {
	pkgs := map[string]*pkgState{}
	var passed, failed, skipped, brokenPkgs int
	short := func(p string) string {
		return strings.TrimPrefix(p, "github.com/sprighub/terraform-provider-pinterest/")
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			// Not an event: a build error or go's own message. Show it.
			fmt.Fprintln(out, string(line))
			fmt.Fprintln(log, string(line))
			continue
		}
		if e.Output != "" {
			_, _ = io.WriteString(log, e.Output)
		}
		p := pkgs[e.Package]
		if p == nil {
			p = &pkgState{output: map[string]*strings.Builder{}}
			pkgs[e.Package] = p
		}
		switch {
		case e.Test != "" && e.Action == "run" && !p.running:
			p.running = true // the first test: say the package is under way
			fmt.Fprintf(out, "run   %s\n", short(e.Package))
		case e.Test != "" && e.Action == "output":
			b := p.output[e.Test]
			if b == nil {
				b = &strings.Builder{}
				p.output[e.Test] = b
			}
			b.WriteString(e.Output)
		case e.Test == "" && e.Action == "output":
			// The package's own output (TestMain, a panic, a timeout): kept
			// for a package that fails without a failing test.
			b := p.output[""]
			if b == nil {
				b = &strings.Builder{}
				p.output[""] = b
			}
			b.WriteString(e.Output)
			if strings.HasPrefix(e.Output, "acceptance tests") {
				fmt.Fprint(out, "      "+e.Output) // which CLI the acceptance tests use
			}
		case e.Test != "" && (e.Action == "pass" || e.Action == "fail" || e.Action == "skip"):
			switch e.Action {
			case "pass":
				p.passed++
			case "fail":
				p.failed++
				if b := p.output[e.Test]; b != nil {
					fmt.Fprint(out, b.String())
				}
			case "skip":
				p.skips++
				fmt.Fprintf(out, "SKIP  %s %s (a skipped test fails the run)\n", short(e.Package), e.Test)
			}
			delete(p.output, e.Test)
		case e.Test == "" && (e.Action == "pass" || e.Action == "skip") && !p.running && p.passed+p.failed+p.skips == 0:
			// A package without tests: nothing to say.
		case e.Test == "" && (e.Action == "pass" || e.Action == "fail" || e.Action == "skip"):
			verdict := map[string]string{"pass": "ok  ", "fail": "FAIL", "skip": "ok  "}[e.Action]
			if e.Action == "fail" && p.failed == 0 {
				brokenPkgs++ // failed without a failing test: no CLI, a build failure, a panic, a timeout
				for _, b := range p.output {
					fmt.Fprint(out, b.String())
				}
			}
			p.running = true
			fmt.Fprintf(out, "%s  %-40s %7.1fs  %d passed, %d failed, %d skipped\n", verdict, short(e.Package), e.Elapsed, p.passed, p.failed, p.skips)
			passed, failed, skipped = passed+p.passed, failed+p.failed, skipped+p.skips
		}
	}
	fmt.Fprintf(out, "test: %d passed, %d failed, %d skipped\n", passed, failed, skipped)
	if failed > 0 || skipped > 0 || brokenPkgs > 0 {
		return 1
	}
	return 0
}
