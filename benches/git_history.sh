#!/usr/bin/env bash
# Benchmark of dates from git (`git_dates: true`): the one pass over the history of `content/`
# on a corpus committed in a few hundred commits, and its share of the whole build.
#
# What it does:
#   1. makes a corpus of N articles with ../shared/bench/gen_corpus.py in DIR (kept when it is
#      there already) and turns `git_dates: true` on in its kbsite.yaml;
#   2. commits it as a history of COMMITS commits at fixed dates, one a day from
#      2023-01-02 10:00 +01:00: the first half add the articles slice by slice (the
#      section pages come with the first), the second half each edit a slice of the articles
#      (a paragraph appended), and every tenth of those also renames two articles no other
#      article links to (so the renames break no link); committer and author dates are fixed,
#      so the history, and every date the site shows, is the same on every run;
#   3. times, RUNS times each after one warm-up (median reported):
#        - the `git log` kbsite runs, alone;
#        - `kbsite build -v` of the site (its `git` stage is the pass: the log and reading it);
#        - the same build with `git_dates: false`.
#
# Run from the repository root, after `cargo build --release`:
#   bash benches/git_history.sh DIR                # N=10000, COMMITS=300, RUNS=5
#   N=1000 COMMITS=50 bash benches/git_history.sh DIR
#
# Environment:
#   N              articles (default 10000)
#   COMMITS        commits of the history (default 300)
#   RUNS           measured runs of each command (default 5)
#   KBSITE         the binary (default: target/release/kbsite)
#   KBSITE_SHARED  the shared folder holding bench/gen_corpus.py (default: beside the
#                  repository)
#
# Needs: git, python3. The report (stdout) is Markdown; progress goes to stderr.
set -euo pipefail

script_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$script_dir/.." && pwd)
shared=${KBSITE_SHARED:-$script_dir/../../shared}
gen="$shared/bench/gen_corpus.py"
N=${N:-10000}
COMMITS=${COMMITS:-300}
RUNS=${RUNS:-5}
KBSITE=${KBSITE:-$repo/target/release/kbsite}

log() { echo "[git-bench] $*" >&2; }
die() { echo "[git-bench] error: $*" >&2; exit 1; }

[ "$#" -eq 1 ] || die "usage: bash benches/git_history.sh DIR"
dir=$1
[ -x "$KBSITE" ] || die "no kbsite binary at $KBSITE (cargo build --release)"
[ -f "$gen" ] || die "corpus generator not found at $gen (set KBSITE_SHARED)"
command -v git >/dev/null || die "git not found"
[[ "$COMMITS" =~ ^[0-9]+$ && "$COMMITS" -ge 2 ]] || die "COMMITS must be 2 or more"

if [ ! -d "$dir/.git" ]; then
    rm -rf "$dir"
    log "corpus of $N articles in $dir"
    python3 "$gen" "$N" --out "$dir" --tools kbsite >/dev/null
    printf 'git_dates: true\n' >>"$dir/kbsite.yaml"
    log "history of $COMMITS commits"
    python3 - "$dir" "$COMMITS" <<'PY'
import os, re, subprocess, sys
from datetime import datetime, timedelta, timezone

root, commits = sys.argv[1], int(sys.argv[2])
env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")

def git(*args, date=None):
    e = dict(env)
    if date:
        e["GIT_AUTHOR_DATE"] = e["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", *args], cwd=root, env=e, check=True, stdout=subprocess.DEVNULL)

git("init", "-q", "-b", "main")
git("config", "user.name", "Redakcja")
git("config", "user.email", "redakcja@example.org")
git("config", "commit.gpgsign", "false")

content = os.path.join(root, "content")
articles = sorted(
    os.path.relpath(os.path.join(d, f), root)
    for d, _, files in os.walk(content)
    for f in files
    if f.endswith(".md") and f != "_index.md"
)
# Articles no other article links to (by file or by address) can move without breaking a link.
linked = set()
for path in articles:
    with open(os.path.join(root, path), encoding="utf-8") as f:
        for target in re.findall(r"\]\(([^)#\s]*)", f.read()):
            name = target.rstrip("/").rsplit("/", 1)[-1]
            linked.add(name[:-3] if name.endswith(".md") else name)
movable = [a for a in articles if os.path.basename(a)[:-3] not in linked]

adding = commits // 2
editing = commits - adding
start = datetime(2023, 1, 2, 10, 0, tzinfo=timezone(timedelta(hours=1)))
hidden = {}  # the articles of later slices wait outside the tree until their commit
for i, path in enumerate(articles):
    if i * adding // len(articles) > 0:
        hidden[path] = open(os.path.join(root, path), encoding="utf-8").read()
        os.remove(os.path.join(root, path))
day = 0
for k in range(adding):
    for i, path in enumerate(articles):
        if i * adding // len(articles) == k and path in hidden:
            with open(os.path.join(root, path), "w", encoding="utf-8") as f:
                f.write(hidden.pop(path))
    git("add", "-A")
    git("commit", "-q", "-m", f"Artykuły, część {k + 1}", date=(start + timedelta(days=day)).isoformat())
    day += 1
current = list(articles)
for k in range(editing):
    for i in range(k, len(current), editing):
        with open(os.path.join(root, current[i]), "a", encoding="utf-8") as f:
            f.write(f"\nUzupełnienie z poprawki {k + 1}.\n")
    if k % 10 == 9 and len(movable) >= 2:
        for _ in range(2):
            old = movable.pop()
            new = old[:-3] + "-nowe.md"
            git("mv", old, new)
            current[current.index(old)] = new
    git("add", "-A")
    git("commit", "-q", "-m", f"Poprawki {k + 1}", date=(start + timedelta(days=day)).isoformat())
    day += 1
PY
fi

# The median of RUNS timings (seconds) of the command after a warm-up.
median_of() {
    "$@" >/dev/null 2>&1 || die "failed: $*"
    local times=()
    for _ in $(seq "$RUNS"); do
        local t0 t1
        t0=$(date +%s.%N)
        "$@" >/dev/null 2>&1
        t1=$(date +%s.%N)
        times+=("$(echo "$t1 - $t0" | bc -l)")
    done
    printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

# The median of RUNS values of one stage of `kbsite build -v` (ms), after a warm-up.
stage_median() {
    local stage=$1
    shift
    "$@" >/dev/null 2>&1 || die "failed: $*"
    for _ in $(seq "$RUNS"); do
        "$@" 2>&1 | awk -v s="$stage" '$1 == s {print $2}'
    done | sed 's/ms//' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

files=$(git -C "$dir" ls-files content | wc -l)
commits=$(git -C "$dir" rev-list --count HEAD)
log "timing the log alone"
log_s=$(median_of git -C "$dir" -c core.quotePath=false log -z -M --no-follow --name-status --format=%x01%cI -- content)
log "timing builds with git_dates"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
build=("$KBSITE" build --root "$dir" --output "$out/public" -v)
with_s=$(median_of "${build[@]}")
git_ms=$(stage_median git "${build[@]}")
log "timing builds without"
sed -i 's/^git_dates: true$/git_dates: false/' "$dir/kbsite.yaml"
without_s=$(median_of "${build[@]}")
sed -i 's/^git_dates: false$/git_dates: true/' "$dir/kbsite.yaml"

echo "| corpus | \`git log\` alone | \`git\` stage of the build | build with \`git_dates\` | build without | stage / build |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
printf '| %s files, %s commits | %.0f ms | %s ms | %.2f s | %.2f s | %.1f %% |\n' \
    "$files" "$commits" "$(echo "$log_s * 1000" | bc -l)" "$git_ms" "$with_s" "$without_s" \
    "$(echo "$git_ms / ($with_s * 10)" | bc -l)"
