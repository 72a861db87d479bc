// config: one line of the runtime's JSONL replay log (docs/runtime-services.md): inputs, markers, debug strings, service calls, IPC requests, presented frames, exit.
import { z } from "zod";

const frame = z.number().int().nonnegative().describe("how many frames had been presented when the line was logged");
const hexBytes = z.string().regex(/^(?:[0-9a-f]{2})*$/, "expected bytes as lowercase hex");
const registers = z.string().regex(/^(?:x[0-7]=0x[0-9a-f]+(?: x[0-7]=0x[0-9a-f]+)*)?$/, 'expected registers as "x0=0x1 x2=0x8"');

export const replayLogLineSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("input").describe("an input event replayed from the input script"),
    frame,
    control: z.number().int().nonnegative().describe("the control's code in the replay file"),
    name: z.string().describe("the control's name (input_script.toml)"),
    value: z.number().int().describe("its new value (1 pressed, 0 released, or an axis value)"),
  }),
  z.strictObject({ kind: z.literal("marker").describe("a marker of the input script"), frame, name: z.string().describe("the marker's name") }),
  z.strictObject({ kind: z.literal("debug").describe("a debug string the program printed"), frame, text: z.string().describe("the text") }),
  // The horizon personality logs every IPC request it serves (docs/runtime-horizon.md), with its raw data.
  z.strictObject({
    kind: z.literal("ipc").describe("an IPC request the horizon personality served"),
    frame,
    service: z.string().describe("the service's name (e.g. vi:m)"),
    interface: z.string().describe("the interface the request went to (e.g. IHOSBinderDriver)"),
    command: z.number().int().nonnegative().describe("the command id"),
    in: hexBytes.describe("the raw data after the CMIF in header, as the client sent it"),
    out: hexBytes.describe("the raw data of the answer after the CMIF out header (empty when the result is an error)"),
    result: z.number().int().nonnegative().describe("the result code returned (0 success)"),
  }),
  // Every personality logs every service call (svc) it serves: the registers it read and wrote (docs/runtime-services.md).
  z.strictObject({
    kind: z.literal("svc").describe("a service call (svc) the personality served"),
    frame,
    svc: z.number().int().nonnegative().describe("the svc immediate"),
    name: z.string().describe("the call's name (Horizon's, or the demo ABI's)"),
    args: registers.describe("the argument registers before the call"),
    results: registers.describe("the result registers after the call; empty for a call that does not return"),
  }),
  // The horizon personality logs each frame it presents (its number), before the inputs of the next one.
  z.strictObject({ kind: z.literal("frame").describe("a frame presented (horizon personality)"), frame }),
  z.strictObject({ kind: z.literal("exit").describe("the program exited"), frame }),
]);
export type ReplayLogLine = z.infer<typeof replayLogLineSchema>;
