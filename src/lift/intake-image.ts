// lift: the lift stage's input in homebrew and XCI mode: the intake folder's module.json and segment
// images, laid out in memory from a load base (the NRO or "main" first, each module page-aligned).
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { intakeModuleSchema, type IntakeModuleEntry } from "../config/intake-module.js";
import type { Mod0Info } from "../formats/mod0.js";
import { loadJsonFile } from "../config/json-file.js";
import { memorySource } from "../formats/byte-source.js";
import { RecompError } from "../util/errors.js";
import { sha256Hex } from "../util/hash.js";
import type { FunctionEntry } from "./cfg.js";
import type { LiftSegment } from "./code-image.js";
import { dynamicSymbols, type LiftImage } from "./inputs.js";
import { moduleCode, type AddressRange, type ModuleSegment } from "./module-code.js";

const page = 0x1000n;

function alignUp(value: bigint): bigint {
  return (value + page - 1n) & ~(page - 1n);
}

const permissionsOf = (text: string): LiftSegment["permissions"] => ({ read: text[0] === "r", write: text[1] === "w", execute: text[2] === "x" });

/** The module the program starts in: the NRO, else the ExeFS "main", else the first by name. */
function loadOrder(modules: readonly IntakeModuleEntry[]): IntakeModuleEntry[] {
  const first = modules.find((m) => m.format === "nro") ?? modules.find((m) => m.name === "main") ?? modules[0];
  return [...(first === undefined ? [] : [first]), ...modules.filter((m) => m !== first)];
}

export async function imageFromIntake(moduleJsonPath: string, base: bigint): Promise<LiftImage> {
  const intake = await loadJsonFile(moduleJsonPath, intakeModuleSchema, "intake module.json");
  const folder = dirname(moduleJsonPath);
  const modules = loadOrder(intake.data.modules);
  const qualify = modules.length > 1;
  const segments: LiftSegment[] = [];
  const relocated: LiftSegment[] = [];
  const fdes: AddressRange[] = [];
  const symbols: FunctionEntry[] = [];
  let moduleBase = base;
  let entry: bigint | undefined;
  for (const module of modules) {
    let end = BigInt(module.bss.memory_offset + module.bss.size);
    const mapped: ModuleSegment[] = [];
    for (const segment of module.segments) {
      const bytes = new Uint8Array(await readFile(join(folder, ...segment.file.split("/"))));
      if (bytes.length !== segment.size || sha256Hex(bytes) !== segment.sha256) {
        throw new RecompError({
          code: "input_mismatch",
          message: `segment file ${segment.file} does not match module.json (size ${bytes.length}, expected ${segment.size})`,
          location: { file: moduleJsonPath, keyPath: `modules.${module.name}.segments.${segment.name}` },
          hint: "re-run the intake stage",
        });
      }
      // The data segment carries the bss that follows it.
      const size = segment.name === "data" ? Math.max(segment.size, module.bss.memory_offset + module.bss.size - segment.memory_offset) : segment.size;
      mapped.push({
        name: qualify ? `${module.name}_${segment.name}` : segment.name,
        base: moduleBase + BigInt(segment.memory_offset),
        memoryOffset: segment.memory_offset,
        bytes,
        size,
        permissions: permissionsOf(segment.permissions),
        file: segment.compressed ? { label: segment.file, offset: 0 } : { label: module.input.path, offset: segment.file_offset },
      });
      end = end > BigInt(segment.memory_offset + size) ? end : BigInt(segment.memory_offset + size);
      if (segment.name === "rodata") {
        const found = await dynamicSymbols(memorySource(bytes, `${module.name} rodata`), 0, module.dynsym, module.dynstr, moduleBase);
        symbols.push(...found.map((symbol) => (qualify ? { ...symbol, name: `${module.name}_${symbol.name}` } : symbol)));
      }
    }
    const code = moduleCode(`${module.input.path} (memory image)`, mapped, mod0Of(module), moduleBase);
    segments.push(...mapped.map(({ memoryOffset: _, ...segment }) => segment));
    relocated.push(...code.relocated);
    fdes.push(...code.fdes);
    symbols.push(...code.roots.map((root) => (qualify ? { ...root, name: `${module.name}_${root.name}` } : root)));
    const text = module.segments.find((s) => s.name === "text");
    entry ??= moduleBase + BigInt(text?.memory_offset ?? 0);
    moduleBase = alignUp(moduleBase + end);
  }
  return { segments, entry: entry ?? base, symbols, fdes, relocated };
}

function mod0Of(module: IntakeModuleEntry): Mod0Info | undefined {
  const m = module.mod0;
  if (m === null) return undefined;
  return {
    offset: m.offset,
    dynamicOffset: m.dynamic_offset,
    bssStart: m.bss_start,
    bssEnd: m.bss_end,
    ehFrameHdrStart: m.eh_frame_hdr_start,
    ehFrameHdrEnd: m.eh_frame_hdr_end,
    moduleObjectOffset: m.module_object_offset,
  };
}
