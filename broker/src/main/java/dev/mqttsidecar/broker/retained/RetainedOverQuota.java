package dev.mqttsidecar.broker.retained;

/**
 * What a publish with the RETAIN flag does when storing it would pass a retained quota. The spec
 * asks the server to store such a message [MQTT-3.3.1-5]; a quota is the server's own limit, which
 * MQTT 5 reports with 0x97 Quota exceeded where the publisher can be told (section 3.4.2.1).
 */
public enum RetainedOverQuota {
  /**
   * Neither store nor deliver it, for a publisher that is told (an MQTT 5 PUBACK or PUBREC 0x97, a
   * failed {@code Broker.publish}): it may retry without its subscribers receiving it twice.
   */
  REFUSE,
  /**
   * Deliver it to the subscribers online, without storing it, for a publisher nobody can tell (QoS
   * 0, MQTT 3.1.1, a will), as EMQX does: live traffic goes on while the store is full.
   */
  DELIVER_WITHOUT_RETAINING
}
