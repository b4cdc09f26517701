"""Run a peer tool (bk7231tools, ltchiptool) on a pty, where the RTS/DTR ioctls fail.

A pty has no modem lines: pyserial's explicit `rts=`/`dtr=` writes raise ENOTTY there, and
bk7231tools resets the chip through them before it sends anything (docs/protocol.md §11.1). This
launcher makes those two updates log the requested level and swallow ENOTTY/EINVAL, then runs
the tool's module as `__main__`. The peers' protocol logic is left untouched.

Usage: python shim.py MODULE [ARGS...]   e.g.  python shim.py bk7231tools chip_info -d ./link -D
"""

import errno
import runpy
import sys
import time
import warnings

from serial import serialposix

# Errors a pty (or any port without modem lines) gives for the modem-line ioctls.
NO_MODEM_LINES = (errno.ENOTTY, errno.EINVAL)

START = time.monotonic()


def log_line_request(line: str, level: bool) -> None:
    """Print one requested modem-line level with the time since launch, for reset-timing checks."""
    elapsed_ms = (time.monotonic() - START) * 1000
    print(f"shim: {elapsed_ms:9.1f} ms {line}={int(level)}", file=sys.stderr, flush=True)


def tolerant(line: str, update):
    """Wrap a pyserial line update so a port without modem lines logs instead of raising."""

    def update_or_log(self):
        log_line_request(line, getattr(self, f"_{line.lower()}_state"))
        try:
            update(self)
        except OSError as error:
            if error.errno not in NO_MODEM_LINES:
                raise

    return update_or_log


def install() -> None:
    """Patch the POSIX backend's RTS and DTR updates in place."""
    posix_serial = serialposix.Serial
    posix_serial._update_rts_state = tolerant("RTS", posix_serial._update_rts_state)
    posix_serial._update_dtr_state = tolerant("DTR", posix_serial._update_dtr_state)


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit("usage: python shim.py MODULE [ARGS...] (MODULE is bk7231tools or ltchiptool)")
    module = sys.argv[1]
    install()
    # bk7231tools' package __init__ imports its own __main__; runpy warns about that, harmlessly.
    warnings.filterwarnings("ignore", message=".*found in sys.modules", category=RuntimeWarning)
    sys.argv = [module, *sys.argv[2:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
