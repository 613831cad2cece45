package dev.mqttsidecar.component.endpoint;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The client identifier of an endpoint connection: the configured prefix and a suffix derived from
 * the host, the endpoint's name and the instance (its data directory). The same sidecar gets the
 * same identifier after a restart, so the other broker resumes its session (and delivers what it
 * queued meanwhile); two sidecars on one host with their own data directories do not take over each
 * other's session.
 */
public final class StableClientId {
  private StableClientId() {}

  public static String of(String prefix, String endpointName, String instance) {
    String seed = hostName() + '\0' + endpointName + '\0' + instance;
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
      // 10 hex digits: collisions need ~a million instances; MQTT 5 servers accept 23+ chars.
      return prefix + "-" + HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
