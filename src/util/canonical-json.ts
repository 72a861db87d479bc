/**
 * util: canonical JSON. Objects are written with sorted keys and `undefined` members dropped,
 * so the same value always gives the same bytes (fingerprints, manifests, reports).
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** "$.a[2].b" for the members and indices `path` holds: built only for an error message. */
function pathText(path: readonly (string | number)[]): string {
  return `$${path.map((step) => (typeof step === "number" ? `[${step}]` : `.${step}`)).join("")}`;
}

/**
 * `path` is the walk's current place, one entry per level (pushed and popped): a string per member visited
 * cost a no-op re-run a few per cent of its time for messages that are almost never written.
 */
function normalise(value: unknown, path: (string | number)[]): JsonValue | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${pathText(path)} is not a finite number`);
    return value;
  }
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map((item, i) => member(item, i, path) ?? null);
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (typeof value === "object") {
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value).sort()) {
      const normalised = member((value as Record<string, unknown>)[key], key, path);
      if (normalised !== undefined) out[key] = normalised;
    }
    return out;
  }
  throw new TypeError(`canonical JSON: ${pathText(path)} has unsupported type ${typeof value}`);
}

function member(value: unknown, step: string | number, path: (string | number)[]): JsonValue | undefined {
  path.push(step);
  const normalised = normalise(value, path);
  path.pop();
  return normalised;
}

/** Compact canonical form: the input of fingerprints. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value, []) ?? null);
}

/** Human-readable canonical form for artifacts on disk: 2-space indent, trailing newline. */
export function canonicalJsonPretty(value: unknown): string {
  return `${JSON.stringify(normalise(value, []) ?? null, null, 2)}\n`;
}
