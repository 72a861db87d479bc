// util: a monotonic clock in milliseconds for durations. Not `performance.now()`: its first use loads Node's
// perf_hooks modules (about 5 ms), which a no-op re-run would pay only to time its checks (issue 11).

/** Milliseconds since an arbitrary fixed point; only differences mean anything. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
