#!/usr/bin/env bash
# Benchmark of a full site build: kbsite (and Hugo, when it is installed).
#
# What it measures, for each corpus size N (number of articles):
#   - `kbsite build --root CORPUS` on a corpus made by ../shared/bench/gen_corpus.py;
#     the output folder already exists from the warm-up run, so every measured run
#     also replaces the previous output (the realistic case of a rebuild);
#   - the same build with the search index off (`search: false` added to the corpus
#     config for those runs only);
#   - `hugo --quiet --source CORPUS --destination DIR` on the same corpus, if `hugo`
#     is on PATH (the generator writes the Hugo config and layouts too);
#   - the cold kbsite build: the same command with the build cache (`.kbsite-cache/`,
#     which holds the social cards and rendered Markdown) and the previous output (whose
#     cards a build would keep) moved away before each run, as in a CI job on a fresh
#     checkout or a first build; min(RUNS, 3) runs;
#   - the output of each tool: bytes (apparent, and on disk as `du` counts them), files,
#     and the largest HTML page and largest article page.
# Each command runs once as a warm-up, then RUNS times under
# `/usr/bin/time -f '%e %U %S %M'`; the script reports the median of each of
# wall time, user CPU, system CPU and peak RSS, and the kbsite/hugo ratio of the
# median wall times. It then runs `kbsite build -v` once per size to show the
# time of each stage, and `benches/rebuild.rs` (cargo bench --bench rebuild) for
# the incremental rebuild after one article edit, on the engine of `kbsite serve`
# (median of max(RUNS, 9) edits of each kind). With several sizes it prints how
# the build time grows from one size to the next.
#
# Run from the repository root:
#   bash benches/build.sh                 # sizes 100, 1000 and 10000, RUNS=5
#   bash benches/build.sh 1000            # quick run
#   RUNS=9 bash benches/build.sh 10000
#   bash benches/build.sh 1000 10000 50000   # with the linearity check
#
# Environment:
#   RUNS           measured runs per command (default 5), after one warm-up
#   KBSITE_SHARED  the shared folder holding bench/gen_corpus.py
#                  (default: the `shared` folder beside the repository)
#   BENCH_DIR      keep corpora and outputs here (default: a temporary folder,
#                  removed on exit)
#
# Needs: cargo, python3, GNU time at /usr/bin/time (Debian: apt-get install time).
# The output (stdout) is Markdown meant to be pasted into BENCHMARKS.md;
# progress goes to stderr.
set -euo pipefail

script_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$script_dir/.." && pwd)
shared=${KBSITE_SHARED:-$script_dir/../../shared}
gen="$shared/bench/gen_corpus.py"
RUNS=${RUNS:-5}
if [ "$#" -gt 0 ]; then sizes=("$@"); else sizes=(100 1000 10000); fi

log() { echo "[bench] $*" >&2; }
die() { echo "[bench] error: $*" >&2; exit 1; }

[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) not found; install it, e.g. 'apt-get install -y time'"
[ -f "$gen" ] || die "corpus generator not found at $gen (set KBSITE_SHARED to the shared folder)"
command -v python3 >/dev/null || die "python3 not found"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
for n in "${sizes[@]}"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "size must be a positive integer, got '$n'"
done

if [ -n "${BENCH_DIR:-}" ]; then
    mkdir -p "$BENCH_DIR"
    work=$(cd "$BENCH_DIR" && pwd)
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi

have_hugo=0
if command -v hugo >/dev/null; then have_hugo=1; fi

log "building kbsite (cargo build --release)"
(cd "$repo" && cargo build --release >&2)
kbsite="$repo/target/release/kbsite"
# The rebuild benchmark is compiled now too, so that edits made while the benchmark runs
# cannot change what it measures.
log "building the rebuild benchmark (cargo bench --no-run --bench rebuild)"
rebuild_bench=$(cd "$repo" && cargo bench --no-run --bench rebuild --message-format=json \
    | python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") \
            and m["target"]["name"] == "rebuild":
        print(m["executable"])')
[ -x "$rebuild_bench" ] || die "could not build benches/rebuild.rs"
# The commit measured; changes to benches/ and BENCHMARKS.md do not count as changes.
if source_rev=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null); then
    git -C "$repo" diff --quiet HEAD -- . ':(exclude)benches' ':(exclude)BENCHMARKS.md' \
        || source_rev="$source_rev with uncommitted changes"
else
    source_rev="unknown commit"
fi

# measure NAME CMD...: one warm-up run, then RUNS runs under /usr/bin/time.
# Appends "wall user sys maxrss_kib" lines to $work/samples-NAME.
measure() {
    local name=$1; shift
    local samples="$work/samples-$name" out="$work/last-output" t="$work/last-time"
    : > "$samples"
    log "$name: warm-up"
    "$@" > "$out" 2>&1 || { cat "$out" >&2; die "$name: command failed: $*"; }
    for ((i = 1; i <= RUNS; i++)); do
        /usr/bin/time -f '%e %U %S %M' -o "$t" "$@" > "$out" 2>&1 \
            || { cat "$out" >&2; die "$name: command failed: $*"; }
        tail -n 1 "$t" >> "$samples"
        log "$name: run $i/$RUNS: $(tail -n 1 "$t") (wall s, user s, sys s, max RSS KiB)"
    done
}

# medians FILE: prints "wall user sys rss_mib" (median of each column).
# One row of the output table: tool, output folder.
output_row() {
    python3 - "$@" <<'EOF'
import os, sys
tool, out = sys.argv[1], sys.argv[2]
apparent = disk = files = 0
largest = (0, "")
largest_article = (0, "")
for folder, _, names in os.walk(out):
    for name in names:
        path = os.path.join(folder, name)
        st = os.lstat(path)
        apparent += st.st_size
        disk += st.st_blocks * 512
        files += 1
        if name.endswith(".html"):
            rel = os.path.relpath(path, out)
            largest = max(largest, (st.st_size, rel))
            parts = rel.split(os.sep)
            # An article: SECTION/SLUG/index.html, not a list, tag or search page.
            if len(parts) == 3 and parts[1] != "page" and parts[0] not in ("tags", "categories", "search"):
                largest_article = max(largest_article, (st.st_size, rel))
mb = lambda b: f"{b / 1e6:.1f}"
kb = lambda b: f"{b / 1e3:.1f}"
print(f"| {tool} | {mb(apparent)} | {mb(disk)} | {files} | {kb(largest[0])} (`{largest[1]}`) "
      f"| {kb(largest_article[0])} |")
EOF
}

medians() {
    python3 - "$1" <<'EOF'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
wall, user, sys_, rss = (statistics.median(c) for c in zip(*rows))
print(f"{wall:.2f} {user:.2f} {sys_:.2f} {rss / 1024:.1f}")
EOF
}

table="$work/table.md"
raw="$work/raw.md"
stages="$work/stages.md"
: > "$table"; : > "$raw"; : > "$stages"; : > "$work/rebuild.md"; : > "$work/walls"
: > "$work/sizes.md"
rebuild_runs=$(( RUNS > 9 ? RUNS : 9 ))

for n in "${sizes[@]}"; do
    corpus="$work/corpus-$n"
    log "generating corpus of $n articles"
    rm -rf "$corpus"
    python3 "$gen" "$n" --out "$corpus" >&2

    measure "kbsite-$n" "$kbsite" build --root "$corpus"
    read -r k_wall k_user k_sys k_rss < <(medians "$work/samples-kbsite-$n")
    k_ratio="—"

    if [ "$have_hugo" = 1 ]; then
        measure "hugo-$n" hugo --quiet --source "$corpus" --destination "$work/hugo-$n"
        read -r h_wall h_user h_sys h_rss < <(medians "$work/samples-hugo-$n")
        k_ratio=$(python3 -c "import sys; h=float(sys.argv[2]); print(f'{float(sys.argv[1])/h:.2f}' if h > 0 else 'n/a')" "$k_wall" "$h_wall")
    fi

    # The same build without the search index (`search: false` in the corpus config).
    cp "$corpus/kbsite.yaml" "$work/kbsite.yaml.saved"
    printf '\nsearch: false\n' >> "$corpus/kbsite.yaml"
    measure "kbsite-nosearch-$n" "$kbsite" build --root "$corpus" --output "$work/nosearch-$n"
    cp "$work/kbsite.yaml.saved" "$corpus/kbsite.yaml"
    read -r n_wall n_user n_sys n_rss < <(medians "$work/samples-kbsite-nosearch-$n")

    echo "| $n | kbsite | $k_wall | $k_user | $k_sys | $k_rss | $k_ratio |" >> "$table"
    echo "| $n | kbsite, search off | $n_wall | $n_user | $n_sys | $n_rss | — |" >> "$table"
    echo "- N=$n kbsite: $(cut -d' ' -f1 "$work/samples-kbsite-$n" | paste -sd' ' -)" >> "$raw"
    echo "- N=$n kbsite, search off: $(cut -d' ' -f1 "$work/samples-kbsite-nosearch-$n" | paste -sd' ' -)" >> "$raw"
    if [ "$have_hugo" = 1 ]; then
        echo "| $n | hugo | $h_wall | $h_user | $h_sys | $h_rss | — |" >> "$table"
        echo "- N=$n hugo: $(cut -d' ' -f1 "$work/samples-hugo-$n" | paste -sd' ' -)" >> "$raw"
    fi

    echo "$n $k_wall $n_wall" >> "$work/walls"

    cold_runs=$(( RUNS < 3 ? RUNS : 3 ))
    : > "$work/samples-cold-$n"
    for ((i = 1; i <= cold_runs; i++)); do
        # Moved aside, not deleted: right after tens of thousands of files are deleted,
        # ext4 is slower to create new ones (it passes over recently freed inodes), which a
        # first build or a CI job on a fresh checkout does not pay. Deleted after the runs.
        mkdir -p "$work/set-aside-$n-$i"
        for old in "$corpus/.kbsite-cache" "$corpus/public" "$corpus"/.public.kbsite-*; do
            if [ -e "$old" ]; then mv "$old" "$work/set-aside-$n-$i/"; fi
        done
        /usr/bin/time -f '%e %U %S %M' -o "$work/last-time" "$kbsite" build --root "$corpus" \
            > "$work/last-output" 2>&1 \
            || { cat "$work/last-output" >&2; die "kbsite-cold-$n: command failed"; }
        tail -n 1 "$work/last-time" >> "$work/samples-cold-$n"
        log "kbsite-cold-$n: run $i/$cold_runs: $(tail -n 1 "$work/last-time")"
    done
    rm -rf "$work"/set-aside-"$n"-*
    read -r c_wall c_user c_sys c_rss < <(medians "$work/samples-cold-$n")
    c_ratio="—"
    if [ "$have_hugo" = 1 ]; then
        c_ratio=$(python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}')" "$c_wall" "$h_wall")
    fi
    echo "| $n | kbsite, cold (no build cache) | $c_wall | $c_user | $c_sys | $c_rss | $c_ratio |" >> "$table"
    echo "- N=$n kbsite, cold: $(cut -d' ' -f1 "$work/samples-cold-$n" | paste -sd' ' -)" >> "$raw"

    {
        echo "N=$n:"
        echo
        echo "| tool | output MB | on disk MB | files | largest page KB | largest article KB |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: |"
        output_row kbsite "$corpus/public"
        if [ "$have_hugo" = 1 ]; then output_row hugo "$work/hugo-$n"; fi
        echo
    } >> "$work/sizes.md"

    log "kbsite-$n: incremental rebuilds after one edit (cargo bench --bench rebuild)"
    {
        echo "N=$n ($rebuild_runs edits of each kind):"
        echo
        "$rebuild_bench" "$corpus" --runs "$rebuild_runs"
        echo
    } >> "$work/rebuild.md"

    log "kbsite-$n: one more run with -v for the stage timings"
    {
        echo "N=$n:"
        echo '```'
        "$kbsite" build -v --root "$corpus" 2>/dev/null | sed "s|$work/||g"
        echo '```'
    } >> "$stages"
done

# ---- report (stdout, Markdown) ----
mem_kib=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
cmd="RUNS=$RUNS bash benches/build.sh ${sizes[*]}"

echo "## Machine"
echo
echo "- CPU: ${cpu_model:-unknown}, nproc: $(nproc)"
echo "- memory: $(python3 -c "print(f'{$mem_kib / 1048576:.1f}')") GiB (MemTotal from /proc/meminfo)"
echo "- $("$kbsite" --version), built from $source_rev"
if [ "$have_hugo" = 1 ]; then echo "- $(hugo version)"; else echo "- hugo: not installed (not measured)"; fi
echo "- $(rustc --version)"
echo
echo "## Command"
echo
echo '```'
echo "$cmd"
echo '```'
echo
echo "Medians of $RUNS runs after one warm-up; wall time from GNU time (10 ms resolution)."
echo
echo "## Results"
echo
echo "| size | tool | median wall s | user s | sys s | peak RSS MiB | kbsite/hugo wall |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"
cat "$table"
echo
echo "Wall times of the measured runs (s):"
echo
cat "$raw"
echo
if [ "${#sizes[@]}" -gt 1 ]; then
    echo "Growth of the median wall time from one size to the next (linear growth is the size"
    echo "ratio):"
    echo
    python3 - "$work/walls" <<'EOF'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
for (n0, k0, s0), (n1, k1, s1) in zip(rows, rows[1:]):
    size = int(n1) / int(n0)
    print(f"- {n0} -> {n1} articles ({size:g}x): {float(k1) / float(k0):.2f}x with search, "
          f"{float(s1) / float(s0):.2f}x with search off")
EOF
    echo
fi
echo "## Output"
echo
echo "What each tool wrote (kbsite: pages, social cards, search index; MB are 10^6 bytes;"
echo "on disk is what \`du\` counts, in whole blocks):"
echo
cat "$work/sizes.md"
echo "## Incremental rebuild after one article edit"
echo
echo "In-process, on the engine of \`kbsite serve\` (\`cargo bench --bench rebuild -- CORPUS\`):"
echo "milliseconds from the changed path reaching the site in memory to every dependent output"
echo "file rendered again. The search index is rebuilt later, on its own thread."
echo
cat "$work/rebuild.md"
echo "## Stage timings (one extra run of \`kbsite build -v\`)"
echo
cat "$stages"
