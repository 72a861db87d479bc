import { describe, expect, it } from "vitest";
import { recomp } from "../engine/fixture.js";

describe("recomp command line", () => {
  it("lists automate and every other command", async () => {
    const help = await recomp(".", ["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["automate", "provenance", "manifest", "audit", "schema", "inspect", "intake", "lift", "emit", "validate", "hash-frames", "hash-audio", "normalize", "replay", "tools"]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    }
  });

  it("prints the JSON Schema of automation.toml and of the run manifest", async () => {
    const automation = JSON.parse((await recomp(".", ["schema", "automation"])).stdout) as { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
    expect(Object.keys(automation.properties).sort()).toEqual(["analysis", "capture", "commands", "inputs", "outputs", "policy", "reference", "run", "schema_version", "tools"]);
    expect(automation.required.sort()).toEqual(["capture", "commands", "inputs", "outputs", "reference", "schema_version"]);
    expect(automation.additionalProperties).toBe(false);
    const manifest = JSON.parse((await recomp(".", ["schema", "run-manifest"])).stdout) as { required: string[] };
    expect(manifest.required).toEqual(expect.arrayContaining(["run_id", "host_fingerprint", "tool_versions", "input_fingerprint", "inputs", "steps", "artifacts", "validation_report"]));
  });

  it("exits 2 on an unknown schema or a bad flag", async () => {
    expect((await recomp(".", ["schema", "nope"])).code).toBe(2);
    expect((await recomp(".", ["automate", "--config", "x.toml", "--from", "nowhere"])).code).toBe(2);
  });
});
