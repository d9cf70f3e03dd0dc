import type { PacingClock } from "../../src/management";

/**
 * Time that passes only when the pacer waits: a timer moves the clock to its end at once and fires on
 * the next turn of the event loop. Shared with the emulator (`rateLimits.now`), its request log
 * shows when requests arrived in this time, with no wall-clock measurement in the test.
 */
export class VirtualClock implements PacingClock {
  private t: number;

  constructor(readonly start = Date.UTC(2030, 0, 1)) {
    this.t = start;
  }

  now = (): number => this.t;

  setTimer(ms: number, fire: () => void): () => void {
    this.t += ms;
    const handle = setImmediate(fire);
    return () => clearImmediate(handle);
  }
}
