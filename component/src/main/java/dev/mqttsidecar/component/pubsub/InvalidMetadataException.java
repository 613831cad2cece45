package dev.mqttsidecar.component.pubsub;

/** A component or request metadata value that cannot be used; names the offending key. */
final class InvalidMetadataException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;

  InvalidMetadataException(String key, String problem) {
    super("metadata '" + key + "': " + problem);
    this.key = key;
  }

  /** The metadata key whose value was rejected. */
  String key() {
    return key;
  }
}
