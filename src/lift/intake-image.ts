// lift: the guest image from the intake's module.json (homebrew or XCI mode): segment files, bss, MOD0 symbols.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { intakeModuleSchema, type IntakeModule } from "../config/intake-module.js";
import { readTextFile, schemaErrors } from "../config/toml.js";
import { RecompError, RecompErrorList } from "../util/errors.js";
import { sha256Hex } from "../util/hash.js";
import type { FunctionEntry } from "./cfg.js";
import type { LiftSegment } from "./code-image.js";
import { dynamicSymbols, type LiftImage } from "./inputs.js";

const page = 0x1000n;

async function loadIntakeModule(file: string): Promise<IntakeModule> {
  let data: unknown;
  try {
    data = JSON.parse(await readTextFile(file, "intake module.json"));
  } catch (error) {
    if (error instanceof RecompError || error instanceof RecompErrorList) throw error;
    throw new RecompError({ code: "config_syntax", message: `not JSON: ${(error as Error).message}`, location: { file }, hint: "re-run the intake stage" });
  }
  const { errors, value } = schemaErrors(intakeModuleSchema, data, file);
  if (errors.length > 0) throw new RecompErrorList(errors);
  return value as IntakeModule;
}

/**
 * Maps the intake's modules from `base`, one after another in module.json order (each at the next
 * page after the previous one's bss). The entry is the NRO's start, else the module named "main",
 * else the first module; every other module's start is lifted as a function `<module>_start`.
 */
export async function imageFromIntake(moduleJsonPath: string, base: bigint): Promise<LiftImage> {
  const intake = await loadIntakeModule(moduleJsonPath);
  const folder = dirname(moduleJsonPath);
  const segments: LiftSegment[] = [];
  const starts: FunctionEntry[] = [];
  const symbols: FunctionEntry[] = [];
  const single = intake.modules.length === 1;
  let moduleBase = base;
  for (const [index, module] of intake.modules.entries()) {
    const bytes: Uint8Array[] = [];
    for (const [i, segment] of module.segments.entries()) {
      const data = new Uint8Array(await readFile(join(folder, segment.file)));
      if (data.length !== segment.size || sha256Hex(data) !== segment.sha256) {
        throw new RecompError({
          code: "input_mismatch",
          message: `segment file ${segment.file} does not match module.json (size ${data.length}, expected ${segment.size})`,
          location: { file: moduleJsonPath, keyPath: `modules[${index}].segments[${i}]` },
          hint: "re-run the intake stage",
        });
      }
      bytes.push(data);
      const bss = segment.name === "data" ? module.bss.size : 0;
      segments.push({
        name: single ? segment.name : `${module.name}.${segment.name}`,
        base: moduleBase + BigInt(segment.memory_offset),
        bytes: data,
        size: segment.size + bss,
        permissions: { read: true, write: segment.permissions[1] === "w", execute: segment.permissions[2] === "x" },
      });
    }
    starts.push({ name: `${module.name}_start`, address: moduleBase + BigInt(module.segments[0]?.memory_offset ?? 0) });
    symbols.push(...dynamicSymbols(bytes[1] ?? new Uint8Array(0), module.dynsym, module.dynstr, moduleBase));
    const end = BigInt(Math.max(...module.segments.map((s) => s.memory_offset + s.size), module.bss.memory_offset + module.bss.size));
    moduleBase += ((end + page - 1n) / page) * page;
  }
  const nro = intake.modules.findIndex((m) => m.format === "nro");
  const main = intake.modules.findIndex((m) => m.name === "main");
  const entryIndex = nro >= 0 ? nro : Math.max(main, 0);
  const entry = starts[entryIndex] ?? starts[0];
  if (entry === undefined) throw new RecompError({ code: "format_invalid", message: "module.json lists no module", location: { file: moduleJsonPath } });
  return { segments, entry: entry.address, symbols: [...starts.filter((s) => s !== entry), ...symbols] };
}
