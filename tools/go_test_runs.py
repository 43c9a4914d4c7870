#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run Go test binaries (go test -c, GOOS=windows) under Wine against Wine's
builtin ws2_32 and against ws2send, and compare them test by test.

tools/run_go_net_tests.sh builds the binaries, makes the prefix (ws2send in
its system32/syswow64) and the network namespace, then calls this with:

  --work DIR      bin/<pkg>-<arch>.exe (pkg with / as _), src/<pkg>/ (the
                  folder each binary runs in, as go test would), logs/
  --package P, --arch A (repeated), --modes, and the options of the script.

Modes: builtin (WINEDLLOVERRIDES=ws2_32=b), fp1 and fp0 (ws2_32=n,b with
WS2SEND_FASTPATH=1/0).  Each process gets WS2SEND_DEBUG=info and a log file
of its own: ws2send, where it serves, says so there and, at exit, how many
sends each route took; the builtin leaves the file absent.

A configuration (package, arch, mode) runs every test with -test.v in as
few processes as hangs and crashes allow: a process ended by -test.timeout
(or the outer timeout) marks the tests it left unfinished as hung, a crash
as crashed, and the tests it did not start run on in a new process.  Each
top-level test whose outcome differs between the builtin and a ws2send mode
then runs alone --retries more times on both sides and is classified (see
classify).  Last line:
  go tests: N regressions, N fixes, N flaky, N other differences
Exit status 1 on a regression or a configuration not served by the DLL
intended.
"""
import argparse
import os
import re
import subprocess
import sys
import time

OUTCOMES = ("pass", "fail", "skip", "hang", "crash")
BAD = ("fail", "hang", "crash")
SEVERITY = {"skip": 0, "pass": 1, "fail": 2, "hang": 3, "crash": 4}

RESULT_RE = re.compile(r"^ *--- (?P<result>PASS|FAIL|SKIP): (?P<name>\S+) \(")
HEADER_RE = re.compile(r"^=== (?P<what>RUN|CONT|PAUSE|NAME) +(?P<name>\S+)$")
TIMED_OUT_RE = re.compile(r"^panic: test timed out after")
# ws2send at exit (provider_log_summary): "sends: 3 on the host, 2 through Wine's driver, 0
# through the host's ws2_32 (send 0, ...)"; one line per process that sent anything.
SENT_RE = re.compile(r"sends: (?P<fast>\d+) on the host, (?P<afd>\d+) through Wine's driver, "
                     r"(?P<api>\d+) through the host's ws2_32")
ROUTES = ("host-fast", "wine-afd", "host-api")


class Target:
    """One test binary: a package built for one arch."""

    def __init__(self, work, package, arch):
        self.package, self.arch = package, arch
        self.label = f"{package} {arch}"
        self.exe_name = f"{package.replace('/', '_')}-{arch}.exe"
        self.exe = os.path.join(work, "bin", self.exe_name)
        self.cwd = os.path.join(work, "src", package)
        self.log_stem = os.path.join(work, "logs", f"{package.replace('/', '_')}.{arch}")


def environment(mode, dll_log):
    env = dict(os.environ)
    if mode == "builtin":
        env["WINEDLLOVERRIDES"] = "ws2_32=b;mscoree,mshtml="
    else:
        env["WINEDLLOVERRIDES"] = "ws2_32=n,b;mscoree,mshtml="
        env["WS2SEND_FASTPATH"] = mode[2:]
    env["WS2SEND_DEBUG"] = "info"
    env["WS2SEND_LOG_FILE"] = dll_log
    return env


class Run:
    """One test process: the outcome of each test and subtest (the worst of
    its -test.count runs), what each printed, how the process ended
    (complete, crash, timeout), whether ws2send served it, its sends by
    entry point and route."""
    processes = 0

    def __init__(self, options, target, mode, names, tag, short, timeout):
        Run.processes += 1
        out_path = f"{target.log_stem}.{mode}.{tag}.log"
        dll_log = f"{target.log_stem}.{mode}.{tag}.ws2send"
        args = ["wine", target.exe, "-test.v", f"-test.timeout={timeout}s"]
        if short:
            args.append("-test.short")
        if options.count > 1:
            args.append(f"-test.count={options.count}")
        args.append("-test.run=^(" + "|".join(names) + ")$")
        self.ended = "exit"
        with open(out_path, "wb") as out:
            try:
                subprocess.run(args, cwd=target.cwd, env=environment(mode, dll_log), stdout=out,
                               stderr=subprocess.STDOUT, timeout=timeout + 30)
            except subprocess.TimeoutExpired:
                self.ended = "timeout"
        with open(out_path, errors="replace") as f:
            lines = f.read().replace("\r", "").splitlines()
        if any(TIMED_OUT_RE.match(line) for line in lines):
            self.ended = "timeout"
        elif self.ended == "exit":
            # A test binary that returns says PASS or FAIL last of all.
            self.ended = "complete" if "PASS" in lines or "FAIL" in lines else "crash"
        self.parse(lines)
        dll_text = ""
        if os.path.exists(dll_log):
            with open(dll_log, errors="replace") as f:
                dll_text = f.read()
        self.served = " loaded" in dll_text
        self.sends = {}
        for m in SENT_RE.finditer(dll_text):
            counts = self.sends.setdefault("all", [0, 0, 0])
            for i, key in enumerate(("fast", "afd", "api")):
                counts[i] += int(m.group(key))

    def parse(self, lines):
        """Outcomes from go test -v output.  A top-level test is running from
        RUN (or CONT) until its result; a parallel test waiting at PAUSE has
        not started its work, so a process ending there leaves it to the
        next one."""
        self.outcomes, self.output, state, current = {}, {}, {}, None
        for line in lines:
            m = HEADER_RE.match(line) or RESULT_RE.match(line)
            if m:
                current = m.group("name")
                what, result = m.groupdict().get("what"), m.groupdict().get("result")
                if what in ("RUN", "CONT", "PAUSE") and "/" not in current:
                    state[current] = "paused" if what == "PAUSE" else "running"
                if result:
                    self.note(current, result.lower())
                    if "/" not in current:
                        state[current] = "done"
            elif current and line.startswith("    "):
                self.output.setdefault(current, []).append(line.strip())
        # Running when the process ended: the timeout or the crash caught it.
        for name, st in state.items():
            if st == "running":
                self.note(name, "hang" if self.ended == "timeout" else "crash")
        self.started = [name for name, st in state.items() if st != "paused" or name in self.outcomes]

    def note(self, name, outcome):
        """A test's outcome is the worst of its runs (-test.count)."""
        if SEVERITY[outcome] >= SEVERITY[self.outcomes.get(name, "skip")]:
            self.outcomes[name] = outcome


class Configuration:
    """Every test of a target under one mode, in as few processes as hangs
    and crashes allow.  (Tests a complete process left out, an example
    without output, never run.)"""

    def __init__(self, options, target, mode, names, short):
        self.outcomes, self.output, self.serving, self.sends = {}, {}, set(), {}
        pending, part = list(names), 0
        while pending:
            part += 1
            run = Run(options, target, mode, pending, f"{'short' if short else 'long'}{part}", short,
                      options.timeout)
            self.serving.add(run.served)
            self.outcomes.update(run.outcomes)
            self.output.update(run.output)
            for entry, counts in run.sends.items():
                total = self.sends.setdefault(entry, [0, 0, 0])
                for i in range(3):
                    total[i] += counts[i]
            if run.ended == "complete" or not run.started:
                break
            pending = [n for n in pending if n not in run.outcomes]
        stop_wineserver()

    def top_level(self):
        return {k: v for k, v in self.outcomes.items() if "/" not in k}

    def counts(self):
        values = list(self.top_level().values())
        return ", ".join(f"{values.count(k)} {k}" for k in OUTCOMES)

    def routes(self):
        return "; ".join(f"{entry} " + ", ".join(f"{route} {n}" for route, n in zip(ROUTES, counts) if n)
                         for entry, counts in sorted(self.sends.items()))

    def said(self, name):
        """The first lines a test and its failed subtests printed."""
        return [f"{k}: {'; '.join(v[:3])}" for k, v in self.output.items()
                if (k == name or k.startswith(name + "/")) and v
                and self.outcomes.get(k, "fail") in BAD][:6]


def stop_wineserver():
    subprocess.run(["wineserver", "-k"], stderr=subprocess.DEVNULL)


def listed_tests(options, target):
    pattern = options.run or "^(Test|Example)"
    got = subprocess.run(["wine", target.exe, f"-test.list={pattern}"], cwd=target.cwd,
                         env=environment("builtin", os.devnull), capture_output=True, text=True,
                         errors="replace", timeout=120).stdout.replace("\r", "")
    return [n for n in got.split() if re.match(r"^(Test|Example)\w*$", n)
            and not (options.skip and re.search(options.skip, n))]


def classify(seen_builtin, seen_ws2send):
    """regression: ws2send never passed, the builtin did; fix: the builtin
    never passed, ws2send always did; flaky: passes and failures mixed
    otherwise; difference: the rest (a skip against a pass, say)."""
    b_pass, m_pass = "pass" in seen_builtin, "pass" in seen_ws2send
    b_bad = any(o in BAD for o in seen_builtin)
    m_bad = any(o in BAD for o in seen_ws2send)
    if b_pass and m_bad and not m_pass:
        return "regression"
    if b_bad and not b_pass and m_pass and not m_bad:
        return "fix"
    if (b_pass or m_pass) and (b_bad or m_bad):
        return "flaky"
    return "difference"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", required=True)
    parser.add_argument("--package", action="append", required=True)
    parser.add_argument("--arch", action="append", required=True)
    parser.add_argument("--modes", default="builtin fp1 fp0")
    parser.add_argument("--run", default="", help="-test.list pattern choosing the tests")
    parser.add_argument("--skip", default="", help="pattern of tests left out (Go 1.19 has no -test.skip)")
    parser.add_argument("--retries", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=120, help="-test.timeout of a configuration's processes, s")
    parser.add_argument("--rerun-timeout", type=int, default=30, help="-test.timeout of a rerun (one test), s")
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--long", action="store_true", help="without -test.short")
    parser.add_argument("--go-version", default="go")
    options = parser.parse_args()
    modes = options.modes.split()
    ws2send_modes = [m for m in modes if m != "builtin"]
    short = not options.long

    configurations, problems, started_at = {}, [], time.time()
    for package in options.package:
        for arch in options.arch:
            target = Target(options.work, package, arch)
            names = listed_tests(options, target)
            print(f"{target.label}: {len(names)} tests and examples")
            if not short:
                # Without -test.short these would look up public names.
                probe = Configuration(options, target, "builtin", names, short=True)
                external = {n for n in names if any("external network" in line for line in probe.output.get(n, []))}
                names = [n for n in names if n not in external]
                print(f"  without -test.short; {len(external)} tests that need the external network left out")
            for mode in modes:
                t = time.time()
                config = configurations[target, mode] = Configuration(options, target, mode, names, short)
                want = mode != "builtin"
                if config.serving != {want}:
                    problems.append(f"{target.label} {mode}: not served by "
                                    f"{'ws2send' if want else 'the builtin'} in every process")
                print(f"  {mode:8s} {config.counts()}  ({time.time() - t:.0f} s)")
                if config.sends:
                    print(f"           sends: {config.routes()}")
                sys.stdout.flush()

    # Each difference, run alone again on both sides.
    kinds = {"regression": [], "fix": [], "flaky": [], "difference": []}
    for (target, mode), mine in configurations.items():
        if mode == "builtin":
            continue
        base = configurations[target, "builtin"]
        b_top, m_top = base.top_level(), mine.top_level()
        for name in sorted(set(b_top) | set(m_top)):
            seen = {"builtin": [b_top.get(name, "absent")], mode: [m_top.get(name, "absent")]}
            if seen["builtin"] == seen[mode]:
                continue
            for i in range(options.retries):
                for side in ("builtin", mode):
                    run = Run(options, target, side, [name], f"{name}.vs-{mode}.{i + 1}", short,
                              options.rerun_timeout)
                    seen[side].append(run.outcomes.get(name, "absent"))
            failing, failing_mode = (mine, mode) if seen[mode][0] in BAD else (base, "builtin")
            kinds[classify(seen["builtin"], seen[mode])].append(
                (target, mode, name, seen, failing_mode, failing.said(name)))
    stop_wineserver()

    print()
    for kind, items in kinds.items():
        for target, mode, name, seen, failing_mode, said in items:
            print(f"{kind.upper()}: {target.label} {mode} {name}: builtin {' '.join(seen['builtin'])}; "
                  f"{mode} {' '.join(seen[mode])}")
            for line in said:
                print(f"    {failing_mode}: {line[:300]}")
    for p in problems:
        print(f"PROBLEM: {p}")
    print(f"go tests: {options.go_version}, {len(ws2send_modes)} ws2send mode(s) against the builtin, "
          f"{Run.processes} test processes, {time.time() - started_at:.0f} s")
    print(f"go tests: {len(kinds['regression'])} regressions, {len(kinds['fix'])} fixes, "
          f"{len(kinds['flaky'])} flaky, {len(kinds['difference'])} other differences")
    return 1 if kinds["regression"] or problems else 0


if __name__ == "__main__":
    sys.exit(main())
