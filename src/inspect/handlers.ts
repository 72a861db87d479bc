/**
 * inspect: the table of format handlers, keyed by the format content detection finds. Adding a
 * format (XCI, NCA, PFS0, HFS0) is one handler file and one line in `inspectHandlers`.
 */
import { stat } from "node:fs/promises";
import { detectFormat, type DetectedFormat } from "../formats/detect.js";
import { withFileSource } from "../formats/byte-source.js";
import { nacpSize } from "../formats/nacp.js";
import { romfsLayout } from "../formats/romfs-layout.js";
import { RecompError } from "../util/errors.js";
import { nacpHandler, nroHandler, nsoHandler, romfsHandler } from "./homebrew-handlers.js";
import type { InspectContext, InspectHandler, InspectReport } from "./report.js";
import { hfs0Handler, ncaHandler, pfs0Handler, xciHandler } from "./xci-handlers.js";

/** Detected formats plus the two that have no magic number and are recognised by shape. */
export type InspectFormat = DetectedFormat | "nacp" | "romfs";

export const inspectHandlers: Partial<Record<InspectFormat, InspectHandler>> = {
  nro0: nroHandler,
  nso0: nsoHandler,
  nacp: nacpHandler,
  romfs: romfsHandler,
  xci: xciHandler,
  hfs0: hfs0Handler,
  exefs: pfs0Handler,
  nca: ncaHandler,
  // Content detection cannot see an NCA's magic without header_key.
  nca_candidate: ncaHandler,
};

/** Magic-number detection first; a file with no magic is a NACP by size or a RomFS by header. */
export async function detectInspectFormat(path: string): Promise<InspectFormat> {
  const detected = detectFormat(path);
  if (detected !== "unknown" && detected !== "nca_candidate") return detected;
  return withFileSource(path, path, async (source) => {
    if (source.size === nacpSize) return "nacp";
    if (source.size >= romfsLayout.headerSize) {
      const head = new DataView((await source.read(0, 8)).slice().buffer);
      if (head.getBigUint64(0, true) === BigInt(romfsLayout.headerSize)) return "romfs";
    }
    return detected;
  });
}

/** Inspects `path` as `format` (detected from content when not given). */
export async function inspectFile(path: string, label: string, format?: InspectFormat, context: InspectContext = {}): Promise<InspectReport> {
  const isFile = await stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
  if (!isFile) throw new RecompError({ code: "input_missing", message: `"${label}" is not a readable file`, location: { file: label } });
  const chosen = format ?? (await detectInspectFormat(path));
  const handler = inspectHandlers[chosen];
  if (handler === undefined) {
    throw new RecompError({
      code: "format_unsupported",
      message: `cannot inspect ${chosen === "unknown" || chosen === "nca_candidate" ? "a file of unknown format" : `format ${chosen}`}`,
      location: { file: label },
      hint: `supported: ${Object.keys(inspectHandlers).sort().join(", ")}; force one with --format`,
    });
  }
  return withFileSource(path, label, (source) => handler.inspect(source, context));
}
