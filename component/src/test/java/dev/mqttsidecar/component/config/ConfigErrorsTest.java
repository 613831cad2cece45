package dev.mqttsidecar.component.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of mistake in the configuration file stops the start with one line naming the file and
 * the key: unknown keys, wrong types (no scalar is converted into another type), values out of
 * range, missing files, broken YAML.
 */
class ConfigErrorsTest {
  @TempDir Path dir;

  @BeforeEach
  void aCertificateButNoKey() throws Exception {
    Files.writeString(dir.resolve("server.pem"), "");
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        // unknown keys, at the top and deep down
        mistake(
            "listners: []",
            "config.yaml: unknown key 'listners' (known keys: authentication, authorization,"
                + " dataflows, endpoints, http, limits, listeners, log, mqtt, shutdownGrace, socket,"
                + " storage, sys)"),
        mistake(
            "listeners:\n  - name: a\n    port: 1\n  - name: b\n    port: 2\n    tls: { crt: x }",
            "config.yaml: listeners[1].tls: unknown key 'crt' (known keys: cert, clientCa, key,"
                + " requireClientCert)"),
        mistake(
            "mqtt: { maxQos: 1 }",
            "config.yaml: mqtt: unknown key 'maxQos' (known keys: embeddedBroker, maxConnections,"
                + " maxPacketSize, maxQueuedBytes, maxQueuedMessages, maximumQos, receiveMaximum, serverKeepAlive,"
                + " topicAliasMaximum)"),
        mistake(
            "limits: { persistentSessionsByClientId: [{ clientId: a*, maximum: 1 }] }",
            "config.yaml: limits.persistentSessionsByClientId[0]: unknown key 'maximum' (known"
                + " keys: clientId, max)"),
        // limits
        mistake(
            "limits: { maxRetainedMessages: 0 }",
            "config.yaml: limits.maxRetainedMessages: must be in [1, 2147483647], was 0"),
        mistake(
            "limits: { maxRetainedBytes: -1 }",
            "config.yaml: limits.maxRetainedBytes: must be in [1, 9223372036854775807], was -1"),
        mistake(
            "limits: { maxRetainedBytes: 4GiB }",
            "config.yaml: limits.maxRetainedBytes: expected an integer, got \"4GiB\""),
        mistake(
            "limits: { maxTopicLength: 65536 }",
            "config.yaml: limits.maxTopicLength: must be in [1, 65535], was 65536"),
        mistake(
            "limits: { persistentSessionsByClientId: [{ clientId: a* }] }",
            "config.yaml: limits.persistentSessionsByClientId[0].max: missing; this key is"
                + " required"),
        mistake(
            "limits: { persistentSessionsByClientId: [{ clientId: \"\", max: 1 }] }",
            "config.yaml: limits.persistentSessionsByClientId[0].clientId: must not be empty"),
        mistake(
            "limits: { persistentSessionsByClientId: [{ clientId: a*, max: 1 },"
                + " { clientId: a*, max: 2 }] }",
            "config.yaml: limits.persistentSessionsByClientId[1].clientId: 'a*' is listed twice"),
        // wrong types: nothing is coerced
        mistake(
            "listeners: [{ name: a, port: abc }]",
            "config.yaml: listeners[0].port: expected an integer, got \"abc\""),
        mistake(
            "listeners: [{ name: a, port: \"1883\" }]",
            "config.yaml: listeners[0].port: expected an integer, got \"1883\""),
        mistake(
            "mqtt: { receiveMaximum: 10.0 }",
            "config.yaml: mqtt.receiveMaximum: expected an integer, got 10.0"),
        mistake(
            "socket: { name: 123 }",
            "config.yaml: socket.name: expected a string (put it in quotes), got 123"),
        mistake(
            "authentication: { anonymous: \"true\" }",
            "config.yaml: authentication.anonymous: expected true or false, got \"true\""),
        mistake(
            "authorization: { rules: [{ match: {}, publish: \"#\" }] }",
            "config.yaml: authorization.rules[0].publish: expected a list, got \"#\""),
        mistake("listeners: { name: a }", "config.yaml: listeners: expected a list, got a mapping"),
        mistake("mqtt: 5", "config.yaml: mqtt: expected a mapping of keys to values, got 5"),
        mistake("- a", "config.yaml: expected a mapping of keys to values, got a list"),
        mistake(
            "mqtt: { maxConnections: 99999999999 }",
            "config.yaml: mqtt.maxConnections: number out of range: 99999999999"),
        // out of range
        mistake(
            "listeners: [{ name: a, port: 70000 }]",
            "config.yaml: listeners[0].port: must be in [0, 65535], was 70000"),
        mistake(
            "mqtt: { maximumQos: 3 }", "config.yaml: mqtt.maximumQos: must be in [0, 2], was 3"),
        mistake(
            "mqtt: { receiveMaximum: 0 }",
            "config.yaml: mqtt.receiveMaximum: must be in [1, 65535], was 0"),
        mistake(
            "mqtt: { maxPacketSize: 10 }",
            "config.yaml: mqtt.maxPacketSize: must be in [64, 268435455], was 10"),
        mistake(
            "mqtt: { serverKeepAlive: 65536 }",
            "config.yaml: mqtt.serverKeepAlive: must be in [0, 65535], was 65536"),
        mistake(
            "mqtt: { topicAliasMaximum: -1 }",
            "config.yaml: mqtt.topicAliasMaximum: must be in [0, 65535], was -1"),
        mistake(
            "sys: { interval: -5 }",
            "config.yaml: sys.interval: must be in [0, 2147483647], was -5"),
        mistake(
            "storage: { syncIntervalMs: 0 }",
            "config.yaml: storage.syncIntervalMs: must be in [1, 2147483647], was 0"),
        mistake(
            "shutdownGrace: -1", "config.yaml: shutdownGrace: must be in [0, 2147483647], was -1"),
        // bad values
        mistake(
            "listeners: [{ name: a, port: 1, protocol: tcp }]",
            "config.yaml: listeners[0].protocol: must be mqtt or websocket, was 'tcp'"),
        mistake(
            "storage: { durability: sometimes }",
            "config.yaml: storage.durability: must be fsync, periodic or memory, was 'sometimes'"),
        mistake(
            "log: { level: LOUD }",
            "config.yaml: log.level: must be TRACE, DEBUG, INFO, WARN or ERROR, was 'LOUD'"),
        mistake("log: { format: xml }", "config.yaml: log.format: must be text or json, was 'xml'"),
        mistake(
            "socket: { mode: \"0999\" }",
            "config.yaml: socket.mode: must be an octal file mode such as \"0660\", was '0999'"),
        mistake(
            "socket: { name: .hidden }",
            "config.yaml: socket.name: invalid component name '.hidden': must be non-empty,"
                + " without '/' and not start with '.'"),
        mistake("socket: { folder: \"\" }", "config.yaml: socket.folder: must not be empty"),
        // listeners
        mistake("listeners: []", "config.yaml: listeners: must list at least one listener"),
        mistake(
            "listeners: [{ port: 1 }]",
            "config.yaml: listeners[0].name: missing; this key is required"),
        mistake(
            "listeners: [{ name: a }]",
            "config.yaml: listeners[0].port: missing; this key is required"),
        mistake(
            "listeners: [{ name: a, port: 1 }, { name: a, port: 2 }]",
            "config.yaml: listeners[1].name: 'a' is already the name of listeners[0]"),
        mistake(
            "listeners: [{ name: a, port: 1 }, { name: b, port: 1 }]",
            "config.yaml: listeners[1].port: 127.0.0.1:1 is already used by listeners[0]"),
        // files
        mistake(
            "listeners: [{ name: a, port: 1 }, { name: b, port: 2, tls: { cert: server.pem,"
                + " key: server-key.pem } }]",
            "config.yaml: listeners[1].tls.key: file not found: server-key.pem"
                + " (DIR/server-key.pem)"),
        mistake(
            "listeners: [{ name: a, port: 1, tls: { key: server.pem } }]",
            "config.yaml: listeners[0].tls.cert: missing; this key is required"),
        mistake(
            "listeners: [{ name: a, port: 1, tls: { cert: server.pem, key: server.pem,"
                + " requireClientCert: true } }]",
            "config.yaml: listeners[0].tls.requireClientCert: needs clientCa, the CA bundle client"
                + " certificates are checked against"),
        mistake(
            "authentication: { passwordFile: /no/such/passwd }",
            "config.yaml: authentication.passwordFile: file not found: /no/such/passwd"),
        mistake(
            "authentication: { passwordFile: . }",
            "config.yaml: authentication.passwordFile: not a regular file: . (DIR)"),
        mistake(
            "authentication: { jwt: { issuer: x } }",
            "config.yaml: authentication.jwt.jwks: missing; this key is required"),
        // authorization
        mistake(
            "authorization: { rules: [{ publish: [a] }] }",
            "config.yaml: authorization.rules[0].match: missing; write match: {} to match every"
                + " client"),
        mistake(
            "authorization: { rules: [{ match: { listener: devices } }] }",
            "config.yaml: authorization.rules[0].match.listener: no listener is named 'devices'"
                + " (listeners: [default])"),
        mistake(
            "authorization: { rules: [{ match: {}, subscribe: [\"\"] }] }",
            "config.yaml: authorization.rules[0].subscribe[0]: must not be empty"),
        // YAML itself
        mistake(
            "mqtt:\n  maxConnections: 1\n  maxConnections: 2\n",
            "config.yaml: mqtt: invalid YAML: line 3, column 17: duplicate key 'maxConnections'"),
        mistake(
            "mqtt: { maxConnections: [ }",
            "config.yaml: mqtt.maxConnections: expected an integer, got a list"),
        mistake(
            "sys:\n  interval: 1\n lifecycleEvents: true\n",
            "config.yaml: invalid YAML: line 3, column 2: expected <block end>, but found"
                + " '<block mapping start>'"),
        mistake(
            "sys: { interval: 1 }\n---\nsys: { interval: 2 }\n",
            "config.yaml: more than one YAML document (---); write one document"));
  }

  private static Arguments mistake(String yaml, String message) {
    return Arguments.of(yaml, message);
  }

  @ParameterizedTest
  @MethodSource("mistakes")
  void isOneLineNamingTheFileAndTheKey(String yaml, String message) {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> ConfigBinder.bind(yaml, "config.yaml", dir));
    assertThat(e).as("no error for:%n%s", yaml).isNotNull();
    assertThat(e.getMessage()).isEqualTo(message.replace("DIR", dir.toString()));
  }
}
