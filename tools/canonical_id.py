#!/usr/bin/env python3
"""Reference implementation of Changeover's canonical form v1 (docs/canonical-form.md), standard library only.

  canonical_id.py '<canonical extended JSON>'      prints the canonical bytes (hex), the sha256 id and the uuid5 id
  canonical_id.py --check docs/canonical-form/vectors.json   checks every vector; exit 1 on a difference

Input values are MongoDB canonical extended JSON v2 ({"$numberInt": "5"}, {"$numberDouble": "5.0"}, ...), which
keeps every BSON type exact.
"""
import base64
import decimal
import hashlib
import json
import struct
import sys
import uuid

URL_NAMESPACE = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")


class Pairs(list):
    """A JSON object's (key, value) pairs in their order (json's object_pairs_hook), told apart from a JSON array."""


class Typed:
    """A BSON value that JSON has no type for: kind is the BSON type name, value its content."""

    def __init__(self, kind, value):
        self.kind, self.value = kind, value


def decode(node):
    """Canonical extended JSON (as parsed by json with object_pairs_hook=Pairs) to Python values and Typed."""
    if isinstance(node, Pairs):
        pairs = node
        keys = [k for k, _ in pairs]
        d = dict(pairs)
        if keys == ["$numberInt"] or keys == ["$numberLong"]:
            return Typed("number", decimal.Decimal(int(d[keys[0]])))
        if keys == ["$numberDouble"]:
            return Typed("double", float(d["$numberDouble"]))
        if keys == ["$numberDecimal"]:
            return Typed("number", decimal.Decimal(d["$numberDecimal"]))
        if keys == ["$oid"]:
            return Typed("objectId", bytes.fromhex(d["$oid"]))
        if keys == ["$date"]:
            return Typed("date", int(d["$date"][0][1]))
        if keys == ["$binary"]:
            b = dict(d["$binary"])
            return Typed("binary", (int(b["subType"], 16), base64.b64decode(b["base64"])))
        if keys == ["$timestamp"]:
            t = dict(d["$timestamp"])
            return Typed("timestamp", (t["t"], t["i"]))
        if keys == ["$regularExpression"]:
            r = dict(d["$regularExpression"])
            return Typed("regex", (r["pattern"], r["options"]))
        if keys == ["$symbol"]:
            return d["$symbol"]
        if keys == ["$code"]:
            return Typed("code", d["$code"])
        if sorted(keys) == ["$code", "$scope"]:
            return Typed("codeWithScope", (d["$code"], decode(d["$scope"])))
        if keys == ["$dbPointer"]:
            p = dict(d["$dbPointer"])
            return Typed("dbPointer", (p["$ref"], bytes.fromhex(dict(p["$id"])["$oid"])))
        if keys == ["$minKey"]:
            return Typed("minKey", None)
        if keys == ["$maxKey"]:
            return Typed("maxKey", None)
        if keys == ["$undefined"]:
            return Typed("undefined", None)
        return Typed("document", [(k, decode(v)) for k, v in pairs])
    if isinstance(node, list):
        return [decode(v) for v in node]
    if isinstance(node, bool) or node is None or isinstance(node, str):
        return node
    raise ValueError("not canonical extended JSON (plain JSON numbers are ambiguous): %r" % (node,))


def u32(n):
    return struct.pack(">I", n)


def blob(b):
    return u32(len(b)) + b


def text(s):
    return blob(s.encode("utf-8"))


def number_text(d):
    """0, or [-]<digits>e<exponent> with no leading or trailing zero in digits; value = digits * 10**exponent."""
    if d.is_nan():
        return "NaN"
    if d.is_infinite():
        return "-Inf" if d < 0 else "Inf"
    if d == 0:
        return "0"
    sign, digits, exponent = d.as_tuple()
    digits = list(digits)
    while digits[-1] == 0:
        digits.pop()
        exponent += 1
    while digits[0] == 0:
        digits.pop(0)
    return ("-" if sign else "") + "".join(map(str, digits)) + "e" + str(exponent)


def encode(v):
    if v is None:
        return b"n"
    if isinstance(v, bool):
        return b"B" + (b"\x01" if v else b"\x00")
    if isinstance(v, str):
        return b"s" + text(v)
    if isinstance(v, list):
        return b"a" + u32(len(v)) + b"".join(encode(x) for x in v)
    k, x = v.kind, v.value
    if k == "double":
        # decimal.Decimal(float) is the float's exact binary value
        return b"#" + text(number_text(decimal.Decimal(x)))
    if k == "number":
        return b"#" + text(number_text(x))
    if k == "document":
        entries = sorted((key.encode("utf-8"), val) for key, val in x)
        return b"o" + u32(len(entries)) + b"".join(blob(key) + encode(val) for key, val in entries)
    if k == "objectId":
        return b"i" + x
    if k == "date":
        return b"d" + struct.pack(">q", x)
    if k == "binary":
        return b"b" + bytes([x[0]]) + blob(x[1])
    if k == "timestamp":
        return b"t" + u32(x[0]) + u32(x[1])
    if k == "regex":
        return b"r" + text(x[0]) + text("".join(sorted(x[1])))
    if k == "code":
        return b"c" + text(x)
    if k == "codeWithScope":
        return b"w" + text(x[0]) + encode(x[1])
    if k == "dbPointer":
        return b"p" + text(x[0]) + x[1]
    return {"minKey": b"-", "maxKey": b"+", "undefined": b"u"}[k]


def sha256_id(canonical):
    return hashlib.sha256(canonical).hexdigest()


def uuid5_id(canonical, namespace=URL_NAMESPACE):
    digest = bytearray(hashlib.sha1(namespace.bytes + canonical).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    return str(uuid.UUID(bytes=bytes(digest)))


def parse(extended_json):
    return decode(json.loads(extended_json, object_pairs_hook=Pairs))


def check(path):
    with open(path, encoding="utf-8") as f:
        vectors = json.load(f, object_pairs_hook=Pairs)
    failures = 0
    count = 0
    for vector in dict(vectors)["vectors"]:
        vector = dict(vector)
        count += 1
        canonical = encode(decode(vector["input"]))
        got = {"canonical": canonical.hex(), "sha256": sha256_id(canonical), "uuid5": uuid5_id(canonical)}
        for field, value in got.items():
            if vector[field] != value:
                failures += 1
                print("%s: %s is %s, expected %s" % (vector["name"], field, value, vector[field]))
    print("%d vectors, %d differences" % (count, failures))
    return 1 if failures else 0


def main(argv):
    if len(argv) == 3 and argv[1] == "--check":
        return check(argv[2])
    if len(argv) == 2 and not argv[1].startswith("--"):
        canonical = encode(parse(argv[1]))
        print("canonical", canonical.hex())
        print("sha256   ", sha256_id(canonical))
        print("uuid5    ", uuid5_id(canonical))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
