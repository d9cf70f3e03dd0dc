/**
 * Terraform resource names (and construct ids) from user ids: letters, digits, `_` and `-`, starting
 * with a letter or `_`, unique within one export.
 */
export function uniqueNames(sources: readonly string[]): string[] {
  const used = new Set<string>();
  return sources.map((source) => {
    let base = source.replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+|_+$/g, "");
    if (!/^[A-Za-z_]/.test(base)) base = `m_${base}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    return name;
  });
}
