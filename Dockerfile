# syntax=docker/dockerfile:1
#
# A small image with one static kbsite binary (musl), git and a shell.
#
#   docker build -t kbsite .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD":/site kbsite build
#   docker run --rm -it --user "$(id -u):$(id -g)" -v "$PWD":/site -p 127.0.0.1:1111:1111 \
#     kbsite serve --bind 0.0.0.0
#
# The default target compiles kbsite from this checkout. The release workflow builds the
# `prebuilt` target instead, from the binaries it has just built and published, so the image
# holds exactly the released files.

# The toolchain of the release binaries (RUST_VERSION in .github/workflows/release.yml); at
# least Cargo.toml's rust-version.
ARG RUST_VERSION=1.95
ARG ALPINE_VERSION=3.22

FROM rust:${RUST_VERSION}-alpine AS build
# ring (TLS for `kbsite check --external`) and mimalloc compile C: gcc comes with the image,
# the C library's headers and start files with musl-dev.
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
# The musl target of the build machine (x86_64 or aarch64); musl targets link statically.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    triple="$(uname -m)-unknown-linux-musl" \
    && CARGO_PROFILE_RELEASE_STRIP=symbols \
       cargo build --release --locked --bin kbsite --target "$triple" \
    && cp "target/$triple/release/kbsite" /usr/local/bin/kbsite

# What both images share. git reads the site's history; a shell lets CI services that run
# their jobs in this image (GitLab CI) use it. The site folder is mounted or cloned by
# someone else than the container's user, which git refuses to read unless told otherwise.
FROM alpine:${ALPINE_VERSION} AS runtime
RUN apk add --no-cache git \
    && git config --system --add safe.directory '*' \
    && addgroup -S -g 10001 kbsite \
    && adduser -S -D -H -u 10001 -G kbsite kbsite
WORKDIR /site
USER 10001:10001
# `kbsite serve --bind 0.0.0.0` listens here.
EXPOSE 1111
# `docker stop` stops kbsite as Ctrl-C does: the process with id 1 ignores a SIGTERM it does
# not handle.
STOPSIGNAL SIGINT
ENTRYPOINT ["kbsite"]
CMD ["build"]

# The release workflow's image: dist/linux-amd64/kbsite and dist/linux-arm64/kbsite are the
# released musl binaries.
FROM runtime AS prebuilt
ARG TARGETARCH
COPY --chmod=0755 dist/linux-${TARGETARCH}/kbsite /usr/local/bin/kbsite

# The default: built from source.
FROM runtime
COPY --from=build /usr/local/bin/kbsite /usr/local/bin/kbsite
