/**
 * Role names: which of the names a configuration uses the tenant lacks, and the existing names
 * closest to each. Shared by the provider (plan time, against the tenant) and the construct
 * libraries (synth time, against names given in code) so both say the same thing.
 */

/** How many close names an error suggests: enough to spot the typo, few enough to read. */
const SUGGESTIONS = 3;

/** Levenshtein distance: insertions, deletions and substitutions, each costing 1. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * Up to three existing names close to `name`, closest first: within a few edits (about one in
 * three characters) or containing one another (`billing` for `billing-admin`). Case is ignored for
 * closeness (`Billing` for `billing` is a likely slip) and breaks ties; names with nothing in
 * common are no suggestion.
 */
export function closestNames(name: string, existing: Iterable<string>): string[] {
  const wanted = name.toLowerCase();
  return [...new Set(existing)]
    .map((candidate) => ({
      candidate,
      distance: editDistance(wanted, candidate.toLowerCase()),
      exact: editDistance(name, candidate),
    }))
    .filter(
      ({ candidate, distance }) => distance <= maxEdits(wanted) || contains(wanted, candidate.toLowerCase()),
    )
    .sort((x, y) => x.distance - y.distance || x.exact - y.exact || compare(x.candidate, y.candidate))
    .slice(0, SUGGESTIONS)
    .map(({ candidate }) => candidate);
}

function maxEdits(name: string): number {
  return Math.max(2, Math.ceil(name.length / 3));
}

function contains(a: string, b: string): boolean {
  return a.length > 0 && b.length > 0 && (a.includes(b) || b.includes(a));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The sentence an unknown-name error ends with: the closest names, or that none is close. */
export function suggestionText(name: string, existing: Iterable<string>): string {
  const closest = closestNames(name, existing);
  if (closest.length === 0) return "No role name is close to it.";
  return `The closest role names: ${closest.map((n) => JSON.stringify(n)).join(", ")}.`;
}

/** The names in `used` that are not in `existing`, each once, in the order first used. */
export function unknownNames(used: Iterable<string>, existing: ReadonlySet<string>): string[] {
  return [...new Set(used)].filter((name) => !existing.has(name));
}
