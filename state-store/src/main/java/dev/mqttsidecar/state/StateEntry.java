package dev.mqttsidecar.state;

import java.time.Instant;

/**
 * A stored key as Dapr sees it.
 *
 * @param key the state key
 * @param value the value bytes (never empty: an empty retained payload is a deletion)
 * @param etag the ETag: the retained message's version as a decimal string
 * @param contentType the MQTT 5 Content Type, or null
 * @param expiresAt when the value expires (its TTL), or null for never
 */
public record StateEntry(
    String key, byte[] value, String etag, String contentType, Instant expiresAt) {}
