import { execa } from "execa";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memorySource } from "../../src/formats/byte-source.js";
import { buildNro } from "../../src/formats/nro-build.js";
import { parseNro } from "../../src/formats/nro.js";
import { requireTools } from "../helpers/tools.js";

const sources = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "toolchain");
const tools = ["aarch64-linux-gnu-gcc", "aarch64-linux-gnu-objcopy", "aarch64-linux-gnu-nm", "aarch64-linux-gnu-readelf"];

describe.runIf(requireTools(...tools))("an NRO made from an ELF the real AArch64 toolchain linked", () => {
  let dir: string;
  let symbols: Map<string, number>;
  let image: Uint8Array;
  let buildId: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-toolchain-"));
    const elf = join(dir, "app.elf");
    await execa("aarch64-linux-gnu-gcc", [
      ...["-nostdlib", "-nostartfiles", "-static", "-fno-pic", "-fno-asynchronous-unwind-tables", "-O1"],
      ...["-Wl,--build-id=sha1", "-Wl,--eh-frame-hdr", "-Wl,--no-warn-rwx-segments", "-T", join(sources, "link.ld")],
      ...[join(sources, "crt0.S"), join(sources, "main.c"), "-o", elf],
    ]);
    const nm = await execa("aarch64-linux-gnu-nm", [elf]);
    symbols = new Map(nm.stdout.split("\n").map((line) => line.split(" ")).map(([value, , name]) => [name ?? "", Number.parseInt(value ?? "", 16)]));
    buildId = /Build ID: ([0-9a-f]+)/.exec((await execa("aarch64-linux-gnu-readelf", ["-n", elf])).stdout)?.[1] ?? "";
    await execa("aarch64-linux-gnu-objcopy", ["-O", "binary", elf, join(dir, "app.bin")]);
    image = await readFile(join(dir, "app.bin"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads back the segments, build id and MOD0 the linker laid out", async () => {
    const at = (name: string): number => {
      const value = symbols.get(name);
      expect(value, name).toBeTypeOf("number");
      return value as number;
    };
    const nro = buildNro({
      text: image.subarray(0, at("__rodata_start")),
      rodata: image.subarray(at("__rodata_start"), at("__data_start")),
      data: image.subarray(at("__data_start"), at("__data_end")),
      bssSize: at("__bss_end") - at("__data_end"),
      buildId: Buffer.from(buildId, "hex"),
    });
    const info = await parseNro(memorySource(nro, "app.nro"));
    expect(buildId).toMatch(/^[0-9a-f]{40}$/);
    expect(info.buildId.startsWith(buildId)).toBe(true);
    expect(info.segments.map((s) => s.memoryOffset)).toEqual([0, at("__rodata_start"), at("__data_start")]);
    expect(info.mod0).toEqual({
      offset: at("__nx_mod0"),
      dynamicOffset: at("__dynamic"),
      bssStart: at("__bss_start"),
      bssEnd: at("__bss_end"),
      ehFrameHdrStart: at("__eh_frame_hdr_start"),
      ehFrameHdrEnd: at("__eh_frame_hdr_end"),
      moduleObjectOffset: at("__nx_mod0"),
    });
    // The code after the header area is the linker's, byte for byte.
    expect(Buffer.from(nro.subarray(0x80, at("main") + 16)).equals(Buffer.from(image.subarray(0x80, at("main") + 16)))).toBe(true);
    const message = Buffer.from(nro.subarray(at("message"), at("message") + 27)).toString("latin1");
    expect(message).toBe("hello from a real toolchain");
  });
});
