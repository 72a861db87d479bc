// cli: flag helpers shared by hash-frames and hash-audio (where the list goes; integer flags).
import { InvalidArgumentError } from "commander";
import { RecompError } from "../util/errors.js";

export function hashOutputTarget(flags: { out?: string; capture?: string }): { kind: "list" | "capture"; file: string } {
  if ((flags.out === undefined) === (flags.capture === undefined)) {
    throw new RecompError({ code: "usage", message: "give exactly one of --out LIST or --capture capture_video.toml", hint: "see --help" });
  }
  return flags.out !== undefined ? { kind: "list", file: flags.out } : { kind: "capture", file: flags.capture as string };
}

export function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new InvalidArgumentError("must be a positive integer");
  return value;
}
