// emit: the runtime's region map: title.toml's [[runtime.memory_layout.regions]], checked against the module's segments.
import type { IrSegment, ModuleJson } from "../config/module-json.js";
import { addressValue } from "../config/common.js";
import type { TitleConfig } from "../config/title.js";
import { RecompError, throwIfAny } from "../util/errors.js";

export interface Region {
  name: string;
  base: bigint;
  size: bigint;
  read: boolean;
  write: boolean;
  execute: boolean;
}

/** recomp's stack when title.toml names no regions: 1 MiB below 0x20100000 (docs/runtime-core.md). */
export const defaultStack: Region = { name: "stack", base: 0x20000000n, size: 0x100000n, read: true, write: true, execute: false };

type TitleRegion = NonNullable<NonNullable<NonNullable<TitleConfig["runtime"]>["memory_layout"]>["regions"]>[number];

function regionOf(region: TitleRegion): Region {
  const p = region.permissions;
  const perms = typeof p === "string" ? { read: p[0] === "r", write: p[1] === "w", execute: p[2] === "x" } : p;
  return { name: region.name, base: addressValue(region.base), size: addressValue(region.size), ...perms };
}

function segmentRegion(segment: IrSegment): Region {
  return { name: segment.name, base: BigInt(segment.base), size: BigInt(segment.size), ...segment.permissions };
}

/** The regions of the run, sorted by base; every segment must lie inside one region. */
export function memoryMap(module: ModuleJson, title: TitleConfig | undefined, titleFile: string | undefined): Region[] {
  const declared = title?.runtime?.memory_layout?.regions;
  const regions = declared !== undefined && declared.length > 0 ? declared.map(regionOf) : [...module.segments.map(segmentRegion), defaultStack];
  regions.sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  const errors: RecompError[] = [];
  regions.forEach((region, i) => {
    const next = regions[i + 1];
    if (next !== undefined && region.base + region.size > next.base) {
      errors.push(
        new RecompError({
          code: "config_invalid",
          message: `regions "${region.name}" and "${next.name}" overlap`,
          location: { file: titleFile, keyPath: "runtime.memory_layout.regions" },
          hint: "give every region its own address range",
        }),
      );
    }
  });
  for (const segment of module.segments) {
    const base = BigInt(segment.base);
    const inside = regions.some((region) => base >= region.base && base + BigInt(segment.size) <= region.base + region.size);
    if (!inside) {
      errors.push(
        new RecompError({
          code: "config_invalid",
          message: `segment "${segment.name}" (${segment.base} + 0x${segment.size.toString(16)}) is not inside one memory region`,
          location: { file: titleFile, keyPath: "runtime.memory_layout.regions" },
          hint: "add or widen a region in [[runtime.memory_layout.regions]] to cover the segment",
        }),
      );
    }
  }
  throwIfAny(errors);
  return regions;
}

/** The initial stack pointer: the top of the region named "stack" (16-byte aligned). */
export function stackTop(regions: readonly Region[], titleFile: string | undefined): bigint {
  const stack = regions.find((region) => region.name === "stack");
  if (stack === undefined) {
    throw new RecompError({
      code: "config_invalid",
      message: 'no memory region named "stack"',
      location: { file: titleFile, keyPath: "runtime.memory_layout.regions" },
      hint: 'add a region with name = "stack" and permissions = "rw-"',
    });
  }
  return (stack.base + stack.size) & ~15n;
}
