package dev.mqttsidecar.component.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mqttsidecar.broker.PersistentSessionLimit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The configuration the repository ships stays valid and complete: the example file holds every key
 * and loads, the README's table documents exactly the keys the sidecar reads, and the Kubernetes
 * manifests mount and pass the configuration they define.
 */
class ShippedConfigurationTest {
  private static final Path ROOT = Path.of("..");
  private static final Path EXAMPLE = ROOT.resolve("config/mqtt-sidecar.example.yaml");
  private static final Path KUBERNETES = ROOT.resolve("components-yaml/kubernetes");

  @TempDir Path dir;

  @Test
  void theExampleHoldsEveryKey() throws Exception {
    Object example = new Yaml().load(Files.readString(EXAMPLE));
    assertThat(SchemaKeys.present(example)).isEqualTo(SchemaKeys.all());
  }

  @Test
  void theExampleLoadsBesideTheFilesItNames() throws Exception {
    Path copy = Files.copy(EXAMPLE, dir.resolve("mqtt-sidecar.yaml"));
    ReferencedFiles.write(
        dir,
        "server.pem",
        "server-key.pem",
        "ca.pem",
        "passwd",
        "jwks.json",
        "cloud-ca.pem",
        "cloud-client.pem",
        "cloud-client-key.pem",
        "cloud-password");
    // The Protobuf flow's descriptor set is read at start: a real one, the tests' own.
    Files.copy(
        Path.of(getClass().getResource("../dataflow/telemetry.desc").toURI()),
        dir.resolve("telemetry.desc"));
    Configuration c = ConfigBinder.load(copy, "mqtt-sidecar.yaml");
    SidecarSettings settings = SettingsResolver.resolve(c, null);

    assertThat(c.listeners()).extracting(l -> l.name()).containsExactly("local", "devices");
    assertThat(c.listeners().get(1).tls().cert()).isEqualTo(dir.resolve("server.pem"));
    assertThat(settings.authentication().anonymous()).isFalse();
    assertThat(settings.authorizationRules()).hasSize(2);
    // The example shows the defaults wherever there is one.
    Configuration defaults = Configuration.defaults();
    assertThat(c.socket().mode()).isEqualTo(defaults.socket().mode());
    assertThat(c.mqtt())
        .isEqualTo(
            new Configuration.Mqtt(
                defaults.mqtt().maxConnections(),
                defaults.mqtt().maxPacketSize(),
                defaults.mqtt().maxQueuedMessages(),
                60,
                defaults.mqtt().receiveMaximum(),
                defaults.mqtt().topicAliasMaximum(),
                defaults.mqtt().maximumQos()));
    assertThat(c.limits())
        .isEqualTo(
            new Configuration.Limits(
                defaults.limits().maxTopicLength(),
                defaults.limits().maxTopicLevels(),
                defaults.limits().maxSubscriptionsPerClient(),
                defaults
                    .limits()
                    .quotas()
                    .withPersistentSessionLimits(
                        List.of(new PersistentSessionLimit("sensor-*", 100_000))),
                defaults.limits().maxPendingWills()));
    assertThat(c.sys()).isEqualTo(defaults.sys());
    assertThat(c.storage().durability()).isEqualTo(defaults.storage().durability());
    assertThat(c.storage().syncInterval()).isEqualTo(defaults.storage().syncInterval());
    assertThat(c.shutdownGrace()).isEqualTo(defaults.shutdownGrace());
    assertThat(c.logLevel()).isEqualTo(defaults.logLevel());
  }

  @Test
  void theReadmeTableDocumentsExactlyTheKeysTheSidecarReads() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int start = readme.indexOf("\n## Configuration file\n");
    int end = readme.indexOf("\n## ", start + 1);
    assertThat(start).as("README section 'Configuration file'").isPositive();
    Matcher row = Pattern.compile("(?m)^\\| `([^`]+)` \\|").matcher(readme.substring(start, end));
    Set<String> documented = new TreeSet<>();
    while (row.find()) {
      documented.add(row.group(1));
    }
    assertThat(documented).isEqualTo(SchemaKeys.all());
  }

  @Test
  void theKubernetesConfigMapLoadsAndAllowsWhatAPodNeeds() throws Exception {
    Map<?, ?> configMap = yaml(KUBERNETES.resolve("sidecar-config.yaml")).get(0);
    String text = (String) ((Map<?, ?>) configMap.get("data")).get("mqtt-sidecar.yaml");
    Path file = Files.writeString(dir.resolve("mqtt-sidecar.yaml"), text);

    SidecarSettings settings =
        SettingsResolver.resolve(ConfigBinder.load(file, "mqtt-sidecar.yaml"), null);

    assertThat(settings.broker().listeners().get(0).host()).isEqualTo("0.0.0.0");
    assertThat(settings.authentication().anonymous()).isTrue(); // written explicitly
    assertThat(settings.allowWorldWritableSocketFolder()).isTrue(); // the pod's emptyDir
    assertThat(FileMode.format(settings.socketMode())).isEqualTo("0666"); // daprd's own user
    assertThat(settings.broker().dataDirectory()).isEqualTo(Path.of("/var/lib/mqtt-sidecar/data"));
    // The probes run inside the container (bin/http-probe), so HTTP stays on loopback.
    assertThat(settings.http().host()).isEqualTo("127.0.0.1");
    assertThat(settings.http().port()).isEqualTo(9080);
  }

  @Test
  void bothKubernetesVariantsMountTheConfigMapWhereTheArgumentsLook() throws Exception {
    Map<?, ?> configMap = yaml(KUBERNETES.resolve("sidecar-config.yaml")).get(0);
    String configMapName = (String) ((Map<?, ?>) configMap.get("metadata")).get("name");
    String key = "mqtt-sidecar.yaml";
    assertThat(((Map<?, ?>) configMap.get("data")).get(key)).isInstanceOf(String.class);

    // Injected: the container is JSON in the Component's annotation, the volume in the pod.
    Map<?, ?> component = yaml(KUBERNETES.resolve("components.yaml")).get(0);
    String json =
        (String)
            ((Map<?, ?>) ((Map<?, ?>) component.get("metadata")).get("annotations"))
                .get("dapr.io/component-container");
    JsonNode injected = new ObjectMapper().readTree(json);
    assertMountsConfig(
        injected,
        podVolumes(yaml(KUBERNETES.resolve("deployment.yaml")).get(0)),
        configMapName,
        key);

    // Explicit: the container is in the pod spec.
    Map<?, ?> deployment = yaml(KUBERNETES.resolve("deployment-explicit.yaml")).get(0);
    JsonNode pod = new ObjectMapper().valueToTree(deployment).at("/spec/template/spec");
    JsonNode sidecar = null;
    for (JsonNode container : pod.get("containers")) {
      if (container.get("name").asText().equals("mqtt-sidecar")) {
        sidecar = container;
      }
    }
    assertThat(sidecar).isNotNull();
    assertMountsConfig(sidecar, podVolumes(deployment), configMapName, key);
  }

  private static JsonNode podVolumes(Map<?, ?> deployment) {
    return new ObjectMapper().valueToTree(deployment).at("/spec/template/spec/volumes");
  }

  private static void assertMountsConfig(
      JsonNode container, JsonNode volumes, String configMapName, String key) {
    List<String> args = new ArrayList<>();
    container.get("args").forEach(arg -> args.add(arg.asText()));
    assertThat(args).doesNotContain("--mqtt-host", "--data-dir");
    int config = args.indexOf("--config");
    assertThat(config).as("--config in %s", args).isNotNegative();
    Path configFile = Path.of(args.get(config + 1));
    assertThat(configFile.getFileName().toString()).isEqualTo(key);

    String volume = null;
    for (JsonNode mount : container.get("volumeMounts")) {
      if (Path.of(mount.get("mountPath").asText()).equals(configFile.getParent())) {
        volume = mount.get("name").asText();
      }
    }
    assertThat(volume).as("a mount at %s", configFile.getParent()).isNotNull();
    String mounted = null;
    for (JsonNode v : volumes) {
      if (v.get("name").asText().equals(volume)) {
        mounted = v.at("/configMap/name").asText();
      }
    }
    assertThat(mounted).isEqualTo(configMapName);
  }

  private static List<Map<?, ?>> yaml(Path file) throws Exception {
    List<Map<?, ?>> documents = new ArrayList<>();
    for (Object document : new Yaml().loadAll(Files.readString(file))) {
      documents.add((Map<?, ?>) document);
    }
    return documents;
  }
}
