"""The case interpreter: ops, markers, copies, mutation detection and error records."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tutor.grading import program
from tutor.grading.program import CaseRun, ProgramError, Ref, Rng, run_case, run_cases

FILE = "/workspace/exercise.py"


def momentum(w, dw, v, beta=0.9, lr=0.1):
    v = beta * v + (1 - beta) * dw
    return w - lr * v, v


def momentum_in_place(w, dw, v, beta=0.9, lr=0.1):
    v *= beta
    v += (1 - beta) * dw
    w -= lr * v
    return w, v


class SGD:
    def __init__(self, lr):
        self.lr = lr
        self.t = 0

    def step(self, params, grads):
        self.t += 1
        for key in params:
            params[key] = params[key] - self.lr * grads["d" + key]


def call_case(fn="momentum", **kwargs):
    return {"name": "c", "ops": [{"op": "call", "fn": fn, "kwargs": kwargs, "out": "result"}]}


def test_call_records_output_and_leaves_case_arrays_untouched():
    w, dw, v = np.array([1.0, 2.0]), np.array([0.5, -0.5]), np.zeros(2)
    case = call_case(w=w, dw=dw, v=v)
    ns = {"momentum": momentum_in_place}
    first = run_case(ns, case)
    second = run_case(ns, case)
    np.testing.assert_allclose(first.outputs["result"][0], [0.995, 2.005])
    np.testing.assert_allclose(second.outputs["result"][0], [0.995, 2.005])
    assert w.tolist() == [1.0, 2.0] and v.tolist() == [0.0, 0.0]


def test_mutation_is_reported_per_argument_and_out_of_place_is_clean():
    case = call_case(w=np.ones(2), dw=np.ones(2), v=np.zeros(2))
    assert run_case({"momentum": momentum}, case).mutated == ()
    assert set(run_case({"momentum": momentum_in_place}, case).mutated) == {(0, "w"), (0, "v")}


def test_mutation_inside_a_dict_argument_is_reported():
    def l2_grads(grads, params):
        grads["dW1"] += params["W1"]
        return grads

    case = call_case("l2_grads", grads={"dW1": np.ones(2)}, params={"W1": np.ones(2)})
    outcome = run_case({"l2_grads": l2_grads}, case)
    assert outcome.mutated == ((0, "grads"),)
    np.testing.assert_allclose(outcome.outputs["result"]["dW1"], [2.0, 2.0])


def test_stateful_program_with_ref_and_snapshots():
    case = {
        "name": "trajectory",
        "ops": [
            {"op": "let", "slot": "p", "value": {"W1": np.ones(2)}},
            {"op": "new", "cls": "SGD", "kwargs": {"lr": 0.5}, "slot": "opt"},
            {"op": "method", "obj": "opt", "method": "step",
             "kwargs": {"params": Ref("p"), "grads": {"dW1": np.ones(2)}}},
            {"op": "snapshot", "slot": "p", "out": "after1"},
            {"op": "method", "obj": "opt", "method": "step",
             "kwargs": {"params": Ref("p"), "grads": {"dW1": np.ones(2)}}, "out": "returned"},
            {"op": "snapshot", "slot": "p", "out": "after2"},
        ],
    }
    outcome = run_case({"SGD": SGD}, case)
    assert outcome.error is None
    np.testing.assert_allclose(outcome.outputs["after1"]["W1"], [0.5, 0.5])
    np.testing.assert_allclose(outcome.outputs["after2"]["W1"], [0.0, 0.0])
    assert outcome.outputs["returned"] is None
    assert outcome.mutated == ()  # Ref arguments are meant to change


def test_snapshot_is_a_copy_taken_at_that_point():
    def bump(a):
        a += 1

    case = {
        "name": "c",
        "ops": [
            {"op": "let", "slot": "a", "value": np.zeros(2)},
            {"op": "snapshot", "slot": "a", "out": "before"},
            {"op": "call", "fn": "bump", "kwargs": {"a": Ref("a")}},
            {"op": "snapshot", "slot": "a", "out": "after"},
        ],
    }
    outcome = run_case({"bump": bump}, case)
    assert outcome.outputs["before"].tolist() == [0.0, 0.0]
    assert outcome.outputs["after"].tolist() == [1.0, 1.0]


def test_returned_array_is_frozen_when_returned():
    state = {"W": np.zeros(2)}

    def get():
        return state["W"]

    def bump():
        state["W"] += 1

    case = {"name": "c", "ops": [
        {"op": "call", "fn": "get", "out": "got"},
        {"op": "call", "fn": "bump"},
    ]}
    outcome = run_case({"get": get, "bump": bump}, case)
    assert outcome.outputs["got"].tolist() == [0.0, 0.0]


def test_rng_marker_gives_identically_seeded_generators():
    def draw(rng):
        return rng.random(3)

    case = call_case("draw", rng=Rng(7))
    a = run_case({"draw": draw}, case).outputs["result"]
    b = run_case({"draw": draw}, case).outputs["result"]
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, np.random.default_rng(7).random(3))


def test_an_exception_ends_only_its_case_with_the_learners_frames():
    source = "def f(x):\n    return 1 / 0 if x == 2 else x\n"
    ns: dict = {}
    exec(compile(source, FILE, "exec"), ns)
    cases = [call_case("f", x=1), call_case("f", x=2), call_case("f", x=3)]
    outcomes = run_cases(ns, cases, filename=FILE)
    assert [o.error is None for o in outcomes] == [True, False, True]
    error = outcomes[1].error
    assert error.type == "ZeroDivisionError" and error.op_index == 0
    assert f'File "{FILE}", line 2' in error.traceback
    assert "program.py" not in error.traceback


def test_unknown_function_and_wrong_signature_are_error_records():
    missing = run_case({}, call_case("nope"))
    assert missing.error.type == "NameError"
    wrong = run_case({"momentum": lambda w, dw: w}, call_case(w=1.0, dw=2.0, v=3.0))
    assert wrong.error.type == "TypeError" and "'v'" in wrong.error.message


def test_outputs_before_an_error_are_kept():
    case = {"name": "c", "ops": [
        {"op": "call", "fn": "f", "kwargs": {"x": 1}, "out": "first"},
        {"op": "call", "fn": "f", "kwargs": {"x": 0}, "out": "second"},
    ]}
    outcome = run_case({"f": lambda x: 1 / x}, case)
    assert outcome.outputs == {"first": 1.0} and outcome.error.op_index == 1


@pytest.mark.parametrize(
    "case",
    [
        {"ops": []},
        {"name": "x", "ops": [{"op": "jump"}]},
        {"name": "x", "ops": [{"op": "call"}]},
        {"name": "x", "ops": [{"op": "snapshot", "slot": "never", "out": "o"}]},
        "not a case",
    ],
)
def test_malformed_programs_raise_program_error(case):
    with pytest.raises(ProgramError):
        run_case({}, case)


def test_keyboard_interrupt_propagates_unless_caught():
    def f():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_case({"f": f}, call_case("f"))
    outcome = run_case({"f": f}, call_case("f"), catch=(Exception, KeyboardInterrupt))
    assert outcome.error.type == "KeyboardInterrupt"


def test_case_outcome_is_case_run():
    assert program.CaseOutcome is CaseRun


def test_program_imports_only_stdlib_and_numpy():
    path = Path(program.__file__)
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('p', {str(path)!r})\n"
        "m = importlib.util.module_from_spec(spec); sys.modules['p'] = m; spec.loader.exec_module(m)\n"
        "print(any(n == 'tutor' or n.startswith('tutor.') for n in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_request_round_trips_with_arrays_scalars_and_markers():
    import numpy as np

    from tutor.grading.program import Ref, Rng, pack_request, unpack_request

    request = {"source": "x = 1\n", "cases": [{"name": "c", "ops": [{"op": "call", "fn": "f", "out": "r",
               "args": [np.arange(6.0).reshape(2, 3), np.float64(0.5), np.int32(3), Ref("w"), Rng(7),
                        np.zeros((0, 2)), np.array(True), [1, (2.5, None)], {"k": "v"}]}]}]}
    back = unpack_request(pack_request(request))
    args = back["cases"][0]["ops"][0]["args"]
    assert np.array_equal(args[0], np.arange(6.0).reshape(2, 3)) and args[0].flags.writeable
    assert type(args[1]) is np.float64 and args[1] == 0.5 and type(args[2]) is np.int32
    assert args[3] == Ref("w") and args[4] == Rng(7)
    assert args[5].shape == (0, 2) and args[6].dtype == bool
    assert args[7:] == [[1, (2.5, None)], {"k": "v"}]


@pytest.mark.parametrize("module, name", [("os", "system"), ("builtins", "eval"), ("numpy", "load"),
                                          ("subprocess", "Popen"), ("tutor.grading.program", "run_case")])
def test_a_request_that_names_any_other_global_is_refused(module, name):
    import pickle

    from tutor.grading.program import unpack_request

    forged = b"\x80\x05" + pickle.dumps(module, 5)[2:-1] + pickle.dumps(name, 5)[2:-1] + b"\x93."
    with pytest.raises(ValueError, match="may not name"):
        unpack_request(forged)
    with pytest.raises(ValueError, match="unreadable request"):
        unpack_request(b"not a pickle")
