"""`Tools/verify/run torchscript`: ovconvert's IR of each TorchScript graph dump (`NAME.ts.txt` + `NAME.safetensors`,
written by Tools/export_torchscript.py), run in OpenVINO, against the outputs torch computed (`NAME.outputs.npz`) for
the inputs saved beside it (`NAME.inputs.npz`).

For every `*.ts.txt` under --dir (default testdata/torchscript): `ovconvert NAME.ts.txt -o TMP/NAME --force -q`, then
the single `*.xml` the output folder holds is compiled on CPU with f32 inference, fed the inputs by name, and each
output, found by name, must match torch's: same shape and dtype, |ours - torch| <= atol + rtol * |torch| everywhere
(numpy's allclose, rtol 1e-3, atol 1e-4), a NaN only where torch has one. Prints `PASS name max_err=...` or
`FAIL name: reason` per dump, then `N passed, M failed`; exits 1 when any failed or fewer than --floor passed (by
default every dump found; finding none is an error). Needs no torch.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import verify

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import machine  # noqa: E402  (Tools/ is not a package)

DEFAULT_DIR = verify.ROOT / "testdata" / "torchscript"
RTOL, ATOL = 1e-3, 1e-4
STDERR_LINES = 12  # of ovconvert's stderr shown when a conversion fails
SUFFIX = ".ts.txt"


# ---------------------------------------------------------------------------------------------
# Comparison and summary (no OpenVINO needed: Tools/verify/test_torchscript_check.py tests them)


def compare_outputs(expected: dict[str, np.ndarray], actual: dict[str, np.ndarray], rtol: float = RTOL,
                    atol: float = ATOL) -> tuple[str | None, float]:
    """Compares the IR's outputs with torch's, by name. Returns (the first failure or None, the max abs error over
    every output's finite values; inf where a shape or dtype differs or an output is missing)."""
    missing = [name for name in expected if name not in actual]
    if missing:
        return f"the IR has no output {', '.join(missing)} (its outputs: {', '.join(sorted(actual)) or 'none'})", np.inf
    extra = [name for name in actual if name not in expected]
    if extra:
        return f"the IR has outputs torch does not: {', '.join(extra)}", np.inf
    failure, max_err = None, 0.0
    for name, want in expected.items():
        got = np.asarray(actual[name])
        if got.shape != want.shape:
            return f"output {name} has shape {list(got.shape)}, torch's {list(want.shape)}", np.inf
        if got.dtype != want.dtype:
            return f"output {name} has dtype {got.dtype}, torch's {want.dtype}", np.inf
        a, e = got.astype(np.float64), want.astype(np.float64)
        finite = np.isfinite(a) & np.isfinite(e)
        err = float(np.abs(a - e)[finite].max(initial=0.0))
        max_err = max(max_err, err)
        if failure:
            continue
        close = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
        bad = int((~close).sum())
        if bad:
            nans = int((np.isnan(a) & ~np.isnan(e)).sum())
            what = f"{nans} NaN where torch has a number, " if nans else ""
            failure = (f"output {name}: {bad} of {want.size} values differ ({what}max abs err {err:.3g}; "
                       f"rtol {rtol:g}, atol {atol:g})")
    return failure, max_err


@dataclass
class Result:
    name: str
    failure: str | None
    max_err: float = float("nan")

    def line(self) -> str:
        return f"FAIL {self.name}: {self.failure}" if self.failure else f"PASS {self.name} max_err={self.max_err:.3g}"


def summary(results: list[Result], floor: int | None) -> tuple[str, int]:
    """The closing line (`N passed, M failed`, plus why the run fails when too few passed) and the exit status:
    1 when any failed, none ran, or fewer than floor (default: every result) passed."""
    passed = sum(r.failure is None for r in results)
    failed = len(results) - passed
    floor = len(results) if floor is None else floor
    line = f"{passed} passed, {failed} failed"
    if not results:
        return f"{line}: no TorchScript dumps to check", 1
    if passed < floor:
        return f"{line}: fewer than the floor of {floor} passed", 1
    return line, 1 if failed else 0


def dump_name(path: Path) -> str:
    return path.name[:-len(SUFFIX)]


def find_dumps(folder: Path, pattern: str | None) -> list[Path]:
    """Every `*.ts.txt` under folder, sorted; with pattern, those whose name contains it."""
    dumps = sorted(folder.rglob("*" + SUFFIX))
    return [d for d in dumps if pattern in dump_name(d)] if pattern else dumps


# ---------------------------------------------------------------------------------------------
# One dump


def stderr_head(text: str, lines: int = STDERR_LINES) -> str:
    kept = [ln.rstrip() for ln in text.splitlines() if ln.strip()]
    more = f"\n    ... ({len(kept) - lines} more lines)" if len(kept) > lines else ""
    return "\n".join("    " + ln for ln in kept[:lines]) + more


def convert(ovconvert: Path, dump: Path, outdir: Path, timeout: float) -> Path:
    """Runs ovconvert on dump into outdir and returns the single .xml written there (verify.StageError if not)."""
    cmd = [str(ovconvert), str(dump), "-o", str(outdir), "--force", "-q"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise verify.StageError("convert-error", f"ovconvert timed out after {timeout:g} s") from e
    if proc.returncode != 0:
        how = (f"crashed ({verify.signal_name(proc.returncode)})" if proc.returncode < 0
               else f"exited with {proc.returncode}")
        stderr = stderr_head(proc.stderr.replace(str(dump), dump.name))
        raise verify.StageError("convert-error", f"ovconvert {how}" + (f":\n{stderr}" if stderr else ""))
    xmls = sorted(outdir.glob("*.xml")) if outdir.is_dir() else []
    if len(xmls) != 1:
        found = ", ".join(x.name for x in xmls) or "none"
        raise verify.StageError("convert-error",
                                f"ovconvert exited 0 but wrote {len(xmls)} .xml files ({found}), not one")
    return xmls[0]


def load_npz(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        raise verify.StageError("fail", f"{path.name} is missing (Tools/make_torchscript_fixtures.py writes it)")
    with np.load(path, allow_pickle=False) as archive:
        return {key: archive[key] for key in archive.files}


def run_openvino(core, xml: Path, inputs: dict[str, np.ndarray], config: dict) -> list[tuple[set[str], np.ndarray]]:
    """Compiles the IR, feeds inputs by name and returns each output's names and value, in the IR's order."""
    stage = "read_model"
    try:
        model = core.read_model(str(xml))
        stage = "compile"
        compiled = core.compile_model(model, "CPU", config)
        request = compiled.create_infer_request()
        names = {port: set(port.get_names()) for port in compiled.inputs}
        unfed = [sorted(n) or ["(unnamed)"] for n in names.values() if not n & inputs.keys()]
        if unfed:
            raise verify.StageError("fail", f"IR inputs {unfed} are not in inputs.npz (keys: {sorted(inputs)})")
        stage = "infer"
        for port, port_names in names.items():
            request.set_tensor(port, verify.to_ov_tensor(inputs[sorted(port_names & inputs.keys())[0]]))
        request.infer()
    except verify.StageError:
        raise
    except Exception as e:  # noqa: BLE001 - any OpenVINO error is a result
        raise verify.StageError("fail", f"{stage}: {verify.openvino_message(e)}") from e
    return [(set(port.get_names()), verify.from_ov_tensor(request.get_tensor(port))) for port in compiled.outputs]


def outputs_by_name(outputs: list[tuple[set[str], np.ndarray]], wanted: list[str]) -> dict[str, np.ndarray]:
    """The IR's outputs keyed by name: an output carrying some of the wanted names under those, any other under its
    first name (or `(unnamed output i)`), so that compare_outputs reports it."""
    by_name = {}
    for i, (names, value) in enumerate(outputs):
        hits = [n for n in wanted if n in names]
        for name in hits or sorted(names)[:1] or [f"(unnamed output {i})"]:
            by_name[name] = value
    return by_name


def check_dump(dump: Path, ovconvert: Path, core, config: dict, timeout: float, tmp: Path) -> Result:
    name = dump_name(dump)
    try:
        inputs = load_npz(dump.with_name(name + ".inputs.npz"))
        expected = load_npz(dump.with_name(name + ".outputs.npz"))
        xml = convert(ovconvert, dump, tmp / name, timeout)
        outputs = run_openvino(core, xml, inputs, config)
    except verify.StageError as e:
        return Result(name, e.reason)
    failure, max_err = compare_outputs(expected, outputs_by_name(outputs, list(expected)))
    return Result(name, failure, max_err)


def cmd_torchscript(args: argparse.Namespace) -> int:
    """Checks every dump and prints `N passed, M failed`."""
    import openvino as ov

    folder = args.dir.resolve()
    dumps = find_dumps(folder, args.k)
    print(machine.banner(machine.NUMERIC_CONFIG), flush=True)
    if not dumps:
        where = f" matching {args.k!r}" if args.k else ""
        print(f"error: no *{SUFFIX}{where} under {folder}", file=sys.stderr)
        return 1
    core = ov.Core()
    results = []
    with tempfile.TemporaryDirectory(prefix="ovts-") as tmp:
        for dump in dumps:
            result = check_dump(dump, args.ovconvert, core, machine.NUMERIC_CONFIG, args.timeout, Path(tmp))
            results.append(result)
            print(result.line(), flush=True)
    line, status = summary(results, args.floor)
    print(line)
    return status


def add_parser(sub) -> None:
    """Registers `torchscript` on verify.py's subcommands."""
    p = sub.add_parser("torchscript", help="IRs of TorchScript graph dumps (testdata/torchscript) in OpenVINO vs "
                                           "torch's saved outputs")
    p.add_argument("--ovconvert", help="ovconvert binary (default: $OVCONVERT, else .build/debug/ovconvert)")
    p.add_argument("--dir", type=Path, default=DEFAULT_DIR,
                   help="folder searched for *.ts.txt, recursively (default: testdata/torchscript)")
    p.add_argument("--floor", type=int, metavar="N",
                   help="fail when fewer than N dumps pass (default: every dump found)")
    p.add_argument("-k", metavar="PATTERN", help="only the dumps whose name contains PATTERN")
    p.add_argument("--timeout", type=float, default=600, help="seconds per conversion (default: 600)")
    p.add_argument("--engine", default="ovconvert", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_torchscript)
