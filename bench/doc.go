// Command bench measures Zimmerwald's performance figures (DESIGN.md, Performance) as ratios
// against baselines measured in the same run on the same machine: it starts the real server on a
// fresh database, drives it over loopback, runs the baseline, and prints each figure with its
// target and ratio. Run it with `go run ./bench` (all figures) or `go run ./bench -figure registration`.
//
// It is not a test: machines are noisy, so nothing here fails a build; read the figures.
package main
