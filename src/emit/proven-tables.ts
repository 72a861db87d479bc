// emit: a jump table the lifter proved complete (module.json `complete`) stays so only when the run cannot write
// its bytes: they must lie in one region of the memory map without write permission (title.toml may map the
// module's read-only data writable), on pages no writable region shares. Otherwise the branch keeps the
// function-entry dispatch for a miss.
import type { IrFunction } from "../config/module-json.js";
import type { Region } from "./memory-map.js";

/** The runtime's page (RT_PAGE_SIZE, runtime/core/memory.h): a page two regions share gets both permissions. */
const page = 0x1000n;

function readOnly(regions: readonly Region[], table: bigint, bytes: number): boolean {
  const end = table + BigInt(bytes);
  const [first, last] = [table & ~(page - 1n), (end + page - 1n) & ~(page - 1n)];
  const inside = regions.some((region) => !region.write && table >= region.base && end <= region.base + region.size);
  return inside && !regions.some((region) => region.write && region.base < last && region.base + region.size > first);
}

/** `functions` with `complete` dropped from every jump table whose bytes the guest may write. */
export function keepProvenTables(functions: readonly IrFunction[], regions: readonly Region[]): IrFunction[] {
  return functions.map((fn) => {
    const writable = fn.blocks.some((block) => block.terminator.op === "br_indirect" && block.terminator.complete !== undefined && !readOnly(regions, BigInt(block.terminator.complete.table), block.terminator.complete.bytes));
    if (!writable) return fn;
    const blocks = fn.blocks.map((block) => {
      const end = block.terminator;
      if (end.op !== "br_indirect" || end.complete === undefined || readOnly(regions, BigInt(end.complete.table), end.complete.bytes)) return block;
      return { ...block, terminator: { op: end.op, src: end.src, table: end.table } };
    });
    return { ...fn, blocks };
  });
}
