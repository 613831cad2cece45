package dev.mqttsidecar.component.testing;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.security.AuthenticationSettings;
import dev.mqttsidecar.security.AuthorizationRule;
import dev.mqttsidecar.security.ClientAuthenticator;
import dev.mqttsidecar.security.RuleAuthorizer;
import dev.mqttsidecar.security.password.PasswordFileEditor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A broker that checks users against a password file and applies authorization rules, as a
 * configuration file's {@code security:} section sets it up; for tests of who may do what.
 */
public final class SecuredBroker {
  private final Map<String, String> passwords = new LinkedHashMap<>();
  private final List<AuthorizationRule> rules = new ArrayList<>();

  public static SecuredBroker builder() {
    return new SecuredBroker();
  }

  public SecuredBroker user(String username, String password) {
    passwords.put(username, password);
    return this;
  }

  /**
   * A rule for clients whose id and user name match the patterns ({@code null}: any).
   *
   * @param publish topic filters the client may publish to
   * @param subscribe topic filters the client may subscribe to
   */
  public SecuredBroker allow(
      String clientId, String username, List<String> publish, List<String> subscribe) {
    rules.add(
        new AuthorizationRule(
            new AuthorizationRule.Match(clientId, username, null, null), publish, subscribe));
    return this;
  }

  /** Writes the password file into {@code folder} and returns a broker configuration on port 0. */
  public BrokerConfig config(Path folder) throws IOException {
    Path passwd = folder.resolve("passwd");
    for (Map.Entry<String, String> user : passwords.entrySet()) {
      PasswordFileEditor.setPassword(passwd, user.getKey(), user.getValue().toCharArray());
    }
    return BrokerConfig.builder()
        .port(0)
        .authenticator(
            new ClientAuthenticator(
                new AuthenticationSettings(false, passwd, null), Clock.systemUTC()))
        .authorizer(new RuleAuthorizer(List.copyOf(rules)))
        .build();
  }
}
