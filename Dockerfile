# syntax=docker/dockerfile:1
# jalon's container image: built from this source, run as a non-root user with no shell.
#
#   docker build -t jalon .
#   docker run --rm --user "$(id -u):$(id -g)" \
#     -v "$HOME/.aws:/home/nonroot/.aws:ro" -v "$PWD:/work:ro" -v "$PWD/reports:/work/reports" \
#     jalon check --profile prod --region eu-west-3 --config jalon.toml --format json,markdown -o reports/
#
# The team's files (read-only) and the reports are in /work, the working directory; AWS
# credentials come from the read-only ~/.aws mount or the AWS_* environment variables.

# The toolchain of Cargo.toml's rust-version, on the Debian release of the runtime
# image below (the binary links against that glibc).
ARG RUST_VERSION=1.94
FROM rust:${RUST_VERSION}-slim-bookworm AS build
WORKDIR /src
# Only what the build reads (build.rs embeds policies/ and checklists/).
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
COPY policies ./policies
COPY checklists ./checklists
# The release profile: stripped, LTO (Cargo.toml). The registry and target caches
# stay on the builder between builds; the binary is copied out of the cache mount.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin jalon \
    && install -D -m 0755 target/release/jalon /out/jalon \
    && mkdir /out/work

# glibc, libgcc and CA certificates; no shell, no package manager.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/jalon /usr/local/bin/jalon
# The working directory belongs to the runtime user: reports can be written there
# without a mount (a bind mount brings the host directory's own owner).
COPY --from=build --chown=65532:65532 /out/work /work
# The SDK finds ~/.aws through HOME, also under `docker run --user UID`.
ENV HOME=/home/nonroot
WORKDIR /work
# The nonroot tag's user, by number: a runtime needs no /etc/passwd to resolve it.
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/jalon"]
CMD ["--help"]
