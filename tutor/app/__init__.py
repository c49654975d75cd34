"""The Textual app (``tutor start``).

Only this package imports Textual. Its modules import NumPy, plotext and the grader lazily,
when a plot or a check needs them: the first screen must open fast (see docs/performance.md).
"""
