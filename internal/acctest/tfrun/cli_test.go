package tfrun

import "testing"

func TestAtLeast(t *testing.T) {
	for _, tc := range []struct {
		have string
		want bool
	}{{"1.11.0", true}, {"1.11.4", true}, {"1.12.6", true}, {"2.0.0", true}, {"1.10.5", false}, {"1.9.9", false}, {"v1.11.0-beta1", true}, {"", false}} {
		if got := AtLeast(tc.have, MinVersion); got != tc.want {
			t.Errorf("AtLeast(%q) = %v, want %v", tc.have, got, tc.want)
		}
	}
}

func TestConfigSections(t *testing.T) {
	md := "intro\n```hcl\na = 1\n```\n# One\ntext\n## Two\n```hcl\nb = 2\n```\n```terraform\nc = 3\n```\n### Three\nnone\n"
	got := ConfigSections(md)
	if len(got) != 2 || got[0].Heading != "" || got[1].Heading != "## Two" || len(got[1].Blocks) != 2 || got[1].Blocks[1] != "c = 3\n" {
		t.Fatalf("ConfigSections = %#v", got)
	}
}
