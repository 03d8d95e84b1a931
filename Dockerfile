# Zimmerwald in a container: a multi-stage build (Go toolchain, then a slim Debian with only the
# binary), run as an unprivileged user with its data (SQLite, data key, mail files) on /data.
#
#   docker build --build-arg COMMIT=$(git rev-parse HEAD) -t zimmerwald .
#   docker run -p 8080:8080 -v zw-data:/data zimmerwald            # embedded default (SQLite)
#   docker compose up                                              # PostgreSQL, Mailpit, two instances
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG COMMIT=unknown
# CGO for SQLite (mattn/go-sqlite3); -buildvcs=false because .git is not copied in, the commit
# comes from the build argument instead.
RUN CGO_ENABLED=1 go build -trimpath -buildvcs=false -ldflags "-s -w -X main.buildCommit=${COMMIT}" \
        -o /out/zimmerwald ./cmd/zimmerwald

FROM debian:bookworm-slim
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
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/zimmerwald"]
CMD ["serve"]
