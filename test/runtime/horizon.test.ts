// The horizon personality's runtime (runtime/horizon: loader, kernel, IPC, services), driven by a C
// program that encodes requests as libnx lays them out (test/runtime/horizon/ipc-driver.c).
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitProject, runtimeRoot } from "../../src/emit/index.js";
import { liftModule, type LiftImage } from "../../src/lift/index.js";
import { requireTools } from "../helpers/tools.js";

const driverDir = join(import.meta.dirname, "horizon");

async function cFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith(".c")).map((entry) => join(entry.parentPath, entry.name)).sort();
}

/* The personality's sources plus the core and host services it links with, and the driver. */
async function sources(): Promise<string[]> {
  const core = ["memory.c", "dispatch.c", "stops.c"].map((name) => join(runtimeRoot, "core", name));
  return [...(await cFiles(join(runtimeRoot, "horizon"))), ...core, ...(await cFiles(join(runtimeRoot, "services"))), ...["program-stub.c", "client.c", "ipc-driver.c", "display-driver.c", "audio-driver.c", "fs-driver.c"].map((name) => join(driverDir, name))];
}

const includes = [driverDir, join(runtimeRoot, "core"), join(runtimeRoot, "services"), join(runtimeRoot, "horizon")].map((dir) => `-I${dir}`);
const flags = ["-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", ...includes];

describe.runIf(requireTools("cc"))("horizon runtime (C, x86-64)", () => {
  let dir: string;
  let binary: string;
  const run = (args: string[], env: Record<string, string> = {}) => execa(binary, args, { reject: false, cwd: dir, env, extendEnv: false });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-horizon-"));
    binary = join(dir, "ipc-driver");
    await execa("cc", [...flags, "-o", binary, ...(await sources())]);
    // Frame 0's input: hid's handheld npad shows it.
    await writeFile(join(dir, "replay.txt"), 'recomp-replay 1\nevent 0 0 1 "a"\nevent 0 256 -20000 "stick_l_x"\nevent 0 259 32767 "stick_r_y"\n');
    // The SD card fsp-srv serves: two files and a folder under switch/.
    await mkdir(join(dir, "sd", "switch", "sub"), { recursive: true });
    await writeFile(join(dir, "sd", "switch", "hello.txt"), "hello sdmc\n");
    await writeFile(join(dir, "sd", "switch", "b.bin"), Buffer.from([1, 2, 3]));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("boots with libnx's loader ABI, serves every descriptor kind, domain case and implemented command, and schedules threads deterministically", async () => {
    const result = await run(["--capture-dir", "cap", "--replay", "replay.txt"], { RECOMP_SDMC_DIR: "sd" });
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout + "\n").toBe(await readFile(join(driverDir, "ipc-driver.expected.txt"), "utf8"));
  });

  it("logs every IPC request with service, interface, command id, raw data in and out and result, and every svc with its registers", async () => {
    await run(["--capture-dir", "cap", "--replay", "replay.txt"], { RECOMP_SDMC_DIR: "sd" });
    const lines = (await readFile(join(dir, "cap", "replay-log.jsonl"), "utf8")).trimEnd().split("\n");
    expect(lines.filter((line) => line.includes('"kind":"ipc"')).slice(0, 3)).toEqual([
      '{"command":0,"frame":0,"in":"000000000000000000000000","interface":"IUserInterface","kind":"ipc","out":"","result":0,"service":"sm:"}',
      '{"command":3,"frame":0,"in":"0000000000000000","interface":"control","kind":"ipc","out":"0000","result":0,"service":"sm:"}',
      // GetServiceHandle("set:sys"): the name is the raw data.
      '{"command":1,"frame":0,"in":"7365743a737973000000000000000000","interface":"IUserInterface","kind":"ipc","out":"","result":0,"service":"sm:"}',
    ]);
    // The driver's first call: ConnectToNamedPort("sm:") with the name's address in x1, answered with a handle in x1.
    expect(lines[3]).toBe('{"args":"x1=0x2000000000","frame":0,"kind":"svc","name":"ConnectToNamedPort","results":"x0=0x0 x1=0x10001","svc":31}');
    // Each request is also its SendSyncRequest, logged once answered (after the request's own line).
    expect(lines.filter((line) => line.includes('"name":"SendSyncRequest"')).length).toBeGreaterThanOrEqual(79);
    expect(lines.filter((line) => line.includes('"kind":"ipc"'))).toHaveLength(79);
    expect(lines.at(-1)).toBe('{"frame":0,"kind":"exit"}');
  });

  /* A captured PPM frame's pixels (P6, maxval 255). */
  async function ppm(path: string): Promise<{ width: number; height: number; rgb: Buffer }> {
    const bytes = await readFile(path);
    const text = bytes.subarray(0, 32).toString("latin1");
    const match = /^P6\n(\d+) (\d+)\n255\n/.exec(text);
    if (match === null) throw new Error(`${path} is not a P6 PPM`);
    return { width: Number(match[1]), height: Number(match[2]), rgb: bytes.subarray(match[0].length) };
  }

  it("presents frames through vi:m, the binder's buffer queue and nvmap: block-linear RGBA8888 and pitch-linear RGB565 surfaces become the captured pixels, one hid sample per frame", async () => {
    await writeFile(join(dir, "display-replay.txt"), 'recomp-replay 1\nevent 1 1 1 "b"\nevent 2 1 0 "b"\nevent 2 10 1 "plus"\n');
    const result = await run(["--capture-dir", "display", "--replay", "display-replay.txt"], { HZ_PART: "display" });
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout + "\n").toBe(await readFile(join(driverDir, "display-driver.expected.txt"), "utf8"));
    expect((await readdir(join(dir, "display", "frames"))).sort()).toEqual([0, 1, 2, 3].map((f) => `frame_00000${f}.ppm`));
    // The driver drew these patterns linearly and swizzled them as libnx's framebufferEnd does.
    const expected: ((x: number, y: number) => number[])[] = [0, 1, 2].map((f) => (x: number, y: number) => [(x + f) & 255, y & 255, ((x ^ y) + 7 * f) & 255]);
    expected.push((x, y) => {
      const [r, g, b] = [x & 31, y & 63, (x + y) & 31];
      return [(r << 3) | (r >> 2), (g << 2) | (g >> 4), (b << 3) | (b >> 2)];
    });
    for (const [f, pattern] of expected.entries()) {
      const frame = await ppm(join(dir, "display", "frames", `frame_00000${f}.ppm`));
      expect([frame.width, frame.height]).toEqual([1280, 720]);
      let mismatches = 0;
      for (let y = 0; y < 720; y++) {
        for (let x = 0; x < 1280; x++) {
          const at = (y * 1280 + x) * 3;
          const [r, g, b] = pattern(x, y);
          if (frame.rgb[at] !== r || frame.rgb[at + 1] !== g || frame.rgb[at + 2] !== b) mismatches++;
        }
      }
      expect(mismatches, `frame ${f}`).toBe(0);
    }
    const log = (await readFile(join(dir, "display", "replay-log.jsonl"), "utf8")).trimEnd().split("\n");
    // A frame line for each presented frame, before the inputs of the next one.
    expect(log.filter((line) => !line.includes('"kind":"ipc"') && !line.includes('"kind":"svc"'))).toEqual([
      '{"frame":0,"kind":"frame"}',
      '{"control":1,"frame":1,"kind":"input","name":"b","value":1}',
      '{"frame":1,"kind":"frame"}',
      '{"control":1,"frame":2,"kind":"input","name":"b","value":0}',
      '{"control":10,"frame":2,"kind":"input","name":"plus","value":1}',
      '{"frame":2,"kind":"frame"}',
      '{"frame":3,"kind":"frame"}',
      '{"frame":4,"kind":"exit"}',
    ]);
    // Each QUEUE_BUFFER (TransactParcelAuto) is logged after its frame is presented, so with the next frame's number.
    const binder = log.filter((line) => line.includes('"interface":"IHOSBinderDriver"')).map((line) => /"command":(\d+),"frame":(\d+)/.exec(line)?.slice(1).join("@"));
    expect(binder).toEqual([
      ...["1@0", "1@0", "2@0", "3@0", "3@0", "3@0", "3@0", "3@0", "3@1"], // refcounts, event, CONNECT, 2 buffers, DEQUEUE, REQUEST, QUEUE
      ...["3@1", "3@1", "3@2", "3@2", "3@3"], // DEQUEUE, REQUEST, QUEUE (slot 1); DEQUEUE, QUEUE (slot 0 again)
      ...["1@3", "1@3", "2@3", "3@3", "3@3", "3@3", "3@3", "3@4", "3@4", "3@4"], // the stray layer, QUERY, DISCONNECT
    ]);
  });

  it("plays audout:u buffers into the audio capture on virtual time: a buffer waited for plays at once, then buffers follow the presented frames", async () => {
    const result = await run(["--capture-dir", "audio", "--fps", "60"], { HZ_PART: "audio" });
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout + "\n").toBe(await readFile(join(driverDir, "audio-driver.expected.txt"), "utf8"));
    const wav = await readFile(join(dir, "audio", "audio.wav"));
    const data = wav.indexOf("data", 12, "latin1");
    const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + data + 8, wav.byteOffset + data + 8 + wav.readUInt32LE(data + 4)));
    // 4 frames at 60 Hz = 3200 stereo sample frames: the first buffer (1454), the second (1000) from where it ended, then silence.
    expect(samples.length).toBe(3200 * 2);
    const expected = (i: number): number => (i < 1454 ? 1 + i : i < 2454 ? 5000 + i - 1454 : 0);
    let mismatches = 0;
    for (let i = 0; i < 3200; i++) {
      if (samples[2 * i] !== expected(i) || samples[2 * i + 1] !== -expected(i)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it("writes inside the SD card folder (create, write, append, resize, rename, delete) and shows the title's NRO read-only at the Argv path", async () => {
    await mkdir(join(dir, "sd-write", "switch"), { recursive: true });
    await writeFile(join(dir, "self.nro"), "NRO-header-pad..NRO0 rest");
    const result = await run(["--capture-dir", "fs"], { HZ_PART: "fs", RECOMP_SDMC_DIR: "sd-write", RECOMP_SELF_NRO: "self.nro" });
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout + "\n").toBe(await readFile(join(driverDir, "fs-driver.expected.txt"), "utf8"));
    expect(await readdir(join(dir, "sd-write"), { recursive: true })).toEqual(["switch", join("switch", "keep.bin")]);
    expect(await readFile(join(dir, "sd-write", "switch", "keep.bin"), "utf8")).toBe("savedata");
    expect(await readFile(join(dir, "self.nro"), "utf8")).toBe("NRO-header-pad..NRO0 rest");
  });

  const faults: [string, string][] = [
    ["unknown-service", 'fault: IPC command 1 of sm: IUserInterface asks for service "nosuch", which is not implemented (instruction at 0x1234)'],
    ["unknown-command", "fault: IPC command 99 of apm IManager is not implemented (instruction at 0x1234)"],
    ["bad-buffer", "fault: IPC command 5 of set ISettingsServer names a buffer of 64 bytes at 0x5000000000 that is not writable guest memory (instruction at 0x1234)"],
    ["outside-buffer", "fault: IPC command 5 of set ISettingsServer names a buffer outside guest memory (instruction at 0x1234)"],
    ["unknown-svc", "fault: svc 0x2c (MapPhysicalMemory) is not implemented (instruction at 0x1234)"],
    ["unknown-info", "fault: svc GetInfo id 19 (sub-id 0) is not implemented (instruction at 0x1234)"],
    ["deadlock", "fault: deadlock: every thread waits and none can be woken (thread 0x60 in WaitSynchronization on 1 handles) (instruction at 0x1234)"],
    ["domain-missing", "fault: domain request to object 7 of apm, which does not exist (instruction at 0x1234)"],
    ["hid-pointer", "fault: IPC command 102 of hid IHidServer names a buffer of 8 bytes at 0x6000000000 that is not readable guest memory (instruction at 0x1234)"],
    ["applet-audio", "fault: IPC command 0 of appletOE IAudioController is not implemented (instruction at 0x1234)"],
    ["nv-device", 'fault: IPC command 0 of nvdrv INvDrvServices opens device "/dev/nvhost-as-gpu", which is not implemented (instruction at 0x1234)'],
    ["binder-code", "fault: IPC command 3 of vi:m IHOSBinderDriver sends binder transaction 13, which is not implemented (instruction at 0x1234)"],
    ["surface-nvmap", "fault: IPC command 3 of vi:m IHOSBinderDriver queues a surface with nvmap id 0x10042, which is not allocated (instruction at 0x1234)"],
  ];
  it.each(faults)("stops %s with a fault that names it, exit 3 and the replay log flushed", async (name, message) => {
    const result = await run(["--capture-dir", name], { HZ_CASE: name });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toBe(message);
    expect(result.stdout).not.toContain("no fault");
    const log = await readFile(join(dir, name, "replay-log.jsonl"), "utf8");
    expect(log.trimEnd().split("\n").at(-1)).toBe('{"frame":0,"kind":"exit"}');
  });

  it("stops at an unknown command after presenting frames with those frames captured and their lines in the flushed replay log", async () => {
    const result = await run(["--capture-dir", "after-frames"], { HZ_CASE: "after-frames" });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toBe("fault: IPC command 99 of apm IManager is not implemented (instruction at 0x1234)");
    expect((await readdir(join(dir, "after-frames", "frames"))).sort()).toEqual([0, 1, 2, 3].map((f) => `frame_00000${f}.ppm`));
    const log = (await readFile(join(dir, "after-frames", "replay-log.jsonl"), "utf8")).trimEnd().split("\n");
    expect(log.filter((line) => line.includes('"kind":"frame"'))).toEqual([0, 1, 2, 3].map((f) => `{"frame":${f},"kind":"frame"}`));
    // The last request answered is sm's GetServiceHandle for apm; the faulting one never got an answer.
    expect(log.slice(-3, -1)).toEqual([
      '{"command":1,"frame":4,"in":"61706d00000000000000000000000000","interface":"IUserInterface","kind":"ipc","out":"","result":0,"service":"sm:"}',
      '{"args":"x0=0x10001","frame":4,"kind":"svc","name":"SendSyncRequest","results":"x0=0x0","svc":33}',
    ]);
    expect(log.at(-1)).toBe('{"frame":4,"kind":"exit"}');
  });
});

describe.runIf(requireTools("aarch64-linux-gnu-gcc", "aarch64-linux-gnu-objdump"))("horizon runtime (C, AArch64)", () => {
  it("compiles and links statically for AArch64 with the same sources and warnings as errors", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-horizon-a64-"));
    try {
      const output = join(dir, "ipc-driver");
      await execa("aarch64-linux-gnu-gcc", ["-static", ...flags, "-o", output, ...(await sources()), "-lm"]);
      const { stdout } = await execa("aarch64-linux-gnu-objdump", ["-f", output]);
      expect(stdout).toContain("elf64-littleaarch64");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/* A lifted program of A64 words at 0x1000 (svc #n is 0xD4000001 | n << 5; ret is 0xD65F03C0). */
function program(words: number[]): LiftImage {
  const bytes = new Uint8Array(words.length * 4);
  words.forEach((word, i) => new DataView(bytes.buffer).setUint32(i * 4, word, true));
  const text = { name: "text", base: 0x1000n, bytes, size: bytes.length, permissions: { read: true, write: false, execute: true } };
  return { segments: [text], entry: 0x1000n, symbols: [] };
}

describe.runIf(requireTools("cc"))("horizon personality chosen in title.toml", () => {
  const title = { title: "t", entry: "entry", abi_version: "1", runtime: { personality: "horizon" as const } };

  async function build(words: number[]): Promise<{ dir: string; binary: string }> {
    const dir = await mkdtemp(join(tmpdir(), "recomp-horizon-emit-"));
    const lifted = await liftModule({ image: program(words), mode: "decode", outDir: join(dir, "lift") });
    const emitted = await emitProject({ moduleJsonPath: lifted.modulePath, outDir: join(dir, "build"), title });
    expect(emitted.files).toContain("runtime/horizon/ipc/server.c");
    expect(emitted.files).not.toContain("runtime/core/svc_demo.c");
    await execa("make", ["-s", "-C", join(dir, "build")]);
    return { dir, binary: join(dir, "build", emitted.executable) };
  }

  it("emits the horizon runtime, runs on Horizon SVC numbers and exits through the loader's return address", async () => {
    const { dir, binary } = await build([0xd40003c1 /* svc GetSystemTick */, 0xd65f03c0]);
    try {
      const result = await execa(binary, ["--capture-dir", join(dir, "cap")], { reject: false, env: {}, extendEnv: false });
      expect(result.stderr).toBe("");
      expect(result.exitCode).toBe(0);
      expect(await readFile(join(dir, "cap", "replay-log.jsonl"), "utf8")).toBe(
        '{"args":"","frame":0,"kind":"svc","name":"GetSystemTick","results":"x0=0x0","svc":30}\n{"frame":0,"kind":"exit"}\n',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("stops at an SVC it does not implement, naming it and the instruction", async () => {
    const { dir, binary } = await build([0xd4000581 /* svc MapPhysicalMemory */, 0xd65f03c0]);
    try {
      const result = await execa(binary, [], { reject: false, cwd: dir, env: { RECOMP_NO_CAPTURE: "1" }, extendEnv: false });
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toBe("fault: svc 0x2c (MapPhysicalMemory) is not implemented (instruction at 0x1000)");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
