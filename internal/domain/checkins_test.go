package domain

import (
	"strings"
	"testing"
)

func TestCheckinCodesAreRandomAndReadBack(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		c := newCheckinCode()
		if len(strings.ReplaceAll(c, "-", "")) != 16 || seen[c] {
			t.Fatalf("code %q: wrong length or repeated", c)
		}
		seen[c] = true
		if got := normaliseCode(strings.ToLower(strings.ReplaceAll(c, "-", " "))); got != c {
			t.Fatalf("typed %q read back as %q", c, got)
		}
	}
	// 16 symbols of 32 are 80 bits; every symbol shows up.
	for _, r := range codeAlphabet {
		found := false
		for c := range seen {
			found = found || strings.ContainsRune(c, r)
		}
		if !found {
			t.Errorf("symbol %q never drawn", r)
		}
	}
	for in, want := range map[string]string{"oooo-iiii-llll-0000": "0000-1111-1111-0000", "ABCD": "", "ABCD-EFGH-JKMN-PQRS-T": "", "ABCD-EFGH-JKMN-PQR!": ""} {
		if got := normaliseCode(in); got != want {
			t.Errorf("normaliseCode(%q) = %q, want %q", in, got, want)
		}
	}
}
