"""tutor: a terminal tutor for training neural networks well."""

__version__ = "0.1.0"
