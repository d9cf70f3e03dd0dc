import type { Diagnostic } from "../protocol/diagnostics";
import type { Schema } from "../protocol/schema";
import type { TfObject } from "../protocol/values";
import type { ProviderContext } from "./context";

/** One data source type: a schema plus Read. */
export interface DataSource<Api> {
  readonly typeName: string;
  readonly schema: Schema;
  /** Checks a configuration whose values may be unknown; run again (errors only) before Read. */
  validate?(config: TfObject): Diagnostic[];
  /** The config is fully known. Returns the whole object: config values plus computed ones. */
  read(
    config: TfObject,
    ctx: ProviderContext<Api>,
  ): Promise<{ state: TfObject | null; diagnostics: Diagnostic[] }>;
}
