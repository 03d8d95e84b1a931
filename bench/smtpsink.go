package main

import (
	"bufio"
	"bytes"
	"net"
	"strings"
	"sync/atomic"
	"time"
)

// relay is the local SMTP server of the registration figures: it stands for the relay a
// deployment hands its mail to, which runs on another machine. It speaks just enough SMTP for
// go-mail (greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), accepts every message
// with exactly one recipient and counts it, and reads the data a buffer at a time rather than
// a byte at a time, so that on a small machine it takes little CPU from the server measured.
type relay struct {
	l     net.Listener
	addr  string
	count atomic.Int64
}

// startRelay listens on a loopback port and serves each connection in its own goroutine.
func startRelay() (*relay, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &relay{l: l, addr: l.Addr().String()}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go r.serve(c)
		}
	}()
	return r, nil
}

func (r *relay) close() { r.l.Close() }

// serve runs one SMTP session until QUIT, an error or 30 s of silence.
func (r *relay) serve(c net.Conn) {
	defer c.Close()
	in := bufio.NewReaderSize(c, 16<<10)
	out := bufio.NewWriter(c)
	reply := func(s string) bool {
		out.WriteString(s)
		out.WriteString("\r\n")
		return out.Flush() == nil
	}
	if !reply("220 relay ESMTP") {
		return
	}
	rcpts := 0
	for {
		c.SetDeadline(time.Now().Add(30 * time.Second))
		line, err := in.ReadSlice('\n')
		if err != nil {
			return
		}
		verb := strings.ToUpper(string(bytes.TrimSpace(line[:min(len(line), 4)])))
		var ok bool
		switch verb {
		case "EHLO":
			ok = reply("250-relay\r\n250-8BITMIME\r\n250 SIZE 10485760")
		case "HELO":
			ok = reply("250 relay")
		case "MAIL":
			rcpts = 0
			ok = reply("250 ok")
		case "RCPT":
			rcpts++
			ok = reply("250 ok")
		case "DATA":
			if !reply("354 go ahead") || !skipData(in) {
				return
			}
			if rcpts == 1 {
				r.count.Add(1)
				ok = reply("250 queued")
			} else {
				ok = reply("554 want exactly one recipient")
			}
			rcpts = 0
		case "RSET", "NOOP":
			rcpts = 0
			ok = reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			ok = reply("502 not implemented")
		}
		if !ok {
			return
		}
	}
}

// skipData reads a message's data up to the line holding a single dot.
func skipData(in *bufio.Reader) bool {
	atLineStart := true
	for {
		chunk, err := in.ReadSlice('\n')
		if err != nil && err != bufio.ErrBufferFull {
			return false
		}
		if atLineStart && (bytes.Equal(chunk, []byte(".\r\n")) || bytes.Equal(chunk, []byte(".\n"))) {
			return true
		}
		atLineStart = err == nil // a full buffer ends mid-line
	}
}
