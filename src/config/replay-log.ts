// config: one line of the runtime's JSONL replay log (docs/runtime-services.md): inputs, markers, debug strings, service calls, IPC requests, presented frames, exit.
import { z } from "zod";

const frame = z.number().int().nonnegative();
const hexBytes = z.string().regex(/^(?:[0-9a-f]{2})*$/, "expected bytes as lowercase hex");
const registers = z.string().regex(/^(?:x[0-7]=0x[0-9a-f]+(?: x[0-7]=0x[0-9a-f]+)*)?$/, 'expected registers as "x0=0x1 x2=0x8"');

export const replayLogLineSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("input"), frame, control: z.number().int().nonnegative(), name: z.string(), value: z.number().int() }),
  z.strictObject({ kind: z.literal("marker"), frame, name: z.string() }),
  z.strictObject({ kind: z.literal("debug"), frame, text: z.string() }),
  // The horizon personality logs every IPC request it serves (docs/runtime-horizon.md), with its raw data.
  z.strictObject({
    kind: z.literal("ipc"),
    frame,
    service: z.string(),
    interface: z.string(),
    command: z.number().int().nonnegative(),
    in: hexBytes.describe("the raw data after the CMIF in header, as the client sent it"),
    out: hexBytes.describe("the raw data of the answer after the CMIF out header (empty when the result is an error)"),
    result: z.number().int().nonnegative(),
  }),
  // Every personality logs every service call (svc) it serves: the registers it read and wrote (docs/runtime-services.md).
  z.strictObject({
    kind: z.literal("svc"),
    frame,
    svc: z.number().int().nonnegative().describe("the svc immediate"),
    name: z.string().describe("the call's name (Horizon's, or the demo ABI's)"),
    args: registers.describe("the argument registers before the call"),
    results: registers.describe("the result registers after the call; empty for a call that does not return"),
  }),
  // The horizon personality logs each frame it presents (its number), before the inputs of the next one.
  z.strictObject({ kind: z.literal("frame"), frame }),
  z.strictObject({ kind: z.literal("exit"), frame }),
]);
export type ReplayLogLine = z.infer<typeof replayLogLineSchema>;
