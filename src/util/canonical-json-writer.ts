/**
 * util: canonicalJsonPretty's text written straight from a value, nested at any depth, without first
 * building the sorted copy `normalise` makes: module.json holds a million ops, and that copy was a
 * second object per op. The bytes are the same as the matching slice of `canonicalJsonPretty`.
 */

/** JSON text of `value` as `canonicalJsonPretty` nests it at `indent` (the first line is not indented). */
export function canonicalJsonAt(value: unknown, indent: string): string {
  return writeValue(value, indent, "$", undefined) ?? "null";
}

// The path of a member (for errors) is `parent` and `member`, joined only when needed: most members are leaves.
type Member = string | number | undefined;
const pathOf = (parent: string, member: Member): string =>
  member === undefined ? parent : typeof member === "number" ? `${parent}[${member}]` : `${parent}.${member}`;

function writeValue(value: unknown, indent: string, parent: string, member: Member): string | undefined {
  switch (typeof value) {
    case "undefined":
      return undefined;
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${pathOf(parent, member)} is not a finite number`);
      return JSON.stringify(value);
    case "bigint":
      return `"${value.toString()}"`;
    case "object":
      if (value === null) return "null";
      if (Array.isArray(value)) return writeArray(value, indent, pathOf(parent, member));
      if (value instanceof Uint8Array) return `"${Buffer.from(value).toString("hex")}"`;
      return writeObject(value as Record<string, unknown>, indent, pathOf(parent, member));
    default:
      throw new TypeError(`canonical JSON: ${pathOf(parent, member)} has unsupported type ${typeof value}`);
  }
}

function writeArray(items: readonly unknown[], indent: string, path: string): string {
  if (items.length === 0) return "[]";
  const inner = `${indent}  `;
  let text = "[";
  for (let i = 0; i < items.length; i++) text += `${i === 0 ? "\n" : ",\n"}${inner}${writeValue(items[i], inner, path, i) ?? "null"}`;
  return `${text}\n${indent}]`;
}

/** Keys as JSON strings: an op's few key names recur a million times. */
const quotedKeys = new Map<string, string>();

function writeObject(object: Record<string, unknown>, indent: string, path: string): string {
  const inner = `${indent}  `;
  let text = "";
  for (const key of sortedKeys(object)) {
    const member = writeValue(object[key], inner, path, key);
    if (member === undefined) continue;
    let quoted = quotedKeys.get(key);
    if (quoted === undefined) {
      quoted = JSON.stringify(key);
      if (quotedKeys.size < 4096) quotedKeys.set(key, quoted);
    }
    text += `${text === "" ? "" : ","}\n${inner}${quoted}: ${member}`;
  }
  return text === "" ? "{}" : `{${text}\n${indent}}`;
}

const startsWithDigit = (key: string): boolean => key.charCodeAt(0) >= 48 && key.charCodeAt(0) <= 57;
const arrayIndex = /^(0|[1-9][0-9]{0,9})$/;

/** Sorted keys in the order JSON.stringify writes normalise's sorted copy: array-index keys first, by value. */
function sortedKeys(object: object): string[] {
  const keys = Object.keys(object).sort();
  if (!keys.some(startsWithDigit)) return keys;
  const indices = keys.filter((key) => arrayIndex.test(key) && Number(key) < 2 ** 32 - 1);
  if (indices.length === 0) return keys;
  const rest = keys.filter((key) => !indices.includes(key));
  return [...indices.sort((a, b) => Number(a) - Number(b)), ...rest];
}
