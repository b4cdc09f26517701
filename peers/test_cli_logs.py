"""`bkflash monitor`, `write --monitor` and the hardware report against `bkflash-sim` on a pty.

The simulator serves UART2, the chip's log port, on a second pty (`--log-link`): after a reboot
the firmware prints its boot log there, and OpenBeken answers a command line typed on it.
"""

import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import REPO
from test_cli import UF2_FOR, bkflash, bkflash_binary, ok  # noqa: F401 (fixtures)

# Only stops a hung run; not a timing assertion.
WAIT_S = 60
STAMPED = re.compile(r"^\d\d:\d\d:\d\d\.\d{3}  ")


class Monitor:
    """A running `bkflash ... monitor`-like process whose stdout is read line by line."""

    def __init__(self, binary: Path, cwd: Path, *args):
        self.process = subprocess.Popen(
            [str(binary), *map(str, args)], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, bufsize=1,
        )
        self.lines: list[str] = []

    def wait_for(self, text: str) -> str:
        """Read stdout until a line contains `text`; return that line."""
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.lines.append(line.rstrip("\n"))
            if text in line:
                return self.lines[-1]
        self.process.kill()
        pytest.fail(f"{text!r} never came; stdout so far: {self.lines}, stderr: {self.process.stderr.read()}")

    def type(self, line: str):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def interrupt(self) -> tuple[int, str]:
        """Ctrl-C, as a user ends the monitor; returns the exit code and stderr."""
        self.process.send_signal(signal.SIGINT)
        _, stderr = self.process.communicate(timeout=WAIT_S)
        return self.process.returncode, stderr


@pytest.mark.parametrize("app, banner", [
    ("openbeken", "Info:MAIN:OpenBeken OpenBK7231x_1.18.50 on BK7231N started"),
    ("libretiny", "LibreTiny v1.8.0 on BK7231N @ 120 MHz"),
])
def test_monitor_on_the_log_port_shows_the_boot_log_after_reboot(app, banner, start_sim, bkflash, bkflash_binary, tmp_path):
    log_link = tmp_path / "uart2"
    sim = start_sim("bk7231n", "--log-link", log_link, "--app", app)
    monitor = Monitor(bkflash_binary, tmp_path, "--port", log_link, "monitor")
    ok(bkflash("--port", sim.link, "reboot"))
    line = monitor.wait_for(banner)
    assert STAMPED.match(line), line
    assert all(STAMPED.match(seen) for seen in monitor.lines), monitor.lines
    code, stderr = monitor.interrupt()
    assert code == 0, stderr
    assert "monitor ended:" in stderr
    assert "safe point" not in stderr, "Ctrl-C is the normal way out of a monitor, not an interruption"


def test_a_line_typed_into_the_monitor_is_sent_with_its_line_ending(start_sim, bkflash, bkflash_binary, tmp_path):
    log_link = tmp_path / "uart2"
    sim = start_sim("bk7231n", "--log-link", log_link, "--app", "openbeken")
    ok(bkflash("--port", sim.link, "reboot"))
    for ending in ("cr", "crlf", "lf"):
        monitor = Monitor(bkflash_binary, tmp_path, "--port", log_link, "monitor", "--line-ending", ending)
        time.sleep(0.3)
        monitor.type(f"help {ending}")
        monitor.wait_for(f"Info:CMD:[UART Cmd 'help {ending}'] executed")
        assert monitor.interrupt()[0] == 0
    monitor = Monitor(bkflash_binary, tmp_path, "--port", log_link, "monitor", "--line-ending", "none")
    time.sleep(0.3)
    monitor.type("status")
    time.sleep(1.0)
    assert monitor.interrupt()[0] == 0
    assert not any("status" in line for line in monitor.lines), "without an ending the console waits"


def test_write_monitor_follows_the_flash_with_the_same_port(start_sim, bkflash_binary, tmp_path):
    uf2 = REPO / "testdata" / UF2_FOR["bk7231n"]
    sim = start_sim("bk7231n")
    monitor = Monitor(bkflash_binary, tmp_path, "--port", sim.link, "write", uf2, "--yes", "--no-backup", "--monitor")
    monitor.wait_for("verified by CRC")
    monitor.wait_for("rebooted: the new firmware starts now")
    line = monitor.wait_for("[app] started")
    assert STAMPED.match(line), line
    code, stderr = monitor.interrupt()
    assert code == 0, stderr


def test_report_prints_the_session_facts(start_sim, bkflash):
    sim = start_sim("bk7231t")
    report = ok(bkflash("--port", sim.link, "report")).stdout
    for field in ("host:", "flash port:", "no USB ids", "chip:         BK7231T (legacy class)",
                  "boot version: BK7231S_1.0.5", "baud:         asked the chip's default", "chosen 921600",
                  "reset:", "outcome:      linked and identified", "← LinkCheck answered"):
        assert field in report, f"{field!r} missing:\n{report}"


def test_a_report_saved_with_a_write_has_no_byte_of_the_file(start_sim, bkflash, tmp_path):
    image = bytes(range(256)) * 64
    (tmp_path / "image.bin").write_bytes(image)
    sim = start_sim("bk7231n")
    ok(bkflash("--port", sim.link, "--report", "report.txt", "write", "image.bin", "--raw", "--offset", "0x11000",
               "--yes", "--no-backup"))
    report = (tmp_path / "report.txt").read_text()
    assert "→ FlashWrite4K 0x011000 (4096 data bytes)" in report and "outcome:      done" in report
    file_hex = " ".join(f"{b:02x}" for b in image[16:24])
    assert file_hex not in report.lower(), report


def test_a_job_that_fails_on_the_chip_leaves_a_report(start_sim, bkflash, tmp_path):
    start_sim("bk7231n", "--download-after", "600000")
    sim_link = next(tmp_path.glob("sim-*/port"))
    done = bkflash("--port", sim_link, "--reset", "manual", "--link-timeout", "1", "info")
    assert done.returncode == 3, done.stderr
    [saved] = tmp_path.glob("bkflash-report-*.txt")
    assert f"hardware report (attach it to an issue): {saved.name}" in done.stderr
    report = saved.read_text()
    assert "chip:         not identified" in report and "outcome:      bkflash info failed." in report, report
