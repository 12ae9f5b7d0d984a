# likematch in a container: built and packaged with the same scripts CI runs, installed from
# its own .deb (whose dependencies dpkg-shlibdeps worked out) on a slim Debian 12, run as a
# non-root user.
FROM debian:12 AS build
WORKDIR /src
COPY . .
RUN scripts/build.sh \
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
ENTRYPOINT ["likematch"]
# Listening inside a container must not be on loopback only.
CMD ["serve", "--bind", "0.0.0.0"]
