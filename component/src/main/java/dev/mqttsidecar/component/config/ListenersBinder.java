package dev.mqttsidecar.component.config;

import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.Listener.Protocol;
import dev.mqttsidecar.broker.Listener.Tls;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code listeners} list: names, addresses, protocols and TLS files. */
final class ListenersBinder {
  /** A listener without {@code host} binds only the local machine. */
  static final String DEFAULT_HOST = "127.0.0.1";

  private final Checks checks;

  ListenersBinder(Checks checks) {
    this.checks = checks;
  }

  /** The listeners, or {@code absent} when the file has no {@code listeners} key. */
  List<Listener> bind(List<ConfigDocument.ListenerEntry> entries, List<Listener> absent)
      throws ConfigException {
    if (entries == null) {
      return absent;
    }
    if (entries.isEmpty()) {
      throw checks.error("listeners", "must list at least one listener");
    }
    List<Listener> listeners = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    Map<String, String> addresses = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      String key = "listeners[" + i + "]";
      Listener listener = bind(key, checks.required(key, entries.get(i)));
      if (names.putIfAbsent(listener.name(), key) != null) {
        throw checks.error(
            key + ".name",
            "'" + listener.name() + "' is already the name of " + names.get(listener.name()));
      }
      String address = listener.host() + ":" + listener.port();
      if (listener.port() != 0 && addresses.putIfAbsent(address, key) != null) {
        throw checks.error(
            key + ".port", address + " is already used by " + addresses.get(address));
      }
      listeners.add(listener);
    }
    return listeners;
  }

  private Listener bind(String key, ConfigDocument.ListenerEntry entry) throws ConfigException {
    String name = checks.text(key + ".name", checks.required(key + ".name", entry.name()));
    String host = checks.text(key + ".host", entry.host());
    int port = checks.range(key + ".port", checks.required(key + ".port", entry.port()), 0, 65535);
    return new Listener(
        name,
        host == null ? DEFAULT_HOST : host,
        port,
        protocol(key + ".protocol", entry.protocol()),
        tls(key + ".tls", entry.tls()));
  }

  private Protocol protocol(String key, String value) throws ConfigException {
    if (value == null) {
      return Protocol.MQTT;
    }
    return switch (value) {
      case "mqtt" -> Protocol.MQTT;
      case "websocket" -> Protocol.WEBSOCKET;
      default -> throw checks.error(key, "must be mqtt or websocket, was '" + value + "'");
    };
  }

  private Tls tls(String key, ConfigDocument.Tls tls) throws ConfigException {
    if (tls == null) {
      return null;
    }
    boolean requireClientCert = Boolean.TRUE.equals(tls.requireClientCert());
    if (requireClientCert && tls.clientCa() == null) {
      throw checks.error(
          key + ".requireClientCert",
          "needs clientCa, the CA bundle client certificates are checked against");
    }
    return new Tls(
        checks.existingFile(key + ".cert", checks.required(key + ".cert", tls.cert())),
        checks.existingFile(key + ".key", checks.required(key + ".key", tls.key())),
        checks.existingFile(key + ".clientCa", tls.clientCa()),
        requireClientCert);
  }
}
