# Zimmerwald in a container: a multi-stage build (Go toolchain, then a slim Debian with only the
# binary), run as an unprivileged user with its data (SQLite, data key, mail files) on /data.
# Needs BuildKit (Docker 23+ uses it by default; Docker 20.10: DOCKER_BUILDKIT=1; Podman/Buildah
# support it too) for the Go cache mounts, which make a rebuild recompile only what changed.
#
#   docker build --build-arg COMMIT=$(git rev-parse HEAD) -t zimmerwald .
#   docker run -p 8080:8080 -v zw-data:/data zimmerwald            # embedded default (SQLite)
#   docker compose up                                              # PostgreSQL, Mailpit, two instances
#
# Without Docker Hub, pass local base images (any Debian bookworm with gcc, libc6-dev and Go 1.26
# on PATH for the first; any Debian bookworm for the second):
#   docker build --build-arg GO_IMAGE=registry.example.org/golang:1.26-bookworm \
#                --build-arg RUNTIME_IMAGE=registry.example.org/debian:bookworm-slim -t zimmerwald .
ARG GO_IMAGE=golang:1.26-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${GO_IMAGE} AS build
WORKDIR /src
# Module proxy settings of the build host (empty: Go's defaults).
ARG GOPROXY
ARG GOSUMDB
ARG GOPRIVATE
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/root/go/pkg/mod,id=zw-gomod \
    GOMODCACHE=/root/go/pkg/mod go mod download
COPY . .
ARG COMMIT=unknown
# CGO for SQLite (mattn/go-sqlite3); -buildvcs=false because .git is not copied in, the commit
# comes from the build argument instead.
RUN --mount=type=cache,target=/root/go/pkg/mod,id=zw-gomod \
    --mount=type=cache,target=/root/.cache/go-build,id=zw-gobuild \
    GOMODCACHE=/root/go/pkg/mod GOCACHE=/root/.cache/go-build CGO_ENABLED=1 \
    go build -trimpath -buildvcs=false -ldflags "-s -w -X main.buildCommit=${COMMIT}" \
        -o /out/zimmerwald ./cmd/zimmerwald

FROM ${RUNTIME_IMAGE}
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 zimmerwald \
    && useradd --system --uid 10001 --gid zimmerwald --home-dir /data --shell /usr/sbin/nologin zimmerwald \
    && mkdir -p /data && chown zimmerwald:zimmerwald /data && chmod 0700 /data
COPY --from=build /out/zimmerwald /usr/local/bin/zimmerwald
ENV ZW_ADDR=:8080 ZW_DATA_DIR=/data ZW_LOG_FORMAT=json
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
# /readyz answers 200 once serve listens and its database answers. No curl in the image: bash's
# /dev/tcp speaks HTTP/1.0 to the port of ZW_ADDR on the loopback.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${ZW_ADDR##*:} && printf 'GET /readyz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/zimmerwald"]
CMD ["serve"]
