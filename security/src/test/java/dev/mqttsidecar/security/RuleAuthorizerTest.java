package dev.mqttsidecar.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.broker.ClientIdentity;
import dev.mqttsidecar.security.AuthorizationRule.Match;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule engine on its own: which rule fits, what its templates grant, how errors read. */
class RuleAuthorizerTest {
  private static final Match ANY = new Match(null, null, null, null);

  private static ClientIdentity client(String id, String username, String cn) {
    return new ClientIdentity(id, username, cn, "mqtt", new InetSocketAddress("127.0.0.1", 5000));
  }

  private static AuthorizationRule rule(Match match, List<String> publish, List<String> sub) {
    return new AuthorizationRule(match, publish, sub);
  }

  private static RuleAuthorizer rules(AuthorizationRule... rules) {
    return new RuleAuthorizer(Arrays.asList(rules));
  }

  @Test
  void theFirstFittingRuleDecidesAndNoFittingRuleDenies() {
    RuleAuthorizer a =
        rules(
            rule(new Match(null, "admin", null, null), List.of("#"), List.of("#")),
            rule(new Match("sensor-*", null, null, null), List.of("sensors/#"), List.of()),
            rule(ANY, List.of("public/#"), List.of("public/#")));

    ClientIdentity admin = client("sensor-1", "admin", null);
    assertThat(a.mayPublish(admin, "anything/at/all")).isTrue();
    // The admin rule fits first, so the sensor rule's narrower grant does not apply.
    assertThat(a.maySubscribe(admin, "x/#")).isTrue();

    ClientIdentity sensor = client("sensor-2", "bob", null);
    assertThat(a.mayPublish(sensor, "sensors/2/temp")).isTrue();
    assertThat(a.mayPublish(sensor, "public/x")).isFalse(); // first match wins: no fall-through
    assertThat(a.maySubscribe(sensor, "sensors/#")).isFalse();

    assertThat(a.mayPublish(client("other", null, null), "public/x")).isTrue();
    assertThat(rules().mayPublish(admin, "x")).isFalse();
    assertThat(rules().maySubscribe(admin, "x")).isFalse();
  }

  @Test
  void everyGivenFieldMustFitAndAMissingValueFitsNoPattern() {
    RuleAuthorizer a =
        rules(
            rule(new Match("dev-*", null, "*", "tls"), List.of("t"), List.of()),
            rule(new Match(null, "*", null, null), List.of("u"), List.of()));
    ClientIdentity withCert =
        new ClientIdentity("dev-1", null, "dev-1.example", "tls", new InetSocketAddress(1));
    ClientIdentity otherListener =
        new ClientIdentity("dev-1", null, "dev-1.example", "mqtt", new InetSocketAddress(1));
    ClientIdentity noCert =
        new ClientIdentity("dev-1", "u1", null, "tls", new InetSocketAddress(1));
    ClientIdentity anonymous =
        new ClientIdentity("dev-1", null, null, "tls", new InetSocketAddress(1));

    assertThat(a.mayPublish(withCert, "t")).isTrue();
    assertThat(a.mayPublish(otherListener, "t")).isFalse();
    assertThat(a.mayPublish(noCert, "t")).isFalse(); // certCommonName "*" needs a certificate
    assertThat(a.mayPublish(noCert, "u")).isTrue();
    assertThat(a.mayPublish(anonymous, "u")).isFalse(); // username "*" needs a user name
  }

  @Test
  void globsMatchAnyRunOfCharacters() {
    assertThat(new Glob("*").matches("")).isTrue();
    assertThat(new Glob("a*c").matches("abbc")).isTrue();
    assertThat(new Glob("a*c").matches("ac")).isTrue();
    assertThat(new Glob("a*b*c").matches("abc")).isTrue();
    assertThat(new Glob("a*b*c").matches("acbc")).isTrue();
    assertThat(new Glob("a*b*b").matches("ab")).isFalse(); // the parts must not overlap
    assertThat(new Glob("a*c").matches("abcd")).isFalse();
    assertThat(new Glob("abc").matches("abcd")).isFalse();
  }

  @Test
  void templatesAreFilledInPerClient() {
    RuleAuthorizer a =
        rules(
            rule(
                ANY,
                List.of("devices/${client.certCommonName}/#", "users/${client.username}/out"),
                List.of("commands/${client.id}/#")));
    ClientIdentity c = client("dev-7", "ann", "cn-7");
    assertThat(a.mayPublish(c, "devices/cn-7/temp")).isTrue();
    assertThat(a.mayPublish(c, "devices/cn-8/temp")).isFalse();
    assertThat(a.mayPublish(c, "users/ann/out")).isTrue();
    assertThat(a.maySubscribe(c, "commands/dev-7/#")).isTrue();
    assertThat(a.maySubscribe(c, "commands/dev-7/+/reset")).isTrue();
    assertThat(a.maySubscribe(c, "commands/+/reset")).isFalse();
    assertThat(a.maySubscribe(c, "commands/dev-8/#")).isFalse();
    // The same authorizer, another client: its own grants, not the cached ones of the first.
    ClientIdentity d = client("dev-8", null, null);
    assertThat(a.maySubscribe(d, "commands/dev-8/#")).isTrue();
    assertThat(a.maySubscribe(d, "commands/dev-7/#")).isFalse();
    assertThat(a.mayPublish(d, "devices/null/temp")).isFalse(); // no certificate: no grant
    assertThat(a.mayPublish(d, "users//out")).isFalse();
  }

  @Test
  void aValueThatWouldChangeTheFiltersShapeGrantsNothing() {
    RuleAuthorizer a =
        rules(
            rule(
                ANY,
                List.of("devices/${client.id}/#"),
                List.of("${client.id}/#", "own/${client.id}")));
    for (String id : List.of("#", "+", "a/b", "a+", "x#", "\u0000", "")) {
      ClientIdentity c = client(id, null, null);
      assertThat(a.mayPublish(c, "devices/a/b/x")).as("client id '%s'", id).isFalse();
      assertThat(a.mayPublish(c, "devices/x")).as("client id '%s'", id).isFalse();
      assertThat(a.maySubscribe(c, "#")).as("client id '%s'", id).isFalse();
      assertThat(a.maySubscribe(c, "own/+")).as("client id '%s'", id).isFalse();
      assertThat(a.maySubscribe(c, "a/b/#")).as("client id '%s'", id).isFalse();
    }
    // A value at the start of a template may not move the grant into $-topics.
    ClientIdentity sys = client("$SYS", null, null);
    assertThat(a.maySubscribe(sys, "$SYS/#")).isFalse();
    assertThat(a.maySubscribe(sys, "own/$SYS")).isTrue(); // inside a topic, '$' is just a name
    ClientIdentity share = client("$share", null, null);
    assertThat(a.maySubscribe(share, "$share/g/#")).isFalse();
  }

  @Test
  void subscriptionsMustBeCoveredByAGrant() {
    RuleAuthorizer a = rules(rule(ANY, List.of(), List.of("devices/a/#", "status/+")));
    ClientIdentity c = client("c", null, null);
    assertThat(a.maySubscribe(c, "devices/a/#")).isTrue();
    assertThat(a.maySubscribe(c, "devices/a")).isTrue(); // '#' includes the parent level
    assertThat(a.maySubscribe(c, "devices/a/+/temp")).isTrue();
    assertThat(a.maySubscribe(c, "status/x")).isTrue();
    assertThat(a.maySubscribe(c, "status/+")).isTrue();
    assertThat(a.maySubscribe(c, "devices/+/temp")).isFalse();
    assertThat(a.maySubscribe(c, "devices/#")).isFalse();
    assertThat(a.maySubscribe(c, "#")).isFalse();
    assertThat(a.maySubscribe(c, "+/a/#")).isFalse();
    assertThat(a.maySubscribe(c, "status/#")).isFalse();
    assertThat(a.maySubscribe(c, "status/x/y")).isFalse();
  }

  @Test
  void dollarTopicsNeedAGrantThatNamesThem() {
    RuleAuthorizer a = rules(rule(ANY, List.of("#"), List.of("#", "+/state/#")));
    ClientIdentity c = client("c", null, null);
    assertThat(a.mayPublish(c, "a/b")).isTrue();
    assertThat(a.mayPublish(c, "$dapr/state/store/key")).isFalse();
    assertThat(a.maySubscribe(c, "$SYS/#")).isFalse();
    assertThat(a.maySubscribe(c, "$dapr/state/#")).isFalse();
    RuleAuthorizer named = rules(rule(ANY, List.of("$dapr/state/s/#"), List.of("$SYS/#")));
    assertThat(named.mayPublish(c, "$dapr/state/s/key")).isTrue();
    assertThat(named.maySubscribe(c, "$SYS/broker/+")).isTrue();
    assertThat(named.maySubscribe(c, "#")).isFalse();
  }

  @Test
  void sharedSubscriptionsAreCheckedOnTheirFilter() {
    RuleAuthorizer a = rules(rule(ANY, List.of(), List.of("devices/a/#", "$share/workers/jobs/#")));
    ClientIdentity c = client("c", null, null);
    assertThat(a.maySubscribe(c, "$share/g/devices/a/#")).isTrue();
    assertThat(a.maySubscribe(c, "$share/g/#")).isFalse();
    assertThat(a.maySubscribe(c, "$share/g/devices/b/#")).isFalse();
    assertThat(a.maySubscribe(c, "$share/g/devices/+/x")).isFalse();
    // A shared grant allows that group only, and no plain subscription.
    assertThat(a.maySubscribe(c, "$share/workers/jobs/+")).isTrue();
    assertThat(a.maySubscribe(c, "$share/others/jobs/+")).isFalse();
    assertThat(a.maySubscribe(c, "jobs/#")).isFalse();
    assertThat(a.maySubscribe(c, "$share/workers/#")).isFalse();
    assertThat(a.maySubscribe(c, "$share//devices/a/#")).isFalse();
  }

  @Test
  void invalidRequestsAreDenied() {
    RuleAuthorizer a = rules(rule(ANY, List.of("#"), List.of("#")));
    ClientIdentity c = client("c", null, null);
    assertThat(a.maySubscribe(c, "a/#/b")).isFalse();
    assertThat(a.maySubscribe(c, "a+")).isFalse();
    assertThat(a.maySubscribe(c, "")).isFalse();
    assertThat(a.mayPublish(c, "a/+")).isFalse();
    assertThat(a.mayPublish(c, "a/#")).isFalse();
  }

  @Test
  void badTemplatesAreRefusedNamingTheRuleAndTheTemplate() {
    assertThatThrownBy(
            () ->
                rules(
                    rule(ANY, List.of("ok/#"), List.of()),
                    rule(ANY, List.of("devices/${client.name}/#"), List.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rule 1")
        .hasMessageContaining("devices/${client.name}/#")
        .hasMessageContaining("${client.id}");
    assertThatThrownBy(() -> rules(rule(ANY, List.of(), List.of("a/#/b"))))
        .hasMessageContaining("rule 0")
        .hasMessageContaining("subscribe \"a/#/b\"")
        .hasMessageContaining("'#' must be last");
    assertThatThrownBy(() -> rules(rule(ANY, List.of("a/x${client.id}+"), List.of())))
        .hasMessageContaining("'+' must occupy a whole level");
    assertThatThrownBy(() -> rules(rule(ANY, List.of("a/${client.id"), List.of())))
        .hasMessageContaining("unterminated");
    assertThatThrownBy(() -> rules(rule(ANY, List.of("$share/g/a"), List.of())))
        .hasMessageContaining("publish grant cannot be a shared subscription");
    assertThatThrownBy(() -> rules(rule(ANY, List.of(), List.of("$share/g+/a"))))
        .hasMessageContaining("$share/{group}/{filter}");
    assertThatThrownBy(() -> rules(rule(ANY, List.of(""), List.of())))
        .hasMessageContaining("empty filter");
    assertThatThrownBy(() -> rules(rule(ANY, null, null), null))
        .hasMessageContaining("rule 1 is empty");
  }

  @Test
  void aRuleWithoutMatchOrGrantsFitsEveryoneAndGrantsNothing() {
    RuleAuthorizer a = rules(rule(null, null, null), rule(ANY, List.of("#"), List.of("#")));
    assertThat(a.mayPublish(client("c", "u", "cn"), "x")).isFalse();
    assertThat(a.maySubscribe(client("c", "u", "cn"), "x")).isFalse();
  }
}
