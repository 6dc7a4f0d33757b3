#!/usr/bin/env python3
"""Writes the torchscript fuzz target's one weights file: every tensor of testdata/torchscript/*.safetensors under its
key (the first file's where two files share a key; they agree in dtype and shape), so that each dump of the seed
corpus finds its constants, and no `graph_sha256`, so that a mutated dump is not refused for its checksum.
The `inputs` metadata (one float32 input [1,3,64,64], what every fixture takes) stays; `outputs` goes.
Standard library only. Usage: torchscript_weights.py OUT.safetensors"""
import glob
import json
import os
import struct
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
header, chunks, offset = {}, [], 0
for path in sorted(glob.glob(os.path.join(root, "testdata", "torchscript", "*.safetensors"))):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    entries = json.loads(blob[8:8 + n])
    meta = entries.pop("__metadata__", {})
    header.setdefault("__metadata__", {k: v for k, v in meta.items() if k not in ("graph_sha256", "outputs")})
    for key, e in sorted(entries.items(), key=lambda kv: kv[1]["data_offsets"]):
        if key in header:
            continue
        begin, end = e["data_offsets"]
        chunks.append(blob[8 + n + begin:8 + n + end])
        header[key] = {"dtype": e["dtype"], "shape": e["shape"], "data_offsets": [offset, offset + end - begin]}
        offset += end - begin
header["__metadata__"]["inputs"] = json.dumps([{"name": "x", "shape": [1, 3, 64, 64], "dtype": "float32"}])
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * (-len(text) % 8)
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))
