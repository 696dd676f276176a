#!/usr/bin/env bash
# Screenshots of the default theme, for looking at (not part of `cargo test`): the bundled
# sample and a 1,000-article corpus from ../shared/bench/gen_corpus.py, each page at phone and
# desktop width in light and dark (see benches/screenshots.mjs).
#
#   bash benches/screenshots.sh OUT_DIR
#
# Needs cargo, node and chromium; KBSITE_SHARED overrides where the shared folder is.
set -euo pipefail
out=${1:?usage: bash benches/screenshots.sh OUT_DIR}
script_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$script_dir/.." && pwd)
shared=${KBSITE_SHARED:-$repo/../shared}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

(cd "$repo" && cargo build --release >&2)
kbsite="$repo/target/release/kbsite"

"$kbsite" build -q --root "$repo" --output "$work/sample"
node "$script_dir/screenshots.mjs" --site "$work/sample" --out "$out/sample" \
    --article /media-spolecznosciowe/social-media-marketing-w-malej-firmie/ \
    --section /seo/ --tag /tags/seo/ --query "social media"

if [ -f "$shared/bench/gen_corpus.py" ]; then
    python3 "$shared/bench/gen_corpus.py" 1000 --out "$work/c1k" >/dev/null
    "$kbsite" build -q --root "$work/c1k" --output "$work/c1k-out" || true
    article=$(cd "$work/c1k-out" && find . -mindepth 3 -maxdepth 3 -name index.html \
        -not -path './tags/*' -not -path './categories/*' -not -path '*/page/*' | sort | sed -n 500p)
    article=${article#.}
    section="/$(basename "$(dirname "$(dirname "$article")")")/"
    tag=$(cd "$work/c1k-out/tags" && ls | head -1)
    node "$script_dir/screenshots.mjs" --site "$work/c1k-out" --out "$out/c1k" \
        --article "${article%index.html}" --section "$section" --tag "/tags/$tag/" --query "marketing"
fi
