/**
 * Lists where two JSON values differ, as `path: left → right` lines (paths dotted, array items `[i]`),
 * so a comparison test can state the expected differences exactly instead of only "not equal".
 */
export function jsonDifferences(left: unknown, right: unknown, path = ''): string[] {
  if (isContainer(left) && isContainer(right) && Array.isArray(left) === Array.isArray(right)) {
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    return keys.flatMap((key) => {
      const child = Array.isArray(left) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
      return jsonDifferences((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key], child);
    });
  }
  const [a, b] = [JSON.stringify(left), JSON.stringify(right)];
  return a === b ? [] : [`${path}: ${a ?? '(absent)'} → ${b ?? '(absent)'}`];
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
