import { formatSeconds } from "./duration";

/**
 * The reason an operation's signal carries when its time ran out, so the client reports a deadline
 * (what was tried, how long) instead of a cancellation.
 */
export class OperationDeadlineExceeded extends Error {
  override readonly name = "OperationDeadlineExceeded";

  /** "the operation's 5.0 s deadline (operation_timeout)", as messages name it. */
  readonly deadline: string;

  /** `setting` is the setting that sets the deadline, named in messages (e.g. "operation_timeout"). */
  constructor(timeoutMs: number, setting: string | undefined) {
    const deadline = `the operation's ${formatSeconds(timeoutMs)} deadline${setting ? ` (${setting})` : ""}`;
    super(`${deadline} passed.`);
    this.deadline = deadline;
  }
}

const deadlines = new WeakMap<AbortSignal, { at: number; reason: OperationDeadlineExceeded }>();

/**
 * The signal of one operation (for the provider: one Terraform RPC, its retries and read-backs
 * included): aborted when `parent` is (Terraform's stop), or with OperationDeadlineExceeded once
 * `timeoutMs` have passed. Every call given it stops then, and no retry or wait outlasts it.
 */
export function operationSignal(
  timeoutMs: number,
  options: { parent?: AbortSignal; setting?: string } = {},
): AbortSignal {
  const reason = new OperationDeadlineExceeded(timeoutMs, options.setting);
  const controller = new AbortController();
  // Unref'd: an operation that ended long ago must not keep the process alive until its deadline.
  setTimeout(() => controller.abort(reason), timeoutMs).unref();
  const signal = options.parent ? AbortSignal.any([options.parent, controller.signal]) : controller.signal;
  deadlines.set(signal, { at: Date.now() + timeoutMs, reason });
  return signal;
}

/** When the operation behind `signal` runs out of time, if it has a deadline. */
export function deadlineOf(
  signal: AbortSignal | undefined,
): { at: number; reason: OperationDeadlineExceeded } | undefined {
  return signal === undefined ? undefined : deadlines.get(signal);
}

/** The reason when `signal` fired because its operation's time ran out; undefined for a stop or cancel. */
export function deadlinePassed(signal: AbortSignal | undefined): OperationDeadlineExceeded | undefined {
  return signal?.aborted === true && signal.reason instanceof OperationDeadlineExceeded
    ? signal.reason
    : undefined;
}
