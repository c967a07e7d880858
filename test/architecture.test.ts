import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The import table of docs/architecture.md is the rule, and this test holds
 * the code to it. The rule: a room imports only rooms of a lower rank, so no
 * arrow runs from a lower room to a higher one. The test reads the table
 * (room, rank, may import), checks the table obeys the rule, then walks every
 * relative import in src/, lessons/ and .vitepress/ and fails on one the
 * table does not allow, or on the site or a lesson reaching past a room's
 * front file.
 */
const root = process.cwd();

interface Row {
  room: string;
  rank: number;
  mayImport: string[];
}

function readTable(): Row[] {
  const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Rooms'));
  const rows: Row[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells.length !== 4 || !/^`[^`]+`$/.test(cells[0]) || !/^\d+$/.test(cells[1])) continue;
    rows.push({
      room: cells[0].slice(1, -1).replace(/\/$/, ''),
      rank: Number(cells[1]),
      mayImport: [...cells[3].matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/\/$/, '')),
    });
  }
  return rows;
}

/** The room a repository path belongs to: `src/<room>` for folders and one-file rooms, `lessons`, `.vitepress`. */
function roomOf(path: string): string | null {
  const p = path.split(sep).join('/');
  if (p.startsWith('src/')) {
    return `src/${p.slice(4).split('/')[0]}`;
  }
  if (p.startsWith('lessons/')) return 'lessons';
  if (p.startsWith('.vitepress/')) return '.vitepress';
  return null;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(join(root, d), { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (!['node_modules', 'dist', 'cache'].includes(e.name)) walk(p);
      } else if (/\.(ts|vue)$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The repository path an import specifier names (a file, with or without `.ts`, or a folder's index.ts). */
function resolveImport(from: string, spec: string): string {
  const target = normalize(join(dirname(from), spec));
  const isFile = (p: string) => existsSync(join(root, p)) && statSync(join(root, p)).isFile();
  return [target, `${target}.ts`, join(target, 'index.ts')].find(isFile) ?? target;
}

interface Edge {
  file: string;
  target: string;
  from: string;
  to: string;
}

function importEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of ['src', 'lessons', '.vitepress'].flatMap(sourceFiles)) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)) {
      const target = resolveImport(file, m[1]);
      const from = roomOf(file);
      const to = roomOf(relative(root, join(root, target)));
      if (from && to && from !== to) edges.push({ file, target: target.split(sep).join('/'), from, to });
    }
  }
  return edges;
}

const table = readTable();
const byRoom = new Map(table.map((r) => [r.room, r]));
const edges = importEdges();

describe('docs/architecture.md import table (rule: no arrow from a lower room to a higher one)', () => {
  it('reads the table', () => {
    expect(table.map((r) => r.room)).toEqual(expect.arrayContaining(['src/util', 'src/core', 'src/models', 'src/notebook', 'lessons', '.vitepress']));
  });

  it('the table obeys the rule: every room a row may import has a lower rank', () => {
    const wrong = table.flatMap((r) =>
      r.mayImport.filter((m) => byRoom.has(m) && byRoom.get(m)!.rank >= r.rank).map((m) => `${r.room} (rank ${r.rank}) may import ${m} (rank ${byRoom.get(m)!.rank})`),
    );
    expect(wrong).toEqual([]);
  });

  it('every room in src/ is in the table', () => {
    const rooms = readdirSync(join(root, 'src')).map((n) => `src/${n}`);
    expect(rooms.filter((r) => !byRoom.has(r))).toEqual([]);
  });

  it('finds the imports between rooms', () => {
    expect(edges.some((e) => e.from === 'src/core' && e.to === 'src/util')).toBe(true);
    expect(edges.some((e) => e.from === '.vitepress' && e.to === 'src/notebook')).toBe(true);
  });

  it('every import between rooms is one the table allows', () => {
    const refused = edges
      .filter((e) => !byRoom.get(e.from)?.mayImport.includes(e.to))
      .map((e) => `${e.file} imports ${e.target} (${e.from} -> ${e.to})`);
    expect(refused).toEqual([]);
  });

  it('lessons and the site reach a room only through its front file (index.ts, or a one-file room)', () => {
    const inner = edges
      .filter((e) => (e.from === 'lessons' || e.from === '.vitepress') && e.to.startsWith('src/'))
      .filter((e) => !(e.target.endsWith('/index.ts') || /^src\/[^/]+\.ts$/.test(e.target)))
      .map((e) => `${e.file} imports ${e.target}`);
    expect(inner).toEqual([]);
  });
});
