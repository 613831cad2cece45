package dev.mqttsidecar.dapr;

/** A component or request metadata value that cannot be used; names the offending key. */
public final class InvalidMetadataException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public InvalidMetadataException(String key, String problem) {
    super("metadata '" + key + "': " + problem);
    this.key = key;
  }

  /** The metadata key whose value was rejected. */
  public String key() {
    return key;
  }
}
