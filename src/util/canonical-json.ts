/**
 * util: canonical JSON. Objects are written with sorted keys and `undefined` members dropped,
 * so the same value always gives the same bytes (fingerprints, manifests, reports).
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function normalise(value: unknown, path: string): JsonValue | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${path} is not a finite number`);
    return value;
  }
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map((item, i) => normalise(item, `${path}[${i}]`) ?? null);
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (typeof value === "object") {
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value).sort()) {
      const member = normalise((value as Record<string, unknown>)[key], `${path}.${key}`);
      if (member !== undefined) out[key] = member;
    }
    return out;
  }
  throw new TypeError(`canonical JSON: ${path} has unsupported type ${typeof value}`);
}

/** Compact canonical form: the input of fingerprints. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value, "$") ?? null);
}

/** Human-readable canonical form for artifacts on disk: 2-space indent, trailing newline. */
export function canonicalJsonPretty(value: unknown): string {
  return `${JSON.stringify(normalise(value, "$") ?? null, null, 2)}\n`;
}
