// config: what `--json` prints, command by command (docs/cli.md): the one definition of each result
// object and of the error object, shipped as JSON Schemas (`recomp schema result-<command>`).
import { z } from "zod";
import { automateResultSchema } from "./automate-result.js";
import { shownPath as path } from "./common.js";
import { intakeManifestSchema } from "./intake-module.js";
import { provenanceInputSchema } from "./provenance.js";
import { replayLogLineSchema } from "./replay-log.js";
import { validationReportSchema } from "./validation-report.js";

/** One problem of the error object, and a warning of a result. */
export const jsonProblemSchema = z.strictObject({
  code: z.string().describe("what kind of problem: config_syntax, config_invalid, input_missing, format_invalid, usage, internal, ... (docs/cli.md)"),
  message: z.string().describe("what is wrong, in words"),
  file: z.string().nullable().describe("the file the problem is in (relative to the current folder when below it), or null"),
  key: z.string().nullable().describe("the dotted key path inside a TOML or JSON file, or null"),
  line: z.number().int().nullable().describe("line in a text file, 1-based, or null"),
  column: z.number().int().nullable().describe("column in a text file, 1-based, or null"),
  offset: z.number().int().nullable().describe("byte offset in a binary file, or null"),
  fix: z.string().nullable().describe("how to fix it, or null"),
});
export type JsonProblem = z.infer<typeof jsonProblemSchema>;

/** What every command prints on stdout with --json when it fails before printing its own result. */
export const jsonErrorSchema = jsonProblemSchema.extend({
  exit_code: z.number().int().describe("the process exit code: 2 config or input error, 3 a stage or tool failed, 130 interrupted"),
  problems: z.array(jsonProblemSchema).describe("every problem found; the top-level fields repeat the first"),
});

const warnings = z.array(jsonProblemSchema).describe("warnings (the same fields as a problem of the error object); empty when none");

export const emitResultSchema = z.strictObject({
  out: path("the C project folder written"),
  files: z.array(z.string()).describe("every file written, relative to out, sorted"),
  executable: z.string().describe("the program `make -C <out>` builds, relative to out"),
  build_command: z.array(z.string()).describe("the command that builds it, as an argument list"),
  warnings,
});

export const normalizeResultSchema = z.strictObject({
  output: path("the normalized .mkv written"),
  record: path("<output>.normalize.json: the ffmpeg version and the full command, for reproduction"),
  ffmpeg_version: z.string().describe("the first line of `ffmpeg -version` of the ffmpeg that ran"),
  ffmpeg_command: z.array(z.string()).describe("the ffmpeg command that ran, as an argument list"),
});

export const provenanceInitResultSchema = z.strictObject({
  written: path("the provenance.toml written"),
  inputs: z.number().int().nonnegative().describe("how many inputs it lists"),
  title: z
    .strictObject({
      name: z.string().describe("the title's name, as given or read from the NRO's NACP"),
      id: z.string().describe("the title id (16 hex digits), as given or read from the NACP"),
      version: z.string().describe("the title's version string, as given or read from the NACP"),
    })
    .describe("the title identity written into [title]"),
  warnings,
});

export const referenceEmulateResultSchema = z.strictObject({
  out: path("the output folder (build/, run/, reference/)"),
  frames: z.number().int().nonnegative().describe("frames the emulated run presented (lines of the frame hash list)"),
  audio_windows: z.number().int().nonnegative().describe("1024-sample audio windows hashed; 0 when the title played no audio"),
  frame_hashes: path("the frame hash list written"),
  audio_hashes: path("the audio hash list written").nullable().describe("the audio hash list written, or null when the title played no audio"),
  replay_log: path("the emulated run's replay-log.jsonl"),
  reference_video_toml: z.string().nullable().describe("the reference_video.toml written (--reference-toml), or null"),
});

const difference = <T extends z.ZodType>(entry: T, what: string) =>
  z
    .strictObject({
      index: z.number().int().nonnegative().describe(`0-based index of the first ${what} that differs (or that one run lacks)`),
      reference: entry.nullable().describe(`the reference's ${what} there, or null when its list ended`),
      run: entry.nullable().describe(`the run's ${what} there, or null when its list ended`),
    })
    .nullable()
    .describe(`where the two part, or null when every ${what} is the same`);

const compared = <T extends z.ZodType>(entry: T, what: string, plural: string) =>
  z.strictObject({
    reference: z.number().int().nonnegative().describe(`${plural} in the reference run`),
    run: z.number().int().nonnegative().describe(`${plural} in the compared run`),
    first: difference(entry, what),
  });

export const referenceCompareResultSchema = z.strictObject({
  same: z.boolean().describe("true when frames, audio windows and replay logs are all equal (exit 0; else exit 1)"),
  frames: compared(z.string().describe("SHA-256 of the frame file"), "frame", "frames").describe("frames, compared by SHA-256 in order"),
  audio: compared(z.string().describe("SHA-256 of the window's samples"), "audio window", "1024-sample audio windows").describe("audio, compared window by window"),
  log: compared(replayLogLineSchema, "replay-log line", "replay-log lines").describe("the replay logs, line by line"),
  calls: compared(replayLogLineSchema, "service call", "service calls (svc and IPC lines)").describe("the service calls alone: the first whose arguments or results differ"),
});

export const replayConvertResultSchema = z.strictObject({
  written: path("the replay file written (docs/runtime-services.md)"),
  fps: z.number().int().positive().describe("the frame rate time_ms entries were resolved against, in frames per second"),
  events: z.number().int().nonnegative().describe("input events in the file"),
  markers: z.number().int().nonnegative().describe("markers in the file"),
});

export const replayRunResultSchema = z.strictObject({
  command: z.array(z.string()).describe("the program and its arguments as given (recomp appended --replay and a temporary replay file, removed after the run)"),
  exit_code: z.number().int().describe("the program's exit code, which is also recomp's (a program a signal ended is an error object instead)"),
  script: path("the input_script.toml replayed"),
  fps: z.number().int().positive().describe("the frame rate time_ms entries were resolved against, in frames per second"),
  events: z.number().int().nonnegative().describe("input events replayed"),
});

export const auditResultSchema = z.strictObject({
  passed: z.boolean().describe("always true: a failed audit is an error object (exit 2) naming each file"),
  in_git_work_tree: z.boolean().describe("whether the config is inside a git work tree (else there is nothing to check)"),
  files_checked: z.number().int().nonnegative().describe("files git tracks or would track that were hashed"),
  protected_hashes: z.number().int().nonnegative().describe("SHA-256 hashes of provenance inputs and extracted assets that no such file may have"),
});

export const manifestDiffResultSchema = z.strictObject({
  before: path("the first run-manifest.json"),
  after: path("the second run-manifest.json"),
  same: z.boolean().describe("true when nothing differs (run id, timings and replay notes ignored); exit 0, else 1"),
  differences: z.array(z.string()).describe("one line per difference, as the text form prints them"),
});

export const referenceAdoptResultSchema = z.strictObject({
  reference_video_toml: path("the reference_video.toml written"),
  copied: z.array(z.string()).describe("the capture's hash lists copied beside it, relative to the current folder"),
});

export const schemaResultSchema = z.union([
  z.strictObject({
    name: z.string().describe("the schema's name, as `recomp schema NAME` takes it"),
    schema: z.record(z.string(), z.unknown()).describe("the JSON Schema (draft 2020-12)"),
  }),
  z.strictObject({ written: z.array(z.string()).describe("the NAME.schema.json files written (with --out)") }),
]);

export const elf2nroResultSchema = z.strictObject({
  nro: path("the NRO written"),
  size: z.number().int().positive().describe("its size in bytes"),
  segments: z
    .array(
      z.strictObject({
        name: z.string().describe("the segment: text, rodata or data"),
        offset: z.number().int().nonnegative().describe("its offset in the NRO, in bytes (equal to its memory offset)"),
        size: z.number().int().nonnegative().describe("its size in bytes"),
      }),
    )
    .describe("the three segments, in file order"),
  bss_size: z.number().int().nonnegative().describe("bytes of zero-filled memory after .data"),
  mod0_offset: z.number().int().nonnegative().describe("offset of the MOD0 header in the NRO, in bytes"),
  build_id: z.string().nullable().describe("the ELF's GNU build id as hex, or null when it has none"),
});

export const hashListsResultSchema = z.strictObject({
  written: z.array(z.string()).describe("the hash lists written (one SHA-256 per line), with a .features file beside each"),
});

export const initResultSchema = z.strictObject({
  folder: path("the title folder written"),
  input: z.enum(["nro", "nso_folder", "xci"]).describe("what the input was"),
  files: z.array(z.string()).describe("the files written, relative to folder"),
  notes: z.array(z.string()).describe("what to check or fill in by hand"),
  title: z
    .strictObject({
      name: z.string().describe("the title's name"),
      title_id: z.string().describe("its title id, 16 hex digits"),
      version: z.string().describe("its version string"),
      from: z.string().describe("where these were read (NACP, NPDM, CNMT, or the file name)"),
    })
    .describe("the title identity written into provenance.toml and title.toml"),
  personality: z.string().describe("the runtime personality chosen (what svc means)"),
});

export const liftResultSchema = z.strictObject({
  module: path("the module.json written"),
  functions: z.number().int().nonnegative().describe("functions lifted"),
  blocks: z.number().int().nonnegative().describe("blocks lifted"),
  instructions: z.number().int().nonnegative().describe("distinct instructions lifted (code shared by two functions counts once)"),
  fde_functions: z.number().int().nonnegative().describe("FDEs in the input's .eh_frame (0 when it has none)"),
  fde_functions_found: z.number().int().nonnegative().describe("how many FDE starts are entries of lifted functions"),
  text_bytes: z.number().int().nonnegative().describe("initialised bytes of executable segments"),
  text_bytes_lifted: z.number().int().nonnegative().describe("bytes of distinct lifted instructions in them"),
  unsupported: z
    .array(
      z.strictObject({
        pc: z.string().describe("its guest address, hex"),
        word: z.string().describe("its encoding, hex"),
        function: z.string().describe("the lifted function that reaches it"),
        what: z.string().describe("what the encoding is: its instruction group, or the mnemonic when recomp knows it"),
        location: z.string().describe("where it is in the input: file+0xoffset, or segment+0xoffset when the segment is not stored as mapped"),
      }),
    )
    .describe("every reached instruction recomp cannot lift yet (lifted as a trap)"),
});

export const provenanceVerifyResultSchema = z.strictObject({
  file: path("the provenance.toml checked"),
  inputs: z
    .array(provenanceInputSchema.extend({ detected: z.string().describe("the format detected from the file's content") }))
    .describe("every input, as listed and verified (SHA-256, size, format)"),
});

export const replayCheckResultSchema = z.strictObject({
  title: z.string().describe("the script's title"),
  controller: z.string().describe("the controller it drives"),
  timingMode: z.enum(["ms", "frames"]).describe("whether the script times its events in ms or in frames"),
  fps: z.number().int().positive().describe("the frame rate time_ms entries were resolved against, in frames per second"),
  events: z.number().int().nonnegative().describe("input events"),
  markers: z
    .array(
      z.strictObject({
        name: z.string().describe("the marker's name"),
        frame: z.number().int().nonnegative().describe("its frame"),
        time: z.string().describe("its time, as HH:MM:SS.mmm"),
      }),
    )
    .describe("the markers, in order"),
  controls: z.record(z.string(), z.number().int().nonnegative()).describe("events per control name, sorted by name"),
  firstFrame: z.number().int().nonnegative().nullable().describe("the frame of the first entry, or null when there is none"),
  lastFrame: z.number().int().nonnegative().nullable().describe("the frame of the last entry, or null when there is none"),
});

export const inspectResultSchema = z
  .looseObject({
    file: path("the file inspected"),
    format: z.string().describe("its format, detected from its content (or --format)"),
  })
  .describe("the file and its format; the other fields are the format's own (header fields, segments, partitions: as recomp inspect prints them in text)");

/** Every result schema by command, keyed by the command as typed; `recomp schema result-<command with - for spaces>` prints one. */
export const resultSchemas = {
  automate: automateResultSchema,
  init: initResultSchema,
  inspect: inspectResultSchema,
  "intake homebrew": intakeManifestSchema,
  "intake xci": intakeManifestSchema,
  lift: liftResultSchema,
  validate: validationReportSchema,
  "provenance verify": provenanceVerifyResultSchema,
  "replay check": replayCheckResultSchema,
  audit: auditResultSchema,
  "manifest diff": manifestDiffResultSchema,
  "reference adopt": referenceAdoptResultSchema,
  schema: schemaResultSchema,
  "tools elf2nro": elf2nroResultSchema,
  "hash-frames": hashListsResultSchema,
  "hash-audio": hashListsResultSchema,
  emit: emitResultSchema,
  normalize: normalizeResultSchema,
  "provenance init": provenanceInitResultSchema,
  "reference emulate": referenceEmulateResultSchema,
  "reference compare": referenceCompareResultSchema,
  "replay convert": replayConvertResultSchema,
  "replay run": replayRunResultSchema,
} as const;
