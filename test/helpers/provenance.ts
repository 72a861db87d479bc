// The title and collection fields of every provenance.toml the tests generate (no real title).
export const testProvenanceIdentity = {
  titleName: "Generated test title",
  titleId: "0100000000000000",
  titleVersion: "1.0.0",
  region: "none",
  device: "generated",
  collectedAt: "2026-11-21",
  toolName: "recomp-tests",
  toolVersion: "1",
};
