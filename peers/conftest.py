"""Fixtures for the peer tests: build `bkflash-sim` once, serve one simulated chip per test on a pty.

The simulator prints `ready PATH` once it serves, and writes its whole flash to `--flash-out` when
it gets SIGTERM; the tests compare that file with what the peer tool wrote.
"""

import json
import os
import selectors
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHIM = Path(__file__).resolve().parent / "shim.py"

# Generous bounds: they only stop a hung run, they are not timing assertions.
READY_TIMEOUT_S = 30
PEER_TIMEOUT_S = 300
STOP_TIMEOUT_S = 30


def cargo_binary(package: str, binary: str, env_var: str, features: tuple[str, ...] = ()) -> Path:
    """Build `binary` of `package` with cargo and return the executable's path.

    The environment variable `env_var` names an already built one instead (e.g. from another target dir).
    """
    if os.environ.get(env_var):
        return Path(os.environ[env_var])
    command = ["cargo", "build", "--quiet", "--locked", "-p", package, *features, "--bin", binary, "--message-format=json"]
    built = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if built.returncode != 0:
        pytest.fail(f"building {binary} failed:\n{built.stderr}")
    for line in built.stdout.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message.get("executable"):
            if message["target"]["name"] == binary:
                return Path(message["executable"])
    pytest.fail(f"cargo built {package} but reported no executable for {binary}")


@pytest.fixture(scope="session")
def sim_binary() -> Path:
    """Build the pty server once per session (BKFLASH_SIM_BIN names an already built one instead)."""
    return cargo_binary("bkflash-sim", "bkflash-sim", "BKFLASH_SIM_BIN", ("--features", "std"))


@dataclass
class RunningSim:
    """One `bkflash-sim` process serving a chip at `link`."""

    process: subprocess.Popen
    link: Path
    flash_out: Path
    log: Path

    def stop(self) -> bytes:
        """SIGTERM the simulator, require a clean exit and return the flash it saved."""
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.communicate(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            pytest.fail("bkflash-sim did not exit after SIGTERM")
        assert self.process.returncode == 0, f"bkflash-sim exited {self.process.returncode}: {self.log.read_text()}"
        return self.flash_out.read_bytes()


def wait_for_ready(process: subprocess.Popen) -> str:
    """Return the first stdout line of the simulator, waiting at most READY_TIMEOUT_S."""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=READY_TIMEOUT_S):
            process.kill()
            pytest.fail(f"bkflash-sim printed nothing within {READY_TIMEOUT_S} s")
    return process.stdout.readline().strip()


def launch(sim_binary: Path, chip: str, folder: Path, *extra: str) -> RunningSim:
    """Start a simulator whose link and flash-out live in `folder`, and wait until it serves."""
    link = folder / "port"
    flash_out = folder / "flash-out.bin"
    log = folder / "sim.log"
    command = [str(sim_binary), "--chip", chip, "--link", str(link), "--flash-out", str(flash_out), *extra]
    with log.open("w") as log_file:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log_file, text=True)
    line = wait_for_ready(process)
    if line != f"ready {link}":
        process.kill()
        pytest.fail(f"expected 'ready {link}' from bkflash-sim, got {line!r}: {log.read_text()}")
    return RunningSim(process, link, flash_out, log)


@pytest.fixture(scope="session")
def pristine_flash(sim_binary, tmp_path_factory) -> dict:
    """The flash each chip class starts with, as the simulator saves it when nobody touched it."""
    return {chip: launch(sim_binary, chip, tmp_path_factory.mktemp(chip)).stop() for chip in ("bk7231n", "bk7231t")}


@pytest.fixture
def start_sim(sim_binary, tmp_path):
    """Factory: start a simulator for a chip (extra CLI args allowed); stopped at teardown."""
    running = []

    def start(chip: str, *extra: str) -> RunningSim:
        folder = tmp_path / f"sim-{len(running)}"
        folder.mkdir()
        sim = launch(sim_binary, chip, folder, *extra)
        running.append(sim)
        return sim

    yield start
    for sim in running:
        if sim.process.poll() is None:
            sim.process.kill()
            sim.process.wait()


@pytest.fixture
def run_peer(tmp_path):
    """Run a peer tool from this venv and return its combined output; fail with it on a non-zero exit
    (or, with `expect_ok=False`, on a zero one: a field hazard the peer is known to fall into).

    bk7231tools resets the chip through RTS/DTR before anything else, so it runs under the shim;
    ltchiptool links without touching the modem lines when the chip answers at once, so it runs as is
    unless `shim=True` (needed once its link stages reach the hardware reset).
    """

    def run(module: str, *args: str, shim: bool | None = None, expect_ok: bool = True) -> str:
        if shim is None:
            shim = module == "bk7231tools"
        launcher = [sys.executable, str(SHIM), module] if shim else [sys.executable, "-m", module]
        env = dict(os.environ, PYTHONUNBUFFERED="1", COLUMNS="200")
        done = subprocess.run(
            [*launcher, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=PEER_TIMEOUT_S
        )
        output = done.stdout + done.stderr
        if expect_ok:
            assert done.returncode == 0, f"{module} {' '.join(args)} exited {done.returncode}:\n{output}"
        else:
            assert done.returncode != 0, f"{module} {' '.join(args)} was expected to fail:\n{output}"
        return output

    return run
