package dev.mqttsidecar.component.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every key the configuration file may hold, read off {@link ConfigDocument} (so it cannot drift
 * from what the binder accepts), as dotted paths with {@code []} for list items: {@code
 * listeners[].tls.cert}, {@code authorization.rules[].publish}.
 */
final class SchemaKeys {
  private SchemaKeys() {}

  static Set<String> all() {
    Set<String> keys = new TreeSet<>();
    collect(ConfigDocument.class, "", keys);
    return keys;
  }

  private static void collect(Class<?> record, String prefix, Set<String> keys) {
    for (RecordComponent component : record.getRecordComponents()) {
      String key = prefix + component.getName();
      Type type = component.getGenericType();
      if (component.getType().isRecord()) {
        collect(component.getType(), key + ".", keys);
      } else if (component.getType() == List.class
          && ((ParameterizedType) type).getActualTypeArguments()[0] instanceof Class<?> item
          && item.isRecord()) {
        collect(item, key + "[].", keys);
      } else {
        keys.add(key);
      }
    }
  }

  /** The keys present in a parsed YAML tree (maps and lists, as SnakeYAML returns them). */
  static Set<String> present(Object yaml) {
    Set<String> keys = new TreeSet<>();
    present(yaml, "", keys);
    return keys;
  }

  private static void present(Object node, String prefix, Set<String> keys) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = prefix + entry.getKey();
        Object value = entry.getValue();
        if (value instanceof Map<?, ?>) {
          present(value, key + ".", keys);
        } else if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map) {
          present(value, key + "[]", keys);
        } else {
          keys.add(key);
        }
      }
    } else if (node instanceof List<?> list) {
      for (Object item : list) {
        present(item, prefix + ".", keys);
      }
    }
  }
}
