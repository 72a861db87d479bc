// What a replayed no-op re-run checks (src/engine/memo): each kind of change to a consulted path breaks
// its fact, and the observer sees the paths a run reads, lists and writes, and the processes it starts.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { factValue, firstChanged, listingOf, stateOf } from "../../src/engine/memo/facts.js";
import { FileSystemObserver } from "../../src/engine/memo/observe.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "recomp-facts-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("facts", () => {
  it("change with a file's bytes, mode or times, even when size and mtime are put back", () => {
    const file = join(dir, "a.txt");
    writeFileSync(file, "one");
    const before = stateOf(file);
    const { atime, mtime } = statSync(file);
    writeFileSync(file, "two");
    utimesSync(file, atime, mtime);
    expect(stateOf(file)).not.toBe(before);
    const rewritten = stateOf(file);
    chmodSync(file, 0o700);
    expect(stateOf(file)).not.toBe(rewritten);
  });

  it("tell a missing path, a retargeted link and the file it leads to", () => {
    const link = join(dir, "link");
    expect(stateOf(link)).toBe("!ENOENT");
    writeFileSync(join(dir, "x"), "x");
    writeFileSync(join(dir, "y"), "y");
    symlinkSync("x", link);
    const toX = stateOf(link);
    writeFileSync(join(dir, "x"), "changed");
    const toChangedX = stateOf(link);
    expect(toChangedX).not.toBe(toX);
    unlinkSync(link);
    symlinkSync("y", link);
    expect(stateOf(link)).not.toBe(toChangedX);
  });

  it("see a folder's entries only through its listing", () => {
    const before = { state: stateOf(dir), listing: listingOf(dir) };
    writeFileSync(join(dir, "new"), "");
    expect(stateOf(dir)).toBe(before.state);
    expect(listingOf(dir)).not.toBe(before.listing);
  });

  it("name the first that no longer holds", () => {
    const file = join(dir, "a");
    writeFileSync(file, "a");
    const facts = [
      { path: dir, kind: "listing" as const, value: factValue(dir, "listing") },
      { path: file, kind: "state" as const, value: factValue(file, "state") },
    ];
    expect(firstChanged(facts)).toBeUndefined();
    writeFileSync(file, "b");
    expect(firstChanged(facts)?.path).toBe(file);
    expect(firstChanged(facts, (fact) => fact.path === file)).toBeUndefined();
  });
});

describe("the observer", () => {
  it("records what is read, listed and written, and the folders above, as they were first seen", async () => {
    const input = join(dir, "input.txt");
    writeFileSync(input, "in");
    const seenInput = stateOf(input);
    const observer = FileSystemObserver.start();
    let observation;
    try {
      readFileSync(input);
      await readFile(input);
      readdirSync(dir);
      statSync(join(dir, "absent"), { throwIfNoEntry: false });
      writeFileSync(join(dir, "out.txt"), "out");
    } finally {
      observation = observer.stop();
    }
    writeFileSync(input, "changed after the run");
    const byPath = new Map(observation.facts.map((fact) => [`${fact.kind}:${fact.path}`, fact.value]));
    expect(byPath.get(`state:${input}`)).toBe(seenInput);
    expect(byPath.get(`state:${join(dir, "absent")}`)).toBe("!ENOENT");
    expect(byPath.has(`state:${tmpdir()}`)).toBe(true);
    // The listing as the run left it (it wrote out.txt there), not as it first saw it.
    expect(byPath.get(`listing:${dir}`)).toBe(listingOf(dir));
    expect(byPath.has(`state:${join(dir, "out.txt")}`)).toBe(false);
    expect(observation.opaque).toBe(false);
  });

  it("marks a run that starts a process, and restores the modules", () => {
    const original = readFileSync;
    const observer = FileSystemObserver.start();
    spawnSync("true");
    expect(observer.stop().opaque).toBe(true);
    expect(readFileSync).toBe(original);
  });
});
