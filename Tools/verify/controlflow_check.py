"""`Tools/verify/run controlflow`: models with If (opset8) and Loop (opset5), built with OpenVINO's Python API and
saved with ov.save_model, converted by ovconvert (`BIN model.xml -o OUT --force -q`: the IR read as a source format
and written back through the pass pipeline), then judged by OpenVINO itself.

Per model and input set: the original IR and ovconvert's IR run in OpenVINO on CPU (f32 inference), and the converted
IR also through ovconvert's reference evaluator (`BIN run OUT/model.xml --inputs in.npz -o out.npz`); both must give
OpenVINO's outputs of the original, output by output: same shape and dtype, integers and booleans exactly, floats
within rtol 1e-5 / atol 1e-6 (NaN only where NaN). The converted model's outputs must also have the partial shapes
OpenVINO infers for the original. The inputs cover both branch outcomes of each If and several trip counts of each
Loop (no zero-iteration run of a concatenated output: OpenVINO's CPU plugin leaves such an output undefined).
Prints `PASS`/`FAIL` per check, then `N passed, M failed`; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import verify

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import machine  # noqa: E402  (Tools/ is not a package)

RTOL, ATOL = 1e-5, 1e-6


# ---------------------------------------------------------------------------------------------
# Comparison (no OpenVINO needed: Tools/verify/test_controlflow_check.py tests it)


def compare_outputs(expected: list[tuple[str, np.ndarray]], actual: list[np.ndarray], rtol: float = RTOL,
                    atol: float = ATOL) -> str | None:
    """Why `actual` (outputs in model order) differs from `expected` ((name, value) in model order), or None: each
    output must have the same shape and dtype, integers and booleans must be equal, floats within
    |actual - expected| <= atol + rtol * |expected| with NaN exactly where expected has NaN."""
    if len(actual) != len(expected):
        return f"{len(actual)} outputs, expected {len(expected)}"
    for (name, want), got in zip(expected, actual):
        got = np.asarray(got)
        if got.shape != want.shape:
            return f"output {name} has shape {list(got.shape)}, expected {list(want.shape)}"
        if got.dtype != want.dtype:
            return f"output {name} has dtype {got.dtype}, expected {want.dtype}"
        if want.dtype.kind in "biu":
            bad = np.flatnonzero(got.reshape(-1) != want.reshape(-1))
            if len(bad):
                i = int(bad[0])
                return f"output {name}: {len(bad)} of {want.size} elements differ (element {i}: {got.reshape(-1)[i]}, expected {want.reshape(-1)[i]})"
            continue
        a, e = got.astype(np.float64).reshape(-1), want.astype(np.float64).reshape(-1)
        nan_mismatch = np.isnan(a) != np.isnan(e)
        close = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
        bad = np.flatnonzero(nan_mismatch | ~close)
        if len(bad):
            i = int(bad[0])
            return (f"output {name}: {len(bad)} of {want.size} elements differ beyond rtol {rtol:g} atol {atol:g} "
                    f"(element {i}: {a[i]!r}, expected {e[i]!r})")
    return None


# ---------------------------------------------------------------------------------------------
# Models (OpenVINO opset8 Python API)


def _model(results, parameters, name):
    import openvino as ov

    return ov.Model(results, parameters, name)


def _named(output, name: str):
    """output with tensor name `name`, so the model's outputs can be found by name."""
    output.get_tensor().set_names({name})
    return output


def if_branch_shapes():
    """If on a runtime condition whose branches give different static shapes: x * 2 ([2,3]) or Concat(x, x*x) ([4,3])."""
    import openvino.opset8 as ops

    cond = ops.parameter([], np.bool_, name="cond")
    x = ops.parameter([2, 3], np.float32, name="x")
    tx = ops.parameter([2, 3], np.float32, name="tx")
    then_r = ops.result(ops.multiply(tx, ops.constant(np.float32(2))), name="then_y")
    ex = ops.parameter([2, 3], np.float32, name="ex")
    else_r = ops.result(ops.concat([ex, ops.multiply(ex, ex)], 0), name="else_y")
    node = ops.if_op(cond)
    node.set_then_body(_model([then_r], [tx], "then"))
    node.set_else_body(_model([else_r], [ex], "else"))
    node.set_input(x.output(0), tx, ex)
    y = _named(node.set_output(then_r, else_r), "y")
    return _model([ops.result(y, name="y")], [cond, x], "if_branch_shapes")


def if_outer_values():
    """If whose condition is computed (sum(x) > 0) and whose branches both read outer x and y: (x+y, x*y, int(x))
    or (x-y, y, int(y)); one output passes a body Parameter straight through."""
    import openvino.opset8 as ops

    x = ops.parameter([4], np.float32, name="x")
    y = ops.parameter([4], np.float32, name="y")
    cond = ops.greater(ops.reduce_sum(x, ops.constant(np.int64(0))), ops.constant(np.float32(0)))
    tx, ty = ops.parameter([4], np.float32, name="tx"), ops.parameter([4], np.float32, name="ty")
    then_rs = [ops.result(ops.add(tx, ty)), ops.result(ops.multiply(tx, ty)), ops.result(ops.convert(tx, "i32"))]
    ex, ey = ops.parameter([4], np.float32, name="ex"), ops.parameter([4], np.float32, name="ey")
    else_rs = [ops.result(ops.subtract(ex, ey)), ops.result(ey), ops.result(ops.convert(ey, "i32"))]
    node = ops.if_op(cond.output(0))  # (given a Node that is not a Parameter, if_op makes an If without input)
    node.set_then_body(_model(then_rs, [tx, ty], "then"))
    node.set_else_body(_model(else_rs, [ex, ey], "else"))
    node.set_input(x.output(0), tx, ex)
    node.set_input(y.output(0), ty, ey)
    outs = [_named(node.set_output(t, e), f"out{k}") for k, (t, e) in enumerate(zip(then_rs, else_rs))]
    return _model([ops.result(o, name=f"out{k}") for k, o in enumerate(outs)], [x, y], "if_outer_values")


def if_shape_condition():
    """An If whose condition depends only on a static shape (x.shape[0] == 2, x [2,3]): OpenVINO folds it when it
    compiles, ovconvert's ConstantFolding folds it and inlines the branch taken (x * 3), so its IR has no If."""
    import openvino.opset8 as ops

    x = ops.parameter([2, 3], np.float32, name="x")
    rows = ops.gather(ops.shape_of(x), ops.constant(np.int64(0)), ops.constant(np.int64(0)))
    cond = ops.equal(rows, ops.constant(np.int64(2)))
    tx, ex = ops.parameter([2, 3], np.float32, name="tx"), ops.parameter([2, 3], np.float32, name="ex")
    then_r = ops.result(ops.multiply(tx, ops.constant(np.float32(3))))
    else_r = ops.result(ops.negative(ex))
    node = ops.if_op(cond.output(0))
    node.set_then_body(_model([then_r], [tx], "then"))
    node.set_else_body(_model([else_r], [ex], "else"))
    node.set_input(x.output(0), tx, ex)
    y = _named(node.set_output(then_r, else_r), "y")
    return _model([ops.result(y, name="y")], [x], "if_shape_condition")


def loop_nested_if():
    """Loop over a runtime trip count whose body holds an If on the iteration's parity: acc + 1 on even iterations,
    acc * 2 on odd ones; outputs the last acc ([1,2]) and every iteration's acc concatenated along axis 0."""
    import openvino.opset8 as ops

    trip = ops.parameter([], np.int64, name="trip")
    x = ops.parameter([1, 2], np.float32, name="x")
    acc = ops.parameter([1, 2], np.float32, name="acc")
    i = ops.parameter([], np.int64, name="i")
    even = ops.equal(ops.floor_mod(i, ops.constant(np.int64(2))), ops.constant(np.int64(0)))
    ta, ea = ops.parameter([1, 2], np.float32, name="ta"), ops.parameter([1, 2], np.float32, name="ea")
    then_r = ops.result(ops.add(ta, ops.constant(np.float32(1))))
    else_r = ops.result(ops.multiply(ea, ops.constant(np.float32(2))))
    branch = ops.if_op(even.output(0))
    branch.set_then_body(_model([then_r], [ta], "then"))
    branch.set_else_body(_model([else_r], [ea], "else"))
    branch.set_input(acc.output(0), ta, ea)
    new_acc = branch.set_output(then_r, else_r)
    body_cond = ops.result(ops.constant(True))
    acc_r, cat_r = ops.result(new_acc), ops.result(new_acc)
    loop = ops.loop(trip, ops.constant(True))
    loop.set_function(_model([body_cond, acc_r, cat_r], [acc, i], "body"))
    loop.set_special_body_ports([1, 0])
    loop.set_merged_input(acc, x.output(0), acc_r.output(0))
    last = _named(loop.get_iter_value(acc_r.output(0), -1), "last")
    every = _named(loop.get_concatenated_slices(cat_r.output(0), 0, 1, 1, -1, 0), "every")
    return _model([ops.result(last, name="last"), ops.result(every, name="every")], [trip, x], "loop_nested_if")


def loop_trip_and_condition():
    """Loop bounded by a runtime trip count (-1: none) and a body condition: acc += step while sum(acc) < limit;
    outputs the last acc and every iteration's acc concatenated along axis 0."""
    import openvino.opset8 as ops

    trip = ops.parameter([], np.int64, name="trip")
    x = ops.parameter([1, 3], np.float32, name="x")
    step = ops.parameter([1, 3], np.float32, name="step")
    limit = ops.parameter([], np.float32, name="limit")
    acc, s, lim = (ops.parameter([1, 3], np.float32, name="acc"), ops.parameter([1, 3], np.float32, name="s"),
                   ops.parameter([], np.float32, name="lim"))
    new_acc = ops.add(acc, s)
    going = ops.less(ops.reduce_sum(new_acc, ops.constant(np.array([0, 1], np.int64))), lim)
    cond_r, acc_r, cat_r = ops.result(going), ops.result(new_acc), ops.result(new_acc)
    loop = ops.loop(trip, ops.constant(True))
    loop.set_function(_model([cond_r, acc_r, cat_r], [acc, s, lim], "body"))
    loop.set_special_body_ports([-1, 0])
    loop.set_merged_input(acc, x.output(0), acc_r.output(0))
    loop.set_invariant_input(s, step.output(0))
    loop.set_invariant_input(lim, limit.output(0))
    last = _named(loop.get_iter_value(acc_r.output(0), -1), "last")
    every = _named(loop.get_concatenated_slices(cat_r.output(0), 0, 1, 1, -1, 0), "every")
    return _model([ops.result(last, name="last"), ops.result(every, name="every")], [trip, x, step, limit],
                  "loop_trip_and_condition")


def loop_while():
    """A while loop (trip count -1) whose first iteration depends on a runtime execution condition: acc = acc * 2 + 1
    while max(acc) < 50; outputs only the last acc (the input itself when the loop does not run)."""
    import openvino.opset8 as ops

    run = ops.parameter([], np.bool_, name="run")
    x = ops.parameter([3], np.float32, name="x")
    acc = ops.parameter([3], np.float32, name="acc")
    new_acc = ops.add(ops.multiply(acc, ops.constant(np.float32(2))), ops.constant(np.float32(1)))
    going = ops.less(ops.reduce_max(new_acc, ops.constant(np.int64(0))), ops.constant(np.float32(50)))
    cond_r, acc_r = ops.result(going), ops.result(new_acc)
    loop = ops.loop(ops.constant(np.int64(-1)), run)
    loop.set_function(_model([cond_r, acc_r], [acc], "body"))
    loop.set_special_body_ports([-1, 0])
    loop.set_merged_input(acc, x.output(0), acc_r.output(0))
    last = _named(loop.get_iter_value(acc_r.output(0), -1), "last")
    return _model([ops.result(last, name="last")], [run, x], "loop_while")


def loop_iteration_concat():
    """Loop over a runtime trip count reading its current iteration i (i64 [1]): each iteration gives x * i ([2,1]),
    concatenated along axis 1, and i itself, concatenated (an integer output); plus the last x * i. (OpenVINO's CPU
    plugin takes only slices of size 1 along the concatenation axis.)"""
    import openvino.opset8 as ops

    trip = ops.parameter([], np.int64, name="trip")
    x = ops.parameter([2, 1], np.float32, name="x")
    bx, i = ops.parameter([2, 1], np.float32, name="bx"), ops.parameter([1], np.int64, name="i")
    scaled = ops.multiply(bx, ops.convert(i, "f32"))
    cond_r, scaled_r, i_r = ops.result(ops.constant(True)), ops.result(scaled), ops.result(ops.add(i, ops.constant(np.int64(0))))
    loop = ops.loop(trip, ops.constant(True))
    loop.set_function(_model([cond_r, scaled_r, i_r], [bx, i], "body"))
    loop.set_special_body_ports([1, 0])
    loop.set_invariant_input(bx, x.output(0))
    every = _named(loop.get_concatenated_slices(scaled_r.output(0), 0, 1, 1, -1, 1), "every")
    counts = _named(loop.get_concatenated_slices(i_r.output(0), 0, 1, 1, -1, 0), "counts")
    last = _named(loop.get_iter_value(scaled_r.output(0), -1), "last")
    return _model([ops.result(o, name=n) for o, n in ((every, "every"), (counts, "counts"), (last, "last"))], [trip, x],
                  "loop_iteration_concat")


def loop_static_trip():
    """A Loop with a constant trip count (3) and a constantly true condition: the concatenated output is static
    ([3, 2]), in OpenVINO's inference and ovconvert's alike."""
    import openvino.opset8 as ops

    x = ops.parameter([1, 2], np.float32, name="x")
    p = ops.parameter([1, 2], np.float32, name="p")
    value = ops.sin(p)
    cond_r, value_r, cat_r = ops.result(ops.constant(True)), ops.result(value), ops.result(value)
    loop = ops.loop(ops.constant(np.int64(3)), ops.constant(True))
    loop.set_function(_model([cond_r, value_r, cat_r], [p], "body"))
    loop.set_special_body_ports([-1, 0])
    loop.set_merged_input(p, x.output(0), value_r.output(0))
    every = _named(loop.get_concatenated_slices(cat_r.output(0), 0, 1, 1, -1, 0), "every")
    return _model([ops.result(every, name="every")], [x], "loop_static_trip")


@dataclass
class Case:
    """A model and the input sets it is checked on."""

    name: str
    build: Callable[[], object]
    inputs: list[tuple[str, dict[str, np.ndarray]]] = field(default_factory=list)
    # op types ovconvert's IR must not hold (what its passes fold away)
    absent: tuple[str, ...] = ()


def cases() -> list[Case]:
    rng = np.random.default_rng(7)

    def f32(*shape):
        return rng.standard_normal(shape).astype(np.float32)

    def i64(v):
        return np.array(v, np.int64)

    x23 = f32(2, 3)
    positive, negative = np.abs(f32(4)) + 0.1, -np.abs(f32(4)) - 0.1
    y4 = f32(4)
    return [
        Case("if_branch_shapes", if_branch_shapes,
             [("cond true", {"cond": np.array(True), "x": x23}), ("cond false", {"cond": np.array(False), "x": x23})]),
        Case("if_outer_values", if_outer_values,
             [("sum(x) > 0", {"x": positive * 3, "y": y4}), ("sum(x) <= 0", {"x": negative * 3, "y": y4})]),
        Case("if_shape_condition", if_shape_condition, [("x", {"x": x23})], absent=("If",)),
        Case("loop_nested_if", loop_nested_if, [(f"trip {t}", {"trip": i64(t), "x": f32(1, 2)}) for t in (1, 2, 5)]),
        Case("loop_trip_and_condition", loop_trip_and_condition, [
            ("trip 3 ends it", {"trip": i64(3), "x": np.zeros((1, 3), np.float32), "step": np.ones((1, 3), np.float32),
                                "limit": np.array(1e6, np.float32)}),
            ("the condition ends it before trip 10", {"trip": i64(10), "x": np.zeros((1, 3), np.float32),
                                                      "step": np.ones((1, 3), np.float32), "limit": np.array(10, np.float32)}),
            ("trip -1, the condition ends it", {"trip": i64(-1), "x": f32(1, 3), "step": np.full((1, 3), 0.5, np.float32),
                                                "limit": np.array(7.25, np.float32)}),
        ]),
        Case("loop_while", loop_while, [
            ("runs", {"run": np.array(True), "x": np.array([0.5, 1, 2], np.float32)}),
            ("does not run", {"run": np.array(False), "x": np.array([0.5, 1, 2], np.float32)}),
        ]),
        Case("loop_iteration_concat", loop_iteration_concat, [(f"trip {t}", {"trip": i64(t), "x": f32(2, 1)}) for t in (1, 3, 4)]),
        Case("loop_static_trip", loop_static_trip, [("x", {"x": f32(1, 2)})]),
    ]


# ---------------------------------------------------------------------------------------------
# The check


def infer(compiled, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
    """The compiled model's outputs for feeds (by input name), in output order."""
    request = compiled.create_infer_request()
    request.infer({name: verify.to_ov_tensor(value) for name, value in feeds.items()})
    return [np.array(request.get_output_tensor(i).data, copy=True) for i in range(len(compiled.outputs))]


def run_case(case: Case, ovconvert: Path, core, config: dict, timeout: float) -> list[tuple[str, str | None]]:
    """Saves, converts and checks one model; returns (check name, failure or None) per check."""
    import openvino as ov

    results: list[tuple[str, str | None]] = []
    with tempfile.TemporaryDirectory(prefix="ovcf-") as tmp:
        source = Path(tmp) / "source" / f"{case.name}.xml"
        source.parent.mkdir()
        model = case.build()
        ov.save_model(model, str(source), compress_to_fp16=False)
        try:
            xml = verify.convert("ovconvert", str(ovconvert), source, Path(tmp) / "out", timeout, [])
        except verify.StageError as e:
            return [(f"{case.name}: convert", f"{e.status}: {e.reason}")]
        original = core.read_model(str(source))
        converted = core.read_model(str(xml))
        names = [r.get_friendly_name() for r in converted.get_results()]
        shapes = ([str(o.get_partial_shape()) for o in original.outputs], [str(o.get_partial_shape()) for o in converted.outputs])
        results.append((f"{case.name}: output shapes {shapes[0]}",
                        None if shapes[0] == shapes[1] else f"the converted IR's outputs are {shapes[1]}"))
        left = sorted({op.get_type_name() for op in converted.get_ops()} & set(case.absent))
        if case.absent:
            results.append((f"{case.name}: no {', '.join(case.absent)} left", f"the converted IR still has {left}" if left else None))
        compiled_original = core.compile_model(original, "CPU", config)
        compiled_converted = core.compile_model(converted, "CPU", config)
        for label, feeds in case.inputs:
            expected = list(zip(names, infer(compiled_original, feeds)))
            results.append((f"{case.name} [{label}]: OpenVINO on ovconvert's IR", compare_outputs(expected, infer(compiled_converted, feeds))))
            try:
                evaluated = verify.run_evaluator(str(ovconvert), xml, feeds, names, Path(tmp), timeout)
                results.append((f"{case.name} [{label}]: ovconvert run", compare_outputs(expected, evaluated)))
            except verify.StageError as e:
                results.append((f"{case.name} [{label}]: ovconvert run", f"{e.status}: {e.reason}"))
    return results


def cmd_controlflow(args: argparse.Namespace) -> int:
    """Checks every case and prints `N passed, M failed`."""
    import openvino as ov

    config = {**machine.NUMERIC_CONFIG, "NUM_STREAMS": 1}
    print(machine.banner(config), flush=True)
    selected = [c for c in cases() if not args.only or args.only in c.name]
    if not selected:
        sys.exit(f"error: no case matches {args.only!r}")
    core = ov.Core()
    passed = failed = 0
    for case in selected:
        try:
            checks = run_case(case, args.ovconvert, core, config, args.timeout)
        except Exception as e:  # noqa: BLE001 - an OpenVINO error on one case is that case's failure
            checks = [(case.name, f"OpenVINO: {verify.openvino_message(e)}")]
        for name, failure in checks:
            if failure:
                failed += 1
                print(f"FAIL {name}: {failure}", flush=True)
            else:
                passed += 1
                print(f"PASS {name}", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def add_parser(sub) -> None:
    """Registers `controlflow` on verify.py's subcommands."""
    p = sub.add_parser("controlflow", help="If/Loop models built with OpenVINO's API, through ovconvert, judged by OpenVINO")
    p.add_argument("--ovconvert", help="ovconvert binary (default: $OVCONVERT, else .build/debug/ovconvert)")
    p.add_argument("--only", metavar="NAME", help="only the cases whose name contains NAME")
    p.add_argument("--timeout", type=float, default=120, help="seconds per conversion or evaluation (default: 120)")
    p.add_argument("--engine", default="ovconvert", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_controlflow)
