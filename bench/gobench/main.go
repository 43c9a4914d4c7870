// SPDX-License-Identifier: LGPL-2.1-or-later
//
// gobench: what a Go program's sends cost, timed with the standard net
// package alone: 64-byte datagrams and 64 KiB stream writes over 127.0.0.1.
// bench/run-bench.sh builds it with the installed Go for windows/amd64 and
// windows/386 (run under Wine: the builtin ws2_32, ws2send) and for
// linux/amd64 (the native yardstick).
//
//	gobench [-r ROUNDS] [-t ROUND_MS] [CASE... | all]
//
// Calibration, rounds, budget and output follow bench/ws2bench.c:
//
//	case=<name> n=<N> ns_per_op=<median of the rounds' ns per Write> [mbps=<MB/s>] rounds=<R>
//
// Cases:
//
//	go-udp-64   UDPConn.Write of 64 bytes on a socket connected to a receiver
//	            on 127.0.0.1 (net.DialUDP("udp", ...)); a reader goroutine
//	            drains the receiver all the time, so the host drops little
//	go-tcp-64k  TCPConn.Write of 64 KiB on a loopback connection
//	            (net.DialTCP("tcp", ...)); a reader goroutine drains the peer
//
// The networks are "udp" and "tcp", as most programs write them: Go 1.19
// sets FILE_SKIP_COMPLETION_PORT_ON_SUCCESS on Windows for "tcp" sockets
// only (internal/poll/fd_windows.go), so "tcp4" would time another path.
// Lines starting with '#' are comments: on Windows which ws2_32.dll serves
// the program and, when that is ws2send, which of its providers served each
// case's sends; for go-udp-64 how many datagrams arrived.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const (
	caseBudget  = 3 * time.Second // calibration + rounds of one case
	maxWrites   = 20000000
	maxRounds   = 64
	udpRcvBuf   = 4 << 20
	tcpRcvChunk = 256 << 10
)

// A case's connection: conn is written to, stop ends its reader.
type bench struct {
	conn     net.Conn
	received *int64 // datagrams read, for the UDP case
	stop     func()
}

type benchCase struct {
	name  string
	bytes int
	setup func() (*bench, error)
}

var cases = []benchCase{
	{"go-udp-64", 64, setupUDP},
	{"go-tcp-64k", 64 << 10, setupTCP},
}

var loopback = net.IPv4(127, 0, 0, 1)

func setupUDP() (*bench, error) {
	rx, err := net.ListenUDP("udp", &net.UDPAddr{IP: loopback})
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	rx.SetReadBuffer(udpRcvBuf) // as far as the host allows
	tx, err := net.DialUDP("udp", nil, rx.LocalAddr().(*net.UDPAddr))
	if err != nil {
		rx.Close()
		return nil, fmt.Errorf("dial: %w", err)
	}
	b := &bench{conn: tx, received: new(int64)}
	done := make(chan struct{})
	go func() {
		buf := make([]byte, 2048)
		for {
			if _, err := rx.Read(buf); err != nil {
				if errors.Is(err, net.ErrClosed) {
					break
				}
				continue // a refused or truncated datagram: keep draining
			}
			atomic.AddInt64(b.received, 1)
		}
		close(done)
	}()
	b.stop = func() {
		tx.Close()
		rx.Close()
		<-done
	}
	return b, nil
}

func setupTCP() (*bench, error) {
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: loopback})
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	tx, err := net.DialTCP("tcp", nil, ln.Addr().(*net.TCPAddr))
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	peer, err := ln.AcceptTCP()
	if err != nil {
		tx.Close()
		return nil, fmt.Errorf("accept: %w", err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		buf := make([]byte, tcpRcvChunk)
		for {
			if _, err := peer.Read(buf); err != nil {
				return
			}
		}
	}()
	return &bench{conn: tx, stop: func() {
		tx.CloseWrite() // the reader sees the end, then everything closes
		wg.Wait()
		peer.Close()
		tx.Close()
	}}, nil
}

// timedWrites does n Writes of buf and returns the time they took.
func timedWrites(c net.Conn, buf []byte, n int) (time.Duration, error) {
	start := time.Now()
	for i := 0; i < n; i++ {
		if sent, err := c.Write(buf); err != nil {
			return 0, err
		} else if sent != len(buf) {
			return 0, io.ErrShortWrite
		}
	}
	return time.Since(start), nil
}

// errorName is the Windows or errno code of err when there is one.
func errorName(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return fmt.Sprint(uintptr(errno))
	}
	return fmt.Sprintf("%q", err.Error())
}

func runCase(c benchCase, rounds int, round time.Duration) bool {
	start := time.Now()
	b, err := c.setup()
	if err != nil {
		fmt.Printf("case=%s error=%s at=setup\n", c.name, errorName(err))
		return false
	}
	defer b.stop()
	statsBefore := providerStats(b.conn)
	buf := make([]byte, c.bytes)
	for i := range buf {
		buf[i] = 'x'
	}

	// Calibrate: double a batch (which also warms up) until it takes an
	// eighth of a round, then scale to a round.
	var took time.Duration
	var writes int64
	n := 4
	for ; ; n *= 2 {
		if took, err = timedWrites(b.conn, buf, n); err != nil {
			fmt.Printf("case=%s error=%s at=Write\n", c.name, errorName(err))
			return false
		}
		writes += int64(n)
		if took >= round/8 || n >= maxWrites/2 || time.Since(start) > caseBudget/4 {
			break
		}
	}
	perOp := float64(took) / float64(n)
	if perOp <= 0 {
		perOp = 1
	}
	n = int(float64(round) / perOp)
	if n > maxWrites {
		n = maxWrites
	} else if n < 1 {
		n = 1
	}

	var times []float64
	for r := 0; r < rounds; r++ {
		if took, err = timedWrites(b.conn, buf, n); err != nil {
			fmt.Printf("case=%s error=%s at=Write\n", c.name, errorName(err))
			return false
		}
		writes += int64(n)
		times = append(times, float64(took)/float64(n))
		// Stop when one more round would overrun the case's budget.
		if time.Since(start)+took > caseBudget {
			break
		}
	}
	sort.Float64s(times)
	k := len(times)
	median := times[k/2]
	if k%2 == 0 {
		median = (times[k/2-1] + times[k/2]) / 2
	}

	if b.received != nil {
		time.Sleep(20 * time.Millisecond) // let the reader catch up on what is queued
		fmt.Printf("# case=%s datagrams written=%d received=%d\n",
			c.name, writes, atomic.LoadInt64(b.received))
	}
	printCompletionModes(c.name, b.conn)
	if statsBefore != nil {
		printProviders(c.name, b.conn, statsBefore)
	}
	fmt.Printf("case=%s n=%d ns_per_op=%.1f", c.name, n, median)
	if b.received == nil {
		fmt.Printf(" mbps=%.1f", float64(c.bytes)/median*1e3)
	}
	fmt.Printf(" rounds=%d\n", k)
	return true
}

func main() {
	rounds := flag.Int("r", 7, "rounds per case")
	roundMs := flag.Float64("t", 200, "milliseconds per round")
	list := flag.Bool("list", false, "list the cases")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: gobench [-r ROUNDS] [-t ROUND_MS] [CASE... | all]\ncases:")
		for _, c := range cases {
			fmt.Fprintf(os.Stderr, " %s", c.name)
		}
		fmt.Fprintln(os.Stderr)
	}
	flag.Parse()
	if *list {
		for _, c := range cases {
			fmt.Println(c.name)
		}
		return
	}
	if *rounds < 1 || *rounds > maxRounds || *roundMs <= 0 {
		fmt.Fprintf(os.Stderr, "gobench: need 1 <= ROUNDS <= %d, ROUND_MS > 0\n", maxRounds)
		os.Exit(2)
	}
	want := map[string]bool{}
	for _, arg := range flag.Args() {
		found := arg == "all"
		for _, c := range cases {
			if arg == c.name || arg == "all" {
				want[c.name], found = true, true
			}
		}
		if !found {
			flag.Usage()
			os.Exit(2)
		}
	}

	printServingDLL()
	failures := 0
	round := time.Duration(*roundMs * float64(time.Millisecond))
	for _, c := range cases {
		if (len(want) == 0 || want[c.name]) && !runCase(c, *rounds, round) {
			failures++
		}
	}
	if failures > 0 {
		os.Exit(1)
	}
}
