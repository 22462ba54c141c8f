"""The history file (core/history_file.h) from the outside: writes one as an
earlier run would have left it (to play a week of history), and reads one
back to see what a run kept.

Layout, little-endian: "isitdownHIST" and the version (u32 1); then records:
  'T' id len key          a target (key: "kind\\nname\\nURL or host:port")
  'H' id 0 0 hour count failures                      (16 bytes)
  'S' id outcome flags t_s t_ms status 6 x float32 ms (36 bytes)
"""

import struct

MAGIC = b"isitdownHIST" + struct.pack("<I", 1)
OUTCOME_OK = 0
OUTCOME_CONNECT_FAIL = 2  # must match enum outcome in core/sample.h


def key_http(name, url):
    return "http\n%s\n%s" % (name, url)


def key_tcp(name, host, port):
    return "tcp\n%s\n%s:%d" % (name, host, port)


def sample(t, ok, total_ms=-1.0, status=0, outcome=None):
    """One probe: t in seconds since the epoch (float)."""
    return {"t": t, "ok": ok, "total": total_ms if ok else -1.0, "status": status,
            "outcome": outcome if outcome is not None else (OUTCOME_OK if ok else OUTCOME_CONNECT_FAIL)}


def write(path, targets):
    """targets: [(key, hours, samples)] with hours [(hour, count, failures)]
    and samples as sample() gives them, in time order."""
    out = bytearray(MAGIC)
    for tid, (key, hours, samples) in enumerate(targets):
        k = key.encode()
        out += b"T" + bytes([tid, len(k)]) + k
        for hour, count, failures in hours:
            out += b"H" + bytes([tid, 0, 0]) + struct.pack("<III", hour, count, failures)
        for s in samples:
            whole = int(s["t"])
            ms = int(round((s["t"] - whole) * 1000)) % 1000
            out += b"S" + bytes([tid, s["outcome"], 1 if s["ok"] else 0])
            out += struct.pack("<IHH", whole, ms, s["status"])
            out += struct.pack("<6f", s["total"], -1, -1, -1, -1, -1)
    with open(path, "wb") as f:
        f.write(out)


def read(path):
    """{key: {"hours": [(hour, count, failures)], "samples": [sample]}}; raises
    ValueError on anything that is not a history file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:16] != MAGIC:
        raise ValueError("not a history file")
    keys, result, off = {}, {}, 16
    while off < len(data):
        kind, tid = data[off:off + 1], data[off + 1]
        if kind == b"T":
            n = data[off + 2]
            keys[tid] = data[off + 3:off + 3 + n].decode()
            result[keys[tid]] = {"hours": [], "samples": []}
            off += 3 + n
        elif kind == b"H":
            result[keys[tid]]["hours"].append(struct.unpack("<III", data[off + 4:off + 16]))
            off += 16
        elif kind == b"S":
            outcome, flags = data[off + 2], data[off + 3]
            whole, ms, status = struct.unpack("<IHH", data[off + 4:off + 12])
            total = struct.unpack("<6f", data[off + 12:off + 36])[0]
            result[keys[tid]]["samples"].append(
                {"t": whole + ms / 1000.0, "ok": bool(flags & 1), "total": total, "status": status,
                 "outcome": outcome})
            off += 36
        else:
            raise ValueError("record type %r at byte %d" % (kind, off))
    return result
