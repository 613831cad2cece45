package dev.mqttsidecar.component.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The YAML manifests the repository ships, every document of every file, as JSON trees. */
final class Manifests {
  static final Path COMPONENTS = DockerfileTest.ROOT.resolve("components-yaml");
  static final Path KUBERNETES = COMPONENTS.resolve("kubernetes");
  static final Path BROKER_TIER = KUBERNETES.resolve("broker-tier");
  static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Manifests() {}

  /** A document and the file it came from, for messages. */
  record Document(Path file, JsonNode tree) {
    String kind() {
      return tree.path("kind").asText();
    }

    @Override
    public String toString() {
      return file.getFileName() + " " + kind() + " " + tree.at("/metadata/name").asText();
    }
  }

  static List<Document> all() throws IOException {
    List<Document> documents = new ArrayList<>();
    for (Path folder : List.of(COMPONENTS, KUBERNETES, BROKER_TIER)) {
      try (Stream<Path> files = Files.list(folder)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
          documents.addAll(read(file));
        }
      }
    }
    return documents;
  }

  static List<Document> read(Path file) throws IOException {
    List<Document> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> trees =
        YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      for (JsonNode tree : trees.readAll()) {
        if (tree != null && !tree.isNull() && !tree.isMissingNode()) {
          documents.add(new Document(file, tree));
        }
      }
    }
    return documents;
  }

  /** The one document of {@code kind} in a file of components-yaml/kubernetes. */
  static JsonNode one(String file, String kind) throws IOException {
    return one(KUBERNETES.resolve(file), kind);
  }

  /** The one document of {@code kind} in a file. */
  static JsonNode one(Path file, String kind) throws IOException {
    List<Document> matching = read(file).stream().filter(d -> d.kind().equals(kind)).toList();
    if (matching.size() != 1) {
      throw new IOException(file + " holds " + matching.size() + " " + kind + " documents");
    }
    return matching.get(0).tree();
  }

  /** The container daprd's injector adds: JSON in the Component's annotation. */
  static JsonNode injectedContainer() throws IOException {
    return injectedContainer(KUBERNETES.resolve("components.yaml"));
  }

  /** The container that a Component of {@code file} asks daprd's injector to add. */
  static JsonNode injectedContainer(Path file) throws IOException {
    for (Document d : read(file)) {
      JsonNode json = d.tree().at("/metadata/annotations/dapr.io~1component-container");
      if (json.isTextual()) {
        return JSON.readTree(json.asText());
      }
    }
    throw new IOException("no dapr.io/component-container annotation in " + file);
  }

  /** The container named {@code name} in a Deployment's pod spec. */
  static JsonNode container(JsonNode deployment, String name) {
    for (JsonNode c : deployment.at("/spec/template/spec/containers")) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no container " + name + " in " + deployment.at("/metadata/name"));
  }

  /**
   * Whether a path is on a volume mounted writable in a container of a Deployment or StatefulSet:
   * an emptyDir, a PersistentVolumeClaim or a StatefulSet's volume claim template.
   */
  static boolean writableMount(JsonNode workload, JsonNode container, Path path) {
    java.util.Set<String> writableVolumes = new java.util.HashSet<>();
    for (JsonNode volume : workload.at("/spec/template/spec/volumes")) {
      if (volume.has("emptyDir") || volume.has("persistentVolumeClaim")) {
        writableVolumes.add(volume.get("name").asText());
      }
    }
    workload
        .at("/spec/volumeClaimTemplates")
        .forEach(claim -> writableVolumes.add(claim.at("/metadata/name").asText()));
    for (JsonNode mount : container.path("volumeMounts")) {
      if (path.startsWith(mount.get("mountPath").asText())
          && !mount.path("readOnly").asBoolean()
          && writableVolumes.contains(mount.get("name").asText())) {
        return true;
      }
    }
    return false;
  }

  static List<String> strings(JsonNode array) {
    List<String> result = new ArrayList<>();
    array.forEach(item -> result.add(item.asText()));
    return result;
  }
}
