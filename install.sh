#!/bin/sh
# Installs a released kbsite binary: picks the archive for this system, checks it against the
# release's SHA256SUMS, and puts `kbsite` in a folder. The GitHub Action (action.yml) and the
# deploy recipes in README.md use it, so the names of release files live here and in
# .github/workflows/release.yml only.
#
#   install.sh --repo OWNER/kbsite [--version vX.Y.Z|latest] [--to DIR] [--target TRIPLE]
#
#   --repo      the GitHub repository whose releases hold the binaries
#   --version   a release tag (default: latest)
#   --to        where to put kbsite (default: $HOME/.local/bin)
#   --target    the Rust target triple to install (default: this system's)
#   --base-url  where release files are, instead of https://github.com/REPO/releases/download
#               (a mirror, or file:// URL); needs --version
#
# Prints the installed binary's path. Needs curl, tar (unzip or 7z on Windows) and sha256sum
# or shasum.
set -eu

fail() {
    echo "install.sh: $*" >&2
    exit 1
}

repo=""
version="latest"
to="${HOME:-.}/.local/bin"
target=""
base_url=""
while [ $# -gt 0 ]; do
    case "$1" in
        --repo | --version | --to | --target | --base-url)
            [ $# -ge 2 ] || fail "$1 needs a value"
            case "$1" in
                --repo) repo="$2" ;;
                --version) version="$2" ;;
                --to) to="$2" ;;
                --target) target="$2" ;;
                --base-url) base_url="$2" ;;
            esac
            shift 2
            ;;
        -h | --help)
            sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *) fail "unknown argument '$1' (see --help)" ;;
    esac
done

command -v curl >/dev/null 2>&1 || fail "curl is needed to download kbsite"

# The release target for this system: static musl binaries on Linux, and the x86_64 binary on
# Windows, which Windows on ARM runs too.
if [ -z "$target" ]; then
    os="$(uname -s)"
    arch="$(uname -m)"
    case "$arch" in
        x86_64 | amd64) arch=x86_64 ;;
        aarch64 | arm64) arch=aarch64 ;;
    esac
    case "$os" in
        Linux) target="$arch-unknown-linux-musl" ;;
        Darwin) target="$arch-apple-darwin" ;;
        MINGW* | MSYS* | CYGWIN* | Windows_NT) target="x86_64-pc-windows-msvc" ;;
        *) fail "no kbsite release for $os; build it from source: cargo install --locked kbsite" ;;
    esac
fi
case "$target" in
    x86_64-unknown-linux-musl | aarch64-unknown-linux-musl | x86_64-apple-darwin | \
        aarch64-apple-darwin) archive=tar.gz exe=kbsite ;;
    x86_64-pc-windows-msvc) archive=zip exe=kbsite.exe ;;
    *) fail "no kbsite release for $target; build it from source: cargo install --locked kbsite" ;;
esac

if [ -z "$base_url" ]; then
    [ -n "$repo" ] || fail "say where the releases are: --repo OWNER/NAME"
    base_url="https://github.com/$repo/releases/download"
    if [ "$version" = latest ]; then
        # github.com/REPO/releases/latest redirects to .../releases/tag/TAG.
        url="$(curl -fsSL -o /dev/null -w '%{url_effective}' "https://github.com/$repo/releases/latest")" ||
            fail "could not find the latest release of $repo"
        version="${url##*/}"
        case "$version" in
            v*) ;;
            *) fail "$repo has no release yet" ;;
        esac
    fi
elif [ "$version" = latest ]; then
    fail "--base-url needs --version"
fi

name="kbsite-$version-$target"
file="$name.$archive"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

curl -fsSL --retry 3 -o "$work/$file" "$base_url/$version/$file" ||
    fail "could not download $base_url/$version/$file"
curl -fsSL --retry 3 -o "$work/SHA256SUMS" "$base_url/$version/SHA256SUMS" ||
    fail "could not download $base_url/$version/SHA256SUMS"

expected="$(awk -v f="$file" '$2 == f || $2 == "*" f { print $1 }' "$work/SHA256SUMS")"
[ -n "$expected" ] || fail "SHA256SUMS of $version does not list $file"
if command -v sha256sum >/dev/null 2>&1; then
    actual="$(sha256sum "$work/$file" | awk '{ print $1 }')"
else
    actual="$(shasum -a 256 "$work/$file" | awk '{ print $1 }')"
fi
[ "$actual" = "$expected" ] ||
    fail "checksum mismatch for $file: expected $expected, got $actual; nothing installed"

case "$archive" in
    tar.gz) tar -xzf "$work/$file" -C "$work" ;;
    zip)
        if command -v unzip >/dev/null 2>&1; then
            unzip -q "$work/$file" -d "$work"
        else
            7z x -y "-o$work" "$work/$file" >/dev/null
        fi
        ;;
esac
[ -f "$work/$name/$exe" ] || fail "$file has no $name/$exe"

mkdir -p "$to"
# Copied beside the old binary, then renamed over it, so a running kbsite keeps working.
cp "$work/$name/$exe" "$to/.$exe.new"
chmod 755 "$to/.$exe.new"
mv -f "$to/.$exe.new" "$to/$exe"
echo "$to/$exe"
