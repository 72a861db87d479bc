// The RecompError a promise rejects with (the test fails if it resolves or rejects with anything else).
import { expect } from "vitest";
import { RecompError } from "../../src/util/errors.js";

export async function errorOf(promise: Promise<unknown>): Promise<RecompError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RecompError);
  return error as RecompError;
}
