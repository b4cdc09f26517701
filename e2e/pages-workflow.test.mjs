// The Pages workflow's supply-chain rules: only the deploy job may publish (pages/id-token write),
// and every action is pinned by a full commit SHA, since a tag can be moved to other code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

const WORKFLOW = new URL('../.github/workflows/pages.yml', import.meta.url);
const text = await readFile(WORKFLOW, 'utf8');
const lines = text.split('\n');

/** The lines of each job under `jobs:`, keyed by job name (two-space indent). */
function jobs() {
  const result = {};
  let inJobs = false;
  let current = null;
  for (const line of lines) {
    if (/^\S/.test(line)) { inJobs = line.startsWith('jobs:'); current = null; continue; }
    const name = inJobs && line.match(/^ {2}([\w-]+):\s*$/);
    if (name) { current = name[1]; result[current] = []; continue; }
    if (current) result[current].push(line);
  }
  return result;
}

/** The `permissions:` block at `indent` in `block`, as { scope: level }. */
function permissions(block, indent) {
  const start = block.findIndex((l) => l === `${' '.repeat(indent)}permissions:`);
  if (start < 0) return null;
  const granted = {};
  for (const line of block.slice(start + 1)) {
    const entry = line.match(new RegExp(`^ {${indent + 2}}([\\w-]+):\\s*(\\w+)`));
    if (!entry) break;
    granted[entry[1]] = entry[2];
  }
  return granted;
}

test('only the deploy job can write to Pages or mint an id-token', () => {
  assert.deepEqual(permissions(lines, 0), { contents: 'read' }, 'the workflow default is read-only');
  const all = jobs();
  assert.deepEqual(Object.keys(all).sort(), ['build', 'deploy']);
  assert.deepEqual(permissions(all.deploy, 4), { contents: 'read', pages: 'write', 'id-token': 'write' });
  assert.equal(permissions(all.build, 4), null, 'the build job runs npm and cargo with the read-only default');
});

test('every action is pinned by a full commit SHA', () => {
  const uses = lines.map((l) => l.match(/^\s*(?:- )?uses:\s*(\S+)/)?.[1]).filter(Boolean);
  assert.ok(uses.length >= 4, `found ${uses.length} actions`);
  for (const action of uses) assert.match(action, /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/, `${action} is not pinned by commit`);
});
