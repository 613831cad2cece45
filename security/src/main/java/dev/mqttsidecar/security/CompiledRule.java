package dev.mqttsidecar.security;

import dev.mqttsidecar.broker.ClientIdentity;
import java.util.ArrayList;
import java.util.List;

/** One authorization rule, checked and parsed once: whom it is for and what it grants. */
final class CompiledRule {
  private final ClientMatch match;
  private final List<TopicTemplate> publish;
  private final List<TopicTemplate> subscribe;
  private final Grants fixed; // the grants when no template has a placeholder, else null

  /** IllegalArgumentException naming {@code index} and the bad template. */
  CompiledRule(int index, AuthorizationRule rule) {
    if (rule == null) {
      throw new IllegalArgumentException("authorization rule " + index + " is empty");
    }
    this.match = new ClientMatch(rule.match());
    this.publish = parse(index, "publish", rule.publish(), false);
    this.subscribe = parse(index, "subscribe", rule.subscribe(), true);
    boolean placeholders =
        publish.stream().anyMatch(TopicTemplate::hasPlaceholders)
            || subscribe.stream().anyMatch(TopicTemplate::hasPlaceholders);
    this.fixed = placeholders ? null : expand(null);
  }

  private static List<TopicTemplate> parse(
      int index, String kind, List<String> sources, boolean sharedAllowed) {
    List<TopicTemplate> templates = new ArrayList<>();
    if (sources == null) {
      return templates;
    }
    for (String source : sources) {
      String where = "authorization rule " + index + ", " + kind + " \"" + source + "\": ";
      if (source == null) {
        throw new IllegalArgumentException("authorization rule " + index + ": empty " + kind);
      }
      TopicTemplate t;
      try {
        t = TopicTemplate.parse(source);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + e.getMessage(), e);
      }
      String problem = problem(t.sample(), sharedAllowed);
      if (problem != null) {
        throw new IllegalArgumentException(where + problem);
      }
      templates.add(t);
    }
    return templates;
  }

  private static String problem(String filter, boolean sharedAllowed) {
    if (!SharedFilter.isShared(filter)) {
      return TopicLevels.filterProblem(filter);
    }
    if (!sharedAllowed) {
      return "a publish grant cannot be a shared subscription";
    }
    SharedFilter shared = SharedFilter.parse(filter);
    if (shared == null) {
      return "not a valid $share/{group}/{filter}";
    }
    return TopicLevels.filterProblem(shared.filter());
  }

  boolean fits(ClientIdentity client) {
    return match.fits(client);
  }

  /** The grants filled in for {@code client}, leaving out templates it cannot fill safely. */
  Grants grantsFor(ClientIdentity client) {
    return fixed != null ? fixed : expand(client);
  }

  /** Null {@code client}: only for templates without placeholders. */
  private Grants expand(ClientIdentity client) {
    return new Grants(expandAll(publish, client), expandAll(subscribe, client));
  }

  private static List<String> expandAll(List<TopicTemplate> templates, ClientIdentity client) {
    List<String> filters = new ArrayList<>(templates.size());
    for (TopicTemplate t : templates) {
      String filter = t.expand(client);
      if (filter != null) {
        filters.add(filter);
      }
    }
    return filters;
  }
}
