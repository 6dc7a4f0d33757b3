"""Exports a torch module as a TorchScript graph dump for ovconvert: `STEM.ts.txt` + `STEM.safetensors`, with
`STEM.inputs.npz` / `STEM.outputs.npz` holding example inputs and torch's outputs for them (see
../shared/docs/torchscript-dump-facts.md §0 and §6 for the pairing convention).

* `STEM.ts.txt`: `str(graph)` of `torch.jit.freeze(torch.jit.trace(model.eval(), example_inputs))` (frozen), or the
  `inlined_graph` of the unfrozen trace, printed as torch prints it (scopes and `# file:line:col` comments), except
  that absolute paths in the comments are made relative to site-packages or to the repository
  (`# torch/nn/modules/conv.py:560:0`, `# Tools/make_torchscript_fixtures.py:40:0`).
* `STEM.safetensors`: `const/<debugName>` for every Tensor-typed `prim::Constant` (sub-blocks included), and for
  unfrozen dumps `attr/<dotted path>` for every parameter and buffer (the state_dict keys) and every other tensor
  a GetAttr chain of the graph reaches. `__metadata__` (strings only): `format` "pt", `torch` (torch.__version__),
  `graph` "frozen" | "inlined", `graph_sha256` (hex sha256 of the STEM.ts.txt bytes), `inputs` (JSON list of
  {"name", "shape", "dtype"}, the graph inputs after the module's `self`, in order; dtype a numpy name) and
  `outputs` (JSON list of {"name"}, the outputs flattened depth-first).
* Names: an input is named after its graph input's debugName without a trailing `.digits` (`x.1` -> `x`), an
  output `output0`, `output1`, ... unless `input_names` / `output_names` are given.

Needs torch and safetensors (the peers venv, Tools/setup-peers.sh). As a module: `export(model, (x,), stem)`.
As a CLI, for a module built by a factory function:

    Tools/.venv-peers/bin/python Tools/export_torchscript.py --module torchvision.models:resnet18 \\
        --shape 1,3,224,224 --out /tmp/resnet18 [--unfrozen] [--seed 0] [--input-names x] [--output-names y]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import re
import site
import sys
import sysconfig
import warnings
import zipfile
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # npz members carry this timestamp, so the files are byte-reproducible
SOURCE_COMMENT = re.compile(r"( # )(/[^\n]*?)(:\d+:\d+)$", re.MULTILINE)


def _path_prefixes() -> list[str]:
    """Absolute directories stripped from source comments, longest first: site-packages, the stdlib, the repo."""
    dirs = {*site.getsitepackages(), site.getusersitepackages(), sysconfig.get_paths()["purelib"],
            sysconfig.get_paths()["stdlib"], str(Path(torch.__file__).resolve().parent.parent), str(ROOT)}
    return sorted({d.rstrip("/") + "/" for d in dirs if d}, key=len, reverse=True)


def relative_source_paths(text: str) -> str:
    """The dump with each `# /abs/path:line:col` comment's path made relative to the first prefix it starts with."""
    prefixes = _path_prefixes()

    def shorten(m: re.Match) -> str:
        path = m.group(2)
        for prefix in prefixes:
            if path.startswith(prefix):
                path = path[len(prefix):]
                break
        return m.group(1) + path + m.group(3)

    return SOURCE_COMMENT.sub(shorten, text)


def default_input_name(debug_name: str) -> str:
    """A graph input's debugName without the trailing `.digits` torch adds on name clashes (`x.1` -> `x`)."""
    return re.sub(r"\.\d+$", "", debug_name)


def flatten_outputs(value) -> list[torch.Tensor]:
    """The tensors of a (nested) tuple/list output, depth-first."""
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, (tuple, list)):
        return [t for v in value for t in flatten_outputs(v)]
    raise TypeError(f"unsupported output type {type(value).__name__} (tensors, tuples and lists only)")


def numpy_dtype_name(dtype: torch.dtype) -> str:
    """The numpy name of a torch dtype ("float32", "int64", "bool", ...; torch's own name where numpy has none)."""
    try:
        return str(torch.empty((), dtype=dtype).numpy().dtype)
    except TypeError:
        return str(dtype).removeprefix("torch.")


def _tensor(value: torch.Tensor) -> torch.Tensor:
    return value.detach().contiguous().clone()


def constant_tensors(graph: torch.Graph) -> dict[str, torch.Tensor]:
    """`const/<debugName>` for every Tensor-typed prim::Constant of graph, nested blocks included."""
    out = {}
    for node in graph.findAllNodes("prim::Constant", True):
        value = node.output()
        if isinstance(value.type(), torch.TensorType):
            # node.t: toIValue would turn a wrapped Python number ({0.5}, a 0-dim double) into a float
            tensor = node.t("value") if node.kindOf("value") == "t" else value.toIValue()
            out["const/" + value.debugName()] = _tensor(tensor)
    return out


def getattr_path(node: torch.Node, self_value: torch.Value) -> list[str] | None:
    """The attribute names from the graph's module input to a prim::GetAttr node (None if the chain starts
    elsewhere)."""
    names = []
    while node.kind() == "prim::GetAttr":
        names.append(node.s("name"))
        source = node.input()
        if source == self_value:
            return names[::-1]
        node = source.node()
    return None


def attribute_tensors(module: torch.jit.ScriptModule, graph: torch.Graph) -> dict[str, torch.Tensor]:
    """`attr/<dotted path>` for every parameter and buffer of module (its state_dict keys, plus non-persistent
    buffers) and every other tensor a GetAttr chain of graph reaches from the module input."""
    out = {"attr/" + k: _tensor(v) for k, v in module.state_dict().items()}
    for k, v in module.named_buffers():
        out.setdefault("attr/" + k, _tensor(v))
    self_value = next(graph.inputs())
    for node in graph.findAllNodes("prim::GetAttr", True):
        if not isinstance(node.output().type(), torch.TensorType):
            continue
        path = getattr_path(node, self_value)
        if path is None or "attr/" + ".".join(path) in out:
            continue
        obj = module
        for name in path:
            obj = getattr(obj, name)
        if isinstance(obj, torch.Tensor):
            out["attr/" + ".".join(path)] = _tensor(obj)
    return out


def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """np.savez's layout (stored, zip64 members `<key>.npy`) with a fixed timestamp: equal arrays, equal bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for key, array in arrays.items():
            info = zipfile.ZipInfo(key + ".npy", date_time=FIXED_ZIP_TIME)
            info.external_attr = 0o644 << 16
            with zf.open(info, "w", force_zip64=True) as f:
                np.lib.format.write_array(f, np.asanyarray(array), allow_pickle=False)


def safetensors_bytes(tensors: dict[str, torch.Tensor], metadata: dict[str, str]) -> bytes:
    """safetensors.torch.save's file with `__metadata__` in metadata's key order (the library writes it from a hash
    map, in an order that changes from run to run), so equal inputs give equal bytes."""
    import struct

    from safetensors.torch import save

    data = save(tensors, metadata=metadata)
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    if header.pop("__metadata__") != metadata:
        raise RuntimeError("safetensors changed the metadata")
    text = json.dumps({"__metadata__": metadata, **header}, separators=(",", ":"), ensure_ascii=False).encode()
    text += b" " * (-(8 + len(text)) % 8)  # the tensor data starts 8-aligned, as the library aligns it
    return struct.pack("<Q", len(text)) + text + data[8 + n:]


def export(model: torch.nn.Module, example_inputs: tuple, stem: Path, frozen: bool = True,
           input_names: list[str] | None = None, output_names: list[str] | None = None,
           check_trace: bool = True) -> dict:
    """Writes STEM.ts.txt, STEM.safetensors, STEM.inputs.npz and STEM.outputs.npz (see the module docstring) and
    returns a summary: paths, sizes, input and output names and shapes, the node-kind histogram. The traced module's
    outputs must match the eager model's. check_trace=False skips torch.jit.trace's re-trace check, for models that
    cache state on their first run (Ultralytics' Detect keeps its anchors; Ultralytics traces that way too)."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    example_inputs = tuple(example_inputs)
    if not all(isinstance(x, torch.Tensor) for x in example_inputs):
        raise TypeError("example_inputs must be a tuple of tensors")
    model = model.eval()
    with torch.no_grad(), warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=FutureWarning, message=r".*torch\.jit\..* is deprecated")
        traced = torch.jit.trace(model, example_inputs, check_trace=check_trace)
        if frozen:
            module = torch.jit.freeze(traced)
            graph = module.graph
        else:
            module = traced
            graph = traced.inlined_graph  # a fresh copy on each access: take it once
        outputs = flatten_outputs(module(*example_inputs))
        eager = flatten_outputs(model(*example_inputs))

    for i, (a, b) in enumerate(zip(outputs, eager, strict=True)):
        if a.shape != b.shape or not torch.allclose(a, b, rtol=1e-4, atol=1e-5):
            raise RuntimeError(f"{stem.name}: output {i} of the traced module differs from the eager model's")

    text = relative_source_paths(str(graph))
    data = text.encode("utf-8")

    graph_inputs = list(graph.inputs())[1:]  # input 0 is the module (`%self`)
    if len(graph_inputs) != len(example_inputs):
        raise RuntimeError(f"{stem.name}: the graph has {len(graph_inputs)} inputs besides self, "
                           f"{len(example_inputs)} example inputs were given")
    input_names = list(input_names or [default_input_name(v.debugName()) for v in graph_inputs])
    output_names = list(output_names or [f"output{i}" for i in range(len(outputs))])
    for kind, names, count in (("input", input_names, len(example_inputs)), ("output", output_names, len(outputs))):
        if len(names) != count or len(set(names)) != count:
            raise ValueError(f"{stem.name}: {count} distinct {kind} names needed, got {names}")

    tensors = constant_tensors(graph)
    if not frozen:
        tensors.update(attribute_tensors(traced, graph))
    metadata = {
        "format": "pt",
        "torch": str(torch.__version__),
        "graph": "frozen" if frozen else "inlined",
        "graph_sha256": hashlib.sha256(data).hexdigest(),
        "inputs": json.dumps([{"name": n, "shape": list(x.shape), "dtype": numpy_dtype_name(x.dtype)}
                              for n, x in zip(input_names, example_inputs)], separators=(",", ":")),
        "outputs": json.dumps([{"name": n} for n in output_names], separators=(",", ":")),
    }

    paths = {"dump": stem.with_name(stem.name + ".ts.txt"), "weights": stem.with_name(stem.name + ".safetensors"),
             "inputs": stem.with_name(stem.name + ".inputs.npz"), "outputs": stem.with_name(stem.name + ".outputs.npz")}
    paths["dump"].write_bytes(data)
    paths["weights"].write_bytes(safetensors_bytes(tensors, metadata))
    save_npz(paths["inputs"], {n: x.detach().cpu().numpy() for n, x in zip(input_names, example_inputs)})
    save_npz(paths["outputs"], {n: y.detach().cpu().numpy() for n, y in zip(output_names, outputs)})

    kinds: dict[str, int] = {}
    for node in _all_nodes(graph):
        kinds[node.kind()] = kinds.get(node.kind(), 0) + 1
    return {
        "paths": paths,
        "sizes": {k: p.stat().st_size for k, p in paths.items()},
        "inputs": {n: list(x.shape) for n, x in zip(input_names, example_inputs)},
        "outputs": {n: list(y.shape) for n, y in zip(output_names, outputs)},
        "tensors": len(tensors),
        "kinds": dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        "metadata": metadata,
    }


def _all_nodes(graph: torch.Graph):
    """Every node of graph, nested blocks included, in print order."""
    def walk(nodes):
        for node in nodes:
            yield node
            for block in node.blocks():
                yield from walk(block.nodes())
    yield from walk(graph.nodes())


def describe(name: str, summary: dict) -> str:
    """One line per export: name, file sizes, inputs and outputs."""
    sizes = ", ".join(f"{p.name} {summary['sizes'][k] / 1024:.1f} KB" for k, p in summary["paths"].items())
    shapes = lambda d: ", ".join(f"{n} {s}" for n, s in d.items())  # noqa: E731
    return (f"{name}: {sizes}; {summary['tensors']} tensors; in {shapes(summary['inputs'])}; "
            f"out {shapes(summary['outputs'])}")


def _factory(spec: str):
    """`pkg.mod:factory` (attributes may be dotted) -> the callable."""
    module_name, _, attr = spec.partition(":")
    if not attr:
        raise SystemExit(f"error: --module wants pkg.mod:factory, got {spec!r}")
    obj = importlib.import_module(module_name)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--module", required=True, metavar="PKG.MOD:FACTORY",
                    help="a callable returning the nn.Module (called without arguments; the cwd is importable)")
    ap.add_argument("--shape", action="append", required=True, metavar="D,D,...",
                    help="shape of an example input (repeat for several inputs); values uniform in [0, 1)")
    ap.add_argument("--dtype", default="float32", help="dtype of the example inputs (default float32)")
    ap.add_argument("--out", required=True, type=Path, metavar="STEM", help="writes STEM.ts.txt, STEM.safetensors, ...")
    ap.add_argument("--unfrozen", action="store_true", help="dump the inlined graph of the unfrozen trace")
    ap.add_argument("--seed", type=int, default=0, help="seed of the weights (set before the factory runs) and inputs")
    ap.add_argument("--input-names", help="comma-separated input names (default: from the graph)")
    ap.add_argument("--output-names", help="comma-separated output names (default: output0, output1, ...)")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(Path.cwd()))
    torch.manual_seed(args.seed)
    model = _factory(args.module)()
    generator = torch.Generator().manual_seed(args.seed)
    dtype = getattr(torch, args.dtype)
    inputs = tuple(torch.rand([int(d) for d in s.split(",")], generator=generator).to(dtype) for s in args.shape)
    summary = export(model, inputs, args.out, frozen=not args.unfrozen,
                     input_names=args.input_names.split(",") if args.input_names else None,
                     output_names=args.output_names.split(",") if args.output_names else None)
    print(describe(args.out.name, summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
