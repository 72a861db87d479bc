// config: small schema pieces shared by several files (paths, argv arrays, timecodes, integers).
import { z } from "zod";
import { parseTimecode } from "./timecode.js";

/** A path a command prints (in its --json result). */
export const shownPath = (what: string) => z.string().describe(`${what} (relative to the current folder when given so)`);

/** A path string; resolved against the folder of the file that names it, unless absolute. */
export const pathString = z.string().min(1, "must be a non-empty path");

/** A command as an argv array: never a shell string, never empty. */
export const argv = z
  .array(z.string())
  .min(1, { message: "must be a non-empty argv array, e.g. [\"make\", \"-C\", \"build\"]", abort: true })
  .refine((items) => (items[0] ?? "") !== "", { message: "the program name (first element) must not be empty" });

export const schemaVersion1 = z.literal("1", { error: 'schema_version must be "1"' });

/** `"HH:MM:SS.mmm"`, `"MM:SS"`, or seconds as a number or numeric string. */
export const timecode = z.union([z.number().nonnegative(), z.string()]).superRefine((value, ctx) => {
  if (parseTimecode(value) === undefined) {
    ctx.addIssue({
      code: "custom",
      message: `"${String(value)}" is not a timecode: use "HH:MM:SS.mmm", "MM:SS" or seconds`,
    });
  }
});

/** A non-negative integer written as a TOML integer (0x.. allowed) or a "0x..." string. */
export const address = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^(0x[0-9a-fA-F]+|[0-9]+)$/, "must be an integer or a \"0x...\" hex string"),
]);

export function addressValue(value: z.infer<typeof address>): bigint {
  return typeof value === "number" ? BigInt(value) : BigInt(value);
}

/** TOML dates parse to Date objects; older files quote them. Both are accepted. */
export const dateOrString = z.union([z.string(), z.date()]);
