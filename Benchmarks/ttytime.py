#!/usr/bin/env python3
"""Time a terminal program in a pseudo-terminal, step by step, as a person sees it.

    ttytime.py [--cols 100 --rows 30 --runs 20 --env K=V ... --hwm --json] STEP... -- CMD...

Steps run in the order given, once per run:
    --wait TEXT    wait until TEXT appears in the output written since the previous --send
                   (or since the program started) and time it; each --wait is one measurement
    --sleep MS     keep reading the output for MS milliseconds (a settle delay: the panel
                   ignores keys for 150 ms after a new step appears)
    --send KEYS    write KEYS (Python escapes: '\\r', '\\x1b[B') to the terminal

The clock of the first --wait starts just before the fork; the clock of any later --wait
starts when the keys of the --send before it are written. The bytes the program writes are
counted per segment: from the start to the first --send, between one --send and the next, and
from the last --send to the end of the steps (end with a --sleep to take in a whole frame).
--hwm reads the program's peak
memory (VmHWM of /proc/PID/status) after the last step. Prints min/median/max per measurement
(or JSON with --json). Exit status 1 when a marker is not seen within --timeout seconds.
Written in the method of ttyprobe.py (shared tools) but standalone.
"""
import argparse, fcntl, json, os, pty, select, signal, statistics, struct, sys, termios, time


class Step(argparse.Action):
    """Collects --wait/--sleep/--send in command-line order."""
    def __call__(self, parser, namespace, value, option):
        namespace.steps = (getattr(namespace, "steps", None) or []) + [(option.lstrip("-"), value)]


def hwm_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def run_once(cmd, cols, rows, env, steps, timeout, want_hwm):
    size = struct.pack("HHHH", rows, cols, 0, 0)
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.environ.update(env)
            fcntl.ioctl(0, termios.TIOCSWINSZ, size)
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, size)
    buf = bytearray()
    mark, clock, timings, hwm = 0, start, [], None
    segments = []

    def read_until(deadline, needle=None):
        """Reads output until `needle` is in buf[mark:] (returns the time) or the deadline."""
        while True:
            if needle is not None and buf.find(needle, mark) >= 0:
                return time.perf_counter()
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], min(left, 0.05))
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:       # the program ended
                    return time.perf_counter() if needle is not None and buf.find(needle, mark) >= 0 else None
                buf.extend(chunk)

    try:
        for kind, value in steps:
            if kind == "wait":
                seen = read_until(time.perf_counter() + timeout, value.encode())
                if seen is None:
                    tail = bytes(buf[-400:])
                    raise RuntimeError(f"marker {value!r} not seen within {timeout} s; last output: {tail!r}")
                timings.append((seen - clock) * 1000)
            elif kind == "sleep":
                read_until(time.perf_counter() + float(value) / 1000)
            elif kind == "send":
                segments.append(len(buf) - mark)
                mark = len(buf)
                keys = value.encode().decode("unicode_escape").encode("latin-1")
                clock = time.perf_counter()
                os.write(fd, keys)
        segments.append(len(buf) - mark)
        if want_hwm:
            hwm = hwm_kb(pid)
    finally:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(pid, sig)
            except ProcessLookupError:
                break
            if sig == signal.SIGTERM:
                time.sleep(0.05)
        os.waitpid(pid, 0)
        os.close(fd)
    return timings, hwm, segments


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cols", type=int, default=100)
    p.add_argument("--rows", type=int, default=30)
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--env", action="append", default=[], help="K=V for the program (repeatable)")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for each marker")
    p.add_argument("--hwm", action="store_true", help="report the program's peak memory (VmHWM)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    for option in ("--wait", "--sleep", "--send"):
        p.add_argument(option, action=Step, dest="steps", metavar=option[2:].upper())
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    a = p.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    steps = a.steps or []
    if not cmd or not any(kind == "wait" for kind, _ in steps):
        p.error("give at least one --wait and the command after --")
    env = dict(kv.split("=", 1) for kv in a.env)
    env.setdefault("TERM", "xterm-256color")

    samples, hwms, written = None, [], []
    for _ in range(a.runs):
        try:
            timings, hwm, segments = run_once(cmd, a.cols, a.rows, env, steps, a.timeout, a.hwm)
        except RuntimeError as error:
            print(f"ttytime: {error}", file=sys.stderr)
            sys.exit(1)
        samples = samples or [[] for _ in timings]
        for column, value in zip(samples, timings):
            column.append(value)
        if hwm is not None:
            hwms.append(hwm)
        written.append(segments)

    markers = [value for kind, value in steps if kind == "wait"]
    results = [{"marker": m, "runs": len(xs), "min": min(xs), "median": statistics.median(xs), "max": max(xs),
                "samples": [round(x, 3) for x in xs]} for m, xs in zip(markers, samples)]
    out = {"command": cmd, "steps": steps, "results": results,
           "bytes": [{"median": statistics.median(column), "min": min(column), "max": max(column), "samples": list(column)}
                     for column in zip(*written)]}
    if a.hwm:
        out["hwm_kb"] = {"max": max(hwms), "median": statistics.median(hwms), "samples": hwms} if hwms else None
    if a.json:
        print(json.dumps(out, indent=1))
        return
    for r in results:
        print(f"{r['marker']!r}: min {r['min']:.2f} median {r['median']:.2f} max {r['max']:.2f} ms ({r['runs']} runs)")
    print("bytes written per segment (median): " + ", ".join(str(int(b["median"])) for b in out["bytes"]))
    if a.hwm and hwms:
        print(f"peak memory (VmHWM): max {max(hwms) / 1024:.1f} MB")


if __name__ == "__main__":
    main()
