package dev.mqttsidecar.component.testing;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * A Dapr Component YAML document as daprd reads it: {@code metadata.name} (sent as {@code
 * x-component-instance}), {@code spec.type} and {@code spec.metadata} (sent to Init as properties).
 */
public record ComponentYaml(String name, String type, Map<String, String> metadata) {

  /** The repository's components-yaml folder, seen from a module's working directory. */
  public static final Path FOLDER = Path.of("..", "components-yaml");

  /** Reads every Component document of a file (several may be separated by ---). */
  public static List<ComponentYaml> readAll(Path file) throws IOException {
    List<ComponentYaml> result = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file)) {
      for (Object document : new Yaml().loadAll(reader)) {
        if (document instanceof Map<?, ?> map && "Component".equals(map.get("kind"))) {
          result.add(parse(map));
        }
      }
    }
    return result;
  }

  /** Reads a file holding exactly one Component. */
  public static ComponentYaml read(Path file) throws IOException {
    List<ComponentYaml> all = readAll(file);
    if (all.size() != 1) {
      throw new IOException(file + " holds " + all.size() + " components, expected 1");
    }
    return all.get(0);
  }

  private static ComponentYaml parse(Map<?, ?> document) {
    Map<?, ?> meta = (Map<?, ?>) document.get("metadata");
    Map<?, ?> spec = (Map<?, ?>) document.get("spec");
    Map<String, String> properties = new LinkedHashMap<>();
    Object items = spec.get("metadata");
    if (items instanceof List<?> list) {
      for (Object item : list) {
        Map<?, ?> entry = (Map<?, ?>) item;
        Object value = entry.get("value");
        // daprd hands every value to the component as a string.
        properties.put(
            String.valueOf(entry.get("name")), value == null ? "" : String.valueOf(value));
      }
    }
    return new ComponentYaml(
        String.valueOf(meta.get("name")), String.valueOf(spec.get("type")), properties);
  }

  /** This component under another name (a second instance on the same socket). */
  public ComponentYaml withName(String newName) {
    return new ComponentYaml(newName, type, metadata);
  }

  /** This component with one more (or a replaced) metadata entry. */
  public ComponentYaml with(String key, String value) {
    Map<String, String> copy = new LinkedHashMap<>(metadata);
    copy.put(key, value);
    return new ComponentYaml(name, type, copy);
  }
}
