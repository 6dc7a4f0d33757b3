"""Checks ovconvert's IR against the real OpenVINO runtime: sample models (vs onnxruntime) and the ONNX node test suite."""

from __future__ import annotations

import argparse
import ast
import collections
import concurrent.futures
import json
import os
import queue
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import ml_dtypes
import numpy as np
import onnx
from onnx import numpy_helper

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import expectations  # noqa: E402  (Tools/ is not a package)
import machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(__file__).resolve().parent / ".cache"
NODE_CACHE = CACHE / "node"
NODE_CACHE_FORMAT = "1"  # bump when the cache layout changes
FAILED = ("fail", "convert-error", "crash", "timeout")

# OpenVINO element types that numpy only knows through ml_dtypes, with their bit width.
ML_TYPES = {
    "bf16": (ml_dtypes.bfloat16, 16),
    "f8e4m3": (ml_dtypes.float8_e4m3fn, 8),
    "f8e5m2": (ml_dtypes.float8_e5m2, 8),
    "f8e8m0": (ml_dtypes.float8_e8m0fnu, 8),
    "f4e2m1": (ml_dtypes.float4_e2m1fn, 4),
    "i4": (ml_dtypes.int4, 4),
    "u4": (ml_dtypes.uint4, 4),
    "u2": (ml_dtypes.uint2, 2),
}
OV_BOILERPLATE = re.compile(r"^(Exception from \S+:\d+:|Check '.*' failed at \S+:\d+:|FrontEnd API failed with \w+:"
                            r"|Model wasn't fully converted\..*|Summary:)$")
ML_INTEGERS = {np.dtype(ml_dtypes.int4), np.dtype(ml_dtypes.uint4), np.dtype(ml_dtypes.uint2), np.dtype(ml_dtypes.int2)}


# ---------------------------------------------------------------------------------------------
# Small helpers


def error_summary(text: str) -> str:
    """The first non-empty line of an error text, plus the next one when the first ends with a colon."""
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
    summary = " ".join(lines[:2]) if len(lines) > 1 and lines[0].endswith(":") else (lines or [""])[0]
    return summary[:300]


def openvino_message(error: Exception) -> str:
    """An OpenVINO exception's informative lines joined by " | " (drops its boilerplate header lines)."""
    lines = [ln.strip() for ln in str(error).splitlines() if ln.strip()]
    useful = [ln for ln in lines if not OV_BOILERPLATE.match(ln)]
    return " | ".join(useful or lines[-1:] or ["(no message)"])[:300]


def signal_name(returncode: int) -> str:
    """Describes a negative subprocess return code as its signal name."""
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


def resolve_ovconvert(arg: str | None) -> Path:
    """--ovconvert, else $OVCONVERT (both relative to the cwd), else the repo's .build/debug/ovconvert."""
    given = arg or os.environ.get("OVCONVERT")
    return Path(given).absolute() if given else ROOT / ".build" / "debug" / "ovconvert"


def select_names(names: list[str], pattern: str | None) -> list[str]:
    """All names, those equal to pattern if any, else those containing it; exits when nothing is selected."""
    if not pattern:
        selected = names
    else:
        selected = [n for n in names if n == pattern] or [n for n in names if pattern in n]
    if not selected:
        sys.exit(f"error: no model or case matches {pattern!r}" if pattern else "error: nothing to verify")
    return selected


def real_inputs(graph: onnx.GraphProto) -> list[onnx.ValueInfoProto]:
    """Graph inputs that are not initializers (IR < 4 lists initializers as inputs too)."""
    inits = {i.name for i in graph.initializer}
    return [i for i in graph.input if i.name not in inits]


# ---------------------------------------------------------------------------------------------
# Conversion and OpenVINO inference (run inside worker processes)


class StageError(Exception):
    """A failure at one stage of a check, carrying the status to report."""

    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def convert(engine: str, ovconvert: str, model: Path, outdir: Path, timeout: float, extra_args: list[str]) -> Path:
    """Converts model with the engine (ovconvert with extra_args) and returns the file OpenVINO should read."""
    if engine == "openvino-onnx":
        return model
    # ovconvert names the files after the model without its extension, `.ts.txt` of a TorchScript dump counting as one.
    stem = model.name[: -len(".ts.txt")] if model.name.endswith(".ts.txt") else model.stem
    xml = outdir / f"{stem}.xml"
    if engine == "reference":
        import openvino as ov

        outdir.mkdir(parents=True, exist_ok=True)
        try:
            ov.save_model(ov.convert_model(str(model)), str(xml), compress_to_fp16=False)
        except Exception as e:  # noqa: BLE001 - any converter error is a result
            raise StageError("convert-error", openvino_message(e)) from e
        return xml
    cmd = [ovconvert, str(model), "-o", str(outdir), "--force", "-q", *extra_args]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise StageError("convert-error", f"ovconvert timed out after {timeout:g} s") from e
    message = error_summary(proc.stderr.replace(str(model), model.name))
    if proc.returncode < 0:
        raise StageError("convert-error", f"ovconvert crashed ({signal_name(proc.returncode)}): {message}")
    if proc.returncode != 0:
        raise StageError("convert-error", message or f"ovconvert exited with {proc.returncode}")
    if not xml.exists():
        raise StageError("convert-error", f"ovconvert exited 0 but wrote no {xml.name}")
    return xml


def pack_bits(values: np.ndarray, bits: int) -> np.ndarray:
    """Packs sub-byte values (stored one per byte) LSB-first into bytes."""
    per_byte = 8 // bits
    v = values.reshape(-1).view(np.uint8) & ((1 << bits) - 1)
    v = np.pad(v, (0, -len(v) % per_byte)).reshape(-1, per_byte)
    return (v << (np.arange(per_byte, dtype=np.uint8) * bits)).sum(1, dtype=np.uint8)


def unpack_bits(raw: np.ndarray, bits: int, count: int) -> np.ndarray:
    """Unpacks LSB-first packed bytes into one byte per value."""
    per_byte = 8 // bits
    shifts = np.arange(per_byte, dtype=np.uint8) * bits
    return ((raw[:, None] >> shifts) & ((1 << bits) - 1)).reshape(-1)[:count].astype(np.uint8)


def to_ov_tensor(value: np.ndarray):
    """Wraps a numpy value (any ONNX tensor dtype, ml_dtypes included) in an openvino.Tensor."""
    import openvino as ov

    if value.dtype == object or value.dtype.kind in "SU":
        return ov.Tensor(value.astype(str))
    ov_name = next((k for k, (dt, _) in ML_TYPES.items() if np.dtype(dt) == value.dtype), None)
    if ov_name is None:
        return ov.Tensor(np.require(value, requirements="C"))
    bits = ML_TYPES[ov_name][1]
    tensor = ov.Tensor(getattr(ov.Type, ov_name), list(value.shape))
    raw = pack_bits(value, bits) if bits < 8 else np.require(value, requirements="C").reshape(-1).view(np.uint8)
    tensor.data.reshape(-1).view(np.uint8)[:] = raw
    return tensor


def from_ov_tensor(tensor) -> np.ndarray:
    """Copies an openvino.Tensor into numpy (ml_dtypes for bf16/f8/f4/i4/u4/u2, object for strings)."""
    name = tensor.element_type.get_type_name()
    shape = tuple(tensor.shape)
    if name == "string":
        return np.array(tensor.str_data, dtype=object).reshape(shape)
    if name not in ML_TYPES:
        return np.array(tensor.data, copy=True).reshape(shape)
    dtype, bits = ML_TYPES[name]
    raw = np.frombuffer(tensor.data.tobytes(), np.uint8)
    count = int(np.prod(shape, dtype=np.int64))
    values = unpack_bits(raw, bits, count) if bits < 8 else raw
    return values.view(dtype).reshape(shape)


def bind_inputs(compiled, feeds: dict[str, np.ndarray]) -> list[tuple[object, np.ndarray]]:
    """Pairs each ONNX input with the IR input of that name, else the one at its position (when the counts
    match); an ONNX input the IR doesn't have is left out (the IR can't depend on it)."""
    ports = list(compiled.inputs)
    by_name = {name: port for port in ports for name in port.get_names()}
    positional = len(ports) == len(feeds)
    bound = []
    for i, (name, value) in enumerate(feeds.items()):
        port = by_name.get(name, ports[i] if positional else None)
        if port is not None:
            bound.append((port, value))
    return bound


def port_dims_differences(model, xml: Path) -> tuple[list[str], list[str]]:
    """Where the output port dims written in the XML differ from OpenVINO's own shape inference on reading
    it (the serializer's convention: -1 for a dim that is not static, no dims for a dynamic rank), split into
    contradictions (another static value, rank, or a static dim OpenVINO cannot confirm) and imprecisions
    (-1 where OpenVINO, folding shape subgraphs as it reads, knows the value)."""
    import xml.etree.ElementTree as ET

    written = {}
    for layer in ET.parse(xml).getroot().find("layers"):
        ports = layer.find("output")
        written[layer.get("name")] = [] if ports is None else [
            [int(d.text) for d in port.findall("dim")] for port in ports.findall("port")]
    contradictions, imprecisions = [], []
    for op in model.get_ordered_ops():
        ours = written.get(op.get_friendly_name())
        if ours is None:
            continue
        for i in range(min(op.get_output_size(), len(ours))):
            shape = op.get_output_partial_shape(i)
            theirs = [] if shape.rank.is_dynamic else [d.get_length() if d.is_static else -1 for d in shape]
            if ours[i] == theirs:
                continue
            text = f"{op.get_type_name()} '{op.get_friendly_name()}' output {i}: XML {ours[i]}, OpenVINO infers {theirs}"
            less_precise = len(ours[i]) == len(theirs) and all(a == b or a == -1 for a, b in zip(ours[i], theirs))
            (imprecisions if less_precise else contradictions).append(text)
    return contradictions, imprecisions


def run_openvino(core, model_file: Path, feeds: dict[str, np.ndarray], output_names: list[str],
                 threads: int) -> tuple[list[np.ndarray], str | None]:
    """Reads, compiles (CPU, f32) and runs a model; checks output names and order, and that the XML's port
    dims agree with what OpenVINO infers. Returns the outputs and the first port dim the XML leaves -1
    where OpenVINO knows it, if any."""
    stage = "read_model"
    try:
        model = core.read_model(str(model_file))
        imprecise = None
        if model_file.suffix == ".xml":
            contradictions, imprecisions = port_dims_differences(model, model_file)
            if contradictions:
                more = f" (and {len(contradictions) - 1} more)" if len(contradictions) > 1 else ""
                raise StageError("fail", f"port dims: {contradictions[0]}{more}")
            imprecise = imprecisions[0] if imprecisions else None
        stage = "compile"
        config = {**machine.NUMERIC_CONFIG, "INFERENCE_NUM_THREADS": threads, "NUM_STREAMS": 1}
        compiled = core.compile_model(model, "CPU", config)
        stage = "infer"
        request = compiled.create_infer_request()
        for port, value in bind_inputs(compiled, feeds):
            request.set_tensor(port, to_ov_tensor(value))
        request.infer()
    except StageError:
        raise
    except Exception as e:  # noqa: BLE001 - any OpenVINO error is a result
        raise StageError("fail", f"{stage}: {openvino_message(e)}") from e
    outputs = compiled.outputs
    if len(outputs) != len(output_names):
        raise StageError("fail", f"IR has {len(outputs)} outputs, expected {len(output_names)}")
    for i, (port, name) in enumerate(zip(outputs, output_names)):
        if name not in port.get_names():
            raise StageError("fail", f"output {i} is named {sorted(port.get_names())}, expected {name!r}")
    return [from_ov_tensor(request.get_tensor(port)) for port in outputs], imprecise


def run_evaluator(ovconvert: str, model: Path, feeds: dict[str, np.ndarray], output_names: list[str], tmp: Path,
                  timeout: float) -> list[np.ndarray]:
    """Evaluates the model with `ovconvert run` (the reference evaluator) on feeds passed through an .npz."""
    inputs, outputs = tmp / "inputs.npz", tmp / "outputs.npz"
    np.savez(inputs, **feeds)
    cmd = [ovconvert, "run", str(model), "--inputs", str(inputs), "-o", str(outputs), "-q"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise StageError("fail", f"ovconvert run timed out after {timeout:g} s") from e
    message = error_summary(proc.stderr.replace(str(model), model.name).replace(str(tmp) + "/", ""))
    if proc.returncode < 0:
        raise StageError("crash", f"ovconvert run crashed ({signal_name(proc.returncode)}): {message}")
    if proc.returncode in (3, 4, 5):  # the model did not translate: as a conversion error of the other engine
        raise StageError("convert-error", message)
    if proc.returncode != 0:
        raise StageError("fail", message or f"ovconvert run exited with {proc.returncode}")
    with np.load(outputs) as archive:
        missing = [n for n in output_names if n not in archive]
        if missing:
            raise StageError("fail", f"outputs.npz lacks {missing}, holds {sorted(archive.keys())}")
        return [archive[n] for n in output_names]


# ---------------------------------------------------------------------------------------------
# Comparison


def compare_one(i: int, expected: np.ndarray, actual: np.ndarray, rtol: float, atol: float
                ) -> tuple[str | None, float, float]:
    """Compares one output; returns (failure reason or None, max abs err, max rel err)."""
    if tuple(actual.shape) != tuple(expected.shape):
        return f"output {i} has shape {list(actual.shape)}, expected {list(expected.shape)}", np.inf, np.inf
    if expected.dtype == object:
        bad = int(np.sum(actual.astype(str) != expected.astype(str)))
        return (f"output {i}: {bad} of {expected.size} strings differ" if bad else None), 0.0, 0.0
    ml_names = {np.dtype(dt) for dt, _ in ML_TYPES.values()}
    if expected.dtype in ml_names and actual.dtype in (np.float32, np.int8, np.uint8):
        actual = actual.astype(expected.dtype)  # `ovconvert run` widens types numpy lacks (exactly) for .npz
    if actual.dtype != expected.dtype:
        return f"output {i} has dtype {actual.dtype}, expected {expected.dtype}", np.inf, np.inf
    if expected.dtype.kind in "biu" or expected.dtype in ML_INTEGERS:
        diff = actual.astype(np.int64) != expected.astype(np.int64)
        err = float(np.abs(actual.astype(np.float64) - expected.astype(np.float64)).max(initial=0))
        bad = int(diff.sum())
        return (f"output {i}: {bad} of {expected.size} values differ (max abs err {err:.3g})" if bad else None), err, 0.0
    if expected.dtype == np.dtype(ml_dtypes.bfloat16):
        rtol = max(rtol, 2**-6)  # two bfloat16 ULPs, as the ONNX backend test runner
    a, e = actual.astype(np.float64), expected.astype(np.float64)
    ok = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
    finite = np.isfinite(a) & np.isfinite(e)
    abs_err = np.abs(a - e)[finite]
    rel_err = abs_err / np.maximum(np.abs(e[finite]), np.finfo(np.float64).tiny)
    max_abs = float(abs_err.max(initial=0))
    max_rel = float(rel_err.max(initial=0))
    bad = int((~ok).sum())
    if bad:
        return (f"output {i}: {bad} of {expected.size} values differ "
                f"(max abs err {max_abs:.3g}, max rel err {max_rel:.3g})"), max_abs, max_rel
    return None, max_abs, max_rel


def compare(expected: list[np.ndarray], actual: list[np.ndarray], rtol: float, atol: float,
            imprecise: str | None = None) -> dict:
    """Compares every output in order and returns a result dict (carrying the port-dims note, if any)."""
    max_abs = max_rel = 0.0
    for i, (e, a) in enumerate(zip(expected, actual)):
        reason, err_abs, err_rel = compare_one(i, e, a, rtol, atol)
        if reason:
            return {"status": "fail", "reason": reason}
        max_abs, max_rel = max(max_abs, err_abs), max(max_rel, err_rel)
    return {"status": "pass", "reason": "", "max_abs": max_abs, "max_rel": max_rel, "imprecise": imprecise}


# ---------------------------------------------------------------------------------------------
# Inputs and expected outputs


def non_tensor_reason(model: onnx.ModelProto) -> str | None:
    """Why OpenVINO's Python API can't run the model (a non-tensor graph input/output), or None."""
    for kind, values in (("input", real_inputs(model.graph)), ("output", model.graph.output)):
        for v in values:
            which = v.type.WhichOneof("value")
            if which != "tensor_type":
                verb = "feed" if kind == "input" else "return"
                return f"{which.replace('_type', '')}-typed {kind} {v.name!r} (the OpenVINO Python API cannot {verb} it)"
    return None


def with_dynamic_inputs(model: onnx.ModelProto) -> onnx.ModelProto:
    """The model with every dim of its first graph input (the data, as a deployed model's image or token
    input; the other inputs of node cases are mostly weights, axes or shapes, static in real models) made
    symbolic, rank kept, and the shapes of graph outputs and value_info cleared, so the converter must infer
    every shape downstream from unknown dims."""
    model = onnx.ModelProto.FromString(model.SerializeToString())
    for i, value in enumerate(real_inputs(model.graph)[:1]):
        if value.type.HasField("tensor_type") and value.type.tensor_type.HasField("shape"):
            for j, dim in enumerate(value.type.tensor_type.shape.dim):
                dim.Clear()
                dim.dim_param = f"in{i}_d{j}"
    for value in model.graph.output:
        if value.type.HasField("tensor_type"):
            value.type.tensor_type.ClearField("shape")
    del model.graph.value_info[:]
    return model


def load_data_set(folder: Path, count: int, prefix: str) -> list[np.ndarray]:
    """Loads <prefix>_<i>.pb tensors of an ONNX test_data_set folder."""
    return [numpy_helper.to_array(onnx.load_tensor(str(folder / f"{prefix}_{i}.pb"))) for i in range(count)]


def resolve_shape(value: onnx.ValueInfoProto, imgsz: list[int] | None) -> list[int]:
    """Static dims as they are; symbolic ones 1, except H and W of a 4-D input when imgsz metadata is known."""
    dims = value.type.tensor_type.shape.dim
    shape = [d.dim_value if d.HasField("dim_value") else 1 for d in dims]
    if imgsz and len(dims) == 4:
        for axis, size in zip((2, 3), imgsz):
            if not dims[axis].HasField("dim_value"):
                shape[axis] = size
    return shape


def random_inputs(model: onnx.ModelProto, shapes: dict[str, list[int]] | None = None) -> dict[str, np.ndarray]:
    """Seeded random inputs: floats in [0,1), small non-negative ints, random bools; `shapes` overrides
    the shape of the inputs it names."""
    rng = np.random.default_rng(0)
    meta = {p.key: p.value for p in model.metadata_props}
    imgsz = ast.literal_eval(meta["imgsz"]) if "imgsz" in meta else None
    feeds = {}
    for value in real_inputs(model.graph):
        dtype = onnx.helper.tensor_dtype_to_np_dtype(value.type.tensor_type.elem_type)
        shape = (shapes or {}).get(value.name) or resolve_shape(value, imgsz)
        if dtype.kind == "f":
            feeds[value.name] = rng.random(shape, dtype=np.float32).astype(dtype)
        elif dtype.kind == "b":
            feeds[value.name] = rng.random(shape) < 0.5
        else:
            feeds[value.name] = rng.integers(0, 4, shape).astype(dtype)
    return feeds


def model_inputs(model_path: Path, model: onnx.ModelProto) -> dict[str, np.ndarray]:
    """The shipped test_data_set_0 inputs beside the model if present, else seeded random inputs."""
    inputs = real_inputs(model.graph)
    folder = model_path.parent / "test_data_set_0"
    if (folder / "input_0.pb").exists():
        return dict(zip([v.name for v in inputs], load_data_set(folder, len(inputs), "input")))
    return random_inputs(model)


def onnxruntime_outputs(model_path: Path, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
    """Runs the source model with onnxruntime on CPU."""
    import onnxruntime as ort

    try:
        options = ort.SessionOptions()
        options.log_severity_level = 3  # errors only
        session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        return session.run(None, feeds)
    except Exception as e:  # noqa: BLE001
        raise StageError("fail", f"onnxruntime: {error_summary(e)}") from e


# ---------------------------------------------------------------------------------------------
# Worker process: one request (a JSON line) in, one result (a JSON line) out


class Checker:
    """Runs checks inside a worker process, holding one OpenVINO Core."""

    def __init__(self, threads: int):
        import openvino as ov

        self.core = ov.Core()
        self.threads = threads

    def check(self, req: dict) -> dict:
        """Checks one node case or model and returns a result dict."""
        try:
            return self.check_node(req) if req["kind"] == "node" else self.check_model(req)
        except StageError as e:
            return {"status": e.status, "reason": e.reason}

    def convert_and_run(self, req: dict, model_path: Path, feeds: dict, output_names: list[str]
                        ) -> tuple[list[np.ndarray], str | None]:
        """Converts with the requested engine into a temp dir, then runs with OpenVINO (or, for the
        evaluator engine, evaluates the model with `ovconvert run`); returns the outputs and a port-dims note."""
        with tempfile.TemporaryDirectory(prefix="ovverify-") as tmp:
            if req["engine"] == "evaluator":
                return run_evaluator(req["ovconvert"], model_path, feeds, output_names, Path(tmp), req["timeout"]), None
            # Whole models are converted with --verify on the inputs OpenVINO is fed: the written IR must also
            # match the source graph through ovconvert's own evaluator.
            # With --half the evaluator's comparison with the f32 source is no longer exact: on models with huge
            # activations (light_squeezenet's logits reach 1e10) f16 weight rounding changes its softmax, while
            # OpenVINO and onnxruntime agree; here OpenVINO vs onnxruntime within 1e-2 is the check.
            extra = []
            if req.get("half"):
                extra = ["--half"]
            elif req["kind"] == "model":
                np.savez(Path(tmp) / "feeds.npz", **feeds)
                extra = ["--verify-inputs", str(Path(tmp) / "feeds.npz")]
            target = convert(req["engine"], req["ovconvert"], model_path, Path(tmp) / "ir", req["timeout"], extra)
            return run_openvino(self.core, target, feeds, output_names, self.threads)

    def check_node(self, req: dict) -> dict:
        """An ONNX backend node case: cached model + test_data_set_0 vs expected outputs."""
        folder = Path(req["path"])
        model = onnx.load(str(folder / "model.onnx"))
        reason = non_tensor_reason(model)
        if reason:
            return {"status": "skip", "reason": reason}
        inputs = real_inputs(model.graph)
        data = folder / "test_data_set_0"
        feeds = dict(zip([v.name for v in inputs], load_data_set(data, len(inputs), "input")))
        names = [o.name for o in model.graph.output]
        expected = load_data_set(data, len(names), "output")
        if not req.get("dynamic"):
            actual, imprecise = self.convert_and_run(req, folder / "model.onnx", feeds, names)
            return compare(expected, actual, req["rtol"], req["atol"], imprecise)
        with tempfile.TemporaryDirectory(prefix="ovverify-dyn-") as tmp:
            path = Path(tmp) / "model.onnx"
            path.write_bytes(with_dynamic_inputs(model).SerializeToString())
            actual, imprecise = self.convert_and_run(req, path, feeds, names)
        return compare(expected, actual, req["rtol"], req["atol"], imprecise)

    def check_model(self, req: dict) -> dict:
        """A whole model: OpenVINO on the converted IR vs onnxruntime on the source."""
        path = Path(req["path"])
        model = onnx.load(str(path), load_external_data=False)
        feeds = random_inputs(model, req["shapes"]) if req.get("shapes") else model_inputs(path, model)
        expected = onnxruntime_outputs(path, feeds)
        actual, imprecise = self.convert_and_run(req, path, feeds, [o.name for o in model.graph.output])
        return compare(expected, actual, req["rtol"], req["atol"], imprecise)


def worker_main(threads: int) -> None:
    """Serves check requests from stdin; library noise on fd 1 is diverted to stderr."""
    channel = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    warnings.simplefilter("ignore")
    checker = Checker(threads)
    for line in sys.stdin:
        req = json.loads(line)
        try:
            result = checker.check(req)
        except Exception as e:  # noqa: BLE001 - a harness bug must not stop the run
            result = {"status": "fail", "reason": f"harness error: {type(e).__name__}: {error_summary(e)}"}
        channel.write(json.dumps(result) + "\n")


# ---------------------------------------------------------------------------------------------
# Worker pool (main process)


class Worker:
    """A worker subprocess, restarted after a crash or a timeout."""

    def __init__(self, index: int, threads: int):
        self.index, self.threads = index, threads
        self.proc: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        """Starts (or restarts) the subprocess, its stderr appended to .cache/worker-<i>.log."""
        CACHE.mkdir(parents=True, exist_ok=True)
        with open(CACHE / f"worker-{self.index}.log", "a") as log:
            self.proc = subprocess.Popen([sys.executable, __file__, "_worker", str(self.threads)],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)

    def kill(self) -> int:
        """Kills the subprocess and returns its exit code."""
        self.proc.kill()
        return self.proc.wait()

    def ask(self, req: dict, timeout: float) -> dict:
        """Sends one request and waits for its result; reports crash/timeout and restarts the worker."""
        try:
            self.proc.stdin.write(json.dumps(req) + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass  # the worker already died; readline below sees EOF
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            self.kill()
            self.start()
            return {"status": "timeout", "reason": f"no result within {timeout:g} s"}
        line = self.proc.stdout.readline()
        if not line.endswith("\n"):
            try:
                code = self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                code = self.kill()
            self.start()
            how = signal_name(code) if code < 0 else f"exit code {code}"
            return {"status": "crash", "reason": f"worker died ({how})"}
        return json.loads(line)

    def close(self) -> None:
        """Ends the subprocess by closing its stdin."""
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


def run_pool(requests: list[dict], jobs: int, timeout: float, progress: bool):
    """Runs requests on `jobs` workers; yields (request, result) in request order."""
    threads = max(1, (os.cpu_count() or 1) // jobs)
    for i in range(jobs):
        (CACHE / f"worker-{i}.log").unlink(missing_ok=True)
    idle: queue.Queue[Worker] = queue.Queue()
    workers = [Worker(i, threads) for i in range(jobs)]
    for w in workers:
        idle.put(w)

    def task(req: dict) -> dict:
        worker = idle.get()
        try:
            return worker.ask(req, timeout)
        finally:
            idle.put(worker)

    try:
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            for n, (req, result) in enumerate(zip(requests, pool.map(task, requests)), 1):
                if progress and (n % 200 == 0 or n == len(requests)):
                    print(f"  [{n}/{len(requests)}]", file=sys.stderr, flush=True)
                yield req, result
    finally:
        for w in workers:
            w.close()


# ---------------------------------------------------------------------------------------------
# `models`


def model_paths() -> dict[str, Path]:
    """The onnx wheel's light models and every testdata/**/*.onnx, by display name, except testdata/fuzz/ (inputs the
    fuzzers found, which must be refused: ONNXImporterFuzzFindingsTests checks them)."""
    light = Path(onnx.__file__).parent / "backend" / "test" / "data" / "light"
    paths = {p.stem: p for p in sorted(light.glob("*.onnx"))}
    testdata = ROOT / "testdata"
    paths.update({str(p.relative_to(testdata).with_suffix("")): p for p in sorted(testdata.rglob("*.onnx"))
                  if p.relative_to(testdata).parts[0] != "fuzz"})
    return paths


# Models with dynamic inputs, checked again at these input shapes (one converted IR, run at each size).
EXTRA_SHAPES = {
    "yolo_tiny_dynamic": [{"images": [2, 3, 192, 192]}, {"images": [1, 3, 160, 256]}],
}


# Models whose metadata gives no input size (a YOLOv5-repository export records only stride and names): their
# dynamic inputs take these shapes instead of 1 for every symbolic dim.
MODEL_SHAPES = {
    "yolo_tiny_v5": {"images": [1, 3, 128, 128]},
}


def shape_label(shapes: dict[str, list[int]]) -> str:
    """"images 2x3x192x192" for a shapes override."""
    return ", ".join(f"{k} {'x'.join(map(str, v))}" for k, v in shapes.items())


def cmd_models(args: argparse.Namespace) -> int:
    """Converts each sample model and compares OpenVINO's outputs with onnxruntime's."""
    # --half: f16 weights, so the outputs only need to be within 1e-2 relative of the f32 source's.
    rtol, atol = (1e-2, 1e-3) if args.half else (1e-3, 1e-4)
    print(machine.banner({**machine.NUMERIC_CONFIG, "NUM_STREAMS": 1}), flush=True)
    paths = model_paths()
    names = select_names(list(paths), args.only)
    requests = []
    for n in names:
        for shapes in [MODEL_SHAPES.get(n), *EXTRA_SHAPES.get(n, [])]:
            requests.append({"kind": "model", "name": n if shapes is None else f"{n} ({shape_label(shapes)})",
                             "path": str(paths[n]), "shapes": shapes, "engine": args.engine,
                             "ovconvert": str(args.ovconvert), "timeout": args.timeout, "rtol": rtol, "atol": atol,
                             "half": args.half})
    passed = failed = 0
    for req, res in run_pool(requests, args.jobs, 2 * args.timeout, progress=False):
        if res["status"] == "pass":
            passed += 1
            note = f"; port dims less precise than OpenVINO's: {res['imprecise']}" if res.get("imprecise") else ""
            print(f"PASS {req['name']} (max abs err {res['max_abs']:.3g}, max rel err {res['max_rel']:.3g}{note})", flush=True)
        else:
            failed += 1
            print(f"FAIL {req['name']}: {res['status']}: {res['reason']}", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not names else 0


# ---------------------------------------------------------------------------------------------
# `node`


def write_value(path: Path, value, value_info: onnx.ValueInfoProto) -> None:
    """Writes a test value as the proto its declared type calls for (as onnx's backend-test-tools)."""
    which = value_info.type.WhichOneof("value")
    if which == "sequence_type":
        proto = numpy_helper.from_list(value, value_info.name)
    elif which == "optional_type":
        proto = numpy_helper.from_optional(value, value_info.name)
    elif which == "map_type":
        proto = numpy_helper.from_dict(value, value_info.name)
    elif isinstance(value, onnx.TensorProto):
        proto = value
    else:
        proto = numpy_helper.from_array(np.asarray(value), value_info.name)
    path.write_bytes(proto.SerializeToString())


def reference_versions() -> str:
    """The versions of the packages that compute the node cases' expected outputs (onnx's reference runs on
    numpy and ml_dtypes)."""
    return f"onnx {onnx.__version__}, numpy {np.__version__}, ml_dtypes {ml_dtypes.__version__}"


def node_cache_stamp() -> str:
    """The stamp a valid node cache carries: the reference's package versions and the cache format."""
    return f"{reference_versions()}, format {NODE_CACHE_FORMAT}\n"


def ensure_node_cache() -> None:
    """(Re)generates the node cases from the onnx wheel unless the cache is stamped with these versions."""
    stamp = NODE_CACHE / ".stamp"
    if stamp.exists() and stamp.read_text() == node_cache_stamp():
        return
    print(f"generating the ONNX node test cases into {NODE_CACHE} ...", file=sys.stderr, flush=True)
    started = time.monotonic()
    from onnx.backend.test.case.node import collect_testcases

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        cases = collect_testcases()
    CACHE.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="node-", dir=CACHE))  # renamed into place when complete
    for case in cases:
        data = staging / case.name / "test_data_set_0"
        data.mkdir(parents=True)
        (data.parent / "model.onnx").write_bytes(case.model.SerializeToString())
        inputs, outputs = case.data_sets[0]
        for i, value in enumerate(inputs):
            write_value(data / f"input_{i}.pb", value, case.model.graph.input[i])
        for i, value in enumerate(outputs):
            write_value(data / f"output_{i}.pb", value, case.model.graph.output[i])
    (staging / ".stamp").write_text(node_cache_stamp())
    shutil.rmtree(NODE_CACHE, ignore_errors=True)
    staging.rename(NODE_CACHE)
    print(f"  {len(cases)} cases in {time.monotonic() - started:.1f} s", file=sys.stderr)


def reason_key(result: dict) -> str:
    """Groups similar results: status plus the reason with numbers and 'quoted names' blanked out."""
    reason = re.sub(r"\b\d+(\.\d+)?(e[-+]?\d+)?\b", "N", result["reason"])
    return f"{result['status']}: " + re.sub(r"'[^']*'", "'…'", reason)


def print_node_summary(results: list[tuple[str, dict]], elapsed: float) -> tuple[int, int, int]:
    """Prints status counts, top failure reasons and skip reasons; returns (passed, failed, skipped)."""
    statuses = collections.Counter(r["status"] for _, r in results)
    print("status: " + ", ".join(f"{s} {statuses[s]}" for s in ("pass", *FAILED, "skip")) + f"  ({elapsed:.0f} s)")
    failures = collections.Counter(reason_key(r) for _, r in results if r["status"] in FAILED)
    if failures:
        print("most common failure reasons:")
        for reason, count in failures.most_common(15):
            print(f"  {count:5d}  {reason}")
    skips = collections.Counter(reason_key(r) for _, r in results if r["status"] == "skip")
    if skips:
        print("skip reasons:")
        for reason, count in skips.most_common():
            print(f"  {count:5d}  {reason}")
    imprecise = [r["imprecise"] for _, r in results if r.get("imprecise")]
    if imprecise:
        kinds = collections.Counter(note.split(" ", 1)[0] for note in imprecise)
        print(f"passing cases whose XML leaves a port dim -1 that OpenVINO infers: {len(imprecise)} "
              f"(first such op: {', '.join(f'{k} {n}' for k, n in kinds.most_common())})")
    failed = sum(statuses[s] for s in FAILED)
    return statuses["pass"], failed, statuses["skip"]


def environment() -> str:
    """The versions a run's results depend on besides ovconvert: the judge and the reference's packages."""
    import openvino

    return f"openvino {openvino.get_version()}, {reference_versions()}"


def write_node_log(path: Path, results: list[tuple[str, dict]]) -> None:
    """Writes the per-case TSV log: where it ran (`# cpu:`, `# env:`), then case, status, reason."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        f.write(f"# cpu: {machine.cpu_label()}\n# env: {environment()}\n")
        f.write("case\tstatus\treason\n")
        for name, r in results:
            reason = re.sub(r"\s", " ", r["reason"] or (f"port dims: {r['imprecise']}" if r.get("imprecise") else ""))
            f.write(f"{name}\t{r['status']}\t{reason}\n")


def cmd_node(args: argparse.Namespace) -> int:
    """Runs the ONNX backend node test cases through the converter and OpenVINO (or replays a log), and
    judges the results against the per-case expectations."""
    if args.check_log:
        return check_log(args)
    print(machine.banner({**machine.NUMERIC_CONFIG, "NUM_STREAMS": 1}), flush=True)
    ensure_node_cache()
    every = sorted(p.name for p in NODE_CACHE.iterdir() if p.is_dir())
    names = select_names(every, args.only)
    requests = [{"kind": "node", "name": n, "path": str(NODE_CACHE / n), "engine": args.engine,
                 "ovconvert": str(args.ovconvert), "timeout": args.timeout, "rtol": 1e-3, "atol": 1e-7,
                 "dynamic": args.dynamic_inputs}
                for n in names]
    started = time.monotonic()
    results = [(req["name"], res) for req, res in run_pool(requests, args.jobs, 2 * args.timeout, progress=True)]
    write_node_log(args.log, results)
    passed, failed, skipped = print_node_summary(results, time.monotonic() - started)
    print(f"log: {args.log}")
    status = 0
    if args.expect:
        by_case = {name: (r["status"], r["reason"]) for name, r in results}
        status = judge_results(by_case, args.expect, complete=len(names) == len(every),
                               update=args.update_expectations)
    if args.versus:
        status = max(status, print_share(results, args.versus, args.min_share))
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return status


def judge_results(results: dict[str, tuple[str, str]], path: Path, complete: bool, update: bool) -> int:
    """Judges results against the expectations file at path (printing why); 1 when a case that must pass on
    every CPU failed. With `update`, records new passes in the file."""
    expected = expectations.read_expectations(path)
    verdict = expectations.judge(results, expected, complete)
    for line in expectations.report(verdict, path.name):
        print(line)
    if update and verdict.new_passes:
        expectations.write_expectations(path, expectations.with_new_passes(expected, verdict))
        print(f"recorded {len(verdict.new_passes)} new passes in {path}")
    return 0 if verdict.ok else 1


def check_log(args: argparse.Namespace) -> int:
    """`node --check-log LOG`: judges a log written elsewhere, without running the cases."""
    if not args.expect:
        print("error: --check-log needs --expect FILE", file=sys.stderr)
        return 2
    results = expectations.read_log(args.check_log)
    print(f"{args.check_log}: {expectations.log_cpu(args.check_log) or 'CPU not recorded'}")
    statuses = collections.Counter(status for status, _ in results.values())
    status = judge_results(results, args.expect, complete=True, update=False)
    failed = sum(statuses[s] for s in FAILED)
    print(f"{statuses['pass']} passed, {failed} failed, {statuses['skip']} skipped")
    return status


def print_share(results: list[tuple[str, dict]], log: Path, min_share: float | None) -> int:
    """Prints how many of the cases passing in another run's log pass here; 1 when below min_share."""
    if not log.exists():
        print(f"error: no log {log} to compare with (run the other engine first)", file=sys.stderr)
        return 1
    theirs = {case for case, (status, _) in expectations.read_log(log).items() if status == "pass"}
    ours = {name for name, r in results if r["status"] == "pass"}
    considered = {name for name, _ in results} & theirs
    if not considered:
        print(f"error: none of the cases run here passes in {log}", file=sys.stderr)
        return 1
    share = len(considered & ours) / len(considered)
    verdict = "" if min_share is None else f" ({'ok' if share >= min_share else 'BELOW'} {min_share:.0%})"
    print(f"versus {log.name}: {len(considered & ours)} of the {len(considered)} cases passing there pass here "
          f"({share:.1%}){verdict}")
    lost = sorted(considered - ours)
    if lost:
        print(f"  passing there, not here: {', '.join(lost[:20])}{' ...' if len(lost) > 20 else ''}")
    return 1 if min_share is not None and share < min_share else 0


# ---------------------------------------------------------------------------------------------
# Command line


def add_common(p: argparse.ArgumentParser, timeout: float) -> None:
    """Options shared by both subcommands."""
    p.add_argument("--ovconvert", help="ovconvert binary (default: $OVCONVERT, else .build/debug/ovconvert)")
    p.add_argument("--only", metavar="NAME", help="only the case/model with this name (else: names containing it)")
    p.add_argument("--jobs", type=int, default=2, help="worker processes (default: 2)")
    p.add_argument("--timeout", type=float, default=timeout, help=f"seconds for conversion, and again for inference (default: {timeout:g})")
    p.add_argument("--engine", default="ovconvert", choices=["ovconvert", "evaluator", "openvino-onnx", "reference"],
                   help="ovconvert: convert with ovconvert, run in OpenVINO (default); evaluator: evaluate the model "
                        "with `ovconvert run` (the reference evaluator) instead of OpenVINO")
    p.add_argument("--reference-converter", dest="engine", action="store_const", const="reference", help=argparse.SUPPRESS)


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parses the command line."""
    ap = argparse.ArgumentParser(prog="Tools/verify/run", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    models = sub.add_parser("models", help="light models of the onnx wheel + testdata/**/*.onnx vs onnxruntime")
    add_common(models, 300)
    models.add_argument("--half", action="store_true",
                        help="convert with --half and accept outputs within 1e-2 relative (atol 1e-3) of onnxruntime's")
    models.set_defaults(func=cmd_models)
    node = sub.add_parser("node", help="the ONNX backend node test suite")
    add_common(node, 60)
    node.add_argument("--expect", type=Path, metavar="FILE",
                      help="per-case expectations (Tools/verify/node-expectations.tsv): exit 1 when a case listed as "
                           "pass fails; cases listed as varies depend on the CPU and are not counted")
    node.add_argument("--update-expectations", action="store_true",
                      help="with --expect: add the cases that pass here but are not listed to FILE as pass")
    node.add_argument("--check-log", type=Path, metavar="LOG",
                      help="judge LOG (a --log written elsewhere) against --expect without running any case")
    node.add_argument("--log", type=Path, help=f"per-case TSV log (default: {CACHE}/node-log.tsv, node-evaluator-log.tsv "
                                               "for the evaluator engine)")
    node.add_argument("--dynamic-inputs", action="store_true",
                      help="make every dim of each case's first input symbolic before converting, so the shapes "
                           "downstream are inferred from unknown dims (OpenVINO then runs it on the case's inputs)")
    node.add_argument("--versus", type=Path, metavar="LOG",
                      help="also print how many of the cases passing in LOG (another run's TSV log) pass here")
    node.add_argument("--min-share", type=float, metavar="FRACTION",
                      help="with --versus: fail when fewer than this fraction of LOG's passing cases pass here")
    node.set_defaults(func=cmd_node)
    import nms_check  # noqa: E402  (imports this module back for its helpers)

    nms_check.add_parser(sub)
    import torchscript_check  # noqa: E402  (likewise)

    torchscript_check.add_parser(sub)
    import controlflow_check  # noqa: E402  (likewise)

    controlflow_check.add_parser(sub)
    import zoo_check  # noqa: E402  (likewise)

    zoo_check.add_parser(sub)
    import int8_check  # noqa: E402  (likewise)

    int8_check.add_parser(sub)
    args = ap.parse_args(argv)
    args.ovconvert = resolve_ovconvert(args.ovconvert)
    if args.command == "node" and args.log is None:
        args.log = CACHE / ("node-evaluator-log.tsv" if args.engine == "evaluator" else "node-log.tsv")
    return args


def main(argv: list[str]) -> int:
    """Entry point: a subcommand, or the hidden worker loop."""
    if argv[:1] == ["_worker"]:
        worker_main(int(argv[1]))
        return 0
    args = parse_args(argv)
    needs_binary = args.engine in ("ovconvert", "evaluator") and not getattr(args, "check_log", None)
    if needs_binary and not os.access(args.ovconvert, os.X_OK):
        print(f"error: no ovconvert binary at {args.ovconvert} (build it, or pass --ovconvert / set OVCONVERT)",
              file=sys.stderr)
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
