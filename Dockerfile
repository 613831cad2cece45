# Container image for Kubernetes (components-yaml/kubernetes). Build the jar first:
#   mvn -pl component -am package -DskipTests && docker build -t mqtt-sidecar:0.1.0 .
FROM eclipse-temurin:17-jre
COPY component/target/mqtt-sidecar.jar /opt/mqtt-sidecar/mqtt-sidecar.jar
# The durable store (RocksDB); mount a volume here to keep data across containers.
VOLUME /var/lib/mqtt-sidecar
EXPOSE 1883
ENTRYPOINT ["java", "-jar", "/opt/mqtt-sidecar/mqtt-sidecar.jar", "--data-dir", "/var/lib/mqtt-sidecar"]
