"""Python of the test wrapper course (put on sys.path by `python: py` when resolving)."""


def curve(*, lr: float = 0.1, steps: int = 10):
    return [lr * i for i in range(steps)]


def double(x):
    return 2 * x


def double_cases(rng):
    return [{"name": "one", "ops": [{"op": "call", "fn": "double", "kwargs": {"x": 1.0}, "out": "y"}]}]
