/**
 * config: best-effort line lookup for a key path in TOML source, so that schema errors (which
 * smol-toml cannot locate) still point at a line. Handles `[table]`, `[[array]]` and `key =`;
 * anything it cannot follow yields no line rather than a wrong one.
 */

const headerPattern = /^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/;
const keyPattern = /^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=/;

function unquote(key: string): string {
  if (key.startsWith('"') || key.startsWith("'")) return key.slice(1, -1);
  return key;
}

export function findKeyLine(text: string, path: readonly PropertyKey[]): number | undefined {
  const target = path.map(String).join("\u0000");
  const arrayCounts = new Map<string, number>();
  let table: string[] = [];
  const lines = text.split(/\r?\n/);
  let best: number | undefined;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? "";
    const header = headerPattern.exec(line);
    if (header !== null) {
      const names = (header[2] ?? "").split(".").map((n) => unquote(n.trim()));
      if (header[1] === "[[") {
        const key = names.join("\u0000");
        const index = (arrayCounts.get(key) ?? -1) + 1;
        arrayCounts.set(key, index);
        table = [...names, String(index)];
      } else {
        table = names;
      }
      const tablePath = table.join("\u0000");
      if (tablePath === target) return i + 1;
      if (target.startsWith(`${tablePath}\u0000`) && best === undefined) best = i + 1;
      continue;
    }
    const key = keyPattern.exec(line);
    if (key !== null) {
      const full = [...table, unquote(key[1] ?? "")].join("\u0000");
      if (full === target || target.startsWith(`${full}\u0000`)) return i + 1;
    }
  }
  return best;
}
