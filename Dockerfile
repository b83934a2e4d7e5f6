# The portal in a container: built on Debian bookworm, run from debian:bookworm-slim
# with only the binary and CA certificates, as an unprivileged user, its data in
# /data. docs/deployment.md says how to build and run it.
#
# Build arguments:
#   RUST_IMAGE, RUNTIME_IMAGE  the builder and runtime images (a mirror's, say)
#   CARGO_PROFILE              release (the default), or a faster profile for a
#                              smoke test (see docs/deployment.md); never for
#                              production
ARG RUST_IMAGE=docker.io/library/rust:1.95-bookworm
ARG RUNTIME_IMAGE=docker.io/library/debian:bookworm-slim

FROM ${RUST_IMAGE} AS builder
ARG CARGO_PROFILE=release
WORKDIR /src
# SQLite, libpq and OpenSSL are compiled from source by their crates: the rust
# image already has the C compiler, make and perl they need.
COPY . .
# The registry and target folders are BuildKit cache mounts (podman and buildah
# honour them too), kept between builds: a rebuild compiles only what changed.
# The binary is copied out of the cached target folder, which the image does not keep.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --locked --profile "${CARGO_PROFILE}" --bin partnerdesk \
    && if [ "${CARGO_PROFILE}" = dev ]; then out=debug; else out="${CARGO_PROFILE}"; fi \
    && install -D -m 0755 "target/${out}/partnerdesk" /out/partnerdesk

FROM ${RUNTIME_IMAGE}
# ca-certificates for TLS to the mail server and PostgreSQL; left unpinned so that
# a rebuild picks up the distribution's security updates.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 10001 partnerdesk \
    && useradd --no-log-init --no-create-home --uid 10001 --gid partnerdesk \
        --home-dir /data --shell /usr/sbin/nologin partnerdesk \
    && install -d -o partnerdesk -g partnerdesk -m 0700 /data
COPY --from=builder /out/partnerdesk /usr/local/bin/partnerdesk

ENV PARTNERDESK_DATA_DIR=/data \
    PARTNERDESK_BIND=0.0.0.0:8080
VOLUME ["/data"]
WORKDIR /data
EXPOSE 8080
USER 10001:10001

# Liveness through the portal's own /health_check, with bash's /dev/tcp: the image
# needs no HTTP client for it. It follows the port of PARTNERDESK_BIND. (podman and
# buildah keep it only in the docker image format: `--format docker`.)
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PARTNERDESK_BIND##*:} && printf 'GET /health_check HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

# SIGTERM stops it cleanly (work in progress handed back within 25 s).
STOPSIGNAL SIGTERM
ENTRYPOINT ["partnerdesk"]
CMD ["serve"]
