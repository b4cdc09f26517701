"""Head-to-head in real time: bk7231tools and bkflash against `bkflash-sim --realtime` on a pty.

Each run starts a fresh simulated BK7231N, runs one tool as a whole process (link, baud switch,
job) and times it from launch to exit. Jobs: `read` (the whole 2 MiB), `write` (a 1.1 MB image at
0x11000 onto a blank chip), `overwrite` (the same image onto a chip holding a different one). Same job, same baud, same chip for both tools; the median
of RUNS runs is reported with the ratio ours/theirs. bk7231tools runs through peers/shim.py as the
peer tests do (a pty has no modem lines).

Usage: python bench/head2head.py --sim BKFLASH_SIM --cli BKFLASH [--runs 3] [--bauds 921600,2000000]
"""

import argparse
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
APP_START = 0x11000
FLASH_SIZE = 0x200000
IMAGE_LEN = 1_100_000


def start_sim(sim_bin, link, flash_in=None, flash_out=None):
    args = [sim_bin, "--chip", "bk7231n", "--link", str(link), "--realtime"]
    if flash_in:
        args += ["--flash-in", str(flash_in)]
    if flash_out:
        args += ["--flash-out", str(flash_out)]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line.startswith("ready"):
        raise SystemExit(f"bkflash-sim did not start: {line!r} {process.stderr.read()}")
    return process


def stop_sim(process):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def timed(args, cwd):
    started = time.monotonic()
    result = subprocess.run(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"{args[0]} failed ({result.returncode}):\n{result.stdout[-3000:]}")
    return elapsed


def commands(tool, job, link, baud, image, out, cli_bin):
    """The command line of one tool for one job."""
    if tool == "bk7231tools":
        peer = [sys.executable, str(REPO / "peers" / "shim.py"), "bk7231tools"]
        if job == "read":
            return peer + ["read_flash", "-d", str(link), "-b", str(baud), "-s", "0", "-l", hex(FLASH_SIZE), str(out)]
        return peer + ["write_flash", "-d", str(link), "-b", str(baud), "-s", hex(APP_START), str(image)]
    common = ["--port", str(link), "--baud", str(baud), "--reset", "manual"]
    if job == "read":
        return [cli_bin, "read", *common, "-o", str(out)]
    # write and overwrite: the CLI's defaults (differential, verify after writing), no backup.
    return [cli_bin, "write", *common, "--raw", "--offset", hex(APP_START), "--no-backup", "-y", str(image)]


def other_image_flash(sim_bin, work):
    """A whole flash: the simulator's own (bootloader, blank) with a different image at 0x11000."""
    pristine = work / "pristine.bin"
    stop_sim(start_sim(sim_bin, work / "link", flash_out=pristine))
    flash = bytearray(pristine.read_bytes())
    flash[APP_START:APP_START + IMAGE_LEN] = random.Random("other image").randbytes(IMAGE_LEN)
    path = work / "other-image-flash.bin"
    path.write_bytes(flash)
    return path


def one_run(tool, job, baud, work, image, sim_bin, cli_bin):
    link = work / "link"
    out = work / f"out-{tool}.bin"
    out.unlink(missing_ok=True)
    flash_in = work / "other-image-flash.bin" if job == "overwrite" else None
    sim = start_sim(sim_bin, link, flash_in)
    try:
        return timed(commands(tool, job, link, baud, image, out, cli_bin), work)
    finally:
        stop_sim(sim)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sim", required=True)
    parser.add_argument("--cli", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bauds", default="921600,2000000")
    parser.add_argument("--jobs", default="read,write")
    parser.add_argument("--tools", default="bk7231tools,bkflash")
    args = parser.parse_args()
    bauds = [int(b) for b in args.bauds.split(",")]
    tools = args.tools.split(",")
    with tempfile.TemporaryDirectory(prefix="bkflash-h2h-") as tmp:
        work = Path(tmp)
        image = work / "image.bin"
        image.write_bytes(random.Random("head2head").randbytes(IMAGE_LEN))
        other_image_flash(args.sim, work)
        print("| job | baud | tool | runs (s) | median s | ours/theirs |")
        print("|---|---:|---|---|---:|---:|")
        for job in args.jobs.split(","):
            for baud in bauds:
                medians = {}
                for tool in tools:
                    times = [one_run(tool, job, baud, work, image, args.sim, args.cli) for _ in range(args.runs)]
                    medians[tool] = statistics.median(times)
                    ratio = ""
                    if tool == "bkflash" and "bk7231tools" in medians:
                        ratio = f"{medians['bkflash'] / medians['bk7231tools']:.2f}"
                    runs = ", ".join(f"{t:.1f}" for t in times)
                    print(f"| {job} | {baud} | {tool} | {runs} | {medians[tool]:.1f} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
