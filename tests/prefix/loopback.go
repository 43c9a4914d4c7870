// SPDX-License-Identifier: LGPL-2.1-or-later
//
// An ordinary Go program that exchanges UDP datagrams and a TCP stream over
// 127.0.0.1 with the standard library alone.  Go's runtime loads ws2_32
// from the system directory only (LoadLibraryExW with
// LOAD_LIBRARY_SEARCH_SYSTEM32), so a ws2_32.dll beside it is never used:
// tests/prefix/run.sh builds it for windows/amd64 and windows/386 and runs
// it in a prefix with ws2send installed.  It knows nothing of ws2send; it
// prints the handles of its sending sockets so that the test can find their
// sends in ws2send's trace log.
package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"syscall"
)

const rounds = 5

func handle(c syscall.Conn) uintptr {
	var h uintptr
	if raw, err := c.SyscallConn(); err == nil {
		raw.Control(func(fd uintptr) { h = fd })
	}
	return h
}

func fail(format string, args ...interface{}) {
	fmt.Printf("go-loopback (%s): FAIL: %s\n", runtime.GOARCH, fmt.Sprintf(format, args...))
	os.Exit(1)
}

func loopback() *net.UDPAddr { return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)} }

// Datagrams from a to b: Write on a connected UDP socket.  The sockets stay
// open until the end so that no handle is reused for the TCP client.
func exchangeUDP(a, b *net.UDPConn) {
	buf := make([]byte, 64)
	for i := 0; i < rounds; i++ {
		msg := []byte(fmt.Sprintf("datagram %d", i))
		if _, err := a.Write(msg); err != nil {
			fail("udp write: %v", err)
		}
		n, from, err := b.ReadFromUDP(buf)
		if err != nil || !bytes.Equal(buf[:n], msg) || from.Port != a.LocalAddr().(*net.UDPAddr).Port {
			fail("udp read: %q from %v, %v", buf[:n], from, err)
		}
	}
}

// A stream from a client to the peer it connected to, echoed back.
func exchangeTCP(c *net.TCPConn, ln *net.TCPListener) {
	done := make(chan error, 1)
	go func() {
		peer, err := ln.Accept()
		if err == nil {
			_, err = io.Copy(peer, peer)
			peer.Close()
		}
		done <- err
	}()
	buf := make([]byte, 64)
	for i := 0; i < rounds; i++ {
		msg := []byte(fmt.Sprintf("segment %d", i))
		if _, err := c.Write(msg); err != nil {
			fail("tcp write: %v", err)
		}
		if _, err := io.ReadFull(c, buf[:len(msg)]); err != nil || !bytes.Equal(buf[:len(msg)], msg) {
			fail("tcp read: %q, %v", buf[:len(msg)], err)
		}
	}
	c.CloseWrite()
	if err := <-done; err != nil {
		fail("tcp peer: %v", err)
	}
}

func main() {
	loopback := net.IPv4(127, 0, 0, 1)
	b, err := net.ListenUDP("udp4", &net.UDPAddr{IP: loopback})
	if err != nil {
		fail("udp listen: %v", err)
	}
	a, err := net.DialUDP("udp4", &net.UDPAddr{IP: loopback}, b.LocalAddr().(*net.UDPAddr))
	if err != nil {
		fail("udp dial: %v", err)
	}
	ln, err := net.ListenTCP("tcp4", &net.TCPAddr{IP: loopback})
	if err != nil {
		fail("tcp listen: %v", err)
	}
	c, err := net.DialTCP("tcp4", nil, ln.Addr().(*net.TCPAddr))
	if err != nil {
		fail("tcp dial: %v", err)
	}

	exchangeUDP(a, b)
	exchangeTCP(c, ln)
	fmt.Printf("go-loopback (%s): udp %#x sent %d, tcp %#x sent %d: ok\n",
		runtime.GOARCH, handle(a), rounds, handle(c), rounds)
	for _, closer := range []io.Closer{a, b, c, ln} {
		closer.Close()
	}
}
