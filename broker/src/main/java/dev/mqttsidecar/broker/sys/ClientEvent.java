package dev.mqttsidecar.broker.sys;

import java.time.Instant;

/**
 * A client connected or disconnected; published as JSON on {@code $events/clients/{clientId}/...}.
 *
 * @param clientId the client identifier (the assigned one for an empty 5.0 client id)
 * @param username the user name from CONNECT, or null
 * @param protocolVersion 4 (3.1.1, also for 3.1) or 5
 * @param remoteAddress the client's address as {@code host:port}
 * @param time when it happened
 * @param disconnectReason why the connection ended (null for a connect event)
 */
public record ClientEvent(
    String clientId,
    String username,
    int protocolVersion,
    String remoteAddress,
    Instant time,
    String disconnectReason) {

  /** The event as a JSON object. */
  public String toJson() {
    StringBuilder b = new StringBuilder(160).append('{');
    field(b, "clientId", clientId).append(',');
    field(b, "username", username).append(',');
    b.append("\"protocolVersion\":").append(protocolVersion).append(',');
    field(b, "remoteAddress", remoteAddress).append(',');
    field(b, "time", time.toString());
    if (disconnectReason != null) {
      field(b.append(','), "reason", disconnectReason);
    }
    return b.append('}').toString();
  }

  private static StringBuilder field(StringBuilder b, String name, String value) {
    b.append('"').append(name).append("\":");
    if (value == null) {
      return b.append("null");
    }
    b.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"');
  }
}
