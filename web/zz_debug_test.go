package web_test

import "testing"

func TestZZDebug(t *testing.T) {
	e := sqliteEnv(t)
	c := e.conference()
	for _, p := range []string{"/nope", "/c/" + c.Slug + "/register", "/c/" + c.Slug + "/register/sent"} {
		e.browser().get(p)
	}
	t.Log(e.logs.String())
}
