#!/usr/bin/env python3
"""Edit-to-served latency of a live preview server: the time from writing a changed article
to the server answering with the new text, median of RUNS edits; and what the server costs to
start: the time from launch to its first answer, and its memory (resident set from
/proc/PID/status: after the first answer, and the peak over the whole run).

    python3 benches/serve_latency.py CORPUS_DIR [--runs 5] [--kbsite PATH] [--hugo]

CORPUS_DIR is made by ../shared/bench/gen_corpus.py. The article edited is the first of
corpus.json; its page is polled over HTTP every millisecond until the new text appears.
With --hugo, `hugo server` is measured the same way on the same corpus.
"""
import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return ""


def wait_for(url, needle, timeout=60.0):
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if needle in fetch(url):
            return time.perf_counter()
        time.sleep(0.001)
    raise SystemExit(f"timed out waiting for {needle!r} at {url}")


def memory_kb(pid, field):
    """`VmRSS` (now) or `VmHWM` (peak) of a process, in KB; 0 where /proc is missing."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(name, cmd, corpus, url_of, runs, ready_pattern):
    """The edit latencies (ms), the startup (s) and the memory after start and at peak (KB)."""
    article = json.load(open(os.path.join(corpus, "corpus.json")))["articles"][0]
    path = os.path.join(corpus, "content", article["section"], article["slug"] + ".md")
    original = open(path, encoding="utf-8").read()
    proc = subprocess.Popen(cmd, cwd=corpus, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        started = time.perf_counter()
        for line in proc.stdout:
            if re.search(ready_pattern, line):
                break
        else:
            raise SystemExit(f"{name} exited before serving")
        print(f"[bench] {name}: first build and serve in {time.perf_counter() - started:.2f} s", file=sys.stderr)
        # Drain the server's output so it never blocks on a full pipe.
        import threading
        threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
        url = url_of(article)
        wait_for(url, "<", 60)
        startup = time.perf_counter() - started
        rss_started = memory_kb(proc.pid, "VmRSS")
        times = []
        for i in range(runs):
            token = f"kbsitebenchedit{i}x{int(time.time() * 1000)}"
            text = original.replace("\n\n", f"\n\n{token} ", 1)
            t0 = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            t1 = wait_for(url, token)
            times.append((t1 - t0) * 1000)
            print(f"[bench] {name}: edit {i + 1}: {times[-1]:.0f} ms", file=sys.stderr)
            time.sleep(0.5)
        return times, startup, rss_started, memory_kb(proc.pid, "VmHWM")
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--kbsite", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "kbsite"))
    ap.add_argument("--hugo", action="store_true")
    args = ap.parse_args()
    corpus = os.path.abspath(args.corpus)
    n = json.load(open(os.path.join(corpus, "corpus.json")))["n"]
    rows = []
    port = free_port()
    k, *kstart = measure(
        "kbsite serve",
        [os.path.abspath(args.kbsite), "serve", "--port", str(port)],
        corpus,
        lambda a: f"http://127.0.0.1:{port}/{a['section']}/{a['slug']}/",
        args.runs,
        r"Serving http",
    )
    rows.append(("kbsite serve", k, kstart))
    if args.hugo:
        port = free_port()
        h, *hstart = measure(
            "hugo server",
            ["hugo", "server", "--port", str(port), "--bind", "127.0.0.1", "--disableLiveReload"],
            corpus,
            lambda a: f"http://127.0.0.1:{port}/{a['section']}/{a['slug']}/",
            args.runs,
            r"Web Server is available",
        )
        rows.append(("hugo server", h, hstart))
    print("| articles | server | start to first page s | RSS after start MB | peak RSS MB | median edit-to-served ms | runs (ms) |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | --- |")
    for name, times, (startup, rss, peak) in rows:
        print(
            f"| {n} | {name} | {startup:.2f} | {rss / 1024:.0f} | {peak / 1024:.0f} "
            f"| {statistics.median(times):.0f} | {' '.join(f'{t:.0f}' for t in times)} |"
        )
    if len(rows) == 2:
        print(f"\nkbsite/hugo median ratio: {statistics.median(rows[0][1]) / statistics.median(rows[1][1]):.2f}")


if __name__ == "__main__":
    main()
