# syntax=docker/dockerfile:1
# Container image of the sidecar, built from the sources (no jar needed beforehand):
#   docker build -t mqtt-sidecar:0.1.0 .
# Multi-platform (the jar carries the Linux x86-64 and arm64 natives):
#   docker buildx build --platform linux/amd64,linux/arm64 -t mqtt-sidecar:0.1.0 .

# ---- Build: Maven and a JDK 17 build the runnable jar ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The Maven repository lives in a build cache mount: a change to the sources downloads nothing
# again. Maven reads the pom of every module the root pom lists, so the poms of those that are not
# built (bench, the samples, the test brokers) come too, without their sources.
COPY pom.xml ./
COPY bench/pom.xml bench/
COPY brokers/artemis-launcher/pom.xml brokers/artemis-launcher/
COPY bench/brokers/hivemq/pom.xml bench/brokers/hivemq/
COPY samples/pubsub/pom.xml samples/pubsub/
COPY samples/state-app/pom.xml samples/state-app/
COPY samples/verify/pom.xml samples/verify/
COPY proto proto
COPY broker broker
COPY security security
COPY dapr-support dapr-support
COPY state-store state-store
COPY component component
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -DskipTests -pl component -am package

# ---- Runtime: a JRE 17, a user of its own, nothing else ----
FROM eclipse-temurin:17-jre
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="mqtt-sidecar" \
      org.opencontainers.image.description="Dapr pluggable component (pub/sub and state store) with an embedded MQTT 3.1.1/5.0 broker" \
      org.opencontainers.image.version="${VERSION}"

# A fixed uid/gid, so Kubernetes' runAsUser/fsGroup and volume ownership can name it.
RUN groupadd --system --gid 65532 mqtt-sidecar \
 && useradd --system --uid 65532 --gid 65532 --home-dir /var/lib/mqtt-sidecar --no-create-home \
      --shell /usr/sbin/nologin mqtt-sidecar \
 && install -d -o 65532 -g 65532 -m 0700 /var/lib/mqtt-sidecar \
 && install -d -o 65532 -g 65532 -m 0750 /tmp/dapr-components-sockets

COPY --from=build /src/component/target/mqtt-sidecar.jar /opt/mqtt-sidecar/mqtt-sidecar.jar
COPY config/jvm.options /opt/mqtt-sidecar/jvm.options
COPY bin/http-probe /opt/mqtt-sidecar/bin/http-probe

USER 65532:65532
# The durable store (RocksDB) is the default "data" under the working directory:
# /var/lib/mqtt-sidecar/data, created private (mode 0700) by the sidecar. Mount a volume at
# /var/lib/mqtt-sidecar to keep it across containers. No --data-dir here, so that the
# configuration file's storage.dataDir is not overridden.
WORKDIR /var/lib/mqtt-sidecar
VOLUME /var/lib/mqtt-sidecar
# The component socket goes to /tmp/dapr-components-sockets (daprd's default folder); share it
# with daprd's container through a volume mounted there.
# The default MQTT listener is 127.0.0.1:1883, inside the container only. For devices outside, pass
# a configuration file with a listener on 0.0.0.0 and authentication (--config; see the README's
# "Configuration file" and components-yaml/kubernetes/sidecar-config.yaml). 9080 is the HTTP port
# (health, metrics), also on loopback by default.
EXPOSE 1883 9080
# The HTTP server answers /healthz once the process runs; MQTT_SIDECAR_HTTP_PORT names another
# --http-port.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["/opt/mqtt-sidecar/bin/http-probe", "/healthz"]
# The JVM options of bin/mqtt-sidecar (config/jvm.options); JAVA_OPTS may override them. The
# shell execs java, which stays process 1 and gets the signals; arguments go to the sidecar.
ENTRYPOINT ["sh", "-c", "exec java @/opt/mqtt-sidecar/jvm.options $JAVA_OPTS -jar /opt/mqtt-sidecar/mqtt-sidecar.jar \"$@\"", "mqtt-sidecar"]
