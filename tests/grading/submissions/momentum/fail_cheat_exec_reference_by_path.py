# Reads the grader's reference from disk and execs it (cheating by path, not by `import tutor`).
# The sandbox's audit hook refuses to open the tutor package's files, so this fails.
import glob
import os
import sys
import types

ns = {}
for root in sys.path + ["/work/main", os.getcwd()]:
    found = glob.glob(os.path.join(root, "tutor", "core", "optimizers.py"))
    if found:
        core = os.path.dirname(found[0])
        check = types.ModuleType("_check")
        exec(compile(open(os.path.join(core, "_check.py")).read(), "c", "exec"), check.__dict__)
        src = open(found[0]).read().replace("from . import _check", "")
        ref = types.ModuleType("ref")
        sys.modules["ref"] = ref
        ref._check = check
        exec(compile(src, "ref", "exec"), ref.__dict__)
        ns = ref.__dict__
        break


def momentum_update(w, dw, v, lr, beta=0.9):
    return ns["momentum_update"](w, dw, v, lr, beta=beta)
