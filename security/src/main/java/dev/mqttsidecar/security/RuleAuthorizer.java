package dev.mqttsidecar.security;

import dev.mqttsidecar.broker.Authorizer;
import dev.mqttsidecar.broker.ClientIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration file's {@code authorization.rules}: the first rule whose {@code match} fits a
 * client decides what it may publish and subscribe to; a client no rule fits may do nothing.
 *
 * <p>Publishing needs a grant that matches the topic. Subscribing needs a grant that covers the
 * requested filter: every topic the filter can match must be matched by the grant, so {@code
 * devices/a/#} allows {@code devices/a/+/temp} but neither {@code devices/+/temp} nor {@code #}.
 * Grants that start with a wildcard never reach {@code $}-topics [MQTT-4.7.2-1]: those need a grant
 * that names them ({@code $SYS/#}, {@code $dapr/state/#}).
 *
 * <p>Decisions are made on the broker's event loops for every PUBLISH, so each client's grants are
 * filled in once and kept in a bounded cache.
 */
public final class RuleAuthorizer implements Authorizer {
  private static final Logger LOG = LoggerFactory.getLogger(RuleAuthorizer.class);
  private static final int CACHE_LIMIT = 10_000;

  /** What rules look at: the identity without the address, so reconnects share an entry. */
  private record CacheKey(
      String clientId, String username, String certCommonName, String listener) {
    static CacheKey of(ClientIdentity c) {
      return new CacheKey(c.clientId(), c.username(), c.certCommonName(), c.listener());
    }
  }

  private final List<CompiledRule> rules;
  private final Map<CacheKey, Grants> cache = new ConcurrentHashMap<>();

  /**
   * @param rules in order, first match wins
   * @throws IllegalArgumentException naming the rule's index (from 0) and the bad template, for an
   *     unknown placeholder or an invalid topic filter
   */
  public RuleAuthorizer(List<AuthorizationRule> rules) {
    List<CompiledRule> compiled = new ArrayList<>(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      compiled.add(new CompiledRule(i, rules.get(i)));
    }
    this.rules = List.copyOf(compiled);
  }

  @Override
  public boolean mayPublish(ClientIdentity client, String topic) {
    boolean allowed =
        topic.indexOf('+') < 0 && topic.indexOf('#') < 0 && grantsFor(client).mayPublish(topic);
    if (!allowed) {
      LOG.debug("{} may not publish to {}", client.clientId(), topic);
    }
    return allowed;
  }

  @Override
  public boolean maySubscribe(ClientIdentity client, String filter) {
    boolean allowed = isValidFilter(filter) && grantsFor(client).maySubscribe(filter);
    if (!allowed) {
      LOG.debug("{} may not subscribe to {}", client.clientId(), filter);
    }
    return allowed;
  }

  private static boolean isValidFilter(String filter) {
    if (!SharedFilter.isShared(filter)) {
      return TopicLevels.filterProblem(filter) == null;
    }
    SharedFilter shared = SharedFilter.parse(filter);
    return shared != null && TopicLevels.filterProblem(shared.filter()) == null;
  }

  private Grants grantsFor(ClientIdentity client) {
    CacheKey key = CacheKey.of(client);
    Grants grants = cache.get(key);
    if (grants == null) {
      grants = resolve(client);
      if (cache.size() >= CACHE_LIMIT) {
        cache.clear(); // identities of long-gone connections go; live ones are filled in again
      }
      cache.put(key, grants);
    }
    return grants;
  }

  private Grants resolve(ClientIdentity client) {
    for (CompiledRule rule : rules) {
      if (rule.fits(client)) {
        return rule.grantsFor(client);
      }
    }
    return Grants.NONE;
  }
}
