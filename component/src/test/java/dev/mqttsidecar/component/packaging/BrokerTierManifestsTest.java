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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * components-yaml/kubernetes/broker-tier: the broker tier's StatefulSet and Services, and an app
 * whose component container runs in remote mode against it. What would make the pods crash-loop or
 * the components miss the broker: arguments through the sidecar's own parser and configuration
 * loader, the data directory on the claim, ports, names the components' {@code url} points at.
 */
class BrokerTierManifestsTest {
  private static final Path TIER = Manifests.BROKER_TIER.resolve("broker-tier.yaml");
  private static final Path APP = Manifests.BROKER_TIER.resolve("app.yaml");
  private static final String PROBE = "/opt/mqtt-sidecar/bin/http-probe";
  private static final String NO_BROKER = "--no-broker";

  @TempDir Path dir;

  @Test
  void theTierKeepsItsDataOnTheClaimAndServesMqttThroughItsService() throws Exception {
    JsonNode tier = Manifests.one(TIER, "StatefulSet");
    JsonNode container = Manifests.container(tier, "mqtt-sidecar");
    SidecarSettings settings = resolve(container, Manifests.one(TIER, "ConfigMap"));

    // One broker: replicas would be separate brokers, each with part of the sessions and state.
    assertThat(tier.at("/spec/replicas").asInt()).isEqualTo(1);
    Path data = settings.broker().dataDirectory();
    String claim = tier.at("/spec/volumeClaimTemplates/0/metadata/name").asText();
    assertThat(
            container.path("volumeMounts").findValues("name").stream()
                .map(JsonNode::asText)
                .filter(claim::equals))
        .as("the claim is mounted")
        .hasSize(1);
    assertThat(Manifests.writableMount(tier, container, data)).as("%s on a volume", data).isTrue();
    assertThat(tier.at("/spec/volumeClaimTemplates/0/spec/resources/requests/storage").asText())
        .isNotBlank();

    List<Integer> containerPorts = new ArrayList<>();
    container.path("ports").forEach(p -> containerPorts.add(p.get("containerPort").asInt()));
    assertThat(settings.broker().listeners()).isNotEmpty();
    settings.broker().listeners().forEach(l -> assertThat(containerPorts).contains(l.port()));
    JsonNode labels = tier.at("/spec/template/metadata/labels");
    List<Document> services =
        Manifests.read(TIER).stream().filter(d -> d.kind().equals("Service")).toList();
    for (Document service : services) {
      service
          .tree()
          .at("/spec/selector")
          .properties()
          .forEach(
              e ->
                  assertThat(labels.get(e.getKey()))
                      .as(service.toString())
                      .isEqualTo(e.getValue()));
      service
          .tree()
          .at("/spec/ports")
          .forEach(p -> assertThat(containerPorts).contains(p.get("targetPort").asInt()));
    }
    // The StatefulSet's governing Service exists and is headless.
    assertThat(services)
        .filteredOn(
            s ->
                s.tree()
                    .at("/metadata/name")
                    .asText()
                    .equals(tier.at("/spec/serviceName").asText()))
        .singleElement()
        .satisfies(s -> assertThat(s.tree().at("/spec/clusterIP").asText()).isEqualTo("None"));
  }

  @Test
  void bothContainersRunAsTheImagesUserWithProbesAndResources() throws Exception {
    String[] user = DockerfileTest.imageUser().split(":");
    JsonNode tier = Manifests.one(TIER, "StatefulSet");
    JsonNode app = Manifests.one(APP, "Deployment");
    record Pod(JsonNode workload, JsonNode container) {}
    for (Pod pod :
        List.of(
            new Pod(tier, Manifests.container(tier, "mqtt-sidecar")),
            new Pod(app, Manifests.injectedContainer(APP)))) {
      JsonNode c = pod.container();
      JsonNode security = c.path("securityContext");
      assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
      assertThat(security.path("runAsUser").asText()).isEqualTo(user[0]);
      assertThat(security.path("runAsGroup").asText()).isEqualTo(user[1]);
      assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
      assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
      assertThat(pod.workload().at("/spec/template/spec/securityContext/fsGroup").asText())
          .isEqualTo(user[1]);
      assertThat(Manifests.writableMount(pod.workload(), c, Path.of("/tmp/native.so"))).isTrue();
      assertThat(strings(c.at("/livenessProbe/exec/command"))).containsExactly(PROBE, "/healthz");
      assertThat(strings(c.at("/startupProbe/exec/command"))).containsExactly(PROBE, "/healthz");
      assertThat(strings(c.at("/readinessProbe/exec/command"))).containsExactly(PROBE, "/readyz");
      assertThat(c.at("/resources/requests/memory").asText()).isNotBlank();
      assertThat(c.at("/resources/limits/memory").asText()).isNotBlank();
    }
  }

  @Test
  void theAppsComponentsReachTheTierInRemoteMode() throws Exception {
    JsonNode app = Manifests.one(APP, "Deployment");
    JsonNode container = Manifests.injectedContainer(APP);
    assertThat(strings(container.path("args"))).contains(NO_BROKER);
    // No broker in the app's pod: nothing to listen on, nothing to keep.
    assertThat(container.path("ports")).isEmpty();
    SidecarSettings settings = resolve(container, Manifests.one(APP, "ConfigMap"));
    assertThat(settings.socketPath().folder()).isEqualTo(Path.of("/tmp/dapr-components-sockets"));
    assertThat(settings.allowWorldWritableSocketFolder()).isTrue();
    assertThat(FileMode.format(settings.socketMode())).isEqualTo("0666");

    JsonNode service =
        Manifests.read(TIER).stream()
            .filter(d -> d.kind().equals("Service"))
            .map(Document::tree)
            .filter(s -> !s.at("/spec/clusterIP").asText().equals("None"))
            .findFirst()
            .orElseThrow();
    String url =
        "tcp://"
            + service.at("/metadata/name").asText()
            + ":"
            + service.at("/spec/ports/0/port").asInt();
    String appId = app.at("/spec/template/metadata/annotations/dapr.io~1app-id").asText();
    List<Document> components =
        Manifests.read(APP).stream().filter(d -> d.kind().equals("Component")).toList();
    assertThat(components)
        .extracting(d -> d.tree().at("/spec/type").asText())
        .containsExactlyInAnyOrder(
            "pubsub." + settings.socketPath().name(), "state." + settings.socketPath().name());
    for (Document component : components) {
      List<String> urls = new ArrayList<>();
      component
          .tree()
          .at("/spec/metadata")
          .forEach(
              m -> {
                if (m.path("name").asText().equals("url")) {
                  urls.add(m.path("value").asText());
                }
              });
      assertThat(urls).as(component.toString()).containsExactly(url);
      assertThat(strings(component.tree().path("scopes"))).as(component.toString()).contains(appId);
    }
  }

  /**
   * The container's arguments through the sidecar's parser (which refuses unknown options) and its
   * configuration loader, with the ConfigMap's file in place of the mounted one.
   */
  private SidecarSettings resolve(JsonNode container, JsonNode configMap) throws Exception {
    List<String> args = strings(container.path("args"));
    int config = args.indexOf("--config");
    assertThat(config).as("--config").isNotNegative();
    Path mounted = Path.of(args.get(config + 1));
    Path file = Files.createTempFile(dir, "config", ".yaml");
    Files.writeString(file, configMap.at("/data").get(mounted.getFileName().toString()).asText());
    args.set(config + 1, file.toString());
    SidecarCommand command = new SidecarCommand();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    assertThat(command.configuration().mqtt().embeddedBroker())
        .as("embedded broker with " + args)
        .isEqualTo(!args.contains(NO_BROKER));
    return SettingsResolver.resolve(command.configuration(), null);
  }
}
