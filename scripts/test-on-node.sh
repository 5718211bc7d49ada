#!/usr/bin/env bash
# Runs `npm test` on another Node.js major version: bash scripts/test-on-node.sh 24
#
# That version comes from the npm registry (the `node` package installs its platform's binary,
# with the C++ headers, from there) into a temporary folder. better-sqlite3 is a native addon built
# for one Node.js version: it is built for that one for the run, and the build for the usual
# Node.js is put back afterwards. Where that version cannot be installed, says so and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

major="${1:?usage: scripts/test-on-node.sh MAJOR}"
work="$(mktemp -d)"
addon=node_modules/better-sqlite3/build/Release/better_sqlite3.node
cp "$addon" "$work/better_sqlite3.node"
restore() {
  cp "$work/better_sqlite3.node" "$addon"
  rm -rf "$work"
}
trap restore EXIT

if ! npm install --prefix "$work" --no-save --no-audit --no-fund "node@$major" >"$work/install.log" 2>&1; then
  tail -n 5 "$work/install.log"
  echo "Node.js $major could not be installed from the npm registry: the tests did not run on it."
  exit 0
fi
export PATH="$work/node_modules/node/bin:$PATH"
if [[ "$(node --version)" != "v$major."* ]]; then
  echo "Node.js $major did not install (its package's install script did not run): the tests did not run on it."
  exit 0
fi
# The package's include/node holds the headers node-gyp builds addons against, with no download.
headers="$(find "$work/node_modules" -path '*/include/node/node_version.h' -print -quit)"
if [[ -n "$headers" ]]; then export npm_config_nodedir="${headers%/include/node/node_version.h}"; fi

echo "Node.js $(node --version): building better-sqlite3 for it, then npm test"
if ! npm rebuild better-sqlite3 >"$work/rebuild.log" 2>&1; then
  tail -n 30 "$work/rebuild.log"
  exit 1
fi
npm test
