"""Writes the small images under testdata/calibration/ that the Calibration tests decode and preprocess, with
the values the tests expect next to them as .npy arrays, computed here independently of ovconvert:

* NAME.png / NAME.jpg: the image; NAME.pixels.npy: the 8-bit RGB pixels [H, W, 3] it must decode to. For a PNG
  these are the array the file was written from, converted the way OpenCV's imread(IMREAD_COLOR) converts
  (gray replicated, palette looked up, 16-bit cut to the high byte, alpha dropped); for a JPEG they are what
  Pillow decodes it to (libjpeg-turbo, as the Debian library ovconvert links), turned upright by its EXIF
  orientation (ImageOps.exif_transpose).
* letterbox_*.npy / stretch_*.npy: the [1, 3, H, W] f32 tensors that Ultralytics' LetterBox (auto=False,
  center=True, pad 114, cv2.INTER_LINEAR) and then RGB, /255 (or another mean/scale) make of rgb_7x5.png,
  computed with numpy (half-pixel bilinear sampling, Python's round for the sizes and the padding).
* dataset/: a folder of images and an Ultralytics dataset YAML over it; arrays/: .npy/.npz samples.

Some PNGs (16-bit RGB, Adam7-interlaced, 1-bit gray) are written by the small encoder below, as Pillow writes
none of these; Pillow decodes each afterwards as a check. Run with the Tools venv:
    Tools/.venv/bin/python Tools/make_calibration_fixtures.py
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

OUT = Path(__file__).resolve().parent.parent / "testdata" / "calibration"
RNG = np.random.default_rng(20261203)


def png_bytes(pixels: np.ndarray, color_type: int, bit_depth: int, interlace: bool = False,
              palette: np.ndarray | None = None) -> bytes:
    """A PNG of `pixels` ([H, W] or [H, W, C], values already at `bit_depth`), filter 0 on every row."""
    height, width = pixels.shape[:2]
    channels = 1 if pixels.ndim == 2 else pixels.shape[2]

    def rows(image: np.ndarray) -> bytes:
        out = b""
        for row in image:
            flat = row.reshape(-1)
            if bit_depth == 16:
                data = flat.astype(">u2").tobytes()
            elif bit_depth == 8:
                data = flat.astype(np.uint8).tobytes()
            else:  # 1, 2 or 4 bits, packed from the high bits
                per = 8 // bit_depth
                padded = np.concatenate([flat, np.zeros((-len(flat)) % per, dtype=flat.dtype)]).astype(np.uint8)
                data = bytes(
                    sum(int(v) << (8 - bit_depth * (k + 1)) for k, v in enumerate(padded[i:i + per]))
                    for i in range(0, len(padded), per))
            out += b"\x00" + data
        return out

    if interlace:  # Adam7: seven passes of sub-images, each (x0, y0, dx, dy)
        raw = b""
        for x0, y0, dx, dy in [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]:
            sub = pixels[y0::dy, x0::dx]
            if sub.shape[0] and sub.shape[1]:
                raw += rows(sub)
    else:
        raw = rows(pixels)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 1 if interlace else 0)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
    if palette is not None:
        out += chunk(b"PLTE", palette.astype(np.uint8).tobytes())
    out += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    assert channels in (1, 2, 3, 4)
    return out


def save_png(name: str, data: bytes, expected: np.ndarray) -> None:
    (OUT / name).write_bytes(data)
    np.save(OUT / name.replace(".png", ".pixels.npy"), expected.astype(np.uint8))


def cv2_linear(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """cv2.resize(image, (width, height), interpolation=cv2.INTER_LINEAR) in float64, rounded to uint8."""
    src_h, src_w = image.shape[:2]

    def taps(source: int, destination: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        position = (np.arange(destination) + 0.5) * (source / destination) - 0.5
        first = np.floor(position).astype(int)
        weight = position - first
        weight[first < 0] = 0
        first[first < 0] = 0
        past = first >= source - 1
        weight[past] = 0
        first[past] = source - 1
        return first, np.minimum(first + 1, source - 1), weight

    x0, x1, wx = taps(src_w, width)
    y0, y1, wy = taps(src_h, height)
    img = image.astype(np.float64)
    rows = img[y0] * (1 - wy)[:, None, None] + img[y1] * wy[:, None, None]
    out = rows[:, x0] * (1 - wx)[None, :, None] + rows[:, x1] * wx[None, :, None]
    return np.clip(np.floor(out + 0.5), 0, 255).astype(np.uint8)


def letterbox(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """Ultralytics' LetterBox(new_shape=(height, width), auto=False) on an HWC uint8 image, pad 114."""
    shape = image.shape[:2]
    r = min(height / shape[0], width / shape[1])
    new_unpad = int(round(shape[1] * r)), int(round(shape[0] * r))
    dw, dh = (width - new_unpad[0]) / 2, (height - new_unpad[1]) / 2
    if shape[::-1] != new_unpad:
        image = cv2_linear(image, *new_unpad)
    top, bottom = int(round(dh - 0.1)), int(round(dh + 0.1))
    left, right = int(round(dw - 0.1)), int(round(dw + 0.1))
    return np.pad(image, ((top, bottom), (left, right), (0, 0)), constant_values=114)


def to_tensor(image: np.ndarray, mean=(0.0, 0.0, 0.0), scale=(255.0, 255.0, 255.0), bgr: bool = False) -> np.ndarray:
    chw = image.transpose(2, 0, 1).astype(np.float32)
    if bgr:
        chw = chw[::-1]
    chw = (chw - np.array(mean, np.float32)[:, None, None]) / np.array(scale, np.float32)[:, None, None]
    return np.ascontiguousarray(chw[None])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)

    # PNGs through Pillow: RGB, gray, palette, RGBA, gray+alpha, 16-bit gray.
    rgb = RNG.integers(0, 256, (5, 7, 3), dtype=np.uint8)
    Image.fromarray(rgb).save(OUT / "rgb_7x5.png")
    np.save(OUT / "rgb_7x5.pixels.npy", rgb)
    gray = RNG.integers(0, 256, (2, 4), dtype=np.uint8)
    Image.fromarray(gray).save(OUT / "gray_4x2.png")
    np.save(OUT / "gray_4x2.pixels.npy", np.repeat(gray[:, :, None], 3, axis=2))
    palette = RNG.integers(0, 256, (4, 3), dtype=np.uint8)
    indices = RNG.integers(0, 4, (4, 4), dtype=np.uint8)
    p = Image.new("P", (4, 4))
    p.putdata(indices.reshape(-1).tolist())
    p.putpalette(palette.reshape(-1).tolist())
    p.save(OUT / "palette_4x4.png")
    np.save(OUT / "palette_4x4.pixels.npy", palette[indices])
    rgba = RNG.integers(0, 256, (3, 3, 4), dtype=np.uint8)
    rgba[0, 0, 3] = 0  # a fully transparent pixel keeps its colour: alpha is dropped, not composited
    Image.fromarray(rgba).save(OUT / "rgba_3x3.png")
    np.save(OUT / "rgba_3x3.pixels.npy", rgba[:, :, :3])
    la = RNG.integers(0, 256, (2, 3, 2), dtype=np.uint8)
    Image.fromarray(la).save(OUT / "gray_alpha_3x2.png")
    np.save(OUT / "gray_alpha_3x2.pixels.npy", np.repeat(la[:, :, :1], 3, axis=2))
    gray16 = RNG.integers(0, 65536, (2, 3), dtype=np.uint16)
    Image.fromarray(gray16).save(OUT / "gray16_3x2.png")
    np.save(OUT / "gray16_3x2.pixels.npy", np.repeat((gray16 >> 8)[:, :, None], 3, axis=2).astype(np.uint8))

    # PNGs Pillow does not write: 16-bit RGB, Adam7-interlaced RGB, 1-bit gray.
    rgb16 = RNG.integers(0, 65536, (3, 2, 3), dtype=np.uint16)
    save_png("rgb16_2x3.png", png_bytes(rgb16, 2, 16), rgb16 >> 8)
    interlaced = RNG.integers(0, 256, (9, 10, 3), dtype=np.uint8)
    save_png("interlaced_10x9.png", png_bytes(interlaced, 2, 8, interlace=True), interlaced)
    bits = RNG.integers(0, 2, (3, 10), dtype=np.uint8)
    save_png("gray1_10x3.png", png_bytes(bits, 0, 1), np.repeat((bits * 255)[:, :, None], 3, axis=2))
    for name in ["rgb16_2x3.png", "interlaced_10x9.png", "gray1_10x3.png"]:  # Pillow agrees (it reads 16-bit RGB as 8)
        decoded = np.asarray(Image.open(OUT / name).convert("RGB"))
        assert np.array_equal(decoded, np.load(OUT / name.replace(".png", ".pixels.npy"))), name

    # JPEGs: a smooth colour picture (baseline 4:2:0, progressive 4:4:4), a gray one, a CMYK one.
    y, x = np.mgrid[0:12, 0:16]
    photo = np.stack([x * 15, y * 20, 255 - x * 8 - y * 6], axis=2).clip(0, 255).astype(np.uint8)
    Image.fromarray(photo).save(OUT / "photo_16x12.jpg", quality=90, subsampling=2)
    Image.fromarray(photo).save(OUT / "progressive_16x12.jpg", quality=90, subsampling=0, progressive=True)
    Image.fromarray(photo[:, :, 1]).save(OUT / "gray_16x12.jpg", quality=90)
    Image.fromarray(photo).convert("CMYK").save(OUT / "cmyk_16x12.jpg", quality=90)
    # EXIF orientations 3 (upside down), 6 (turned right) and 5 (mirrored, turned left): the pixels expected are
    # Pillow's decoding turned upright by ImageOps.exif_transpose.
    for orientation in [3, 5, 6]:
        exif = Image.Exif()
        exif[0x0112] = orientation
        Image.fromarray(photo).save(OUT / f"exif{orientation}_16x12.jpg", quality=90, exif=exif.tobytes())
    for name in ["photo_16x12.jpg", "progressive_16x12.jpg", "gray_16x12.jpg"] + [f"exif{o}_16x12.jpg" for o in [3, 5, 6]]:
        upright = ImageOps.exif_transpose(Image.open(OUT / name))
        np.save(OUT / name.replace(".jpg", ".pixels.npy"), np.asarray(upright.convert("RGB")))

    # Preprocessed tensors of rgb_7x5.png: letterboxed down, up and to a non-square size; stretched; BGR with
    # ImageNet mean/scale.
    np.save(OUT / "letterbox_7x5_to_4x4.npy", to_tensor(letterbox(rgb, 4, 4)))
    np.save(OUT / "letterbox_7x5_to_16x16.npy", to_tensor(letterbox(rgb, 16, 16)))
    np.save(OUT / "letterbox_7x5_to_8x12.npy", to_tensor(letterbox(rgb, 8, 12)))  # H 8, W 12
    np.save(OUT / "stretch_7x5_to_6x9.npy", to_tensor(cv2_linear(rgb, 9, 6)))  # H 6, W 9
    np.save(OUT / "letterbox_7x5_to_4x4_bgr_imagenet.npy",
            to_tensor(letterbox(rgb, 4, 4), mean=(103.53, 116.28, 123.675), scale=(57.375, 57.12, 58.395), bgr=True))

    # A dataset: three images in two folders, a YAML whose val is a folder and whose train is a .txt list.
    data = OUT / "dataset"
    (data / "images" / "val" / "sub").mkdir(parents=True, exist_ok=True)
    (data / "images" / "train").mkdir(parents=True, exist_ok=True)
    Image.fromarray(rgb).save(data / "images" / "val" / "b.png")
    Image.fromarray(photo).save(data / "images" / "val" / "sub" / "a.jpg", quality=90)
    Image.fromarray(gray).save(data / "images" / "val" / "c.png")
    (data / "images" / "val" / "notes.txt").write_text("not an image\n")
    Image.fromarray(rgb).save(data / "images" / "train" / "t.png")
    (data / "train.txt").write_text("./images/train/t.png\nimages/val/c.png\n")
    (data / "coco_tiny.yaml").write_text(
        "# An Ultralytics dataset YAML over this folder (path relative to the YAML)\n"
        "path: .\ntrain: train.txt\nval: images/val\ntest:\nnames:\n  0: person\n  1: bicycle\n")

    # Array samples for a model with inputs x [1, 2] f32 and y [3] i64 (npz), and for one input (npy).
    arrays = OUT / "arrays"
    arrays.mkdir(exist_ok=True)
    np.savez(arrays / "s0.npz", x=np.array([[1.5, -2]], np.float32), y=np.array([1, 2, 3], np.int64))
    np.savez_compressed(arrays / "s1.npz", x=np.array([[0.25, 4]], np.float32), y=np.array([-1, 0, 7], np.int64))
    single = OUT / "single"
    single.mkdir(exist_ok=True)
    np.save(single / "a.npy", np.arange(6, dtype=np.float32).reshape(1, 2, 3))
    np.save(single / "b.npy", np.arange(10, 16, dtype=np.float32).reshape(1, 2, 3))


if __name__ == "__main__":
    main()
