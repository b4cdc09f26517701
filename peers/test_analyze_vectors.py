"""The committed dump vectors are exactly what testdata/dumps/gen_dumps.py makes: regenerate them
into a temporary folder and compare (images by content, so another zlib cannot fail the test)."""

import gzip
import subprocess
import sys

from analyze_vectors import DUMPS, TIMEOUT_S


def test_the_generator_reproduces_the_committed_vectors(tmp_path):
    done = subprocess.run([sys.executable, str(DUMPS / "gen_dumps.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=TIMEOUT_S)
    assert done.returncode == 0, done.stderr
    made = sorted(p.name for p in tmp_path.iterdir())
    committed = sorted(p.name for p in DUMPS.iterdir() if p.suffix in (".gz", ".json", ".yaml"))
    assert made == committed
    for name in made:
        new, old = (tmp_path / name).read_bytes(), (DUMPS / name).read_bytes()
        if name.endswith(".gz"):
            new, old = gzip.decompress(new), gzip.decompress(old)
        assert new == old, f"{name} differs from what the generator makes"
