// engine: what stops a run early: Ctrl-C or SIGTERM, policy.max_runtime_minutes, or the terminal output
// closing. The first cause wins; the signal stops the current stage, which is recorded as interrupted.
export type AbortReason = "interrupted" | "max_runtime" | "output_closed";

export interface RunAbort {
  signal: AbortSignal;
  reason(): AbortReason | undefined;
  dispose(): void;
}

export function watchRunAbort(stop: AbortSignal | undefined, maxMinutes: number | undefined): RunAbort {
  const abort = new AbortController();
  let reason: AbortReason | undefined;
  const end = (why: AbortReason) => {
    reason ??= why;
    abort.abort();
  };
  const onSignal = () => end("interrupted");
  const onStop = () => end("output_closed");
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  if (stop?.aborted === true) onStop();
  stop?.addEventListener("abort", onStop, { once: true });
  const timer = maxMinutes === undefined ? undefined : setTimeout(() => end("max_runtime"), maxMinutes * 60_000);
  return {
    signal: abort.signal,
    reason: () => reason,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      stop?.removeEventListener("abort", onStop);
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
