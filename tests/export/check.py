# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# check.py - checks for the export shell tests: what came out of Kafka (as
# decoded by ringscope-decode, by flatc, or as gala-gopher JSON) against what
# the producer put in. Prints one line per problem, exits 1 if any.
import json
import math
import re
import struct
import sys

problems = []


def problem(msg):
    if len(problems) < 20:
        print("  mismatch: " + msg)
    problems.append(msg)


def load_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def canon(o):
    return json.dumps(o, sort_keys=True)


def split_stream(stream, outdir):
    """kcat -f '%R%s' output -> one file per message; returns their names."""
    data = open(stream, "rb").read()
    names, off, i = [], 0, 0
    while off < len(data):
        (n,) = struct.unpack(">i", data[off:off + 4])
        off += 4
        if n < 0:
            continue
        name = "%s/msg%05d.bin" % (outdir, i)
        with open(name, "wb") as f:
            f.write(data[off:off + n])
        names.append(name)
        off += n
        i += 1
    print("\n".join(names))


def multiset_equal(what, want, got):
    w = sorted(canon(x) for x in want)
    g = sorted(canon(x) for x in got)
    if w == g:
        return
    missing = set(w) - set(g)
    extra = set(g) - set(w)
    problem("%s: want %d, got %d; %d missing, %d unexpected; first missing: %s"
            % (what, len(w), len(g), len(missing), len(extra),
               next(iter(missing), "-")[:300]))


def compare_decoded(expected, *decoded):
    """ringscope-decode's JSON lines equal the producer's, exactly."""
    want = load_jsonl(expected)
    got = [x for d in decoded for x in load_jsonl(d)]
    for kind in ("row", "event"):
        multiset_equal(kind + "s", [x for x in want if x["kind"] == kind],
                       [x for x in got if x["kind"] == kind])


def flatc_json(path):
    # flatc writes nan and inf bare, which JSON does not have
    text = open(path).read()
    text = re.sub(r"(?<=[\s\[:,])(-?)inf\b", lambda m: m.group(1) + "Infinity", text)
    text = re.sub(r"(?<=[\s\[:,])nan\b", "NaN", text)
    return json.loads(text)


def close(a, b):
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    # flatc prints doubles with 12 significant digits
    return a == b or math.isclose(a, b, rel_tol=1e-11)


def num(v):
    if isinstance(v, float) and math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    return v


def rows_from_flatc(msg):
    s = msg.get("strings", [])
    out = []
    for r in msg.get("rows", []):
        d = msg["defs"][r.get("def", 0)]
        keys = [s[i] for i in d.get("keys", [])]
        labels = [s[i] for i in d.get("labels", [])]
        names = [s[m.get("name", 0)] for m in d.get("metrics", [])]
        vals = r.get("labels", [])
        row = {
            "kind": "row", "seq": msg.get("seq", 0),
            "timestamp_ms": r.get("timestamp_ms", 0) or msg.get("timestamp_ms", 0),
            "machine_id": msg.get("machine_id", ""),
            "entity_name": s[d.get("entity_name", 0)],
            "table_name": s[d.get("table_name", 0)],
            "keys": {k: s[vals[i]] for i, k in enumerate(keys)},
            "labels": {k: s[vals[len(keys) + i]] for i, k in enumerate(labels)},
            "metrics": {names[i]: v for i, v in enumerate(r.get("values", []))
                        if not (isinstance(v, float) and math.isnan(v))},
            "histograms": {},
        }
        for h in r.get("histograms", []):
            row["histograms"][names[h.get("metric", 0)]] = {
                "le": [num(x) for x in h.get("le", [])],
                "counts": h.get("counts", []), "sum": num(h.get("sum", 0.0)),
                "count": h.get("count", 0)}
        out.append(row)
    return out


def row_key(r):
    return (r["seq"], r["entity_name"], canon(r["keys"]))


def same_row(w, g):
    if canon({k: v for k, v in w.items() if k not in ("metrics", "histograms")}) != \
       canon({k: v for k, v in g.items() if k not in ("metrics", "histograms")}):
        return False
    if set(w["metrics"]) != set(g["metrics"]):
        return False
    if any(not close(w["metrics"][m], g["metrics"][m]) for m in w["metrics"]):
        return False
    if set(w["histograms"]) != set(g["histograms"]):
        return False
    for name, wh in w["histograms"].items():
        gh = g["histograms"][name]
        if wh["counts"] != gh["counts"] or wh["count"] != gh["count"] or \
           len(wh["le"]) != len(gh["le"]) or \
           not all(close(a, b) for a, b in zip(wh["le"], gh["le"])) or \
           not close(wh["sum"], gh["sum"]):
            return False
    return True


def compare_flatc(expected, *jsons):
    """flatc --json of every message, resolved, equals the producer's rows."""
    want = {row_key(r): r for r in load_jsonl(expected) if r["kind"] == "row"}
    got = {}
    for path in jsons:
        msg = flatc_json(path)
        if msg.get("version", 1) != 1:
            problem("%s: version %s" % (path, msg.get("version")))
        for r in rows_from_flatc(msg):
            got[row_key(r)] = r
    if set(want) != set(got):
        problem("flatc rows: want %d, got %d" % (len(want), len(got)))
    bad = [k for k in want if k in got and not same_row(want[k], got[k])]
    for k in bad[:3]:
        problem("flatc row %s: want %s got %s" % (k, canon(want[k])[:300], canon(got[k])[:300]))
    print("  flatc: %d messages, %d rows compared, %d differ" % (len(jsons), len(got), len(bad)))


def gala_value(v):
    """A gala-gopher metric value string -> what the producer had."""
    return float(v)


def check_gala_metrics(expected, path):
    """gala-gopher metrics records: one JSON object per message, all strings."""
    want = {}
    for r in load_jsonl(expected):
        if r["kind"] == "row":
            want[(r["timestamp_ms"], r["entity_name"], canon(r["keys"]))] = r
    n = 0
    for line in open(path):
        if not line.strip():
            continue
        o = json.loads(line)
        n += 1
        if not isinstance(o.get("timestamp"), int):
            problem("metrics record without an integer timestamp: " + line[:200])
            continue
        for k, v in o.items():
            if k != "timestamp" and not isinstance(v, str):
                problem("metrics record field %s is not a string: %s" % (k, line[:200]))
        r = want.get((o["timestamp"], o.get("entity_name"),
                      canon({k: o.get(k) for k in want_keys(want, o)})))
        if r is None:
            problem("metrics record matches no row: " + line[:200])
            continue
        if o.get("machine_id") != r["machine_id"]:
            problem("machine_id %s" % o.get("machine_id"))
        fields = dict(r["keys"], **r["labels"])
        for k, v in fields.items():
            if o.get(k) != v:
                problem("field %s: want %r got %r" % (k, v, o.get(k)))
        for m, v in r["metrics"].items():
            if m not in o or gala_value(o[m]) != v:
                problem("metric %s: want %r got %r" % (m, v, o.get(m)))
        for m, h in r["histograms"].items():
            parts = o.get(m, "").split()
            if not parts or int(parts[0]) != len(h["le"]) or \
               [int(x) for x in parts[2:2 + 2 * len(h["le"]):2]] != h["counts"] or \
               float(parts[1 + 2 * len(h["le"])]) != h["sum"]:
                problem("histogram %s: %r vs %s" % (m, o.get(m), canon(h)))
        extra = set(o) - {"timestamp", "machine_id", "entity_name"} - set(fields) - \
            set(r["metrics"]) - set(r["histograms"])
        if extra:
            problem("unexpected fields %s" % sorted(extra))
    if n != len(want):
        problem("metrics records: want %d, got %d" % (len(want), n))
    print("  gala metrics: %d records checked" % n)


def want_keys(want, o):
    for r in want.values():
        if r["entity_name"] == o.get("entity_name"):
            return list(r["keys"])
    return []


def check_gala_events(expected, path):
    want = {e["event_id"]: e for e in load_jsonl(expected) if e["kind"] == "event"}
    n = 0
    for line in open(path):
        if not line.strip():
            continue
        o = json.loads(line)
        n += 1
        e = want.get(o.get("event_id"))
        if e is None:
            problem("event matches none sent: " + line[:200])
            continue
        a, res = o.get("Attributes", {}), o.get("Resource", {})
        checks = [
            (o.get("Timestamp"), e["timestamp_ms"]),
            (a.get("entity_id"), e["entity_id"]), (a.get("event_id"), e["event_id"]),
            (a.get("event_type"), e["event_type"]), (a.get("data"), []),
            (a.get("duration"), e["duration"]), (a.get("occurred count"), e["occurred"]),
            (res.get("metrics"), e["metric"]), (res.get("metric"), e["metric"]),
            (res.get("labels", {}).get("Host"), e["machine_id"]),
            (res.get("labels", {}).get("PID"), e["pid"]),
            (res.get("labels", {}).get("Device"), e["device"]),
            (o.get("SeverityText"), e["severity_text"]),
            (o.get("SeverityNumber"), e["severity_number"]), (o.get("Body"), e["body"]),
        ]
        for i, (g, w) in enumerate(checks):
            if g != w:
                problem("event %s check %d: want %r got %r" % (e["event_id"], i, w, g))
    if n != len(want):
        problem("events: want %d, got %d" % (len(want), n))
    print("  gala events: %d checked" % n)


def check_gala_metadata(path, n_defs):
    n = 0
    for line in open(path):
        if not line.strip():
            continue
        n += 1
        if '", "' not in line:
            problem("metadata without gala-gopher's \", \" separators: " + line[:120])
        o = json.loads(line)
        for k, t in (("timestamp", int), ("meta_name", str), ("entity_name", str),
                     ("version", str), ("keys", list), ("labels", list), ("metrics", list)):
            if not isinstance(o.get(k), t):
                problem("metadata %s is not %s: %s" % (k, t.__name__, line[:200]))
        if o.get("keys", [None])[0] != "machine_id" or o.get("labels", [None])[0] != "hostname":
            problem("metadata keys/labels do not start with machine_id/hostname")
    if n != int(n_defs):
        problem("metadata: want %s, got %d" % (n_defs, n))
    print("  gala metadata: %d checked" % n)


if __name__ == "__main__":
    globals()[sys.argv[1].replace("-", "_")](*sys.argv[2:])
    sys.exit(1 if problems else 0)
