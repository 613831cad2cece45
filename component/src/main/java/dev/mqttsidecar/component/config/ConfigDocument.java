package dev.mqttsidecar.component.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;
import java.util.List;

/**
 * The configuration file exactly as written: one record per mapping, named after its YAML keys, and
 * null wherever a key is absent. {@link ConfigBinder} checks the values and fills in the defaults.
 * These names are the file format: renaming one breaks every file written for an earlier version.
 */
record ConfigDocument(
    Socket socket,
    List<ListenerEntry> listeners,
    Authentication authentication,
    Authorization authorization,
    Mqtt mqtt,
    Limits limits,
    Sys sys,
    Storage storage,
    Http http,
    Integer shutdownGrace,
    Log log,
    List<DataflowsDocument.Endpoint> endpoints,
    List<DataflowsDocument.Dataflow> dataflows) {

  /** The document of an empty file: every default. */
  static final ConfigDocument EMPTY =
      new ConfigDocument(
          null, null, null, null, null, null, null, null, null, null, null, null, null);

  record Socket(
      String folder,
      String name,
      @JsonDeserialize(using = ModeText.class) String mode,
      Boolean allowWorldWritableFolder) {}

  record ListenerEntry(String name, String host, Integer port, String protocol, Tls tls) {}

  record Tls(String cert, String key, String clientCa, Boolean requireClientCert) {}

  record Authentication(Boolean anonymous, String passwordFile, Jwt jwt) {}

  record Jwt(String jwks, String issuer, String audience) {}

  record Authorization(List<Rule> rules) {}

  record Rule(Match match, List<String> publish, List<String> subscribe) {}

  record Match(String clientId, String username, String certCommonName, String listener) {}

  record Mqtt(
      Integer maxConnections,
      Integer maxPacketSize,
      Integer maxQueuedMessages,
      Long maxQueuedBytes,
      Integer serverKeepAlive,
      Integer receiveMaximum,
      Integer topicAliasMaximum,
      Integer maximumQos,
      Boolean embeddedBroker) {}

  record Limits(
      Integer maxTopicLength,
      Integer maxTopicLevels,
      Integer maxSubscriptionsPerClient,
      Integer maxRetainedMessages,
      Long maxRetainedBytes,
      Integer maxPersistentSessions,
      List<PersistentSessions> persistentSessionsByClientId,
      Integer maxPendingWills) {}

  record PersistentSessions(String clientId, Integer max) {}

  record Sys(Integer interval, Boolean lifecycleEvents) {}

  record Storage(String dataDir, String durability, Long syncIntervalMs) {}

  record Http(
      Boolean enabled,
      String host,
      Integer port,
      Integer maxRequestBody,
      HttpTls tls,
      Boolean console) {}

  record HttpTls(String cert, String key) {}

  record Log(String level, String format) {}

  /**
   * A file mode as its digits. Unquoted, {@code 0660} is a YAML number (and an octal one, 432); the
   * digits as written are what the user meant, so both spellings read as the text {@code "0660"}.
   */
  static final class ModeText extends JsonDeserializer<String> {
    @Override
    public String deserialize(JsonParser p, DeserializationContext context) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_STRING
          || p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
        return p.getText();
      }
      return (String) context.handleUnexpectedToken(String.class, p);
    }
  }
}
