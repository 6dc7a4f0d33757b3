"""Where users load ovconvert's output: `YOLO(folder).predict(image)` on the folder ovconvert writes (with and
without --nms), for the trained detectors of Tools/models.py on scikit-image's photographs, must give

- the same boxes, scores and classes (within 1e-2 px, 1e-3 relative) as the folder of OpenVINO's own converter
  (`ovc`, with ovconvert's metadata.yaml beside it), and
- the same detections as `YOLO(source.onnx).predict(image)`, classes equal and boxes and scores within 1 px or
  1% and 0.01: Ultralytics feeds its OpenVINO backend slightly differently from its ONNX Runtime one (ovc's
  folder differs from the ONNX model by the same amounts), so exact equality is not to be had there.

Needs the peers venv (torch, Ultralytics):

    Tools/setup-peers.sh && Tools/.venv-peers/bin/python Tools/ultralytics_check.py [--ovconvert PATH]

Not run by CI. Prints one line per model, image and folder, and `N passed, M failed`.
"""

from __future__ import annotations

import argparse
import os
import shutil
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
    folder.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([str(ovconvert), str(model), "-o", str(folder), "--force", "-q", *args],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"error: ovconvert {model.name} {' '.join(args)}: {proc.stderr.strip()}")
    return folder


def detections(model, image: Path, conf: float) -> np.ndarray:
    """Rows x1, y1, x2, y2 (original image pixels), score, class, best first."""
    result = model.predict(str(image), conf=conf, iou=0.7, verbose=False)[0].boxes
    return np.concatenate([result.xyxy.numpy(), result.conf.numpy()[:, None], result.cls.numpy()[:, None]], axis=1)


def difference(expected: np.ndarray, actual: np.ndarray, rtol: float, box_atol: float, score_atol: float) -> str | None:
    """Why two detection lists differ (count, class, or a box value beyond max(rtol·|x|, box_atol) px or a score
    beyond score_atol), or None."""
    if expected.shape != actual.shape:
        return f"{len(actual)} detections, expected {len(expected)}"
    if not np.array_equal(expected[:, 5], actual[:, 5]):
        return f"classes {actual[:, 5].astype(int).tolist()}, expected {expected[:, 5].astype(int).tolist()}"
    limit = np.maximum(rtol * np.abs(expected[:, :5]), [box_atol] * 4 + [score_atol])
    bad = np.abs(actual[:, :5] - expected[:, :5]) > limit
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
    import openvino as ov

    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="ovultra-") as tmp:
        for name, images in CASES.items():
            source = models.model(name)
            stem = source.stem
            folders = {
                "--nms": convert(args.ovconvert, source, Path(tmp) / "nms" / f"{stem}_openvino_model", "--nms", "--conf", str(args.conf)),
                "raw": convert(args.ovconvert, source, Path(tmp) / "raw" / f"{stem}_openvino_model"),
            }
            peer = Path(tmp) / "ovc" / f"{stem}_openvino_model"
            peer.mkdir(parents=True)
            ov.save_model(ov.convert_model(str(source)), str(peer / f"{stem}.xml"), compress_to_fp16=False)
            shutil.copy(folders["raw"] / "metadata.yaml", peer / "metadata.yaml")
            onnx_model, ovc_model = YOLO(str(source), task="detect"), YOLO(str(peer), task="detect")
            loaded = {label: YOLO(str(folder), task="detect") for label, folder in folders.items()}
            for image_name in images:
                image = models.image(image_name)
                from_onnx, from_ovc = detections(onnx_model, image, args.conf), detections(ovc_model, image, args.conf)
                for label, model in loaded.items():
                    ours = detections(model, image, args.conf)
                    what = f"{name} {image_name}: YOLO(ovconvert {label} folder)"
                    checks = [("YOLO(ovc folder)", difference(from_ovc, ours, 1e-3, 1e-2, 1e-3)),
                              (f"YOLO({source.name})", difference(from_onnx, ours, 1e-2, 1.0, 1e-2))]
                    for peer_label, why in checks:
                        if why:
                            failed += 1
                            print(f"FAIL {what} vs {peer_label}: {why}")
                        else:
                            passed += 1
                            gap = np.abs(ours[:, :5] - from_onnx[:, :5]).max(initial=0) if peer_label != "YOLO(ovc folder)" else 0
                            print(f"PASS {what} vs {peer_label}: {len(ours)} detections "
                                  f"({', '.join(f'class {int(c)} {s:.3f}' for s, c in ours[:, 4:6])})"
                                  + (f", largest difference {gap:.3f}" if peer_label != "YOLO(ovc folder)" else ", identical within 1e-2 px"))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
