#!/bin/sh
# The probe loop as a long-running service on any small machine (docs/github.md, "Service mode"): continuous
# detection without GitHub Actions minutes. Keeps its own clone of the status repository, brings it to the
# newest main, installs the dependencies without lifecycle scripts and probes every `probe.every` (30 s) for
# a day, publishing every cycle like probe.yml and starting site.yml after each commit; systemd
# (Restart=always) or the container runtime (--restart unless-stopped) starts it again, with the newest
# code. SIGTERM finishes the current cycle, then stops.
#
# Environment (e.g. /etc/signalroom/env):
#   GITHUB_REPOSITORY   owner/name of the status repository
#   GITHUB_TOKEN        a token that may push to it, write its issues and start its workflows
#                       (fine-grained: Contents, Issues and Actions read and write on that repository only)
#   SIGNALROOM_REGION   the region of the samples, e.g. office-eu (lowercase)
#   every ${env:NAME} the checks and routes use (APP_BASE_URL, DATABASE_URL, …)
# Optional: GITHUB_SERVER_URL (https://github.com), GITHUB_API_URL (https://api.github.com),
#   SIGNALROOM_DIR (where the clone lives), SIGNALROOM_FOR (24h: how long one start keeps probing).
set -eu

: "${GITHUB_REPOSITORY:?set GITHUB_REPOSITORY to owner/name of the status repository}"
: "${GITHUB_TOKEN:?set GITHUB_TOKEN to a token that may push to ${GITHUB_REPOSITORY}, write its issues and start its workflows}"
: "${SIGNALROOM_REGION:?set SIGNALROOM_REGION to the region of the samples, e.g. office-eu}"
server="${GITHUB_SERVER_URL:-https://github.com}"
dir="${SIGNALROOM_DIR:-/var/lib/signalroom/repository}"
# The token goes to git for this command only; the probe run authenticates its own git commands the same way.
auth="AUTHORIZATION: basic $(printf 'x-access-token:%s' "$GITHUB_TOKEN" | base64 | tr -d '\n')"

if [ ! -d "$dir/.git" ]; then
  mkdir -p "$(dirname "$dir")"
  git -c http.extraheader="$auth" clone --quiet --branch main "$server/$GITHUB_REPOSITORY.git" "$dir"
fi
cd "$dir"
# This clone is the service's own: anything uncommitted in it is a cycle cut short by a crash, never
# published, so it is dropped. What a cycle could not push waits on the pending ref or in .git/signalroom
# (kept: it lives outside the working tree) and the first cycle publishes it.
git -c http.extraheader="$auth" fetch --quiet origin main
git reset --quiet --hard origin/main
git clean --quiet -fd
npm ci --ignore-scripts --no-audit --no-fund
# Node itself, not npm, receives the stop signal: it finishes the cycle it is in, publishes it, and exits.
exec node scripts/signalroom.mjs probe --for "${SIGNALROOM_FOR:-24h}" --push --dispatch site.yml
