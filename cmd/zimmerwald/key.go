package main

import (
	"bufio"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/internal/seal"
)

// keyTempPattern names the temporary files key files are written through.
const keyTempPattern = ".secret-key-*.tmp"

// loadKey returns the sealer for ZW_SECRET_KEY, or for the key file (ZW_SECRET_KEY_FILE or
// secret.key in the data directory). A passphrase-wrapped key file is opened with the passphrase
// from ZW_SECRET_KEY_PASSPHRASE_FILE or typed on the terminal. Only the default key file is
// created (atomically, mode 0600) on first start.
func loadKey(cfg config.Config, log *slog.Logger) (*seal.Box, error) {
	if cfg.SecretKey != "" {
		k, err := seal.ParseKey(cfg.SecretKey)
		if err != nil {
			return nil, fmt.Errorf("ZW_SECRET_KEY: %w", err)
		}
		return seal.New(k)
	}
	path := cfg.KeyFile()
	removeStaleKeyTemps(filepath.Dir(path))
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		switch {
		case cfg.SecretKeyFile != "":
			return nil, fmt.Errorf("ZW_SECRET_KEY_FILE %s does not exist (create it with: zimmerwald key init)", path)
		case cfg.DatabaseURL != "":
			return nil, errors.New("ZW_SECRET_KEY is required with ZW_DATABASE_URL (processes must share one key)")
		}
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("data dir: %w", err)
		}
		k := seal.NewKey()
		if err := writeKeyFile(path, plainKeyFile(k), false); err != nil {
			return nil, fmt.Errorf("create key file: %w", err)
		}
		log.Warn("created a new data key; back it up apart from the database: without it the personal data cannot be read", "path", path)
		return seal.New(k)
	}
	if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	k, err := openKeyFile(cfg, path, raw)
	if err != nil {
		return nil, err
	}
	return seal.New(k)
}

// openKeyFile returns the key a key file holds, asking for its passphrase if it is wrapped.
func openKeyFile(cfg config.Config, path string, raw []byte) ([]byte, error) {
	if !seal.IsWrapped(raw) {
		k, err := seal.ParseKey(string(raw))
		if err != nil {
			return nil, fmt.Errorf("key file %s: %w", path, err)
		}
		return k, nil
	}
	pass, err := passphrase(cfg.SecretKeyPassphraseFile, "Passphrase of the data key: ", false)
	if err != nil {
		return nil, fmt.Errorf("key file %s is wrapped: %w", path, err)
	}
	k, err := seal.UnwrapKey(raw, pass)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return k, nil
}

// plainKeyFile is the content of an unwrapped key file.
func plainKeyFile(k []byte) []byte { return []byte(base64.StdEncoding.EncodeToString(k) + "\n") }

// passphrase reads a passphrase from file, or (file empty) from the terminal without echo; confirm
// asks twice. A passphrase is never taken from the environment itself.
func passphrase(file, prompt string, confirm bool) ([]byte, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("passphrase file: %w", err)
		}
		b = []byte(strings.TrimRight(string(b), "\r\n"))
		if len(b) == 0 {
			return nil, errors.New("the passphrase file is empty")
		}
		return b, nil
	}
	if !isTerminal(os.Stdin) {
		return nil, errors.New("no passphrase: set ZW_SECRET_KEY_PASSPHRASE_FILE or start on a terminal")
	}
	first, err := readHidden(prompt)
	if err != nil {
		return nil, err
	}
	if confirm {
		again, err := readHidden("Again: ")
		if err != nil {
			return nil, err
		}
		if string(again) != string(first) {
			return nil, errors.New("the passphrases differ")
		}
	}
	if len(first) < 12 {
		return nil, errors.New("the passphrase is shorter than 12 characters")
	}
	return first, nil
}

// readHidden prompts on standard error and reads one line from the terminal without echo.
func readHidden(prompt string) ([]byte, error) {
	fmt.Fprint(os.Stderr, prompt)
	restore := noEcho(os.Stdin)
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	restore()
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return nil, fmt.Errorf("read passphrase: %w", err)
	}
	return []byte(strings.TrimRight(line, "\r\n")), nil
}

// writeKeyFile writes a key file atomically: into a temporary file in the same directory, synced,
// then moved into place (replace) or linked there only if no file exists yet; the directory is
// synced last. A kill at any moment leaves the old file or the complete new one, never an empty
// or partial key file.
func writeKeyFile(path string, content []byte, replace bool) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, keyTempPattern)
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	_, werr := f.Write(content)
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		return err
	}
	if replace {
		err = os.Rename(tmp, path)
	} else {
		err = os.Link(tmp, path) // fails if a key file appeared meanwhile: never overwrite a key
	}
	if err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// removeStaleKeyTemps deletes temporary key files a killed process left behind.
func removeStaleKeyTemps(dir string) {
	stale, _ := filepath.Glob(filepath.Join(dir, keyTempPattern))
	for _, f := range stale {
		os.Remove(f)
	}
}

// keyCommand implements "zimmerwald key init [--passphrase]" and "zimmerwald key rewrap
// [--no-passphrase]".
func keyCommand(cfg config.Config, log *slog.Logger, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: zimmerwald key init [--passphrase] | key rewrap [--no-passphrase] [--new-passphrase-file F]")
	}
	fs := flag.NewFlagSet("key "+args[0], flag.ContinueOnError)
	wrap := fs.Bool("passphrase", false, "wrap the new key with a passphrase (argon2id)")
	plain := fs.Bool("no-passphrase", false, "rewrap: store the key without a passphrase")
	newFile := fs.String("new-passphrase-file", "", "rewrap: read the new passphrase from this file (default: the terminal)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if cfg.SecretKey != "" {
		return errors.New("ZW_SECRET_KEY is set: the key is not in a file")
	}
	path := cfg.KeyFile()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	switch args[0] {
	case "init":
		if _, err := os.Stat(path); err == nil {
			return fmt.Errorf("%s exists already; use zimmerwald key rewrap to change its passphrase", path)
		}
		content := plainKeyFile(seal.NewKey())
		if *wrap {
			pass, err := passphrase(cfg.SecretKeyPassphraseFile, "New passphrase for the data key: ", true)
			if err != nil {
				return err
			}
			k, _ := seal.ParseKey(string(content))
			if content, err = seal.WrapKey(k, pass); err != nil {
				return err
			}
		}
		if err := writeKeyFile(path, content, false); err != nil {
			return fmt.Errorf("write key file: %w", err)
		}
		fmt.Printf("data key written to %s (wrapped: %v); back it up apart from the database\n", path, *wrap)
		return nil
	case "rewrap":
		raw, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("read key file: %w", err)
		}
		k, err := openKeyFile(cfg, path, raw)
		if err != nil {
			return err
		}
		content := plainKeyFile(k)
		if !*plain {
			pass, err := passphrase(*newFile, "New passphrase for the data key: ", true)
			if err != nil {
				return err
			}
			if content, err = seal.WrapKey(k, pass); err != nil {
				return err
			}
		}
		if err := writeKeyFile(path, content, true); err != nil {
			return fmt.Errorf("write key file: %w", err)
		}
		fmt.Printf("data key in %s rewrapped (wrapped: %v); the data is unchanged\n", path, !*plain)
		return nil
	}
	return fmt.Errorf("unknown key command %q", args[0])
}
