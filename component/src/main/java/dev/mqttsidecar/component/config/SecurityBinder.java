package dev.mqttsidecar.component.config;

import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.security.AuthenticationSettings.JwtSettings;
import dev.mqttsidecar.security.AuthorizationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The {@code authentication} and {@code authorization} sections. */
final class SecurityBinder {
  private final Checks checks;

  SecurityBinder(Checks checks) {
    this.checks = checks;
  }

  Configuration.Authentication authentication(ConfigDocument.Authentication section)
      throws ConfigException {
    if (section == null) {
      return Configuration.Authentication.NONE;
    }
    return new Configuration.Authentication(
        section.anonymous(),
        checks.existingFile("authentication.passwordFile", section.passwordFile()),
        jwt("authentication.jwt", section.jwt()));
  }

  private JwtSettings jwt(String key, ConfigDocument.Jwt jwt) throws ConfigException {
    if (jwt == null) {
      return null;
    }
    return new JwtSettings(
        checks.existingFile(key + ".jwks", checks.required(key + ".jwks", jwt.jwks())),
        checks.text(key + ".issuer", jwt.issuer()),
        checks.text(key + ".audience", jwt.audience()));
  }

  /**
   * The rules in file order; null without an {@code authorization} section. A {@code
   * match.listener} without {@code *} must name one of {@code listeners}: a misspelt name would
   * silently match nobody.
   */
  List<AuthorizationRule> rules(ConfigDocument.Authorization section, List<Listener> listeners)
      throws ConfigException {
    if (section == null) {
      return null; // no rules at all: everything is allowed, as Mosquitto without an ACL file
    }
    if (section.rules() == null) {
      throw checks.error("authorization.rules", "missing; write rules: [] to deny every client");
    }
    Set<String> listenerNames = listeners.stream().map(Listener::name).collect(Collectors.toSet());
    List<AuthorizationRule> rules = new ArrayList<>();
    for (int i = 0; i < section.rules().size(); i++) {
      String key = "authorization.rules[" + i + "]";
      ConfigDocument.Rule rule = checks.required(key, section.rules().get(i));
      ConfigDocument.Match match = rule.match();
      if (match == null) {
        // A rule for everybody must say so: a forgotten match would grant its topics to all.
        throw checks.error(key + ".match", "missing; write match: {} to match every client");
      }
      String listener = checks.text(key + ".match.listener", match.listener());
      if (listener != null && !listener.contains("*") && !listenerNames.contains(listener)) {
        throw checks.error(
            key + ".match.listener",
            "no listener is named '" + listener + "' (listeners: " + listenerNames + ")");
      }
      rules.add(
          new AuthorizationRule(
              new AuthorizationRule.Match(
                  checks.text(key + ".match.clientId", match.clientId()),
                  checks.text(key + ".match.username", match.username()),
                  checks.text(key + ".match.certCommonName", match.certCommonName()),
                  listener),
              topics(key + ".publish", rule.publish()),
              topics(key + ".subscribe", rule.subscribe())));
    }
    return rules;
  }

  private List<String> topics(String key, List<String> topics) throws ConfigException {
    if (topics == null) {
      return List.of();
    }
    for (int i = 0; i < topics.size(); i++) {
      String topic = checks.required(key + "[" + i + "]", topics.get(i));
      if (topic.isEmpty()) {
        throw checks.error(key + "[" + i + "]", "must not be empty");
      }
    }
    return List.copyOf(topics);
  }
}
