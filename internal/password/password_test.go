package password

import (
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h, err := Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("got %q, want argon2id with m=19456,t=2", h)
	}
	if err := Verify("correct horse battery staple", h); err != nil {
		t.Errorf("right password: got %v, want nil", err)
	}
	if err := Verify("correct horse battery stapler", h); err != ErrMismatch {
		t.Errorf("wrong password: got %v, want ErrMismatch", err)
	}
	h2, _ := Hash("correct horse battery staple")
	if h == h2 {
		t.Error("two hashes of one password are equal: salt is not random")
	}
	if err := Verify("x", "$bcrypt$..."); err == nil {
		t.Error("foreign format accepted")
	}
}
