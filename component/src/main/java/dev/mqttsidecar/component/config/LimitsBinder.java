package dev.mqttsidecar.component.config;

import dev.mqttsidecar.broker.PersistentSessionLimit;
import dev.mqttsidecar.broker.Quotas;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code limits} section: what one client may ask of the broker (topic length and levels,
 * subscriptions) and what all clients together may make it keep (retained messages, persistent
 * sessions).
 */
final class LimitsBinder {
  private final Checks checks;

  LimitsBinder(Checks checks) {
    this.checks = checks;
  }

  /** The limits, with {@code absent}'s value for every key the section leaves out. */
  Configuration.Limits bind(ConfigDocument.Limits section, Configuration.Limits absent)
      throws ConfigException {
    if (section == null) {
      return absent;
    }
    Quotas quotas = absent.quotas();
    if (section.maxRetainedMessages() != null) {
      quotas =
          quotas.withMaxRetainedMessages(
              checks.range(
                  "limits.maxRetainedMessages",
                  section.maxRetainedMessages(),
                  1,
                  Integer.MAX_VALUE));
    }
    if (section.maxRetainedBytes() != null) {
      quotas =
          quotas.withMaxRetainedBytes(
              checks.range(
                  "limits.maxRetainedBytes", section.maxRetainedBytes(), 1, Long.MAX_VALUE));
    }
    if (section.maxPersistentSessions() != null) {
      quotas =
          quotas.withMaxPersistentSessions(
              checks.range(
                  "limits.maxPersistentSessions",
                  section.maxPersistentSessions(),
                  0,
                  Integer.MAX_VALUE));
    }
    if (section.persistentSessionsByClientId() != null) {
      quotas =
          quotas.withPersistentSessionLimits(perClientId(section.persistentSessionsByClientId()));
    }
    // A topic is a UTF-8 string of at most 65,535 bytes (section 1.5.4), so are its levels.
    return new Configuration.Limits(
        checks.range(
            "limits.maxTopicLength", section.maxTopicLength(), 1, 65535, absent.maxTopicLength()),
        checks.range(
            "limits.maxTopicLevels", section.maxTopicLevels(), 1, 65535, absent.maxTopicLevels()),
        checks.range(
            "limits.maxSubscriptionsPerClient",
            section.maxSubscriptionsPerClient(),
            1,
            Integer.MAX_VALUE,
            absent.maxSubscriptionsPerClient()),
        quotas,
        checks.range(
            "limits.maxPendingWills",
            section.maxPendingWills(),
            0,
            Integer.MAX_VALUE,
            absent.maxPendingWills()));
  }

  private List<PersistentSessionLimit> perClientId(List<ConfigDocument.PersistentSessions> entries)
      throws ConfigException {
    List<PersistentSessionLimit> limits = new ArrayList<>(entries.size());
    Set<String> patterns = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      String key = "limits.persistentSessionsByClientId[" + i + "]";
      ConfigDocument.PersistentSessions entry = checks.required(key, entries.get(i));
      String pattern =
          checks.required(key + ".clientId", checks.text(key + ".clientId", entry.clientId()));
      if (!patterns.add(pattern)) {
        throw checks.error(key + ".clientId", "'" + pattern + "' is listed twice");
      }
      int max =
          checks.range(
              key + ".max", checks.required(key + ".max", entry.max()), 0, Integer.MAX_VALUE);
      limits.add(new PersistentSessionLimit(pattern, max));
    }
    return limits;
  }
}
