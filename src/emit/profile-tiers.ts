// emit: which lifted functions an execution profile saw run (they stay hot; the others go to cold files).
import type { ModuleJson } from "../config/module-json.js";
import { functionKey, type ExecutionProfile } from "../formats/execution-profile.js";
import { RecompError } from "../util/errors.js";

const recordAgain = "record the profile again with this lift's build (make recomp-title-profile, then run it with RECOMP_PROFILE_OUT)";

/**
 * The entries (functionKey) of the module's functions the profile saw run. Entries naming no function of the
 * module (a profile of an earlier lift) are a warning; a profile naming none of them is of another program: an error.
 */
export function ranFunctions(profile: ExecutionProfile, module: ModuleJson, warnings: RecompError[]): Set<string> {
  const entries = new Set(module.functions.map((fn) => functionKey(fn.entry)));
  const ran = new Set([...profile.calls.keys()].filter((entry) => entries.has(entry)));
  const unknown = [...profile.calls.keys()].filter((entry) => !entries.has(entry));
  const first = unknown[0];
  if (first === undefined) return ran;
  const location = { file: profile.file, line: profile.lines.get(first) };
  if (ran.size === 0) {
    throw new RecompError({
      code: "input_mismatch",
      message: `${profile.file}: none of its ${profile.calls.size} functions is a function of this module (line ${location.line}: ${first})`,
      location,
      hint: recordAgain,
    });
  }
  warnings.push(
    new RecompError({
      code: "input_mismatch",
      message: `${profile.file}: ${unknown.length} of its ${profile.calls.size} functions are not functions of this module (first: ${first}, line ${location.line}); the rest are used`,
      location,
      hint: recordAgain,
    }),
  );
  return ran;
}
