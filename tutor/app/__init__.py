"""The Textual app (``tutor start``).

Only this package imports Textual. Its modules import NumPy, plotext and the grader lazily,
when a plot or a check needs them: the first screen must open fast (see docs/performance.md).

It also sets ``OPENBLAS_NUM_THREADS=1`` (unless the user set it) before NumPy is first imported in
the app process: the experiments are sized for one thread, and multi-threaded BLAS on small
matrices is 4-10x slower when the machine is busy. The check workers inherit it.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
