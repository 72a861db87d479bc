import { describe, expect, it } from "vitest";
import { memorySource } from "../../src/formats/byte-source.js";
import { parseNacp } from "../../src/formats/nacp.js";
import { parseRomfs } from "../../src/formats/romfs.js";
import { romfsLayout } from "../../src/formats/romfs-layout.js";
import { buildNacp, buildRomfs } from "../../src/formats/testing/index.js";
import { errorOf } from "../helpers/errors.js";


describe("NACP", () => {
  const nacp = buildNacp({
    titles: [
      { language: "AmericanEnglish", name: "Pong", publisher: "Homebrew Dev" },
      { language: "Japanese", name: "ポン", publisher: "ホーム" },
    ],
    displayVersion: "0.9.1",
    applicationId: "05000c0ffee00000",
  });

  it("reads titles per language, display version and application id", async () => {
    const info = await parseNacp(memorySource(nacp, "control.nacp"));
    expect(info.titles).toEqual([
      { language: "AmericanEnglish", name: "Pong", publisher: "Homebrew Dev" },
      { language: "Japanese", name: "ポン", publisher: "ホーム" },
    ]);
    expect(info.displayVersion).toBe("0.9.1");
    expect(info.applicationId).toBe("05000c0ffee00000");
    expect(info.saveDataOwnerId).toBe("05000c0ffee00000");
  });

  it("rejects a NACP of the wrong size", async () => {
    for (const size of [0, 0x3fff, 0x4001]) {
      const bytes = new Uint8Array(size);
      bytes.set(nacp.subarray(0, Math.min(size, nacp.length)));
      const error = await errorOf(parseNacp(memorySource(bytes, "short.nacp")));
      expect(error.location).toEqual({ file: "short.nacp", keyPath: "nacp", offset: 0 });
    }
  });
});

describe("RomFS", () => {
  const files = [
    { path: "a.txt", data: Buffer.from("alpha") },
    { path: "dir/b.bin", data: new Uint8Array(300).fill(2) },
    { path: "dir/sub/c.txt", data: Buffer.from("gamma") },
    { path: "dir/sub/d.txt", data: Buffer.from("") },
    { path: "ünïcode/名前.txt", data: Buffer.from("utf8") },
  ];
  const image = buildRomfs(files);

  it("lists directories and files with their ranges", async () => {
    const tree = await parseRomfs(memorySource(image, "romfs.bin"));
    expect(tree.directories).toEqual(["dir", "dir/sub", "ünïcode"]);
    expect(tree.files.map((f) => [f.path, f.size])).toEqual(files.map((f) => [f.path, f.data.length]));
    expect(tree.totalFileBytes).toBe(314);
    const c = tree.files.find((f) => f.path === "dir/sub/c.txt");
    expect(Buffer.from(image.subarray(c?.offset, (c?.offset ?? 0) + 5)).toString()).toBe("gamma");
  });

  const header = (bytes: Uint8Array, at: number): number => Number(new DataView(bytes.buffer).getBigUint64(at, true));

  it("rejects a directory loop", async () => {
    const bytes = Uint8Array.from(image);
    const dirTable = header(bytes, romfsLayout.dirTable);
    // The root's first child directory ("dir") gets the root as its own child.
    const dir = new DataView(bytes.buffer).getUint32(dirTable + 0x8, true);
    new DataView(bytes.buffer).setUint32(dirTable + dir + 0x8, 0, true);
    const error = await errorOf(parseRomfs(memorySource(bytes, "loop.romfs")));
    expect(error.message).toMatch(/reached twice: the table has a loop/);
    expect(error.location.keyPath).toBe("directory_table[0x0]");
  });

  it("rejects `..`, `.`, separators and NUL in names", async () => {
    for (const [name, problem] of [
      ["..", /relative path component/],
      [".", /relative path component/],
      ["a/b", /path separator/],
      ["a\\b", /path separator/],
      ["a\0b", /NUL/],
    ] as const) {
      const bytes = buildRomfs([{ path: "x".repeat(name.length), data: Buffer.from("1") }]);
      const fileTable = header(bytes, romfsLayout.fileTable);
      bytes.set(Buffer.from(name, "latin1"), fileTable + romfsLayout.fileEntryHeader);
      const error = await errorOf(parseRomfs(memorySource(bytes, "names.romfs")));
      expect(error.message).toMatch(problem);
      expect(error.location.keyPath).toBe("file_table[0x0].name");
    }
  });

  it("rejects duplicate paths", async () => {
    const bytes = buildRomfs([
      { path: "aa", data: Buffer.from("1") },
      { path: "ab", data: Buffer.from("2") },
    ]);
    const fileTable = header(bytes, romfsLayout.fileTable);
    const second = 0x20 + 4;
    bytes.set(Buffer.from("aa"), fileTable + second + romfsLayout.fileEntryHeader);
    expect((await errorOf(parseRomfs(memorySource(bytes, "dup.romfs")))).message).toMatch(/duplicate path "aa"/);
  });

  it("rejects file data and tables outside the image", async () => {
    const bytes = Uint8Array.from(image);
    const fileTable = header(bytes, romfsLayout.fileTable);
    new DataView(bytes.buffer).setBigUint64(fileTable + 0x10, 0x100000n, true);
    expect((await errorOf(parseRomfs(memorySource(bytes, "range.romfs")))).location.keyPath).toBe("file_table[0x0].data");
    const error = await errorOf(parseRomfs(memorySource(image.subarray(0, 0x60), "cut.romfs")));
    expect(error.location.keyPath).toBe("header.directory_table");
  });
});
