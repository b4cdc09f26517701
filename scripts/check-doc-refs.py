#!/usr/bin/env python3
"""Every `docs/NAME.md §N` a source file cites must name a file in docs/ and one of its headings.
Prints each broken citation as `file:line: citation (why)` and exits 1 if there is any."""
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CITATION = re.compile(r"docs/([a-z0-9-]+\.md)(?: §(\d+(?:\.\d+)*))?")
HEADING = re.compile(r"^#+ (\d+(?:\.\d+)*)[. ]")
# A citation of a docs/ file without its folder, which a reader cannot follow from the repo root.
BARE = re.compile(r"(?<![/\w-])(protocol|formats|spi-unbrick|dump-analysis|field-audit)\.md")


def sections(doc: pathlib.Path) -> set[str]:
    found = set()
    for line in doc.read_text(encoding="utf-8").splitlines():
        match = HEADING.match(line)
        if match:
            found.add(match.group(1))
    return found


def main() -> int:
    tracked = subprocess.run(
        ["git", "ls-files", "*.rs", "*.mjs", "*.js", "*.py", "*.sh", "*.toml", "*.html", "*.css"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split()
    known: dict[str, set[str]] = {}
    broken = []
    cited = 0
    for name in tracked:
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1):
            for bare in BARE.finditer(line):
                broken.append(f"{name}:{number}: {bare.group(0)} (cite it as docs/{bare.group(0)})")
            for match in CITATION.finditer(line):
                cited += 1
                doc, section = match.groups()
                path = ROOT / "docs" / doc
                if not path.exists():
                    broken.append(f"{name}:{number}: {match.group(0)} (no such file)")
                    continue
                known.setdefault(doc, sections(path))
                if section and section not in known[doc]:
                    broken.append(f"{name}:{number}: {match.group(0)} (no heading {section})")
    for line in broken:
        print(line)
    print(f"doc references: {cited} checked, {len(broken)} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
