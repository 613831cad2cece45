package dev.mqttsidecar.bench.load;

/** Who publishes to whom. Each publisher is one stream of numbered messages on its own topic. */
public enum Scenario {
  /** Publisher i to subscriber i, one topic per pair. */
  PAIRS,
  /** Many publishers, each on its own topic, one subscriber with a single-level wildcard. */
  FAN_IN,
  /** One publisher, many subscribers of its topic. */
  FAN_OUT;

  /** The topic publisher {@code publisher} sends to. */
  public String publishTopic(String prefix, int publisher) {
    return switch (this) {
      case PAIRS -> prefix + "/p/" + publisher;
      case FAN_IN -> prefix + "/in/" + publisher;
      case FAN_OUT -> prefix + "/out";
    };
  }

  /** The filter subscriber {@code subscriber} subscribes to. */
  public String subscriptionFilter(String prefix, int subscriber) {
    return switch (this) {
      case PAIRS -> prefix + "/p/" + subscriber;
      case FAN_IN -> prefix + "/in/+";
      case FAN_OUT -> prefix + "/out";
    };
  }

  /** Whether subscriber {@code subscriber} should receive every message of {@code publisher}. */
  public boolean delivers(int publisher, int subscriber) {
    return switch (this) {
      case PAIRS -> publisher == subscriber;
      case FAN_IN, FAN_OUT -> true;
    };
  }

  /** The command-line spelling: pairs, fan-in, fan-out. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** Parses {@link #label()}. */
  public static Scenario parse(String text) {
    for (Scenario s : values()) {
      if (s.label().equalsIgnoreCase(text) || s.name().equalsIgnoreCase(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "scenario must be pairs, fan-in or fan-out, was '" + text + "'");
  }
}
