# likematch in a container: built and packaged with the same scripts CI runs, installed from
# its own .deb (whose dependencies dpkg-shlibdeps worked out) on a slim Debian 12, run as a
# non-root user. The build stage builds the binaries only (likematch, and likematch-cluster for
# worker and serve --jetstream, which the compose file's cluster profile runs): no tests, no
# benchmarks.
FROM debian:12 AS build
WORKDIR /src
COPY . .
RUN scripts/build.sh --binaries \
 && cd build && cpack -G DEB \
 && cp likematch_*.deb /likematch.deb

FROM debian:12-slim
COPY --from=build /likematch.deb /tmp/likematch.deb
RUN apt-get update \
 && apt-get install -y --no-install-recommends /tmp/likematch.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/likematch.deb \
 && useradd --system --no-create-home --shell /usr/sbin/nologin likematch
USER likematch
EXPOSE 9090 9099
# Healthy while likematch listens on the Event Source port (9090 is 0x2382; the state 0A is
# LISTEN) or, as `serve --connect`, holds a connection to it (01, ESTABLISHED). It reads the
# kernel's socket table rather than connecting, since any connection to 9090 is a source to
# the server. With another --source-port, override the check.
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD ["awk", "($4 == \"0A\" && $2 ~ /:2382$/) || ($4 == \"01\" && $3 ~ /:2382$/) { found = 1 } END { exit !found }", "/proc/net/tcp", "/proc/net/tcp6"]
ENTRYPOINT ["likematch"]
# Listening inside a container must not be on loopback only.
CMD ["serve", "--bind", "0.0.0.0"]
