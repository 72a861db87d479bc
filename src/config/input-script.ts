// config: input_script.toml (schema_version "1"): controller events and markers to replay.
import { z } from "zod";
import { dateOrString, schemaVersion1 } from "./common.js";
import { controlByCode, controlByName, controlNames, controlValueProblem, type ControlInfo } from "./controls.js";
import { closestMatch } from "../util/did-you-mean.js";

const time = {
  time_ms: z.number().int().nonnegative().optional().describe("When, in milliseconds from boot (timing_mode \"ms\")."),
  frame: z.number().int().nonnegative().optional().describe("When, as a presented frame number from boot (timing_mode \"frames\")."),
};

/** Integer code (a u32, as in the prior art), or a named control such as "a" or "dpad_left". */
const control = z
  .union([z.number().int().nonnegative().max(0xffff_ffff), z.string().min(1)])
  .describe('The control: a name ("a", "plus", "dpad_left", "stick_l_x", ...) or a numeric code (buttons: HidNpadButton bit numbers; axes 256..259).');

const note = z.string().optional().describe("Free text (why this event or marker is here).");
const event = z.strictObject({
  ...time,
  control,
  value: z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1).describe("Buttons: 1 pressed, 0 released; stick axes: -32767..32767."),
  note,
});
const marker = z.strictObject({ ...time, name: z.string().min(1).describe("The marker's name, unique in the script."), note });

export const inputScriptSchema = z
  .strictObject({
    schema_version: schemaVersion1.describe('Format version of this file: "1". Required.'),
    metadata: z.strictObject({
      title: z.string().describe("The title this script is for (informative)."),
      controller: z.string().describe("The controller the script was written for, e.g. \"pro_controller\" (informative)."),
      timing_mode: z.enum(["ms", "frames"]).describe("\"frames\": events carry frame; \"ms\": events carry time_ms. Required."),
      recorded_at: dateOrString.optional().describe("When the script was recorded (a TOML date or a string)."),
      notes: z.string().optional().describe("Free text about the script."),
    }).describe("What the script is for and how its times are counted."),
    events: z.array(event).optional().describe("Controller events, replayed in order of time."),
    markers: z.array(marker).optional().describe("Named moments in the script (unique names)."),
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
