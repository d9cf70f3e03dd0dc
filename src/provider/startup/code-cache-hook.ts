/**
 * How the provider bundle tells the launcher's code cache (compile-cache.ts, which runs the bundle)
 * that this process has run the code a command's busiest process needs: ConfigureProvider, the
 * refresh, the plan. The first process of a fresh install is a schema-only one, so the cache it
 * writes lacks all of that, and every later process would compile it again from source. A global
 * symbol, because the launcher and the bundle are separate module graphs.
 */
const HOOK = Symbol.for("terraform-provider-auth0roles.code-cache-complete");

type Hooked = { [HOOK]?: () => void };

/**
 * Installed by the launcher before it runs the bundle; replaces any earlier one. `host` is the global
 * object the bundle runs with (tests run the launcher in a sandbox whose global differs).
 */
export function onCodeCacheComplete(listener: () => void, host: object = globalThis): void {
  (host as Hooked)[HOOK] = listener;
}

/** Called by the bundle; does nothing when the bundle was not started through the code cache. */
export function markCodeCacheComplete(): void {
  (globalThis as Hooked)[HOOK]?.();
}
