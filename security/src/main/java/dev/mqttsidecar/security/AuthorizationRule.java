package dev.mqttsidecar.security;

import java.util.List;

/**
 * One rule of the configuration file's {@code authorization.rules}: the first rule whose {@code
 * match} fits a client decides what it may do.
 *
 * @param match which clients the rule is for
 * @param publish topic templates the client may publish to
 * @param subscribe topic filter templates the client may subscribe to
 */
public record AuthorizationRule(Match match, List<String> publish, List<String> subscribe) {

  /**
   * Which clients a rule is for: every field given must fit ({@code *} matches any run of
   * characters); a field left out matches every client.
   */
  public record Match(String clientId, String username, String certCommonName, String listener) {}
}
