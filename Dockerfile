# likematch in a container: built with the same scripts CI runs, shipped as the binary and
# its man page on a slim Debian 12, as a non-root user.
FROM debian:12 AS build
WORKDIR /src
COPY . .
RUN scripts/build.sh \
 && cmake --install build --prefix /out

FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libfmt9 libspdlog1.10 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --no-create-home --shell /usr/sbin/nologin likematch
COPY --from=build /out/bin/likematch /usr/local/bin/likematch
COPY --from=build /out/share/man/man1/likematch.1 /usr/local/share/man/man1/likematch.1
USER likematch
EXPOSE 9090 9099
ENTRYPOINT ["likematch"]
# Listening inside a container must not be on loopback only.
CMD ["serve", "--bind", "0.0.0.0"]
