#!/usr/bin/env bash
# The deploy pipeline's steps, one subcommand each, so the workflow (workflow.yml) only calls this
# script and the logic can be run and tested anywhere (test/e2e/pipeline.test.ts runs it against
# the local emulator).
#
#   pipeline.sh plan     synthesize, terraform init, plan into $ARTIFACTS/tfplan (+ plan.json, tfplan.sha256)
#   pipeline.sh review   summarize $ARTIFACTS/plan.json into $ARTIFACTS/comment.md (one PR comment, found by its marker)
#   pipeline.sh apply    apply exactly $ARTIFACTS/tfplan, after checking it is the reviewed file
#   pipeline.sh check    plan again; exit 0 when the tenant matches the code, 2 when it does not
#
# Credentials come from AUTH0_DOMAIN and AUTH0_CLIENT_ID + AUTH0_CLIENT_SECRET (or AUTH0_API_TOKEN):
# read-only ones for plan, review and check; write ones for apply only.
set -euo pipefail

STACK="${STACK:-acme-access}"              # the CDKTF stack to deploy
SYNTH="${SYNTH:-npx cdktf synth}"          # how to synthesize (writes ./cdktf.out/stacks/$STACK)
CLI="${CLI:-npx auth0-member-roles}"       # the auth0-member-roles command
ARTIFACTS="${ARTIFACTS:-pipeline-artifacts}"
REVIEW_ARGS="${REVIEW_ARGS:-}"             # e.g. "--sensitive admin --fail-on privileged"
COMMENT_LIMIT="${COMMENT_LIMIT:-60000}"    # characters of review in the comment (GitHub allows 65,536)
MARKER='<!-- auth0-member-roles:review -->'
export CHECKPOINT_DISABLE=1 CDKTF_DISABLE_TELEMETRY=true TF_IN_AUTOMATION=1 TF_INPUT=0

ARTIFACTS="$(mkdir -p "$ARTIFACTS" && cd "$ARTIFACTS" && pwd)"

# Terraform runs inside the stack directory: it finds the provider in the stack's terraform.d/plugins
# relative to the directory it starts in (-chdir would not do).
tf() { (cd "cdktf.out/stacks/$STACK" && terraform "$@"); }

synth_and_init() {
  $SYNTH >&2
  tf init -input=false -no-color >&2
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

cmd_plan() {
  synth_and_init
  tf plan -input=false -no-color -out=tfplan >&2
  cp "cdktf.out/stacks/$STACK/tfplan" "$ARTIFACTS/tfplan"
  tf show -json tfplan >"$ARTIFACTS/plan.json"
  sha256_of "$ARTIFACTS/tfplan" >"$ARTIFACTS/tfplan.sha256"
  echo "Plan saved: $ARTIFACTS/tfplan (sha256 $(cat "$ARTIFACTS/tfplan.sha256"))" >&2
}

cmd_review() {
  local status=0
  # shellcheck disable=SC2086 # REVIEW_ARGS is a list of options.
  $CLI review $REVIEW_ARGS "$ARTIFACTS/plan.json" >"$ARTIFACTS/review.md" 2>"$ARTIFACTS/review.err" || status=$?
  if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
    cat "$ARTIFACTS/review.err" >&2
    return "$status"
  fi
  {
    echo "$MARKER"
    # The review puts privileged changes and hidden revocations first, so a cut keeps what matters most.
    awk -v limit="$COMMENT_LIMIT" '
      { size += length($0) + 1 }
      size <= limit { print; next }
      { cut++ }
      END { if (cut) printf "\n_(%d more lines cut to fit a comment: the whole review is review.md in the plan artifact.)_\n", cut }
    ' "$ARTIFACTS/review.md"
    echo
    if [ "$status" -eq 3 ]; then
      echo "**Policy:** $(paste -sd ' ' "$ARTIFACTS/review.err")"
      echo
    fi
    echo "<sub>Plan file sha256 \`$(cat "$ARTIFACTS/tfplan.sha256")\`. Merging applies exactly this plan.</sub>"
  } >"$ARTIFACTS/comment.md"
  cat "$ARTIFACTS/review.err" >&2
  echo "Comment body written to $ARTIFACTS/comment.md" >&2
  return "$status"
}

cmd_apply() {
  local expected actual
  [ -f "$ARTIFACTS/tfplan" ] || { echo "No reviewed plan at $ARTIFACTS/tfplan; run plan (or download the artifact) first." >&2; return 1; }
  expected="${EXPECTED_PLAN_SHA256:-$(cat "$ARTIFACTS/tfplan.sha256")}"
  actual="$(sha256_of "$ARTIFACTS/tfplan")"
  if [ "$expected" != "$actual" ]; then
    echo "Refusing to apply: $ARTIFACTS/tfplan has sha256 $actual, but the reviewed plan had $expected." >&2
    return 1
  fi
  synth_and_init
  # Terraform itself refuses a plan made against an older state ("Saved plan is stale"): plan again then.
  tf apply -input=false -no-color "$ARTIFACTS/tfplan"
}

cmd_check() {
  synth_and_init
  tf plan -input=false -no-color -detailed-exitcode >&2
}

case "${1:-}" in
  plan | review | apply | check) "cmd_$1" ;;
  *)
    echo "Usage: $0 plan|review|apply|check" >&2
    exit 2
    ;;
esac
