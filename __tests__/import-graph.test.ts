/**
 * The source has no import cycles, type-only imports included: a cycle (even `import type`) means two
 * files each need the other to be understood, which is what the house issue asked to remove. Relative
 * imports only; packages cannot import us back.
 *
 * And the layers hold: the handler (`functions/`) knows nothing of the construct or the local kit;
 * `modules/private/` is private to `modules/`; `modules/` reaches outside itself only for the contract the
 * handler and the construct share (`functions/shared/`); the module builder (`module-builder/`, not shipped)
 * stands on the public files of `modules/` and nothing in `modules/` reaches back to it; nothing public in `modules/` takes a type from
 * `private/` (what the package exposes is defined in a public file). Inside the handler, `functions/tasker/`'s
 * folders are floors (TASKER_LAYERS, bottom first): a file imports its own floor or the ones below.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const REPO_ROOT = join(__dirname, '..');
const SOURCE_ROOTS = ['main.ts', 'modules', 'module-builder', 'functions', 'local', 'scripts', 'bench', 'examples'];
const IMPORT_PATTERNS = [/(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+['"]([^'"]+)['"]/g, /import\(\s*['"]([^'"]+)['"]\s*\)/g];

function sourceFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isDirectory()) {
    return readdirSync(path)
      .filter((entry) => entry !== 'node_modules')
      .flatMap((entry) => sourceFiles(join(path, entry)));
  }
  return /\.m?ts$/.test(path) && !path.endsWith('.d.ts') ? [path] : [];
}

/** File → the source files it imports (relative specifiers resolved as TypeScript would). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const resolve = (from: string, specifier: string): string | undefined => {
    if (!specifier.startsWith('.')) return undefined;
    const base = normalize(join(dirname(from), specifier));
    return [`${base}.ts`, join(base, 'index.ts'), base].find((candidate) => known.has(candidate));
  };
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const imported = IMPORT_PATTERNS.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => resolve(file, match[1])));
    graph.set(file, [...new Set(imported.filter((path): path is string => path !== undefined))]);
  }
  return graph;
}

/** Strongly connected groups of more than one file (Tarjan), or a file importing itself. */
function importCycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const lowest = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, next);
    lowest.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        lowest.set(file, Math.min(lowest.get(file)!, lowest.get(target)!));
      } else if (onStack.has(target)) {
        lowest.set(file, Math.min(lowest.get(file)!, index.get(target)!));
      }
    }
    if (lowest.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(group.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

/** The arrows `from → to` (repository-relative) where `from` is under `fromRoot` and `to` matches `forbidden`. */
function arrowsBreaking(
  graph: Map<string, string[]>,
  fromRoot: string,
  forbidden: (to: string) => boolean,
  exempt: (from: string) => boolean = () => false,
): string[] {
  const arrows: string[] = [];
  for (const [file, targets] of graph) {
    const from = relative(REPO_ROOT, file);
    if (!from.startsWith(fromRoot) || exempt(from)) continue;
    for (const target of targets) {
      const to = relative(REPO_ROOT, target);
      if (forbidden(to)) arrows.push(`${from} → ${to}`);
    }
  }
  return arrows.sort();
}

/** The floors of `functions/tasker/`, bottom first; `index.ts` (the entry point) stands on all of them. */
const TASKER_LAYERS = ['table', 'platform', 'input', 'statements', 'completion', 'routes'];

/** The floor of a `functions/tasker/` path: its folder's place in TASKER_LAYERS, the entry point above them all. */
function taskerFloor(path: string): number {
  const folder = /^functions\/tasker\/([^/]+)\//.exec(path)?.[1];
  return folder === undefined ? TASKER_LAYERS.length : TASKER_LAYERS.indexOf(folder);
}

/** Type-only imports (`import type { … } from '…'`) of a file, as written. */
const TYPE_IMPORT = /(?:^|\n)\s*import\s+type\s[^'";]*?from\s+['"]([^'"]+)['"]/g;

describe('import graph', () => {
  const files = SOURCE_ROOTS.flatMap((root) => sourceFiles(join(REPO_ROOT, root)));
  const graph = importGraph(files);

  it('reads the whole source tree, type-only imports included', () => {
    expect(files.length).toBeGreaterThan(100);
    const props = graph.get(join(REPO_ROOT, 'modules/sfn-redshift-tasker.ts')) ?? [];
    expect(props).toContain(join(REPO_ROOT, 'modules/tasker-props.ts')); // an `import type`
  });

  it('has no cycles', () => {
    const cycles = importCycles(graph).map((group) => group.map((file) => relative(REPO_ROOT, file)));
    expect(cycles).toEqual([]);
  });

  it('functions/ imports nothing from modules/ or local/', () => {
    expect(arrowsBreaking(graph, 'functions/', (to) => to.startsWith('modules/') || to.startsWith('local/'))).toEqual([]);
  });

  it('functions/tasker/ files import only their own floor or those below (table, platform, input, statements, completion, routes)', () => {
    const taskerFiles = files.map((file) => relative(REPO_ROOT, file)).filter((path) => path.startsWith('functions/tasker/'));
    expect(taskerFiles.filter((path) => taskerFloor(path) < 0)).toEqual([]); // every folder is a known floor
    const upward = [...graph].flatMap(([from, targets]) => {
      const source = relative(REPO_ROOT, from);
      if (!source.startsWith('functions/tasker/')) return [];
      return targets
        .map((to) => relative(REPO_ROOT, to))
        .filter((target) => target.startsWith('functions/tasker/') && taskerFloor(target) > taskerFloor(source))
        .map((target) => `${source} → ${target}`);
    });
    expect(upward).toEqual([]);
    expect(taskerFloor('functions/tasker/table/x.ts')).toBeLessThan(taskerFloor('functions/tasker/routes/y.ts'));
  });

  it('only modules/ imports modules/private/', () => {
    expect(
      arrowsBreaking(
        graph,
        '',
        (to) => to.startsWith('modules/private/'),
        (from) => from.startsWith('modules/'),
      ),
    ).toEqual([]);
  });

  it('modules/ imports only functions/shared/ from outside itself', () => {
    const outside = (to: string) => !to.startsWith('modules/') && !to.startsWith('functions/shared/');
    expect(arrowsBreaking(graph, 'modules/', outside)).toEqual([]);
  });

  it('module-builder/ imports only public files of modules/ and functions/shared/ (besides itself); modules/ never imports it', () => {
    const allowed = (to: string) =>
      to.startsWith('module-builder/') ||
      to.startsWith('functions/shared/') ||
      (to.startsWith('modules/') && !to.startsWith('modules/private/'));
    expect(arrowsBreaking(graph, 'module-builder/', (to) => !allowed(to))).toEqual([]);
    expect(arrowsBreaking(graph, 'modules/', (to) => to.startsWith('module-builder/'))).toEqual([]);
    expect([...graph.keys()].some((file) => relative(REPO_ROOT, file).startsWith('module-builder/'))).toBe(true);
  });

  it('no public file of modules/ re-exports from private/ or takes a type from it', () => {
    const publicFiles = files.filter((file) => {
      const path = relative(REPO_ROOT, file);
      return path.startsWith('modules/') && !path.startsWith('modules/private/');
    });
    const leaks = publicFiles.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const reexports = [...text.matchAll(/(?:^|\n)\s*export\s[^'";]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
      const types = [...text.matchAll(TYPE_IMPORT)].map((m) => m[1]);
      return [...reexports, ...types]
        .filter((specifier) => /(^|\/)private\//.test(specifier))
        .map((s) => `${relative(REPO_ROOT, file)}: ${s}`);
    });
    expect(leaks).toEqual([]);
  });

  it('finds a broken layer rule when there is one (the check can fail)', () => {
    const fn = join(REPO_ROOT, 'functions/tasker/a.ts');
    const priv = join(REPO_ROOT, 'modules/private/b.ts');
    const local = join(REPO_ROOT, 'local/c.ts');
    const broken = new Map([
      [fn, [priv]],
      [local, [priv]],
      [priv, [local]],
    ]);
    expect(arrowsBreaking(broken, 'functions/', (to) => to.startsWith('modules/'))).toEqual([
      'functions/tasker/a.ts → modules/private/b.ts',
    ]);
    expect(
      arrowsBreaking(
        broken,
        '',
        (to) => to.startsWith('modules/private/'),
        (from) => from.startsWith('modules/'),
      ),
    ).toEqual(['functions/tasker/a.ts → modules/private/b.ts', 'local/c.ts → modules/private/b.ts']);
    expect(arrowsBreaking(broken, 'modules/', (to) => !to.startsWith('modules/'))).toEqual(['modules/private/b.ts → local/c.ts']);
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const a = join(REPO_ROOT, 'a.ts');
    const b = join(REPO_ROOT, 'b.ts');
    const c = join(REPO_ROOT, 'c.ts');
    expect(
      importCycles(
        new Map([
          [a, [b]],
          [b, [c]],
          [c, [a]],
        ]),
      ),
    ).toEqual([[a, b, c]]);
    expect(
      importCycles(
        new Map([
          [a, [b]],
          [b, []],
        ]),
      ),
    ).toEqual([]);
  });
});
