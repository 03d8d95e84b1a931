package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"
)

// loadJSON sends n JSON POSTs from `clients` concurrent clients (closed loop), request i to
// targets[i % len(targets)] with body(i), and records latencies and statuses as load does.
//
// Each client speaks HTTP/1.1 over one kept-alive connection per target, writes each request
// with one write and reads only the status line, the headers it needs and the body. A
// net/http client spends about three times the CPU per request, which on a small machine is
// taken from the server being measured: the throughput figures are for the server, so the
// generator should weigh as little as it can. Any answer that is not well-formed HTTP/1.1
// counts as a transport error, and the connection is dialled again.
func loadJSON(targets []string, n, clients int, body func(i int) []byte) (result, error) {
	type target struct{ host, path string }
	ts := make([]target, len(targets))
	for i, raw := range targets {
		u, err := url.Parse(raw)
		if err != nil {
			return result{}, err
		}
		ts[i] = target{u.Host, u.RequestURI()}
	}
	return closedLoop(n, clients, func() (func(int) (int, error), func()) {
		conns := make([]*rawConn, len(ts))
		var req []byte
		do := func(i int) (int, error) {
			k := i % len(ts)
			b := body(i)
			req = append(req[:0], "POST "...)
			req = append(req, ts[k].path...)
			req = append(req, " HTTP/1.1\r\nHost: "...)
			req = append(req, ts[k].host...)
			req = append(req, "\r\nContent-Type: application/json\r\nContent-Length: "...)
			req = strconv.AppendInt(req, int64(len(b)), 10)
			req = append(req, "\r\n\r\n"...)
			req = append(req, b...)
			if conns[k] == nil {
				c, err := dialRaw(ts[k].host)
				if err != nil {
					return 0, err
				}
				conns[k] = c
			}
			status, keep, err := conns[k].roundTrip(req)
			if err != nil || !keep {
				conns[k].Close()
				conns[k] = nil
			}
			return status, err
		}
		done := func() {
			for _, c := range conns {
				if c != nil {
					c.Close()
				}
			}
		}
		return do, done
	}), nil
}

// rawConn is one kept-alive HTTP/1.1 connection of loadJSON.
type rawConn struct {
	net.Conn
	r *bufio.Reader
}

func dialRaw(host string) (*rawConn, error) {
	c, err := net.DialTimeout("tcp", host, 10*time.Second)
	if err != nil {
		return nil, err
	}
	return &rawConn{Conn: c, r: bufio.NewReaderSize(c, 4096)}, nil
}

var errBadResponse = errors.New("malformed HTTP response")

// roundTrip writes req and reads one response: it returns the status code after reading the
// whole body (by Content-Length; chunked bodies are not expected from these endpoints), and
// whether the server keeps the connection open.
func (c *rawConn) roundTrip(req []byte) (status int, keep bool, err error) {
	if err := c.SetDeadline(time.Now().Add(30 * time.Second)); err != nil {
		return 0, false, err
	}
	if _, err := c.Write(req); err != nil {
		return 0, false, err
	}
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, false, errBadResponse
	}
	if status, err = strconv.Atoi(string(line[9:12])); err != nil {
		return 0, false, errBadResponse
	}
	length, closing := -1, false
	for {
		h, err := c.r.ReadSlice('\n')
		if err != nil {
			return 0, false, err
		}
		h = bytes.TrimRight(h, "\r\n")
		if len(h) == 0 {
			break
		}
		name, value, ok := bytes.Cut(h, []byte(":"))
		if !ok {
			return 0, false, errBadResponse
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil || length < 0 {
				return 0, false, errBadResponse
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			return 0, false, fmt.Errorf("%w: transfer-encoding %s", errBadResponse, value)
		case bytes.EqualFold(name, []byte("Connection")):
			closing = bytes.EqualFold(value, []byte("close"))
		}
	}
	if length < 0 {
		return 0, false, fmt.Errorf("%w: no content-length", errBadResponse)
	}
	if _, err := c.r.Discard(length); err != nil {
		return 0, false, err
	}
	return status, !closing, nil
}
