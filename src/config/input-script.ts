// config: input_script.toml (schema_version "1"): controller events and markers to replay.
import { z } from "zod";
import { dateOrString, schemaVersion1 } from "./common.js";
import { controlByCode, controlByName, controlNames, controlValueProblem, type ControlInfo } from "./controls.js";
import { closestMatch } from "../util/did-you-mean.js";

const time = {
  time_ms: z.number().int().nonnegative().optional(),
  frame: z.number().int().nonnegative().optional(),
};

/** Integer code (a u32, as in the prior art), or a named control such as "a" or "dpad_left". */
const control = z.union([z.number().int().nonnegative().max(0xffff_ffff), z.string().min(1)]);

const event = z.strictObject({ ...time, control, value: z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1), note: z.string().optional() });
const marker = z.strictObject({ ...time, name: z.string().min(1), note: z.string().optional() });

export const inputScriptSchema = z
  .strictObject({
    schema_version: schemaVersion1,
    metadata: z.strictObject({
      title: z.string(),
      controller: z.string(),
      timing_mode: z.enum(["ms", "frames"]),
      recorded_at: dateOrString.optional(),
      notes: z.string().optional(),
    }),
    events: z.array(event).optional(),
    markers: z.array(marker).optional(),
  })
  .superRefine((script, ctx) => {
    const field = script.metadata.timing_mode === "ms" ? "time_ms" : "frame";
    const other = field === "time_ms" ? "frame" : "time_ms";
    const check = (entries: readonly { time_ms?: number; frame?: number }[] | undefined, list: string) => {
      entries?.forEach((entry, index) => {
        if (entry[field] === undefined) {
          ctx.addIssue({ code: "custom", path: [list, index, field], message: `timing_mode "${script.metadata.timing_mode}" needs ${field}` });
        }
        if (entry[other] !== undefined) {
          ctx.addIssue({ code: "custom", path: [list, index, other], message: `timing_mode "${script.metadata.timing_mode}" uses ${field}, not ${other}` });
        }
      });
    };
    check(script.events, "events");
    script.events?.forEach((event, index) => {
      const known = eventControl(event.control);
      if (typeof event.control === "string" && known === undefined) {
        ctx.addIssue({ code: "custom", path: ["events", index, "control"], message: unknownControlMessage(event.control) });
      }
      const problem = known === undefined ? undefined : controlValueProblem(known, event.value);
      if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["events", index, "value"], message: problem });
    });
    check(script.markers, "markers");
    const seen = new Set<string>();
    script.markers?.forEach((marker, index) => {
      if (seen.has(marker.name)) ctx.addIssue({ code: "custom", path: ["markers", index, "name"], message: `marker name "${marker.name}" is used twice` });
      seen.add(marker.name);
    });
  });
export type InputScript = z.infer<typeof inputScriptSchema>;

function unknownControlMessage(name: string): string {
  const suggestion = closestMatch(name, controlNames);
  const hint = suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`;
  return `unknown control "${name}"${hint}; named controls: ${controlNames.join(", ")}, or a numeric code`;
}

/** The control an event names, by name or numeric code; undefined for codes recomp gives no meaning. */
export function eventControl(control: number | string): ControlInfo | undefined {
  return typeof control === "number" ? controlByCode(control) : controlByName(control);
}
