# Container image for Kubernetes (components-yaml/kubernetes). Build the jar first:
#   mvn -pl component -am package -DskipTests && docker build -t mqtt-sidecar:0.1.0 .
FROM eclipse-temurin:17-jre
COPY component/target/mqtt-sidecar.jar /opt/mqtt-sidecar/mqtt-sidecar.jar
# The durable store (RocksDB) is the default "data" under the working directory:
# /var/lib/mqtt-sidecar/data, created private (mode 0700) by the sidecar. Mount a volume at
# /var/lib/mqtt-sidecar to keep it across containers. No --data-dir here, so that the
# configuration file's storage.dataDir is not overridden.
WORKDIR /var/lib/mqtt-sidecar
VOLUME /var/lib/mqtt-sidecar
# The default listener is 127.0.0.1:1883, inside the container only. For devices outside, pass a
# configuration file with a listener on 0.0.0.0 and authentication (--config; see the README's
# "Configuration file" and components-yaml/kubernetes/sidecar-config.yaml).
EXPOSE 1883
ENTRYPOINT ["java", "-jar", "/opt/mqtt-sidecar/mqtt-sidecar.jar"]
