"""Compares ovconvert with OpenVINO's ovc: whole-process wall time and peak RSS per model, as a markdown table.

A TorchScript dump (NAME.ts.txt, its NAME.safetensors beside it) is converted by ovconvert, while ovc and cp take the
same network's ONNX export beside it (NAME.onnx): ovc cannot read a dump, and needs torch for a live module."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import onnx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import machine  # noqa: E402  (Tools/ is not a package)

ROOT = Path(__file__).resolve().parents[2]
WORK = Path(__file__).resolve().parent / ".work"
CACHE = Path(__file__).resolve().parent / ".cache"
OVC = Path(sys.executable).parent / "ovc"
TIME = "/usr/bin/time"


@dataclass
class Measurement:
    """Median wall time (s) and peak RSS (KiB) over the timed runs, or the error of a failed run."""

    seconds: float = 0.0
    rss_kib: int = 0
    error: str = ""


def run_once(cmd: list[str]) -> tuple[float, int, int, str]:
    """Runs cmd; returns (wall seconds, its peak RSS in KiB, exit status, first stderr line).

    The peak comes from /usr/bin/time: Linux keeps ru_maxrss across execve, so a child forked straight from
    this Python process (openvino and onnx imported) would report at least this process's own peak.
    """
    rss_file = WORK / "rss.txt"
    with open(WORK / "stderr.txt", "w+") as err:
        started = time.perf_counter()
        code = subprocess.call([TIME, "-f", "%M", "-o", str(rss_file), *cmd],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        elapsed = time.perf_counter() - started
        err.seek(0)
        message = next((ln.strip() for ln in err if ln.strip()), "")
    lines = rss_file.read_text().split()
    return elapsed, int(lines[-1]) if lines and lines[-1].isdigit() else 0, code, message


def measure(cmd: list[str], runs: int) -> Measurement:
    """One warm-up run, then `runs` timed runs; medians of time and peak RSS."""
    times, peaks = [], []
    for i in range(runs + 1):
        seconds, rss, code, message = run_once(cmd)
        if code != 0:
            return Measurement(error=f"exit {code}: {message}"[:120])
        if i:
            times.append(seconds)
            peaks.append(rss)
    return Measurement(statistics.median(times), int(statistics.median(peaks)))


def ovconvert_cmd(ovconvert: Path, model: Path) -> list[str]:
    """ovconvert MODEL -o DIR --force -q."""
    return [str(ovconvert), str(model), "-o", str(WORK / "ovconvert" / model.stem), "--force", "-q"]


def onnx_twin(model: Path) -> Path:
    """The ONNX file ovc and cp take: the model itself, or for a TorchScript dump NAME.ts.txt its export NAME.onnx."""
    if model.name.endswith(".ts.txt"):
        return model.with_name(model.name[: -len(".ts.txt")] + ".onnx")
    return model


def ovc_cmd(model: Path) -> list[str]:
    """ovc MODEL --output_model DIR/model.xml --compress_to_fp16=False."""
    return [str(OVC), str(model), "--output_model", str(WORK / "ovc" / model.stem / "model.xml"), "--compress_to_fp16=False"]


def cp_cmd(model: Path) -> list[str]:
    """cp MODEL DIR/ (and its external data files beside it): the floor any converter's write is measured against."""
    (WORK / "cp").mkdir(exist_ok=True)
    return ["cp", str(model), *map(str, external_files(model)), str(WORK / "cp")]


def external_files(model: Path) -> list[Path]:
    """The external data files an ONNX model names (relative to its folder)."""
    proto = onnx.load(str(model), load_external_data=False)
    names = {e.value for t in proto.graph.initializer for e in t.external_data if e.key == "location"}
    return [model.parent / n for n in sorted(names)]


def default_models() -> list[Path]:
    """The largest light model of the onnx wheel (by file size) and testdata/yolo_tiny.onnx."""
    light = Path(onnx.__file__).parent / "backend" / "test" / "data" / "light"
    return [max(light.glob("*.onnx"), key=lambda p: p.stat().st_size), ROOT / "testdata" / "yolo_tiny.onnx"]


def large_model(megabytes: int) -> Path:
    """A synthetic model with about `megabytes` MB of weights (make_large_model.py), generated once into .cache/."""
    path = CACHE / f"large_{megabytes}mb.onnx"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(Path(__file__).with_name("make_large_model.py")), str(path),
                        "--megabytes", str(megabytes)], check=True, stdout=subprocess.DEVNULL)
    return path


def fmt_time(m: Measurement) -> str:
    """Milliseconds below 1 s, else seconds; the error of a failed run."""
    return m.error or (f"{m.seconds * 1e3:.1f} ms" if m.seconds < 1 else f"{m.seconds:.2f} s")


def fmt_rss(m: Measurement) -> str:
    """Peak RSS in MiB."""
    return "failed" if m.error else f"{m.rss_kib / 1024:.1f} MiB"


def fmt_ratio(num: float, den: float, ok: bool) -> str:
    """num/den, or n/a when a run failed."""
    return f"{num / den:.2f}×" if ok and den else "n/a"


def model_size(path: Path) -> int:
    """Bytes of the model file plus the external data files it references."""
    model = onnx.load(str(path), load_external_data=False)
    locations = {e.value for t in model.graph.initializer for e in t.external_data if e.key == "location"}
    return path.stat().st_size + sum((path.parent / loc).stat().st_size for loc in locations)


def model_label(path: Path) -> str:
    """The model's stem, with its folder when the stem is the generic "model"; a dump says ovc took its ONNX twin."""
    if path.name.endswith(".ts.txt"):
        return f"{path.name[: -len('.ts.txt')]} (ovconvert: TorchScript dump; ovc, cp: its ONNX export)"
    return f"{path.parent.name}/{path.stem}" if path.stem == "model" else path.stem


def fmt_size(path: Path) -> str:
    """Model size (external data included) in KiB or MiB."""
    size = model_size(path)
    return f"{size / 1024:.0f} KiB" if size < 1 << 20 else f"{size / (1 << 20):.1f} MiB"


def add_ovconvert_option(ap: argparse.ArgumentParser) -> None:
    """--ovconvert: the binary to measure, a release build by default."""
    ap.add_argument("--ovconvert", type=Path, default=os.environ.get("OVCONVERT", ROOT / ".build" / "release" / "ovconvert"),
                    help="ovconvert binary (default: $OVCONVERT, else .build/release/ovconvert)")


def release_binary(path: Path) -> Path | None:
    """The absolute path of an executable ovconvert, or None after saying how to get one."""
    path = path.absolute()
    if not os.access(path, os.X_OK):
        print(f"error: no ovconvert binary at {path} (swift build -c release, or pass --ovconvert)", file=sys.stderr)
        return None
    return path


def main() -> int:
    """Benchmarks each model and prints the table."""
    ap = argparse.ArgumentParser(prog="Tools/bench/run", description=__doc__)
    ap.add_argument("models", nargs="*", type=Path, help="ONNX models, or TorchScript dumps NAME.ts.txt with NAME.onnx beside "
                    "them (default: largest light model, yolo_tiny)")
    add_ovconvert_option(ap)
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool and model, after one warm-up (default: 5)")
    ap.add_argument("--large", type=int, metavar="MB", help="also a synthetic model with MB megabytes of weights "
                    "(273 = a YOLOv8x export), generated once into Tools/bench/.cache/")
    args = ap.parse_args()
    ovconvert = release_binary(args.ovconvert)
    if ovconvert is None:
        return 2
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "ovc").mkdir(parents=True)
    (WORK / "ovconvert").mkdir(parents=True)
    import openvino

    print(machine.describe())
    print(f"ovconvert: {ovconvert}; ovc: OpenVINO {openvino.__version__} (conversion only, nothing compiled); "
          f"median of {args.runs} runs after 1 warm-up\n")
    print("| model | size | ovconvert time | ovc time | speed ratio (ovc/ovconvert) | cp time | ovconvert/cp "
          "| ovconvert peak RSS | ovc peak RSS | memory ratio (ovconvert/ovc) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    models = args.models or default_models()
    if args.large:
        models.append(large_model(args.large))
    for model in models:
        ours = measure(ovconvert_cmd(ovconvert, model), args.runs)
        twin = onnx_twin(model)
        if not twin.exists():
            print(f"error: {model} is a TorchScript dump, and ovc needs its ONNX export {twin}", file=sys.stderr)
            return 2
        ref = measure(ovc_cmd(twin), args.runs)
        copy = measure(cp_cmd(twin), args.runs)
        ok = not ours.error and not ref.error
        print(f"| {model_label(model)} | {fmt_size(twin)} | {fmt_time(ours)} | {fmt_time(ref)} "
              f"| {fmt_ratio(ref.seconds, ours.seconds, ok)} | {fmt_time(copy)} "
              f"| {fmt_ratio(ours.seconds, copy.seconds, not ours.error and not copy.error)} | {fmt_rss(ours)} | {fmt_rss(ref)} "
              f"| {fmt_ratio(ours.rss_kib, ref.rss_kib, ok)} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
