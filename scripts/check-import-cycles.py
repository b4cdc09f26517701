#!/usr/bin/env python3
"""Fails on any file-level import cycle in the workspace crates: a file that names a sibling (through
`use`, or a `crate::`/`super::`/`self::` path) which names it back, directly or around a loop.

A module owns the children it declares with `mod x;`: neither the declaration nor the module naming
its own children (or their children) is an edge, so a child may name its parent. A `pub use`
re-export only passes names through: a path that reaches an item through one is followed to the file
that defines the item, and the re-export itself is no edge. Everything else is an edge from the file
that writes the path to the file that defines what it names. Prints each cycle with the names behind
every arrow and exits 1 if there is any; `--edges` also prints the whole graph.
Usage: python3 scripts/check-import-cycles.py [--edges] [CRATE_DIR...] (default: every crate-*/)."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
MOD_DECL = re.compile(rf"\bmod\s+({IDENT})\s*([;{{])")
USE = re.compile(rf"(\bpub(?:\s*\([^)]*\))?\s+)?\buse\s+([^;]+);")
DEFINITION = re.compile(
    rf"\b(?:fn|struct|enum|trait|type|const|static|union|mod)\s+({IDENT})|macro_rules!\s*({IDENT})"
)
PATH = re.compile(rf"(?<![\w:])({IDENT})\s*::\s*({IDENT}(?:\s*::\s*{IDENT})*)")


def blank_strings_and_comments(text: str) -> str:
    """The source with comments and string/char literals turned into spaces (newlines kept), so
    the regexes above see only code."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif re.match(r'b?r#*"', text[i:i + 12]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            head = re.match(r'b?r(#*)"', text[i:i + 12])
            closing = '"' + head.group(1)
            end = text.find(closing, i + head.end())
            end = n if end < 0 else end + len(closing)
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(re.sub(r"[^\n]", " ", text[i:j + 1]))
            i = j + 1
        elif c == "'":
            literal = re.match(r"'(?:\\u\{[0-9a-fA-F]+\}|\\x[0-9a-fA-F]{2}|\\.|[^\\'])'", text[i:i + 12])
            if literal:
                out.append(" " * literal.end())
                i += literal.end()
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def expand_use_tree(tree: str) -> list[list[str]]:
    """`a::{b, c::{d, e as f}}` -> [[a, b], [a, c, d], [a, c, e@f]] (a rename keeps both names)."""
    tree = re.sub(r"\s+", "", re.sub(r"\s+as\s+", "@", tree))

    def parse(s: str) -> list[list[str]]:
        depth = 0
        parts, start = [], 0
        for k, ch in enumerate(s):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                parts.append(s[start:k])
                start = k + 1
        parts.append(s[start:])
        paths = []
        for part in filter(None, parts):
            brace = part.find("{")
            if brace < 0:
                paths.append(part.split("::"))
                continue
            prefix = [seg for seg in part[:brace].split("::") if seg]
            for tail in parse(part[brace + 1:part.rindex("}")]):
                paths.append(prefix + tail)
        return paths

    return parse(tree)


class Module:
    def __init__(self, path: tuple, file: pathlib.Path, code: str):
        self.path, self.file, self.code = path, file, code
        self.children: dict[str, pathlib.Path] = {}
        self.imports: dict[str, list[str]] = {}  # name -> absolute path it stands for
        self.globs: list[list[str]] = []
        self.defines = {m.group(1) or m.group(2) for m in DEFINITION.finditer(code)}
        self.inline_mods = []  # (name, start, end) of `mod x { ... }` blocks


def child_file(parent: pathlib.Path, is_dir_owner: bool, name: str):
    base = parent.parent if is_dir_owner else parent.with_suffix("")
    for candidate in (base / f"{name}.rs", base / name / "mod.rs"):
        if candidate.exists():
            return candidate
    return None


def load_crate(root_file: pathlib.Path) -> dict:
    modules: dict[tuple, Module] = {}
    pending = [((), root_file)]
    while pending:
        path, file = pending.pop()
        code = blank_strings_and_comments(file.read_text(encoding="utf-8"))
        module = Module(path, file, code)
        modules[path] = module
        owner = file.name in ("mod.rs", "lib.rs", "main.rs") or file.parent.name == "bin"
        for match in MOD_DECL.finditer(code):
            name = match.group(1)
            if match.group(2) == "{":
                module.inline_mods.append((name, match.end() - 1, matching_brace(code, match.end() - 1)))
                continue
            found = child_file(file, owner, name)
            if found:
                module.children[name] = found
                pending.append((path + (name,), found))
    return modules


def matching_brace(code: str, open_at: int) -> int:
    depth = 0
    for k in range(open_at, len(code)):
        if code[k] == "{":
            depth += 1
        elif code[k] == "}":
            depth -= 1
            if depth == 0:
                return k
    return len(code)


def scope_at(module: Module, pos: int) -> tuple:
    """The module path in force at `pos`: the file's module plus any inline `mod x { }` around it."""
    path = module.path
    for name, start, end in module.inline_mods:
        if start < pos < end:
            path = path + (name,)
    return path


def absolute(segments: list[str], scope: tuple, file_path: tuple, modules: dict):
    """The absolute module path (tuple) of a written path, or None for another crate's path."""
    head, rest = segments[0], segments[1:]
    if head == "crate":
        return tuple(rest)
    if head in ("self", "super"):
        base = list(scope)
        while segments and segments[0] in ("self", "super"):
            if segments[0] == "super":
                if not base:
                    return None
                base.pop()
            segments = segments[1:]
        return tuple(base) + tuple(segments)
    # A 2018 relative path starts at a module visible in the current scope.
    if scope in modules and head in modules[scope].children:
        return scope + tuple(segments)
    if scope == file_path and head in modules[file_path].imports:
        return tuple(modules[file_path].imports[head]) + tuple(rest)
    return None


def resolve(path: tuple, modules: dict, seen=None):
    """The file (module path) that defines what `path` names, following imports and re-exports."""
    seen = seen or set()
    if path in seen:
        return None
    seen.add(path)
    for cut in range(len(path), -1, -1):
        if path[:cut] in modules:
            owner, rest = path[:cut], path[cut:]
            break
    else:
        return None
    if not rest or rest[0] == "*":
        return owner
    module = modules[owner]
    name = rest[0]
    if name in module.imports and name not in module.defines:
        target = tuple(module.imports[name]) + rest[1:]
        found = resolve(target, modules, seen)
        return found if found is not None else owner
    if name not in module.defines:
        for glob in module.globs:
            found = resolve(tuple(glob) + rest, modules, seen)
            if found is not None and (name in modules[found].defines or name in modules[found].imports):
                return found
    return owner


def crate_graph(root_file: pathlib.Path):
    modules = load_crate(root_file)
    uses = []  # (file module, module in scope where written, path segments, is a `pub use`)
    for path, module in modules.items():
        code = module.code
        for match in USE.finditer(code):
            scope = scope_at(module, match.start())
            for segments in expand_use_tree(match.group(2)):
                segments = [seg for seg in segments if seg]
                if not segments:
                    continue
                alias = None
                if "@" in segments[-1]:
                    segments[-1], alias = segments[-1].split("@")
                absolute_path = absolute(segments, scope, path, modules)
                if absolute_path is None:
                    continue
                if scope == path:
                    if segments[-1] == "*":
                        module.globs.append(list(absolute_path[:-1]))
                    elif segments[-1] != "self":
                        module.imports[alias or segments[-1]] = list(absolute_path)
                    else:
                        module.imports[segments[-2]] = list(absolute_path[:-1])
                uses.append((path, scope, segments, bool(match.group(1))))
        stripped = USE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), code)
        for match in PATH.finditer(stripped):
            head = match.group(1)
            if head[0].isupper():
                continue
            segments = [head] + re.sub(r"\s+", "", match.group(2)).split("::")
            scope = scope_at(module, match.start())
            uses.append((path, scope, segments, False))
    edges: dict[tuple, dict[tuple, set]] = {}
    for path, scope, segments, reexport in uses:
        if reexport:
            continue
        target_path = absolute(segments, scope, path, modules)
        if target_path is None:
            continue
        target = resolve(target_path, modules)
        if target is None or target == path:
            continue
        # A module reaching down into its own children is ownership, like its `mod x;`: no arrow.
        if target[:len(path)] == path:
            continue
        # The name as written from the module it lives in: `chip::Chip`, `ops::erase`.
        label = "::".join(segments[max(0, len(segments) - (len(target_path) - len(target)) - 1):])
        edges.setdefault(path, {}).setdefault(target, set()).add(label)
    files = {path: module.file for path, module in modules.items()}
    return files, edges


def cycles(edges: dict) -> list[list]:
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]
    nodes = set(edges) | {t for targets in edges.values() for t in targets}

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return found


def crate_roots(crate_dir: pathlib.Path) -> list[pathlib.Path]:
    src = crate_dir / "src"
    roots = [src / name for name in ("lib.rs", "main.rs") if (src / name).exists()]
    roots += sorted((src / "bin").glob("*.rs")) if (src / "bin").is_dir() else []
    return roots


def main(argv: list[str]) -> int:
    show_edges = "--edges" in argv
    crate_dirs = [pathlib.Path(a) for a in argv if not a.startswith("--")] or sorted(ROOT.glob("crate-*"))
    failed = 0
    checked = 0
    for crate_dir in crate_dirs:
        for root_file in crate_roots(crate_dir.resolve()):
            files, edges = crate_graph(root_file)
            checked += len(files)
            rel = lambda p: files[p].relative_to(ROOT).as_posix()  # noqa: E731
            if show_edges:
                for source in sorted(edges):
                    for target in sorted(edges[source]):
                        names = ", ".join(sorted(edges[source][target]))
                        print(f"  {rel(source)} -> {rel(target)} ({names})")
            for component in cycles(edges):
                failed += 1
                print(f"cycle {failed}: {len(component)} files")
                members = set(component)
                for source in component:
                    for target in sorted(edges.get(source, {})):
                        if target in members:
                            names = ", ".join(sorted(edges[source][target]))
                            print(f"  {rel(source)} -> {rel(target)} ({names})")
    print(f"{checked} files checked, {failed} import cycle{'s' if failed != 1 else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
