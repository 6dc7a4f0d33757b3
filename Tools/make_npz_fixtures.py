"""Writes the small .npz files under testdata/npz/ that the NPZ reader tests use (numpy.savez and
numpy.savez_compressed; values are aranges so the tests can state them)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "testdata" / "npz"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    arrays = {
        "a": np.arange(6, dtype=np.float32).reshape(2, 3),
        "b": np.array([1, -2], dtype=np.int64),
        "flag": np.array([True, False, True]),
        "h": np.array([0.5, -2.0], dtype=np.float16),
        "scalar": np.array(7, dtype=np.uint8),
    }
    np.savez(OUT / "savez.npz", **arrays)
    np.savez_compressed(OUT / "savez_compressed.npz", **arrays)
    # A column-major array: numpy stores it with fortran_order True.
    np.savez(OUT / "fortran.npz", m=np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
    np.savez(OUT / "bigendian.npz", x=np.arange(3, dtype=">f4"))
    np.savez(OUT / "strings.npz", s=np.array(["a", "b"]))
    # The YOLO fixture's input, for `ovconvert run` and `--verify-inputs` tests.
    rng = np.random.default_rng(0)
    np.savez(OUT / "yolo_tiny_images.npz", images=rng.random((1, 3, 128, 128), dtype=np.float32))


if __name__ == "__main__":
    main()
