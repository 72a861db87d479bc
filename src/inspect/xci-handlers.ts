// inspect: XCI, HFS0, PFS0 and NCA reports. With --keys, NCA headers are decrypted and the program
// NCAs, ExeFS and RomFS are listed too; no key value is ever part of a report.
import type { ByteSource } from "../formats/byte-source.js";
import { ncaSectionKey, ncaSectionSource, parseNcaHeader, type NcaHeader, type NcaKeys } from "../formats/nca.js";
import { describeSectionKey, openNcaPfs0, openNcaRomfs } from "../formats/nca-section-fs.js";
import { parsePartitionFs, type PartitionFs, type PartitionFsKind } from "../formats/partition-fs.js";
import { parseRomfs } from "../formats/romfs.js";
import { openXci } from "../formats/xci.js";
import { listPrograms, listXciContents } from "../intake/xci-programs.js";
import { RecompError } from "../util/errors.js";
import { romfsSections } from "./homebrew-handlers.js";
import { type InspectContext, type InspectHandler, type InspectReport, type InspectSection, hex, range } from "./report.js";

function partitionSection(title: string, fs: PartitionFs): InspectSection {
  return {
    title,
    rows: fs.entries.map((e): [string, string] => [e.name, `${range(e.offset, e.size)}${e.sha256 === undefined ? "" : ` sha256(first ${hex(e.hashedSize ?? 0)}) ${e.sha256}`}`]),
  };
}

function requireKeys(context: InspectContext, what: string): NcaKeys {
  if (context.keys === undefined) {
    throw new RecompError({ code: "usage", message: `${what} is encrypted; its header is readable only with your keys`, hint: "pass --keys prod.keys (and --title-keys title.keys for titles with a rights id)" });
  }
  return { keys: context.keys, ...(context.titleKeys === undefined ? {} : { titleKeys: context.titleKeys }) };
}

function ncaHeaderSection(name: string, header: NcaHeader): InspectSection {
  return {
    title: `NCA ${name}`,
    rows: [
      ["magic", header.magic],
      ["content type", header.contentType],
      ["program id", header.programId],
      ["distribution", header.distribution],
      ["key generation", String(header.keyGeneration)],
      ["key area key", `index ${header.keyAreaIndex}`],
      ["rights id", header.rightsId ?? "none (key area)"],
      ["content size", hex(header.contentSize)],
      ["sdk addon version", hex(header.sdkAddonVersion)],
      ...header.sections.map((s): [string, string] => [
        `section ${s.index}`,
        `${s.fsType} ${range(s.start, s.end - s.start)} ${s.encryption}${s.unsupported === undefined ? "" : ` (unsupported: ${s.unsupported})`}`,
      ]),
    ],
  };
}

function headerData(header: NcaHeader): Record<string, unknown> {
  const { encryptedKeyArea: _wrapped, sections, ...rest } = header;
  return { ...rest, sections: sections.map(({ ctrUpperIv: _iv, ...section }) => section) };
}

/** Lists the ExeFS and RomFS of an NCA whose sections the keys decrypt. */
async function ncaContents(source: ByteSource, header: NcaHeader, keys: NcaKeys): Promise<{ sections: InspectSection[]; data: Record<string, unknown> }> {
  const key = ncaSectionKey(header, keys);
  const keyName = describeSectionKey(header, keys);
  const sections: InspectSection[] = [];
  const data: Record<string, unknown> = {};
  for (const section of header.sections.filter((s) => s.unsupported === undefined)) {
    const plain = ncaSectionSource(source, section, key);
    if (section.fsType === "pfs0") {
      const pfs0 = await openNcaPfs0(plain, section, keyName, source.label);
      sections.push(partitionSection(`section ${section.index} PFS0`, pfs0.fs));
      data[`section${section.index}`] = pfs0.fs;
    } else if (header.contentType === "program" || header.contentType === "control" || header.contentType === "manual") {
      const tree = await parseRomfs(await openNcaRomfs(plain, section, keyName, source.label));
      sections.push(...romfsSections(tree).map((s) => ({ ...s, title: `section ${section.index} ${s.title}` })));
      data[`section${section.index}`] = tree;
    }
  }
  return { sections, data };
}

export const xciHandler: InspectHandler = {
  describe: "game-card image: card header, partitions; with --keys the NCAs and program candidates",
  async inspect(source, context): Promise<InspectReport> {
    const image = await openXci(source);
    const h = image.header;
    const sections: InspectSection[] = [
      {
        title: "card header",
        rows: [
          ["key area prefix", h.keyAreaPrefix === 0 ? "no" : hex(h.keyAreaPrefix)],
          ["package id", h.packageId],
          ["rom size code", hex(h.romSizeCode)],
          ["root HFS0", range(h.rootHfs0Offset, h.rootHfs0HeaderSize)],
          ["secure area start", hex(h.secureAreaStartPage * 0x200)],
        ],
      },
      ...image.partitions.map((p) => partitionSection(`partition ${p.name}`, p.fs)),
    ];
    const data: Record<string, unknown> = { header: h, partitions: image.partitions.map((p) => ({ name: p.name, entries: p.fs.entries })) };
    if (context.keys !== undefined) {
      const keys = requireKeys(context, source.label);
      const contents = await listXciContents(image, keys, source.label);
      sections.push(...contents.map((c) => ncaHeaderSection(c.name, c.header)));
      const programs = await listPrograms(contents, keys);
      sections.push({ title: "programs", rows: programs.map((p): [string, string] => [p.name, `title id ${p.titleId}, version ${p.version ?? "unknown"}`]) });
      data.ncas = contents.map((c) => ({ name: c.name, header: headerData(c.header) }));
      data.programs = programs.map((p) => ({ nca: p.name, title_id: p.titleId, version: p.version }));
    }
    return { format: "xci", data, sections };
  },
};

function partitionHandler(kind: PartitionFsKind, format: string): InspectHandler {
  return {
    describe: `${kind} partition: files with ranges${kind === "HFS0" ? " and hashes" : ""}`,
    async inspect(source): Promise<InspectReport> {
      const fs = await parsePartitionFs(source, kind);
      return { format, data: fs, sections: [partitionSection(kind, fs)] };
    },
  };
}

export const hfs0Handler = partitionHandler("HFS0", "hfs0");
export const pfs0Handler = partitionHandler("PFS0", "exefs");

export const ncaHandler: InspectHandler = {
  describe: "NCA (needs --keys): header, sections, ExeFS and RomFS listings",
  async inspect(source, context): Promise<InspectReport> {
    const keys = requireKeys(context, source.label);
    const header = await parseNcaHeader(source, keys.keys);
    const contents = await ncaContents(source, header, keys);
    return { format: "nca", data: { header: headerData(header), ...contents.data }, sections: [ncaHeaderSection(source.label, header), ...contents.sections] };
  },
};
