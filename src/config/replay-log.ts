// config: one line of the runtime's JSONL replay log (docs/runtime-services.md): inputs, markers, debug strings, IPC requests, presented frames, exit.
import { z } from "zod";

const frame = z.number().int().nonnegative();

export const replayLogLineSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("input"), frame, control: z.number().int().nonnegative(), name: z.string(), value: z.number().int() }),
  z.strictObject({ kind: z.literal("marker"), frame, name: z.string() }),
  z.strictObject({ kind: z.literal("debug"), frame, text: z.string() }),
  // The horizon personality logs every IPC request it serves (docs/runtime-horizon.md).
  z.strictObject({
    kind: z.literal("ipc"),
    frame,
    service: z.string(),
    interface: z.string(),
    command: z.number().int().nonnegative(),
    result: z.number().int().nonnegative(),
  }),
  // The horizon personality logs each frame it presents (its number), before the inputs of the next one.
  z.strictObject({ kind: z.literal("frame"), frame }),
  z.strictObject({ kind: z.literal("exit"), frame }),
]);
export type ReplayLogLine = z.infer<typeof replayLogLineSchema>;
