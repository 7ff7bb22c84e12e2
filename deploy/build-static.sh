#!/usr/bin/env bash
# The static files of a production build, in two steps shared by the Dockerfile,
# `make assets` and .ci/production-smoke, so the image and CI can never drift:
#
#   deploy/build-static.sh vendor NODE_MODULES DEST
#       copy the browser files we ship from npm packages into DEST (static/vendor/),
#       each with the source map its `sourceMappingURL` comment names: the manifest
#       storage follows that comment and fails collectstatic when the map is missing.
#   deploy/build-static.sh collect
#       collectstatic as production runs it: DEBUG off, the hashed manifest storage.
#       PYTHON names the interpreter (default: python); run from the project root.
set -euo pipefail

# Files taken from node_modules, relative to it.
VENDOR_FILES=(
  tus-js-client/dist/tus.min.js
)

usage() {
  echo "usage: $0 vendor NODE_MODULES DEST | $0 collect" >&2
  exit 2
}

vendor() {
  local node_modules=$1 dest=$2 file source map
  mkdir -p "$dest"
  for file in "${VENDOR_FILES[@]}"; do
    source="$node_modules/$file"
    [[ -f $source ]] || { echo "missing $source: run npm ci first" >&2; exit 1; }
    cp "$source" "$dest/"
    map=$(sed -n 's|.*[#@] sourceMappingURL=\([^[:space:]*]*\).*|\1|p' "$source" | tail -n 1)
    if [[ -n $map && $map != data:* ]]; then
      cp "$(dirname "$source")/$map" "$dest/$map"
    fi
  done
}

collect() {
  # Exactly the production storage: never the plain one the test settings ask for.
  env -u PLAIN_STATIC_STORAGE DEBUG=false SECRET_KEY="${SECRET_KEY:-collectstatic-only}" \
    "${PYTHON:-python}" manage.py collectstatic --no-input --verbosity 0
}

case ${1:-} in
  vendor) (($# == 3)) || usage; vendor "$2" "$3" ;;
  collect) (($# == 1)) || usage; collect ;;
  *) usage ;;
esac
