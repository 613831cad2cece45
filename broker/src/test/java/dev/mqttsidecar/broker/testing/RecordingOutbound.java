package dev.mqttsidecar.broker.testing;

import dev.mqttsidecar.broker.session.InflightEntry;
import dev.mqttsidecar.broker.session.Outbound;
import dev.mqttsidecar.broker.session.QueuedMessage;
import dev.mqttsidecar.broker.session.Session;
import java.util.ArrayList;
import java.util.List;

/** An outbound that records what a session sends; in-process style when it requeues on detach. */
public final class RecordingOutbound implements Outbound {

  /** One PUBLISH: the in-flight entry is null for QoS 0. */
  public record Sent(InflightEntry entry, QueuedMessage message, boolean dup) {
    public String topic() {
      return message.delivered().topic();
    }
  }

  private final boolean requeueOnDetach;
  private final List<Sent> sent = new ArrayList<>();

  public RecordingOutbound(boolean requeueOnDetach) {
    this.requeueOnDetach = requeueOnDetach;
  }

  public List<Sent> sent() {
    return sent;
  }

  /** The topics sent, in order. */
  public List<String> topics() {
    return sent.stream().map(Sent::topic).toList();
  }

  @Override
  public void publish(Session session, InflightEntry entry, QueuedMessage message, boolean dup) {
    sent.add(new Sent(entry, message, dup));
  }

  @Override
  public void pubrel(int packetId, boolean found) {}

  @Override
  public boolean requeueOnDetach() {
    return requeueOnDetach;
  }

  @Override
  public void takenOver() {}
}
