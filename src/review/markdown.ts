import type { ChangeSummary, DriftRole, DriftSummary, PrivilegedChange, Review, RoleRef } from "./summary";
import { changesRoles } from "./summary";

/** The review as a pull-request comment (GitHub-flavoured markdown). */
export function renderMarkdown(review: Review): string {
  const lines: string[] = ["## Auth0 member roles: review of the plan", ""];
  lines.push(headline(review), "");
  if (review.privileged.length > 0) lines.push(...privilegedSection(review.privileged), "");
  const hidden = review.changes.filter((c) => (c.revokes_unmanaged?.length ?? 0) > 0);
  if (hidden.length > 0) lines.push(...hiddenRevocationsSection(hidden), "");
  for (const [org, changes] of byOrganization(review.changes)) {
    lines.push(`### Organization \`${org}\``, "");
    for (const c of changes) lines.push(...changeLines(c));
    lines.push("");
  }
  if (review.drift.length > 0) lines.push(...driftSection(review.drift), "");
  if (changesRoles(review) || review.changes.length > 0) lines.push(totalsLine(review), "");
  for (const note of review.notes) lines.push(`> Note: ${note}`, "");
  while (lines[lines.length - 1] === "") lines.pop();
  return `${lines.join("\n")}\n`;
}

function headline(review: Review): string {
  if (!changesRoles(review)) {
    const imports = review.totals.members_imported;
    const suffix = imports > 0 ? ` It imports ${plural(imports, "member")} as they are.` : "";
    return `**No role changes.** This plan grants and revokes no roles.${suffix}`;
  }
  const t = review.totals;
  const revoked = t.roles_revoked + t.roles_revoked_unmanaged;
  const members = new Set(review.changes.map((c) => `${c.organization_id}\u0000${c.user_id}`)).size;
  return `This plan grants ${plural(t.roles_granted, "role")} and revokes ${revoked} across ${plural(members, "member")}.`;
}

function privilegedSection(privileged: readonly PrivilegedChange[]): string[] {
  const verb = {
    grant: "grants",
    revoke: "revokes",
    revokes_unmanaged: "revokes (held today, not declared)",
  };
  return [
    "### :warning: Privileged changes",
    "",
    ...privileged.map(
      (p) =>
        `- ${verb[p.change]} ${role(p.role)} ${p.change === "grant" ? "to" : "from"} \`${p.user_id}\` in \`${p.organization_id}\` (\`${p.address}\`, matches \`${p.pattern}\`)`,
    ),
  ];
}

function hiddenRevocationsSection(changes: readonly ChangeSummary[]): string[] {
  return [
    "### :warning: Creates that revoke roles held today",
    "",
    "Terraform's plan does not show these: the member holds the roles now, the configuration does not declare them, and apply revokes them.",
    "",
    ...changes.map(
      (c) =>
        `- \`${c.address}\` revokes ${roles(c.revokes_unmanaged ?? [])} from \`${c.user_id}\` in \`${c.organization_id}\``,
    ),
  ];
}

function byOrganization(changes: readonly ChangeSummary[]): Map<string, ChangeSummary[]> {
  const groups = new Map<string, ChangeSummary[]>();
  for (const c of changes) groups.set(c.organization_id, [...(groups.get(c.organization_id) ?? []), c]);
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}

const ACTION_WORDS: Record<ChangeSummary["action"], string> = {
  create: "created",
  update: "updated",
  delete: "destroyed: every managed role revoked",
  replace: "replaced",
  import: "imported",
  forget: "removed from Terraform; the roles stay",
};

function changeLines(c: ChangeSummary): string[] {
  let what = ACTION_WORDS[c.action];
  if (c.phase === "destroy") what = "replaced: leaves the resource, every managed role revoked";
  if (c.phase === "create") what = "replaced: gains the resource";
  if (c.undeclared) what = "not in members, so the exclusive resource revokes every role";
  const lines = [`- \`${c.user_id}\`: ${what} (\`${c.address}\`)`];
  if (c.grant.length > 0) lines.push(`  - grant: ${roles(c.grant)}`);
  if (c.roles_unknown) lines.push("  - grant: roles known only after apply");
  if (c.revoke.length > 0) lines.push(`  - revoke: ${roles(c.revoke)}`);
  if ((c.revokes_unmanaged?.length ?? 0) > 0) {
    lines.push(`  - revoke, held today and not declared: ${roles(c.revokes_unmanaged ?? [])}`);
  }
  if (c.revokes_unmanaged === null && c.action !== "delete" && c.phase !== "destroy") {
    lines.push("  - roles held today: not checked");
  }
  return lines;
}

function driftSection(drift: readonly DriftSummary[]): string[] {
  const lines = ["### Drift: changed outside Terraform since the last apply", ""];
  for (const d of drift) {
    const who = `\`${d.user_id}\` in \`${d.organization_id}\` (\`${d.address}\`)`;
    if (d.member_removed) {
      lines.push(`- ${who}: the member is gone from the organization`);
      continue;
    }
    lines.push(`- ${who}`);
    if (d.granted_outside.length > 0)
      lines.push(`  - granted outside Terraform: ${driftRoles(d.granted_outside, "revokes")}`);
    if (d.revoked_outside.length > 0)
      lines.push(`  - revoked outside Terraform: ${driftRoles(d.revoked_outside, "grants")}`);
  }
  return lines;
}

function driftRoles(list: readonly DriftRole[], undoVerb: string): string {
  return list
    .map((r) => {
      const fate =
        r.undone === null
          ? "unknown until apply"
          : r.undone
            ? `this plan ${undoVerb} it again`
            : "this plan keeps it";
      return `${role(r)} (${fate})`;
    })
    .join(", ");
}

function totalsLine(review: Review): string {
  const t = review.totals;
  const members = [
    `${t.members_created} created`,
    `${t.members_updated} updated`,
    `${t.members_destroyed} destroyed`,
    `${t.members_replaced} replaced`,
  ];
  if (t.members_imported > 0) members.push(`${t.members_imported} imported`);
  if (t.members_forgotten > 0) members.push(`${t.members_forgotten} removed from Terraform`);
  const held =
    t.roles_revoked_unmanaged > 0 ? ` + ${t.roles_revoked_unmanaged} held today and not declared` : "";
  const privileged = t.privileged_changes > 0 ? `; ${plural(t.privileged_changes, "privileged change")}` : "";
  return `**Totals:** members ${members.join(", ")}; ${plural(t.roles_granted, "role")} granted, ${t.roles_revoked} revoked${held}${privileged}.`;
}

function role(r: RoleRef): string {
  return r.name === null ? `\`${r.id}\`` : `**${escapeMarkdown(r.name)}** (\`${r.id}\`)`;
}

function roles(list: readonly RoleRef[]): string {
  return list.map(role).join(", ");
}

/** Role names come from the tenant: keep markdown in them from changing the comment. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~#]/g, (c) => `\\${c}`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
