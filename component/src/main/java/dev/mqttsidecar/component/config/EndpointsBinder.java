package dev.mqttsidecar.component.config;

import dev.mqttsidecar.component.endpoint.EndpointSettings;
import dev.mqttsidecar.component.endpoint.EndpointSettings.Authentication;
import dev.mqttsidecar.component.endpoint.EndpointSettings.MqttVersion;
import dev.mqttsidecar.component.endpoint.EndpointSettings.RetainPolicy;
import dev.mqttsidecar.component.endpoint.EndpointSettings.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code endpoints} section: other MQTT brokers the dataflows read from and write to. */
final class EndpointsBinder {
  private final Checks checks;

  EndpointsBinder(Checks checks) {
    this.checks = checks;
  }

  List<EndpointSettings> bind(List<DataflowsDocument.Endpoint> entries) throws ConfigException {
    List<EndpointSettings> endpoints = new ArrayList<>();
    if (entries == null) {
      return endpoints;
    }
    Map<String, String> names = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      String key = "endpoints[" + i + "]";
      EndpointSettings endpoint = bind(key, checks.required(key, entries.get(i)));
      if (names.putIfAbsent(endpoint.name(), key) != null) {
        throw checks.error(
            key + ".name",
            "'" + endpoint.name() + "' is already the name of " + names.get(endpoint.name()));
      }
      endpoints.add(endpoint);
    }
    return endpoints;
  }

  private EndpointSettings bind(String key, DataflowsDocument.Endpoint e) throws ConfigException {
    String name = checks.text(key + ".name", checks.required(key + ".name", e.name()));
    String host = checks.text(key + ".host", checks.required(key + ".host", e.host()));
    EndpointSettings.Tls tls = tls(key + ".tls", e.tls());
    Transport transport = transport(key + ".protocol", e.protocol());
    int port =
        checks.range(
            key + ".port",
            e.port(),
            1,
            65535,
            transport == Transport.MQTT ? (tls == null ? 1883 : 8883) : (tls == null ? 80 : 443));
    String path = checks.text(key + ".webSocketPath", e.webSocketPath());
    if (path != null && !path.startsWith("/")) {
      throw checks.error(key + ".webSocketPath", "must start with /, was '" + path + "'");
    }
    String retain = e.retain() == null ? "Keep" : e.retain();
    if (!retain.equals("Keep") && !retain.equals("Never")) {
      throw checks.error(key + ".retain", "must be Keep or Never, was '" + retain + "'");
    }
    String prefix = checks.text(key + ".clientIdPrefix", e.clientIdPrefix());
    return new EndpointSettings(
        name,
        host,
        port,
        transport,
        path == null ? "/mqtt" : path,
        version(key + ".mqttVersion", e.mqttVersion()),
        tls,
        authentication(key + ".authentication", e.authentication(), tls),
        prefix == null ? EndpointSettings.DEFAULT_CLIENT_ID_PREFIX : prefix,
        checks.range(key + ".qos", e.qos(), 0, 1, 1),
        retain.equals("Keep") ? RetainPolicy.KEEP : RetainPolicy.NEVER,
        // Session Expiry Interval is a Four Byte Integer (MQTT 5.0 §3.1.2.11.2).
        Duration.ofSeconds(
            checks.range(
                key + ".sessionExpirySeconds",
                e.sessionExpirySeconds(),
                0,
                Integer.MAX_VALUE,
                (int) EndpointSettings.DEFAULT_SESSION_EXPIRY.toSeconds())),
        // Keep Alive and Receive Maximum are Two Byte Integers (§3.1.2.10, §3.1.2.11.3).
        Duration.ofSeconds(
            checks.range(
                key + ".keepAliveSeconds",
                e.keepAliveSeconds(),
                0,
                65535,
                (int) EndpointSettings.DEFAULT_KEEP_ALIVE.toSeconds())),
        checks.range(
            key + ".maxInflightMessages",
            e.maxInflightMessages(),
            1,
            65535,
            EndpointSettings.DEFAULT_MAX_INFLIGHT),
        checks.range(
            key + ".maxBufferedMessages",
            e.maxBufferedMessages(),
            1,
            10_000_000,
            EndpointSettings.DEFAULT_MAX_BUFFERED));
  }

  private Transport transport(String key, String value) throws ConfigException {
    if (value == null || value.equals("Mqtt")) {
      return Transport.MQTT;
    }
    if (value.equals("WebSockets")) {
      return Transport.WEBSOCKETS;
    }
    throw checks.error(key, "must be Mqtt or WebSockets, was '" + value + "'");
  }

  private MqttVersion version(String key, String value) throws ConfigException {
    if (value == null || value.equals("5")) {
      return MqttVersion.MQTT_5;
    }
    if (value.equals("3.1.1")) {
      return MqttVersion.MQTT_3_1_1;
    }
    throw checks.error(key, "must be \"5\" or \"3.1.1\", was '" + value + "'");
  }

  private EndpointSettings.Tls tls(String key, DataflowsDocument.EndpointTls tls)
      throws ConfigException {
    if (tls == null) {
      return null;
    }
    if ((tls.certFile() == null) != (tls.keyFile() == null)) {
      throw checks.error(
          key + (tls.certFile() == null ? ".certFile" : ".keyFile"),
          "certFile and keyFile go together: the client certificate and its private key");
    }
    return new EndpointSettings.Tls(
        checks.existingFile(key + ".trustedCaFile", tls.trustedCaFile()),
        checks.existingFile(key + ".certFile", tls.certFile()),
        checks.existingFile(key + ".keyFile", tls.keyFile()));
  }

  private Authentication authentication(
      String key, DataflowsDocument.EndpointAuthentication a, EndpointSettings.Tls tls)
      throws ConfigException {
    String method = a == null || a.method() == null ? "None" : a.method();
    String username = a == null ? null : checks.text(key + ".username", a.username());
    return switch (method) {
      case "None" -> new Authentication.None();
      case "UsernamePassword" -> {
        if ((a.passwordFile() == null) == (a.passwordEnv() == null)) {
          throw checks.error(
              key + ".passwordFile", "write one of passwordFile and passwordEnv (the password)");
        }
        yield new Authentication.UsernamePassword(
            checks.required(key + ".username", username),
            checks.existingFile(key + ".passwordFile", a.passwordFile()),
            checks.text(key + ".passwordEnv", a.passwordEnv()));
      }
      case "X509" -> {
        if (tls == null || tls.certFile() == null) {
          throw checks.error(key + ".method", "X509 needs tls.certFile and tls.keyFile");
        }
        yield new Authentication.X509();
      }
      case "Jwt" ->
          new Authentication.Jwt(
              username,
              checks.existingFile(
                  key + ".tokenFile", checks.required(key + ".tokenFile", a.tokenFile())));
      default ->
          throw checks.error(
              key + ".method", "must be None, UsernamePassword, X509 or Jwt, was '" + method + "'");
    };
  }
}
