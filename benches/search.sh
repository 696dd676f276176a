#!/usr/bin/env bash
# Benchmark of the search index: its size, what the first query downloads, and how long a
# query takes once its data is loaded.
#
# For each corpus size N (articles, made by ../shared/bench/gen_corpus.py) it builds the site
# with kbsite and reports:
#   - the index: number of files and bytes under search/, raw (JSON) and gzipped (as stored,
#     or as a web server with compression sends meta.json), by kind (dictionary, postings,
#     fragments);
#   - for each query of a fixed list (typical reader queries over the corpus vocabulary,
#     typed without diacritics, with a typo and a word cut short): the results, the files a
#     browser downloads for the first query on a fresh page, their gzipped bytes including
#     the search code (search.js), and the median time of the query with its data loaded
#     (Node.js runs the same search.js the browser does).
#
# Run from the repository root:
#   bash benches/search.sh                # sizes 1000 and 10000
#   bash benches/search.sh 1000
#
# Environment: KBSITE_SHARED (the shared folder with bench/gen_corpus.py), BENCH_DIR (keep
# corpora and outputs here instead of a temporary folder).
# Needs: cargo, python3, node. Output (stdout) is Markdown for BENCHMARKS.md.
set -euo pipefail

script_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$script_dir/.." && pwd)
shared=${KBSITE_SHARED:-$script_dir/../../shared}
gen="$shared/bench/gen_corpus.py"
if [ "$#" -gt 0 ]; then sizes=("$@"); else sizes=(1000 10000); fi

log() { echo "[bench] $*" >&2; }
die() { echo "[bench] error: $*" >&2; exit 1; }
[ -f "$gen" ] || die "corpus generator not found at $gen (set KBSITE_SHARED to the shared folder)"
command -v node >/dev/null || die "node not found"

if [ -n "${BENCH_DIR:-}" ]; then
    mkdir -p "$BENCH_DIR"
    work=$(cd "$BENCH_DIR" && pwd)
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi

log "building kbsite (cargo build --release)"
(cd "$repo" && cargo build --release >&2)
kbsite="$repo/target/release/kbsite"

queries=(
    "sprzedaz na targach" "klientow" "budzet reklamy" "pozycjonowanie strony"
    "ksiegowosc" "newsletter" "opinie klientow" "marketing internetowy" "rodo"
    "obsluga reklamacji" "wizerunek marki" "ksiegowsc" "reklamac"
    "jak poprawic sprzedaz w malej firmie"
)

echo "## Search index"
echo
echo "Command: \`bash benches/search.sh ${sizes[*]}\`; $("$kbsite" --version), node $(node --version)."
for n in "${sizes[@]}"; do
    corpus="$work/corpus-$n"
    if [ ! -f "$corpus/kbsite.yaml" ]; then
        log "generating corpus of $n articles"
        python3 "$gen" "$n" --out "$corpus" >&2
    fi
    log "building $n"
    "$kbsite" build -q --root "$corpus" --output "$work/public-$n"
    echo
    echo "### $n articles"
    echo
    python3 - "$work/public-$n/search" <<'EOF'
import gzip, os, sys
root = sys.argv[1]
print("| part | files | raw | gzip |")
print("| --- | ---: | ---: | ---: |")
total = [0, 0, 0]
for part, label in (("meta.json", "meta"), ("d", "dictionary"), ("p", "postings"), ("f", "fragments")):
    path = os.path.join(root, part)
    names = [path] if os.path.isfile(path) else [os.path.join(path, f) for f in os.listdir(path)]
    raw = gz = 0
    for name in names:
        data = open(name, "rb").read()
        packed = data[:2] == b"\x1f\x8b"
        raw += len(gzip.decompress(data)) if packed else len(data)
        gz += len(data) if packed else len(gzip.compress(data, 6))
    total = [total[0] + len(names), total[1] + raw, total[2] + gz]
    print(f"| {label} | {len(names)} | {raw / 1048576:.2f} MiB | {gz / 1048576:.2f} MiB |")
print(f"| all | {total[0]} | {total[1] / 1048576:.2f} MiB | {total[2] / 1048576:.2f} MiB |")
EOF
    echo
    echo "| query | results | files loaded | first query, gzip, code included | query time, data loaded (median of 15) |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    node "$repo/benches/search_queries.mjs" "$work/public-$n" "${queries[@]}"
done
