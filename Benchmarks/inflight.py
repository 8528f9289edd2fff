#!/usr/bin/env python3
"""A loopback forwarder that counts requests in flight, per host, on their way to a sandbox.

    inflight.py --upstream http://127.0.0.1:P --peaks FILE [--delay MS]

Listens on a free port of 127.0.0.1 and prints `listening on http://127.0.0.1:Q` on its first
line; `connwiz … --sandbox-url http://127.0.0.1:Q` then reaches the sandbox through it. Each
request is held for --delay ms (so that tests overlap), forwarded, and answered. A request is
in flight from the moment its head is read until its answer is written, so the peaks are at
least as high as they were at the sandbox. On SIGTERM it writes the peaks as JSON to FILE:
per Host header, per Salesforce org (login host and instance together, as the sandbox's
journal groups them), and "all".
"""
import argparse, http.client, json, signal, sys, threading, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ORGS = {"login.salesforce.com": "salesforce-production", "acme.my.salesforce.com": "salesforce-production",
        "test.salesforce.com": "salesforce-sandbox", "acme--sbx.sandbox.my.salesforce.com": "salesforce-sandbox"}
lock = threading.Lock()
now, peaks, counts = {}, {}, {}


def change(groups, delta):
    with lock:
        for group in groups:
            now[group] = now.get(group, 0) + delta
            peaks[group] = max(peaks.get(group, 0), now[group])
            if delta > 0:
                counts[group] = counts.get(group, 0) + 1


class Forward(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream = None
    delay = 0.0

    def log_message(self, *args):
        pass

    def handle_any(self):
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        groups = ["all", host] + ([ORGS[host]] if host in ORGS else [])
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        change(groups, +1)
        try:
            time.sleep(self.delay)
            connection = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "content-length")}
            connection.request(self.command, self.path, body=body or None, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
            connection.close()
            self.send_response_only(answer.status, answer.reason)
            for k, v in answer.getheaders():
                if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        finally:
            change(groups, -1)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = handle_any


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--upstream", required=True)
    p.add_argument("--peaks", required=True)
    p.add_argument("--delay", type=float, default=50.0, help="milliseconds each request is held")
    a = p.parse_args()
    Forward.upstream = urllib.parse.urlsplit(a.upstream)
    Forward.delay = a.delay / 1000
    server = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    server.daemon_threads = True

    def stop(*_):
        with lock:
            with open(a.peaks, "w") as f:
                json.dump({"peaks": peaks, "requests": counts}, f, indent=1, sort_keys=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
