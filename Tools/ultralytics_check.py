"""Where users load ovconvert's output: `YOLO(folder).predict(image)` on the folder ovconvert writes (with and
without --nms) must give the same boxes, scores and classes as `YOLO(source.onnx).predict(image)`, for the
trained detectors of Tools/models.py on scikit-image's photographs. Needs the peers venv (torch, Ultralytics):

    Tools/setup-peers.sh && Tools/.venv-peers/bin/python Tools/ultralytics_check.py [--ovconvert PATH]

Not run by CI. Prints one line per model, image and folder, and `N passed, M failed`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import machine  # noqa: E402
import models  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CASES = {  # model -> photographs
    "nudenet_320n": ["astronaut.png", "coffee.png", "motorcycle_left.png"],
    "yolov8n_doclaynet": ["page.png", "text.png"],
}


def convert(ovconvert: Path, model: Path, folder: Path, *args: str) -> Path:
    """ovconvert MODEL -o FOLDER ARGS; exits with its message when it fails."""
    proc = subprocess.run([str(ovconvert), str(model), "-o", str(folder), "--force", "-q", *args],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"error: ovconvert {model.name} {' '.join(args)}: {proc.stderr.strip()}")
    return folder


def detections(model, image: Path, conf: float) -> np.ndarray:
    """Rows x1, y1, x2, y2 (original image pixels), score, class, best first."""
    result = model.predict(str(image), conf=conf, iou=0.7, verbose=False)[0].boxes
    return np.concatenate([result.xyxy.numpy(), result.conf.numpy()[:, None], result.cls.numpy()[:, None]], axis=1)


def difference(expected: np.ndarray, actual: np.ndarray) -> str | None:
    """Why two detection lists differ (count, class, or a value beyond 1e-3 relative / 1e-2 px), or None."""
    if expected.shape != actual.shape:
        return f"{len(actual)} detections, expected {len(expected)}"
    if not np.array_equal(expected[:, 5], actual[:, 5]):
        return f"classes {actual[:, 5].astype(int).tolist()}, expected {expected[:, 5].astype(int).tolist()}"
    bad = np.abs(actual[:, :5] - expected[:, :5]) > np.maximum(1e-3 * np.abs(expected[:, :5]), 1e-2)
    if bad.any():
        row = int(np.argwhere(bad)[0][0])
        return f"row {row}: {actual[row].round(3).tolist()}, expected {expected[row].round(3).tolist()}"
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ovconvert", type=Path, default=Path(os.environ.get("OVCONVERT", ROOT / ".build" / "release" / "ovconvert")))
    ap.add_argument("--conf", type=float, default=0.25)
    args = ap.parse_args()
    import ultralytics
    from ultralytics import YOLO

    print(machine.describe())
    print(f"Ultralytics {ultralytics.__version__}; ovconvert {args.ovconvert}; conf {args.conf}, iou 0.7")
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="ovultra-") as tmp:
        for name, images in CASES.items():
            source = models.model(name)
            stem = source.stem
            folders = {
                "--nms": convert(args.ovconvert, source, Path(tmp) / "nms" / f"{stem}_openvino_model", "--nms", "--conf", str(args.conf)),
                "raw": convert(args.ovconvert, source, Path(tmp) / "raw" / f"{stem}_openvino_model"),
            }
            reference = YOLO(str(source), task="detect")
            loaded = {label: YOLO(str(folder), task="detect") for label, folder in folders.items()}
            for image_name in images:
                image = models.image(image_name)
                expected = detections(reference, image, args.conf)
                for label, model in loaded.items():
                    why = difference(expected, detections(model, image, args.conf))
                    what = f"{name} {image_name} YOLO({stem}_openvino_model, ovconvert {label}) vs YOLO({source.name})"
                    if why:
                        failed += 1
                        print(f"FAIL {what}: {why}")
                    else:
                        passed += 1
                        print(f"PASS {what}: {len(expected)} detections "
                              f"({', '.join(f'{int(c)}:{s:.2f}' for s, c in expected[:, 4:6])})")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
