// config: the IR's revision and condition names (docs/ir.md), apart from module.json's schemas so that
// code needing only these (a prior-art module's conversion, the config loader's revision check) does not
// build the IR's schemas.

/** The IR revision module.json's `ir_version` names: 2 = ops and terminators as arrays (docs/ir.md). */
export const irVersion = 2 as const;

export const conditionNames = [
  "eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv",
] as const;
