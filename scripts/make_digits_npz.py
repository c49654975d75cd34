"""Build tutor/core/datasets/digits.npz from scikit-learn's copy of the UCI optical digits.

Run once (scikit-learn is needed here only, never at run time)::

    python scripts/make_digits_npz.py [path/to/digits.csv.gz]

The CSV holds 1,797 rows of 64 pixel counts (0..16) and the label (0..9). The archive stores
``images`` (1797, 8, 8) and ``labels`` (1797,) as uint8, compressed.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tutor" / "core" / "datasets" / "digits.npz"


def main(argv: list[str]) -> int:
    if argv:
        source = Path(argv[0])
    else:
        import sklearn

        source = Path(sklearn.__file__).parent / "datasets" / "data" / "digits.csv.gz"
    with gzip.open(source, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.float64)
    if table.shape != (1797, 65) or not np.array_equal(table, np.round(table)):
        raise SystemExit(f"unexpected table {table.shape} in {source}")
    pixels, labels = table[:, :64], table[:, 64]
    if pixels.min() < 0 or pixels.max() > 16 or set(np.unique(labels)) != set(range(10)):
        raise SystemExit("pixel counts must be 0..16 and labels 0..9")
    np.savez_compressed(OUT, images=pixels.astype(np.uint8).reshape(-1, 8, 8), labels=labels.astype(np.uint8))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
