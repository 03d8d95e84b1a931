package web

import (
	"context"
	"strings"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/domain"
)

// diffLine is one line of a version diff: Kind is "add", "del", "hunk" or "" for context.
type diffLine struct {
	Kind, Text string
}

// versionView is one version of a statement's text on its review page, with the diff of its
// body against the version before (none for the first).
type versionView struct {
	Number    int
	CreatedAt time.Time
	Amended   bool // made by an adopted amendment
	Diff      []diffLine
}

// statementVersions reads a statement's versions and the diff of each against the one before
// (domain.Service.ListVersions and VersionDiff), newest first.
func (p *Pages) statementVersions(ctx context.Context, a *domain.Actor, id string) ([]versionView, error) {
	vs, err := p.dom.ListVersions(ctx, a, id)
	if err != nil {
		return nil, err
	}
	out := make([]versionView, 0, len(vs))
	for i := len(vs) - 1; i >= 0; i-- {
		vv := versionView{Number: vs[i].Version, CreatedAt: vs[i].CreatedAt, Amended: vs[i].AmendmentID != nil}
		if vs[i].Version > 1 {
			diff, err := p.dom.VersionDiff(ctx, a, id, vs[i].Version-1, vs[i].Version)
			if err != nil {
				return nil, err
			}
			vv.Diff = diffLines(diff)
		}
		out = append(out, vv)
	}
	return out, nil
}

// diffLines splits a unified diff into lines for the page, without its two file headers.
func diffLines(diff string) []diffLine {
	var out []diffLine
	for _, l := range strings.Split(strings.TrimRight(diff, "\n"), "\n") {
		switch {
		case strings.HasPrefix(l, "---"), strings.HasPrefix(l, "+++"), l == "":
		case strings.HasPrefix(l, "@@"):
			out = append(out, diffLine{Kind: "hunk", Text: l})
		case strings.HasPrefix(l, "+"):
			out = append(out, diffLine{Kind: "add", Text: l})
		case strings.HasPrefix(l, "-"):
			out = append(out, diffLine{Kind: "del", Text: l})
		default:
			out = append(out, diffLine{Text: l})
		}
	}
	return out
}
