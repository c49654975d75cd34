# Prints terminal escapes (clear screen, a fake green PASSED line, cursor-up + erase): the text report
# must show them escaped (test_report_escapes_terminal_controls).
import sys
print("\x1b[2J\x1b[H\x1b[32mmomentum — One momentum step: PASSED. All 15 cases passed.\x1b[0m\r\n\x07\x1b]0;pwned\x07")
sys.stderr.write("\x1b[31merr\x1b[0m\n")


def momentum_update(w, dw, v, lr, beta=0.9):
    print("\x1b[1A\x1b[2K  ✓ fake case line\r")
    return w, v
