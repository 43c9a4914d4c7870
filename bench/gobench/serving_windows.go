// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Which ws2_32.dll serves the program, and ws2send's provider counts, as
// bench/ws2bench.c reports them, so that bench/run-bench.sh can check that
// each configuration ran on the DLL it meant and say which route the sends
// took.  Go loads ws2_32 from the system directory only.

package main

import (
	"fmt"
	"net"
	"runtime"
	"syscall"
	"unsafe"
)

var (
	kernel32           = syscall.NewLazyDLL("kernel32.dll")
	getModuleFileNameW = kernel32.NewProc("GetModuleFileNameW")
	findResourceW      = kernel32.NewProc("FindResourceW")
	loadResource       = kernel32.NewProc("LoadResource")
	lockResource       = kernel32.NewProc("LockResource")
	sizeofResource     = kernel32.NewProc("SizeofResource")
	ntQueryInfoFile    = syscall.NewLazyDLL("ntdll.dll").NewProc("NtQueryInformationFile")
)

const rtRCData = 10

// ws2send's WS2SEND resource: "ws2send <version>", or "" for another DLL.
func ws2sendVersion(module uintptr) string {
	name, _ := syscall.UTF16PtrFromString("WS2SEND")
	res, _, _ := findResourceW.Call(module, uintptr(unsafe.Pointer(name)), rtRCData)
	if res == 0 {
		return ""
	}
	size, _, _ := sizeofResource.Call(module, res)
	data, _, _ := loadResource.Call(module, res)
	if data == 0 {
		return ""
	}
	p, _, _ := lockResource.Call(data)
	if p == 0 {
		return ""
	}
	// The resource is in the DLL's image, not Go's heap.
	text := unsafe.Slice(*(**byte)(unsafe.Pointer(&p)), size)
	for i, c := range text {
		if c == 0 {
			return string(text[:i])
		}
	}
	return string(text)
}

// "# arch=<arch> ws2_32=<path> ws2send=<version|no>" for the ws2_32.dll
// that Go's syscall package loaded (from the system directory).
func printServingDLL() {
	arch := map[string]string{"amd64": "x86_64", "386": "i686"}[runtime.GOARCH]
	path, version := "?", "no"
	if dll, err := syscall.LoadDLL("ws2_32.dll"); err == nil {
		buf := make([]uint16, syscall.MAX_PATH)
		if n, _, _ := getModuleFileNameW.Call(uintptr(dll.Handle), uintptr(unsafe.Pointer(&buf[0])),
			uintptr(len(buf))); n > 0 {
			path = syscall.UTF16ToString(buf[:n])
		}
		if v := ws2sendVersion(uintptr(dll.Handle)); v != "" {
			version = v
		}
	}
	fmt.Printf("# arch=%s ws2_32=%s ws2send=%s\n", arch, path, version)
}

// socketHandle runs f with conn's socket handle.
func socketHandle(conn net.Conn, f func(s syscall.Handle)) bool {
	raw, err := conn.(syscall.Conn).SyscallConn()
	return err == nil && raw.Control(func(fd uintptr) { f(syscall.Handle(fd)) }) == nil
}

const fileIoCompletionNotificationInformation = 41

// "# case=<name> completion_modes=<FILE_SKIP_* bits>": what Go's runtime set
// on the socket (1 skips the port packet on success, 2 the handle's signal),
// which decides whether an overlapped send that succeeds at once needs Wine
// to post a packet.
func printCompletionModes(name string, conn net.Conn) {
	var iosb [2]uintptr
	var modes uint32
	status := uintptr(1)
	socketHandle(conn, func(s syscall.Handle) {
		status, _, _ = ntQueryInfoFile.Call(uintptr(s), uintptr(unsafe.Pointer(&iosb)),
			uintptr(unsafe.Pointer(&modes)), unsafe.Sizeof(modes), fileIoCompletionNotificationInformation)
	})
	if status == 0 {
		fmt.Printf("# case=%s completion_modes=%#x\n", name, modes)
	}
}

// include/ws2send/stats.h
const sioWS2SendGetStats = 0x58005753

var providerNames = [...]string{"host-fast", "wine-afd", "host-api"}

type ws2sendStats struct {
	size, version    uint32
	calls            [5][len(providerNames)]uint32 // by entry point, provider
	extensionLookups uint32
	defaultProvider  uint32
}

// providerStats asks ws2send for its counts through conn's socket; nil when
// another ws2_32 (which refuses the code) serves the program.
func providerStats(conn net.Conn) *ws2sendStats {
	stats := &ws2sendStats{}
	ok := false
	socketHandle(conn, func(s syscall.Handle) {
		var got uint32
		err := syscall.WSAIoctl(s, sioWS2SendGetStats, nil, 0,
			(*byte)(unsafe.Pointer(stats)), uint32(unsafe.Sizeof(*stats)), &got, nil, 0)
		ok = err == nil && got == uint32(unsafe.Sizeof(*stats))
	})
	if !ok {
		return nil
	}
	return stats
}

// "# case=<name> providers host-fast=N wine-afd=N host-api=N": the sends
// since before.
func printProviders(name string, conn net.Conn, before *ws2sendStats) {
	after := providerStats(conn)
	if after == nil {
		return
	}
	fmt.Printf("# case=%s providers", name)
	for p, provider := range providerNames {
		total := uint32(0)
		for e := range after.calls {
			total += after.calls[e][p] - before.calls[e][p]
		}
		fmt.Printf(" %s=%d", provider, total)
	}
	fmt.Println()
}
