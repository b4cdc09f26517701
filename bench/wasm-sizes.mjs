// Where a wasm module's bytes go: section sizes, then code size by crate (from the name section,
// so pass a module optimised with names kept: wasm-opt -Oz -g) and the largest functions.
// Usage: node bench/wasm-sizes.mjs MODULE.wasm [GZIP_BYTES_OF_THE_SHIPPED_MODULE] [TOP]
import { readFile } from 'node:fs/promises';

const [file, shippedGzipArg, topArg] = process.argv.slice(2);
const TOP = Number(topArg ?? 12);
const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export',
  'start', 'element', 'code', 'data', 'data count'];

function reader(bytes, at = 0) {
  return {
    get at() { return at; },
    set at(v) { at = v; },
    u8() { return bytes[at++]; },
    leb() {
      let result = 0, shift = 0, byte;
      do { byte = bytes[at++]; result += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
      return result;
    },
    name() { const n = this.leb(); const s = new TextDecoder().decode(bytes.subarray(at, at + n)); at += n; return s; },
  };
}

/** Sections, function body sizes by function index, and function names. */
function parse(bytes) {
  const r = reader(bytes, 8);
  const sections = [];
  const bodies = new Map();
  const names = new Map();
  let importedFunctions = 0;
  while (r.at < bytes.length) {
    const id = r.u8();
    const size = r.leb();
    const start = r.at;
    const end = start + size;
    let label = SECTION_NAMES[id] ?? `section ${id}`;
    if (id === 0) {
      label = `custom "${r.name()}"`;
      if (label === 'custom "name"') readNames(reader(bytes, r.at), end, names);
    } else if (id === 2) {
      for (let i = 0, n = r.leb(); i < n; i++) {
        r.name(); r.name();
        const kind = r.u8();
        if (kind === 0) { r.leb(); importedFunctions++; }
        else if (kind === 1) { r.u8(); limits(r); }
        else if (kind === 2) limits(r);
        else if (kind === 3) { r.u8(); r.u8(); }
        else r.leb();
      }
    } else if (id === 10) {
      for (let i = 0, n = r.leb(); i < n; i++) {
        const bodyStart = r.at;
        const bodySize = r.leb();
        r.at += bodySize;
        bodies.set(importedFunctions + i, r.at - bodyStart);
      }
    }
    sections.push({ label, size: end - start });
    r.at = end;
  }
  return { sections, bodies, names };
}

function limits(r) { const flags = r.u8(); r.leb(); if (flags & 1) r.leb(); }

function readNames(r, end, names) {
  while (r.at < end) {
    const kind = r.u8();
    const size = r.leb();
    const next = r.at + size;
    if (kind === 1) for (let i = 0, n = r.leb(); i < n; i++) { const index = r.leb(); names.set(index, r.name()); }
    r.at = next;
  }
}

const PRIMITIVES = new Set(['bool', 'char', 'str', 'f32', 'f64', 'i8', 'i16', 'i32', 'i64', 'i128', 'isize',
  'u8', 'u16', 'u32', 'u64', 'u128', 'usize']);

/**
 * The crate a (demangled) function name belongs to: the first path segment; for `<T as Trait>` with
 * T a generic parameter or a primitive, the trait's crate (a `<f64 as Display>` is core, a
 * `<T as IntoAny>` is tachys); through the generic helpers of core/alloc to the type they were made
 * for (a `drop_in_place<leptos::…>` is leptos code).
 */
function crateOf(name) {
  let n = name.replace(/\[[0-9a-f]{16}\]/g, '');
  const generic = n.match(/^(?:core|alloc)::(?:ptr::drop_in_place|ptr::real_drop_in_place|mem::drop|ops::function::\w+::\w+)<(.*)>/);
  if (generic) n = generic[1];
  const qualified = n.match(/^<&?(?:mut )?(\w+)(?:<[^>]*>)? as (\w+)::/);
  if (qualified && (/^[A-Z]$/.test(qualified[1]) || PRIMITIVES.has(qualified[1]))) return qualified[2];
  n = n.replace(/^[<&\s]*(?:mut |dyn |const )*/, '');
  const m = n.match(/^([A-Za-z_][A-Za-z0-9_]*)::/);
  if (!m) return '(no crate: runtime, wasm-bindgen shims)';
  return PRIMITIVES.has(m[1]) ? 'core' : m[1];
}

const bytes = await readFile(file);
const { sections, bodies, names } = parse(bytes);
const kib = (n) => (n / 1024).toFixed(1);
const total = bytes.length;
const shippedGzip = Number(shippedGzipArg ?? 0);

console.log(`Module \`${file.split('/').pop()}\`, ${kib(total)} KiB with names (${names.size} named functions).\n`);
console.log('| section | KiB | share |\n|---|---:|---:|');
for (const s of [...sections].sort((a, b) => b.size - a.size)) {
  if (s.size < 256) continue;
  console.log(`| ${s.label} | ${kib(s.size)} | ${(100 * s.size / total).toFixed(1)} % |`);
}

const byCrate = new Map();
let code = 0;
for (const [index, size] of bodies) {
  const crate = crateOf(names.get(index) ?? '');
  const row = byCrate.get(crate) ?? { functions: 0, size: 0 };
  row.functions++;
  row.size += size;
  byCrate.set(crate, row);
  code += size;
}
const gzipNote = shippedGzip ? ` | ≈ gzip KiB` : '';
console.log(`\nCode by crate (function bodies, ${kib(code)} KiB)${shippedGzip ? '; the gzip column shares the shipped module\'s gzip size by code share, an estimate' : ''}:\n`);
console.log(`| crate | functions | code KiB | share${gzipNote} |\n|---|---:|---:|---:|${shippedGzip ? '---:|' : ''}`);
for (const [crate, row] of [...byCrate].sort((a, b) => b[1].size - a[1].size)) {
  const share = row.size / code;
  if (share < 0.003) continue;
  const gz = shippedGzip ? ` | ${kib(share * shippedGzip * (code / total))}` : '';
  console.log(`| ${crate} | ${row.functions} | ${kib(row.size)} | ${(100 * share).toFixed(1)} %${gz} |`);
}

console.log(`\nLargest ${TOP} functions:\n\n| function | bytes |\n|---|---:|`);
const largest = [...bodies].sort((a, b) => b[1] - a[1]).slice(0, TOP);
for (const [index, size] of largest) {
  const name = (names.get(index) ?? `#${index}`).replace(/\|/g, '\\|');
  console.log(`| \`${name.length > 110 ? `${name.slice(0, 107)}...` : name}\` | ${size} |`);
}
