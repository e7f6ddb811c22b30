#!/usr/bin/env python3
"""Start-up time and idle memory of a server: process start until /healthz answers.

    startup.py --runs 10 --url http://127.0.0.1:PORT -- parvis serve --config FILE

Each run: spawn the command, poll GET /healthz over a raw socket every 0.5 ms
(a curl process per try would cost more than what is measured), record the
time from just before spawn to the first 200, wait --settle seconds, read
VmRSS/VmHWM from /proc/PID/status, then SIGTERM and wait (SIGKILL after 15 s).
Prints one JSON object: every run's milliseconds and kB, min/median/max.
Only loopback: the URL must be http://127.0.0.1:PORT.
"""

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from urllib.parse import urlsplit


def healthz_ok(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: " + host.encode() + b"\r\nConnection: close\r\n\r\n")
            head = s.recv(64)
            return head.startswith(b"HTTP/1.1 200") or head.startswith(b"HTTP/1.0 200")
    except OSError:
        return False


def proc_status(pid: int) -> dict:
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "Threads"):
                out[key] = int(value.split()[0])
    return out


def stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return -9


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--url", required=True)
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for /healthz per run")
    ap.add_argument("--settle", type=float, default=2.0, help="seconds idle before reading memory")
    ap.add_argument("--log", default=os.devnull, help="file for the server's output")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    url = urlsplit(args.url)
    if url.hostname != "127.0.0.1" or not url.port:
        print("only http://127.0.0.1:PORT is allowed", file=sys.stderr)
        return 2
    if healthz_ok(url.hostname, url.port):
        print(f"something already answers on {args.url}", file=sys.stderr)
        return 2

    startup_ms, rss_kb, hwm_kb, threads = [], [], [], []
    with open(args.log, "ab") as log:
        for run in range(args.runs):
            t0 = time.perf_counter()
            proc = subprocess.Popen(command, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
            try:
                deadline = t0 + args.timeout
                while True:
                    if healthz_ok(url.hostname, url.port):
                        break
                    if proc.poll() is not None:
                        print(f"run {run}: server exited with {proc.returncode} before /healthz", file=sys.stderr)
                        return 1
                    if time.perf_counter() > deadline:
                        print(f"run {run}: no /healthz after {args.timeout} s", file=sys.stderr)
                        return 1
                    time.sleep(0.0005)
                startup_ms.append((time.perf_counter() - t0) * 1000)
                time.sleep(args.settle)
                st = proc_status(proc.pid)
                rss_kb.append(st["VmRSS"])
                hwm_kb.append(st["VmHWM"])
                threads.append(st.get("Threads", 0))
            finally:
                stop(proc)
            # The port must be free again before the next run.
            for _ in range(200):
                if not healthz_ok(url.hostname, url.port):
                    break
                time.sleep(0.01)

    def summary(xs):
        return {"min": min(xs), "median": statistics.median(xs), "max": max(xs)}

    print(json.dumps({
        "runs": args.runs,
        "startup_ms": [round(x, 1) for x in startup_ms],
        "startup_ms_summary": {k: round(v, 1) for k, v in summary(startup_ms).items()},
        "idle_rss_kb": rss_kb,
        "idle_rss_kb_summary": summary(rss_kb),
        "idle_hwm_kb": hwm_kb,
        "threads": threads,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
