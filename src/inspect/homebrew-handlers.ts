// inspect: NRO, NSO, NACP and RomFS reports (what hactool/nstool info modes print, for homebrew inputs).
import { type ByteSource, memorySource, subSource } from "../formats/byte-source.js";
import type { Mod0Info } from "../formats/mod0.js";
import { parseNacp, type NacpInfo } from "../formats/nacp.js";
import { parseNro } from "../formats/nro.js";
import { type LoadedNsoSegment, loadNsoSegment, parseNso, parseNsoMod0 } from "../formats/nso.js";
import { parseRomfs, type RomfsTree } from "../formats/romfs.js";
import type { SegmentInfo } from "../formats/segment.js";
import { asRecompErrors } from "../util/errors.js";
import { type InspectHandler, type InspectReport, type InspectSection, hex, range } from "./report.js";

/** RomFS listings longer than this are cut in the text form (JSON has them all). */
const listedFilesLimit = 40;

function segmentRows(segments: readonly SegmentInfo[]): [string, string][] {
  return segments.map((s) => {
    const stored = s.compressed ? `, stored LZ4 ${range(s.fileOffset, s.fileSize)}` : `, stored at ${hex(s.fileOffset)}`;
    const hash = s.hashChecked === undefined ? "" : s.hashChecked ? ", hash checked" : ", hash not checked";
    return [s.name, `${s.permissions} memory ${range(s.memoryOffset, s.size)}${stored}${hash}`];
  });
}

function mod0Section(mod0: Mod0Info | undefined): InspectSection {
  if (mod0 === undefined) return { title: "MOD0", rows: [["present", "no"]] };
  return {
    title: "MOD0",
    rows: [
      ["offset", hex(mod0.offset)],
      ["dynamic", hex(mod0.dynamicOffset)],
      ["bss", `${hex(mod0.bssStart)}..${hex(mod0.bssEnd)}`],
      ["eh_frame_hdr", `${hex(mod0.ehFrameHdrStart)}..${hex(mod0.ehFrameHdrEnd)}`],
      ["module object", hex(mod0.moduleObjectOffset)],
    ],
  };
}

function nacpSections(nacp: NacpInfo): InspectSection[] {
  return [
    {
      title: "NACP",
      rows: [
        ["application id", nacp.applicationId],
        ["display version", nacp.displayVersion],
        ...nacp.titles.map((t): [string, string] => [t.language, `${t.name} / ${t.publisher}`]),
      ],
    },
  ];
}

export function romfsSections(tree: RomfsTree): InspectSection[] {
  const rows: [string, string][] = [
    ["directories", String(tree.directories.length)],
    ["files", `${tree.files.length} (${hex(tree.totalFileBytes)} bytes)`],
    ...tree.files.slice(0, listedFilesLimit).map((f): [string, string] => [f.path, hex(f.size)]),
  ];
  if (tree.files.length > listedFilesLimit) rows.push(["...", `${tree.files.length - listedFilesLimit} more (see --json)`]);
  return [{ title: "RomFS", rows }];
}

export const nroHandler: InspectHandler = {
  describe: "NRO homebrew executable",
  async inspect(source: ByteSource): Promise<InspectReport> {
    const info = await parseNro(source);
    const sections: InspectSection[] = [
      {
        title: "NRO header",
        rows: [
          ["declared size", hex(info.size)],
          ["file size", hex(info.fileSize)],
          ["build id", info.buildId],
          ["bss size", hex(info.bssSize)],
          ["dynstr", `${range(info.dynstr.offset, info.dynstr.size)} of .rodata`],
          ["dynsym", `${range(info.dynsym.offset, info.dynsym.size)} of .rodata`],
        ],
      },
      { title: "Segments", rows: segmentRows(info.segments) },
      mod0Section(info.mod0),
    ];
    const data: Record<string, unknown> = { ...info };
    const assets = info.assets;
    if (assets !== undefined) {
      const row = (name: string, r: { offset: number; size: number } | undefined): [string, string] => [name, r === undefined ? "none" : range(r.offset, r.size)];
      sections.push({ title: "Assets (ASET)", rows: [row("icon", assets.icon), row("nacp", assets.nacp), row("romfs", assets.romfs)] });
      if (assets.nacp !== undefined) {
        const nacp = await parseNacp(subSource(source, assets.nacp.offset, assets.nacp.size, `${source.label} (nacp)`));
        sections.push(...nacpSections(nacp));
        data.nacp = nacp;
      }
      if (assets.romfs !== undefined) {
        const tree = await parseRomfs(subSource(source, assets.romfs.offset, assets.romfs.size, `${source.label} (romfs)`));
        sections.push(...romfsSections(tree));
        data.romfs = tree;
      }
    }
    return { format: "nro0", data, sections };
  },
};

export const nsoHandler: InspectHandler = {
  describe: "NSO executable module",
  async inspect(source: ByteSource): Promise<InspectReport> {
    const info = await parseNso(source);
    // Load every segment: this decompresses and checks the hashes, and finds MOD0.
    const loaded: LoadedNsoSegment[] = [];
    const problems: string[] = [];
    for (const segment of info.segments) {
      try {
        loaded.push({ info: segment, source: memorySource(await loadNsoSegment(source, segment), segment.name) });
      } catch (error) {
        const found = asRecompErrors(error);
        if (found.length === 0) throw error;
        problems.push(...found.map((e) => `${segment.name}: ${e.message}`));
      }
    }
    const mod0 = problems.length === 0 ? await parseNsoMod0(source.label, loaded) : undefined;
    const sections: InspectSection[] = [
      {
        title: "NSO header",
        rows: [
          ["module name", info.moduleName === "" ? "(none)" : info.moduleName],
          ["flags", `${hex(info.flags)} (compressed: ${info.segments.filter((s) => s.compressed).map((s) => s.name).join(", ") || "none"}; hash checked: ${info.segments.filter((s) => s.hashChecked === true).map((s) => s.name).join(", ") || "none"})`],
          ["build id", info.buildId],
          ["bss size", hex(info.bssSize)],
          ["api_info", `${range(info.apiInfo.offset, info.apiInfo.size)} of .rodata`],
          ["dynstr", `${range(info.dynstr.offset, info.dynstr.size)} of .rodata`],
          ["dynsym", `${range(info.dynsym.offset, info.dynsym.size)} of .rodata`],
        ],
      },
      { title: "Segments", rows: segmentRows(info.segments) },
      { title: "Segment check", rows: problems.length === 0 ? [["result", "every segment loads; flagged hashes match"]] : problems.map((p): [string, string] => ["FAILED", p]) },
    ];
    if (problems.length === 0) sections.push(mod0Section(mod0));
    return { format: "nso0", data: { ...info, mod0, segmentProblems: problems }, sections };
  },
};

export const nacpHandler: InspectHandler = {
  describe: "NACP application control property (control.nacp)",
  async inspect(source: ByteSource): Promise<InspectReport> {
    const nacp = await parseNacp(source);
    return { format: "nacp", data: nacp, sections: nacpSections(nacp) };
  },
};

export const romfsHandler: InspectHandler = {
  describe: "RomFS image (level 3, as extracted)",
  async inspect(source: ByteSource): Promise<InspectReport> {
    const tree = await parseRomfs(source);
    return { format: "romfs", data: tree, sections: romfsSections(tree) };
  },
};
