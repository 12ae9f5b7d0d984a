#!/usr/bin/env python3
"""Memory of `likematch serve` with listeners that never read.

Starts serve on free loopback ports, connects N listeners that never read a byte, runs one
harness session of E events through it (its own listener reads and judges), and prints serve's
peak resident memory (VmHWM) with 0 stalled listeners and with N, on the same session.

    bench/stalled_listeners.py [--listeners 100] [--events 1000000] [--users 9000]

Each session's match list is kept once, as shared chunks: a stalled listener holds pointers
to them (and the kernel's socket buffers), never a copy.
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BINARY = os.environ.get("LIKEMATCH", os.path.join(HERE, "..", "build", "likematch"))


def peak_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def run(listeners, events, users):
    log = tempfile.TemporaryFile(mode="w+")
    serve = subprocess.Popen(
        [BINARY, "serve", "--source-port", "0", "--listener-port", "0", "--max-listeners",
         str(listeners + 8)], stderr=log, text=True)
    try:
        ports = None
        deadline = time.time() + 10
        while ports is None and time.time() < deadline:
            time.sleep(0.05)
            log.seek(0)
            found = re.search(r"Event Source on [^ ]*:(\d+), Event Listeners on [^ ]*:(\d+)",
                              log.read())
            if found:
                ports = int(found.group(1)), int(found.group(2))
        if ports is None:
            sys.exit("serve did not start")
        source_port, listener_port = ports
        stalled = []
        for _ in range(listeners):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.connect(("127.0.0.1", listener_port))
            stalled.append(s)
        before = peak_kib(serve.pid)
        harness = subprocess.run(
            [BINARY, "harness", "--source-port", str(source_port), "--listener-port",
             str(listener_port), "--events", str(events), "--users", str(users), "--log-level",
             "error"], capture_output=True, text=True)
        if harness.returncode != 0:
            sys.exit(f"harness failed ({harness.returncode}): {harness.stderr.strip()}")
        after = peak_kib(serve.pid)
        for s in stalled:
            s.close()
        return before, after, harness.stdout.strip().splitlines()[-1]
    finally:
        serve.terminate()
        serve.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listeners", type=int, default=100)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=9000)
    args = parser.parse_args()
    for count in (0, args.listeners):
        before, after, verdict = run(count, args.events, args.users)
        print(f"{count:4d} stalled listeners: serve's peak RSS {after / 1024:.1f} MiB "
              f"({before / 1024:.1f} MiB before the session); harness: {verdict}")


if __name__ == "__main__":
    main()
