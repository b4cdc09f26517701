"""Whole jobs at each tool's default rate, in real time, against `bkflash-sim --realtime` on a pty.

Both chip classes (BK7231N, BK7231T); jobs: `read` (the whole 2 MiB) and `write` (a 1.1 MB image at
0x11000 onto a blank chip). Clean line: bk7231tools at its default (115200) and at bkflash's default
rate for the chip, and bkflash at its default. Lossy adapter (`--adapter ch340:SEED`, bytes lost from
long replies at 2 Mbaud): bkflash at its default and with `--baud auto`, the previous bkflash at its
page default (Auto, `--baud 0`; only with --old-cli), and bk7231tools at 2 Mbaud; successes out of
SEEDS runs and the median time of the successes. Every success is checked against the flash.

Usage: python bench/defaults.py --sim BKFLASH_SIM --cli BKFLASH [--old-cli OLD_BKFLASH]
       [--runs 1] [--seeds 2] [--chips bk7231n,bk7231t] [--jobs read,write]
"""

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from head2head import APP_START, FLASH_SIZE, IMAGE_LEN, REPO, stop_sim

# bkflash's default work rate per chip (crate-core flasher/baud.rs, LibreTiny's upload rates).
DEFAULT_RATE = {"bk7231n": 460800, "bk7231t": 921600}


def tool_command(tool, job, link, image, out, cli, old_cli, chip):
    """The command line of one tool configuration for one job, or None when it is not available."""
    peer = [sys.executable, str(REPO / "peers" / "shim.py"), "bk7231tools"]
    rate = {
        "bk7231tools at its default": None,
        "bk7231tools at bkflash's rate": DEFAULT_RATE[chip],
        "bk7231tools at 2000000": 2000000,
    }
    if tool in rate:
        baud = [] if rate[tool] is None else ["-b", str(rate[tool])]
        if job == "read":
            return peer + ["read_flash", "-d", str(link), *baud, "-s", "0", "-l", hex(FLASH_SIZE), str(out)]
        return peer + ["write_flash", "-d", str(link), *baud, "-s", hex(APP_START), str(image)]
    binary, baud = {
        "bkflash at its default": (cli, []),
        "bkflash --baud auto": (cli, ["--baud", "auto"]),
        "previous bkflash, page default (Auto)": (old_cli, ["--baud", "0"]),
    }[tool]
    if binary is None:
        return None
    common = ["--port", str(link), "--reset", "manual", *baud]
    if job == "read":
        return [binary, "read", *common, "-o", str(out)]
    return [binary, "write", *common, "--raw", "--offset", hex(APP_START), "--no-backup", "-y", str(image)]


def one_run(command, job, chip, work, image, out, adapter):
    """Run one tool on a fresh chip; (seconds, ok) where ok means the tool succeeded and the flash
    (or the file read) is right."""
    link = work / "link"
    flash_out = work / "flash-after.bin"
    flash_in = work / "read-source.bin" if job == "read" else None
    args = ["--adapter", adapter] if adapter else []
    sim = start_sim_with(chip, link, flash_in, flash_out, args)
    started = time.monotonic()
    try:
        done = subprocess.run(command, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
        ok = done.returncode == 0
    except subprocess.TimeoutExpired:
        ok = False
    elapsed = time.monotonic() - started
    stop_sim(sim)
    if ok and job == "read":
        ok = out.read_bytes() == flash_out.read_bytes()
    if ok and job == "write":
        ok = flash_out.read_bytes()[APP_START:APP_START + IMAGE_LEN] == image.read_bytes()
    return elapsed, ok


def start_sim_with(chip, link, flash_in, flash_out, extra):
    args = [SIM, "--chip", chip, "--link", str(link), "--realtime", *extra]
    if flash_in:
        args += ["--flash-in", str(flash_in)]
    args += ["--flash-out", str(flash_out)]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line.startswith("ready"):
        raise SystemExit(f"bkflash-sim did not start: {line!r} {process.stderr.read()}")
    return process


def read_source(chip, work, image):
    """A whole flash to read: the simulator's own (bootloader, blank) with the image at 0x11000."""
    pristine = work / f"pristine-{chip}.bin"
    stop_sim(start_sim_with(chip, work / "link", None, pristine, []))
    flash = bytearray(pristine.read_bytes())
    flash[APP_START:APP_START + IMAGE_LEN] = image.read_bytes()
    return bytes(flash)


def row(chip, job, tool, results):
    ok = [t for t, good in results if good]
    median = f"{statistics.median(ok):.1f}" if ok else "-"
    runs = ", ".join(f"{t:.1f}{'' if good else ' (failed)'}" for t, good in results)
    print(f"| {chip.upper()} | {job} | {tool} | {len(ok)}/{len(results)} | {runs} | {median} |", flush=True)


def main():
    global SIM
    parser = argparse.ArgumentParser()
    parser.add_argument("--sim", required=True)
    parser.add_argument("--cli", required=True)
    parser.add_argument("--old-cli")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--chips", default="bk7231n,bk7231t")
    parser.add_argument("--jobs", default="read,write")
    args = parser.parse_args()
    SIM = args.sim
    clean_tools = ["bk7231tools at its default", "bk7231tools at bkflash's rate", "bkflash at its default"]
    lossy_tools = ["bkflash at its default", "bkflash --baud auto", "previous bkflash, page default (Auto)",
                   "bk7231tools at 2000000"]
    with tempfile.TemporaryDirectory(prefix="bkflash-defaults-") as tmp:
        work = Path(tmp)
        image = work / "image.bin"
        image.write_bytes(random.Random("head2head").randbytes(IMAGE_LEN))
        out = work / "out.bin"
        for title, tools, adapters in [
            ("Clean line", clean_tools, [None] * args.runs),
            ("Lossy adapter (CH340 model: bytes lost from long replies at 2 Mbaud)", lossy_tools,
             [f"ch340:{seed}" for seed in range(1, args.seeds + 1)]),
        ]:
            print(f"\n{title}\n")
            print("| chip | job | tool | succeeded | runs (s) | median s |")
            print("|---|---|---|---:|---|---:|")
            for chip in args.chips.split(","):
                (work / "read-source.bin").write_bytes(read_source(chip, work, image))
                for job in args.jobs.split(","):
                    for tool in tools:
                        command = tool_command(tool, job, work / "link", image, out, args.cli, args.old_cli, chip)
                        if command is None:
                            continue
                        results = []
                        for adapter in adapters:
                            out.unlink(missing_ok=True)
                            results.append(one_run(command, job, chip, work, image, out, adapter))
                        row(chip, job, tool, results)


if __name__ == "__main__":
    main()
