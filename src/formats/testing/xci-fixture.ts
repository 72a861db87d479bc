/**
 * formats/testing: complete XCI fixtures with an obviously fake keyset: per program a program NCA
 * (ExeFS, optional RomFS), a control NCA and a meta NCA whose cnmt names them, all in the secure
 * partition. Used by tests, benchmarks and the XCI demo loop; nothing here is real key material.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { memorySource, type ByteSource } from "../byte-source.js";
import { buildCnmt } from "../cnmt.js";
import { parseKeyset } from "../keyset.js";
import type { PartitionFsFile } from "../partition-fs-writer.js";
import { wrapTitleKey, writeNca, type NcaSectionSpec } from "./nca-writer.js";
import { buildRomfs } from "./romfs-build.js";
import { writeXci } from "./xci-writer.js";

const fill = (byte: number, length = 16): string => byte.toString(16).padStart(2, "0").repeat(length);
export const fakeKeyGenerations = 0x10;

/** prod.keys of the fixtures: repeated-byte values no console has; the XTS halves differ. */
export function fakeProdKeys(): string {
  const lines = ["# recomp test keyset: fake constants, not console keys", `header_key = ${fill(0x11)}${fill(0x22)}`];
  for (let g = 0; g < fakeKeyGenerations; g += 1) {
    const xx = g.toString(16).padStart(2, "0");
    lines.push(`key_area_key_application_${xx} = ${fill(0xa0 + g)}`, `key_area_key_ocean_${xx} = ${fill(0xb0 + g)}`);
    lines.push(`key_area_key_system_${xx} = ${fill(0xc0 + g)}`, `titlekek_${xx} = ${fill(0xd0 + g)}`);
  }
  return `${lines.join("\n")}\n`;
}

export interface XciFixtureProgram {
  titleId: string;
  version: number;
  /** ExeFS files: `main`, `main.npdm`, `subsdk0`, ... */
  exefs: PartitionFsFile[];
  romfs?: Uint8Array | ByteSource;
  /** control.nacp in the control NCA's RomFS (default: a RomFS with no files). */
  nacp?: Uint8Array;
  /** Make the title use a ticket: sections keyed by a title key from title.keys. */
  rightsId?: string;
}

export interface XciFixtureOptions {
  programs: XciFixtureProgram[];
  keyAreaPrefix?: boolean;
  keyGeneration?: number;
  /** Key-area key kind: 0 application (default), 1 ocean, 2 system. */
  keyAreaIndex?: number;
  magic?: "NCA3" | "NCA2";
  /** The file name of the image inside `dir` (default `game.xci`). */
  name?: string;
}

export interface XciFixture {
  xci: string;
  keys: string;
  titleKeys: string;
  /** File names of the program NCAs inside the secure partition, in program order. */
  programNcas: string[];
}

async function ncaId(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) hash.update(chunk as Buffer);
  return hash.digest("hex").slice(0, 32);
}

/** Writes `game.xci`, `prod.keys` and `title.keys` into `dir`. */
export async function makeXciFixture(dir: string, options: XciFixtureOptions): Promise<XciFixture> {
  await mkdir(dir, { recursive: true });
  const keysPath = join(dir, "prod.keys");
  const titleKeysPath = join(dir, "title.keys");
  const keys = parseKeyset(fakeProdKeys(), keysPath);
  const generation = options.keyGeneration ?? 0;
  const work = join(dir, "nca-work");
  await mkdir(work, { recursive: true });
  const secure: { name: string; path: string }[] = [];
  const titleKeyLines: string[] = [];
  const programNcas: string[] = [];
  const common = {
    keyGeneration: generation,
    ...(options.magic === undefined ? {} : { magic: options.magic }),
    ...(options.keyAreaIndex === undefined ? {} : { keyAreaIndex: options.keyAreaIndex }),
  };
  const place = async (path: string, suffix: string): Promise<string> => {
    const name = `${await ncaId(path)}${suffix}`;
    await rename(path, join(work, name));
    secure.push({ name, path: join(work, name) });
    return name;
  };
  for (const [i, program] of options.programs.entries()) {
    const sectionKey = Buffer.alloc(16, 0xe0 + i);
    const romfs = program.romfs === undefined ? undefined : program.romfs instanceof Uint8Array ? memorySource(program.romfs, "romfs") : program.romfs;
    const sections: NcaSectionSpec[] = [{ kind: "pfs0", files: program.exefs }];
    if (romfs !== undefined) sections.push({ kind: "romfs", romfs });
    const programPath = join(work, `program-${i}.tmp`);
    await writeNca(programPath, { contentType: "program", programId: program.titleId, sectionKey, sections, ...common, ...(program.rightsId === undefined ? {} : { rightsId: program.rightsId }) }, keys);
    if (program.rightsId !== undefined) titleKeyLines.push(`${program.rightsId} = ${wrapTitleKey(keys, generation, sectionKey).toString("hex")}`);
    const programName = await place(programPath, ".nca");
    programNcas.push(programName);
    const controlPath = join(work, `control-${i}.tmp`);
    await writeNca(controlPath, { contentType: "control", programId: program.titleId, sectionKey, sections: [{ kind: "romfs", romfs: memorySource(buildRomfs(program.nacp === undefined ? [] : [{ path: "control.nacp", data: program.nacp }]), "control romfs") }], ...common }, keys);
    const controlName = await place(controlPath, ".nca");
    const cnmt = buildCnmt({
      titleId: program.titleId,
      version: program.version,
      contents: [
        { ncaId: programName.slice(0, 32), type: "program" },
        { ncaId: controlName.slice(0, 32), type: "control" },
      ],
    });
    const metaPath = join(work, `meta-${i}.tmp`);
    await writeNca(metaPath, { contentType: "meta", programId: program.titleId, sectionKey, sections: [{ kind: "pfs0", files: [{ name: `Application_${program.titleId}.cnmt`, data: cnmt }] }], ...common }, keys);
    await place(metaPath, ".cnmt.nca");
  }
  const xci = join(dir, options.name ?? "game.xci");
  await writeXci(
    xci,
    [
      { name: "update", files: [] },
      { name: "normal", files: [] },
      { name: "secure", files: secure },
    ],
    { keyAreaPrefix: options.keyAreaPrefix === true },
  );
  await writeFile(keysPath, fakeProdKeys());
  await writeFile(titleKeysPath, `${titleKeyLines.join("\n")}\n`);
  return { xci, keys: keysPath, titleKeys: titleKeysPath, programNcas };
}
