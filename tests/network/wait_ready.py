"""Run inside a world's namespace: waits until every TCP endpoint accepts a
connection and every name resolves, or fails after the timeout saying which
did not.  Argument: {"tcp": [[address, port], ...], "names": [...], "timeout": s}."""

import json
import socket
import sys
import time


def main():
    spec = json.loads(sys.argv[1])
    deadline = time.monotonic() + spec.get("timeout", 15)
    pending = [("tcp", tuple(t)) for t in spec.get("tcp", [])] + [("name", n) for n in spec.get("names", [])]
    delay = 0.01
    last = {}
    while pending:
        left = []
        for kind, what in pending:
            try:
                if kind == "tcp":
                    fam = socket.AF_INET6 if ":" in what[0] else socket.AF_INET
                    with socket.socket(fam, socket.SOCK_STREAM) as s:
                        s.settimeout(1)
                        s.connect(what)
                else:
                    socket.getaddrinfo(what, 443, type=socket.SOCK_STREAM)
            except OSError as e:
                last[what] = e
                left.append((kind, what))
        pending = left
        if not pending:
            break
        if time.monotonic() > deadline:
            sys.stderr.write("; ".join("%s: %s" % (w, last.get(w)) for _, w in pending) + "\n")
            sys.exit(1)
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


if __name__ == "__main__":
    main()
