package dev.mqttsidecar.component.packaging;

import static dev.mqttsidecar.component.packaging.Manifests.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mqttsidecar.component.cli.SidecarCommand;
import dev.mqttsidecar.component.config.FileMode;
import dev.mqttsidecar.component.config.SettingsResolver;
import dev.mqttsidecar.component.config.SidecarSettings;
import dev.mqttsidecar.component.packaging.Manifests.Document;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The manifests under components-yaml/, checked for what would make {@code kubectl apply} fail or
 * the pod crash-loop: kinds and required fields, volumes, the sidecar's arguments through its real
 * command-line parser and configuration loader, its security context against the image, the probes
 * and Dapr's pluggable-component annotations (docs.dapr.io, "Register a pluggable component",
 * Kubernetes).
 */
class KubernetesManifestsTest {
  private static final Map<String, Set<String>> KINDS =
      Map.of(
          "apps/v1", Set.of("Deployment", "StatefulSet"),
          "v1", Set.of("Service", "ConfigMap"),
          "dapr.io/v1alpha1", Set.of("Component"));
  private static final String DNS_SUBDOMAIN =
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
  private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
  private static final String SIDECAR = "mqtt-sidecar";
  private static final String PROBE = "/opt/mqtt-sidecar/bin/http-probe";

  /** Where the Dapr injector mounts the shared sockets volume unless a pod annotation moves it. */
  private static final Path INJECTOR_SOCKETS = Path.of("/tmp/dapr-components-sockets");

  @TempDir Path dir;

  /** The sidecar container and the pod it runs in, for both ways of deploying it. */
  private record Variant(String file, JsonNode deployment, JsonNode container) {}

  private static List<Variant> variants() throws Exception {
    JsonNode injectedPod = Manifests.one("deployment.yaml", "Deployment");
    JsonNode explicitPod = Manifests.one("deployment-explicit.yaml", "Deployment");
    return List.of(
        new Variant(
            "components.yaml + deployment.yaml", injectedPod, Manifests.injectedContainer()),
        new Variant(
            "deployment-explicit.yaml", explicitPod, Manifests.container(explicitPod, SIDECAR)));
  }

  @Test
  void everyDocumentIsAKnownKindWithTheFieldsItNeeds() throws Exception {
    List<Document> documents = Manifests.all();
    assertThat(documents).extracting(Document::kind).contains("Deployment", "Component");
    for (Document d : documents) {
      JsonNode t = d.tree();
      assertThat(KINDS.getOrDefault(t.path("apiVersion").asText(), Set.of()))
          .as("%s: apiVersion %s", d, t.path("apiVersion"))
          .contains(d.kind());
      assertThat(t.at("/metadata/name").asText()).as("%s: name", d).matches(DNS_SUBDOMAIN);
      // Kubernetes takes only strings here: an unquoted true or 1883 fails kubectl apply.
      for (String map : List.of("/metadata/annotations", "/spec/template/metadata/annotations")) {
        t.at(map).forEach(v -> assertThat(v.isTextual()).as("%s: %s values", d, map).isTrue());
      }
      switch (d.kind()) {
        case "Deployment", "StatefulSet" -> checkDeployment(d);
        case "Service" -> assertThat(t.at("/spec/ports")).as("%s: ports", d).isNotEmpty();
        case "ConfigMap" -> t.at("/data").forEach(v -> assertThat(v.isTextual()).isTrue());
        case "Component" -> checkComponent(d);
        default -> throw new AssertionError(d.toString());
      }
    }
  }

  private static void checkDeployment(Document d) throws Exception {
    JsonNode t = d.tree();
    JsonNode labels = t.at("/spec/template/metadata/labels");
    assertThat(t.at("/spec/selector/matchLabels").properties()).as("%s: selector", d).isNotEmpty();
    t.at("/spec/selector/matchLabels")
        .properties()
        .forEach(
            e -> assertThat(labels.get(e.getKey())).as("%s: labels", d).isEqualTo(e.getValue()));
    Set<String> volumes = new HashSet<>();
    t.at("/spec/template/spec/volumes")
        .forEach(v -> assertThat(volumes.add(v.get("name").asText())).isTrue());
    t.at("/spec/volumeClaimTemplates")
        .forEach(v -> assertThat(volumes.add(v.at("/metadata/name").asText())).isTrue());
    List<JsonNode> containers = new ArrayList<>();
    t.at("/spec/template/spec/containers").forEach(containers::add);
    if (t.at("/spec/template/metadata/annotations/dapr.io~1inject-pluggable-components")
        .asText()
        .equals("true")) {
      // Its volumes are the pod's; the Components are in the same file or components.yaml.
      Path file =
          d.file().getFileName().toString().equals("deployment.yaml")
              ? Manifests.KUBERNETES.resolve("components.yaml")
              : d.file();
      containers.add(Manifests.injectedContainer(file));
    }
    Set<String> names = new HashSet<>();
    for (JsonNode c : containers) {
      assertThat(c.path("name").asText()).as("%s: container name", d).matches(DNS_LABEL);
      assertThat(names.add(c.path("name").asText())).as("%s: unique names", d).isTrue();
      assertThat(c.path("image").asText()).as("%s: image", d).isNotBlank();
      for (JsonNode mount : c.path("volumeMounts")) {
        assertThat(volumes)
            .as("%s: volume of mount %s", d, mount)
            .contains(mount.get("name").asText());
      }
    }
  }

  private static void checkComponent(Document d) {
    JsonNode t = d.tree();
    assertThat(t.at("/spec/type").asText())
        .as("%s: type", d)
        .matches("(pubsub|state)\\.mqtt-sidecar");
    assertThat(t.at("/spec/version").asText()).as("%s: version", d).isEqualTo("v1");
    for (JsonNode item : t.at("/spec/metadata")) {
      assertThat(item.path("name").isTextual()).as("%s: metadata name", d).isTrue();
      assertThat(item.path("value").isTextual()).as("%s: metadata %s", d, item).isTrue();
    }
  }

  @Test
  void theSidecarsArgumentsPassItsCommandLineAndConfiguration() throws Exception {
    JsonNode configMap = Manifests.one("sidecar-config.yaml", "ConfigMap");
    for (Variant v : variants()) {
      List<String> args = strings(v.container().path("args"));
      int config = args.indexOf("--config");
      assertThat(config).as("%s: --config", v.file()).isNotNegative();
      Path mounted = Path.of(args.get(config + 1));
      Path file = dir.resolve(v.deployment().at("/metadata/name").asText() + config + ".yaml");
      Files.writeString(file, configMap.at("/data").get(mounted.getFileName().toString()).asText());
      args.set(config + 1, file.toString());

      SidecarCommand command = new SidecarCommand();
      // picocli refuses unknown options and an option given twice, as the process would.
      new CommandLine(command).parseArgs(args.toArray(String[]::new));
      SidecarSettings settings = SettingsResolver.resolve(command.configuration(), null);

      assertThat(settings.socketPath().folder()).as(v.file()).isEqualTo(INJECTOR_SOCKETS);
      // The injector's emptyDir is writable by every user, and daprd runs as another user.
      assertThat(settings.allowWorldWritableSocketFolder()).as(v.file()).isTrue();
      assertThat(FileMode.format(settings.socketMode())).as(v.file()).isEqualTo("0666");
      String socketName = settings.socketPath().name();
      assertThat(Manifests.read(Manifests.KUBERNETES.resolve("components.yaml")))
          .extracting(d -> d.tree().at("/spec/type").asText())
          .containsExactlyInAnyOrder("pubsub." + socketName, "state." + socketName);

      // The data directory is inside a writable volume, not the read-only root file system.
      Path data = settings.broker().dataDirectory();
      assertThat(writableMount(v, data))
          .as("%s: a writable volume holds %s", v.file(), data)
          .isTrue();
      // Every listener's port is a container port.
      List<Integer> ports = new ArrayList<>();
      v.container().path("ports").forEach(p -> ports.add(p.get("containerPort").asInt()));
      settings.broker().listeners().forEach(l -> assertThat(ports).as(v.file()).contains(l.port()));
    }
    JsonNode service = Manifests.one("deployment.yaml", "Service");
    assertThat(service.at("/spec/ports/0/targetPort").asInt()).isEqualTo(1883);
  }

  @Test
  void theSidecarRunsAsTheImagesUserWithAReadOnlyRoot() throws Exception {
    String[] user = DockerfileTest.imageUser().split(":");
    for (Variant v : variants()) {
      JsonNode security = v.container().path("securityContext");
      assertThat(security.path("runAsNonRoot").asBoolean()).as(v.file()).isTrue();
      assertThat(security.path("runAsUser").asText()).as(v.file()).isEqualTo(user[0]);
      assertThat(security.path("runAsGroup").asText()).as(v.file()).isEqualTo(user[1]);
      assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
      assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(v.file()).isTrue();
      // The JVM, RocksDB and Netty unpack their native libraries into java.io.tmpdir.
      assertThat(writableMount(v, Path.of("/tmp/native.so"))).as("%s: /tmp", v.file()).isTrue();
      // The shared volumes are made writable for the image's group.
      assertThat(v.deployment().at("/spec/template/spec/securityContext/fsGroup").asText())
          .as(v.file())
          .isEqualTo(user[1]);
    }
  }

  @Test
  void probesAskHealthzAndReadyzThroughTheImagesProbeScript() throws Exception {
    for (Variant v : variants()) {
      JsonNode c = v.container();
      assertThat(strings(c.at("/livenessProbe/exec/command"))).containsExactly(PROBE, "/healthz");
      assertThat(strings(c.at("/startupProbe/exec/command"))).containsExactly(PROBE, "/healthz");
      assertThat(strings(c.at("/readinessProbe/exec/command"))).containsExactly(PROBE, "/readyz");
      // The script asks the sidecar's default HTTP port: neither moves it.
      assertThat(strings(c.path("args"))).as(v.file()).doesNotContain("--http-port");
      assertThat(c.path("env").toString()).doesNotContain("MQTT_SIDECAR_HTTP_PORT");
    }
  }

  @Test
  void daprsAnnotationsDeclareThePluggableComponent() throws Exception {
    for (Variant v : variants()) {
      JsonNode annotations = v.deployment().at("/spec/template/metadata/annotations");
      assertThat(annotations.path("dapr.io/enabled").asText()).isEqualTo("true");
      String appId = annotations.path("dapr.io/app-id").asText();
      assertThat(appId).isNotBlank();
      // Only this app's pods run the container: the components are scoped to it.
      for (Document d : Manifests.read(Manifests.KUBERNETES.resolve("components.yaml"))) {
        assertThat(strings(d.tree().path("scopes"))).as(d.toString()).contains(appId);
      }
    }
    JsonNode injected = Manifests.one("deployment.yaml", "Deployment");
    assertThat(
            injected
                .at("/spec/template/metadata/annotations/dapr.io~1inject-pluggable-components")
                .asText())
        .isEqualTo("true");
    JsonNode explicit = Manifests.one("deployment-explicit.yaml", "Deployment");
    String named =
        explicit.at("/spec/template/metadata/annotations/dapr.io~1pluggable-components").asText();
    for (String container : named.split(",")) {
      assertThat(Manifests.container(explicit, container.strip()).path("image").asText())
          .isEqualTo(Manifests.injectedContainer().path("image").asText());
    }
  }

  /** Whether a path is on a volume mounted writable in the variant's sidecar container. */
  private static boolean writableMount(Variant v, Path path) {
    return Manifests.writableMount(v.deployment(), v.container(), path);
  }
}
