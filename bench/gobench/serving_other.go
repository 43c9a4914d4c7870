// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Outside Windows there is no ws2_32 to report on: the native build.

//go:build !windows

package main

import "net"

type ws2sendStats struct{}

func printServingDLL() {}

func printCompletionModes(string, net.Conn) {}

func providerStats(net.Conn) *ws2sendStats { return nil }

func printProviders(string, net.Conn, *ws2sendStats) {}
