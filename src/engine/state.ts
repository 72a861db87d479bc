// engine: the last record of every stage, kept in <work_root>/.recomp/stages.json and rewritten
// atomically after every stage. It is what resuming reads; the manifest is what people read.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { stageNames, type StageName } from "../config/automation.js";
import { stepStatuses } from "../config/run-manifest.js";
import { canonicalJsonPretty } from "../util/canonical-json.js";
import { writeFileAtomic } from "../util/atomic-write.js";

const outputRecordSchema = z.object({
  path: z.string(),
  sha256: z.string(),
  size: z.number(),
  role: z.string(),
});
export type OutputRecord = z.infer<typeof outputRecordSchema>;

const stageRecordSchema = z.object({
  fingerprint: z.string().nullable(),
  components: z.record(z.string(), z.string()),
  details: z.record(z.string(), z.string()).optional().describe("each input's identity, to name what changed"),
  status: z.enum(stepStatuses),
  stage_attempt: z.number(),
  exit_code: z.number().nullable(),
  duration_ms: z.number(),
  command: z.array(z.string()).nullable(),
  outputs: z.array(outputRecordSchema),
  last_outputs: z
    .array(outputRecordSchema)
    .optional()
    .describe("a stage that did not succeed: the outputs of its last success, which its dependents last read (for early cutoff)"),
  declared_outputs: z.array(z.string()),
  notes: z.array(z.string()),
  validation: z.object({ passed: z.boolean(), report_path: z.string() }).nullable(),
});
export type StageRecord = z.infer<typeof stageRecordSchema>;

const stateFileSchema = z.object({
  version: z.literal(1),
  stages: z.partialRecord(z.enum(stageNames), stageRecordSchema),
});

export type StageState = Partial<Record<StageName, StageRecord>>;

export async function readStageState(file: string): Promise<StageState> {
  try {
    const parsed = stateFileSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
    return parsed.success ? parsed.data.stages : {};
  } catch {
    return {};
  }
}

export async function writeStageState(file: string, stages: StageState): Promise<void> {
  await writeFileAtomic(file, canonicalJsonPretty({ version: 1, stages }));
}
