package dev.mqttsidecar.component.remote;

import dev.mqttsidecar.component.endpoint.StableClientId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Client identifiers at a remote broker: the configured prefix, a suffix that stays the same for
 * the same host, component and socket (so a restarted sidecar resumes its sessions), and the role
 * of the connection.
 */
public final class ClientIds {
  private ClientIds() {}

  /** The prefix and stable suffix of a component instance. */
  public static String base(String prefix, String componentName, String socketPath) {
    return StableClientId.of(prefix, componentName, socketPath);
  }

  /**
   * The client identifier of a subscription's session: readable characters of the session name
   * (some brokers allow nothing else) and a hash of all of it, so distinct sessions never share an
   * identifier.
   */
  static String forSession(String base, String sessionId) {
    String readable = sessionId.replaceAll("[^A-Za-z0-9_.-]", "_");
    if (readable.length() > 40) {
      readable = readable.substring(readable.length() - 40);
    }
    return base + "-" + readable + "-" + hash(sessionId);
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
