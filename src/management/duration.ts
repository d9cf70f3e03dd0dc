/** "0.4 s", "12 s": precise enough for a human reading an error, without false precision. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
