package dev.mqttsidecar.broker.testing;

import dev.mqttsidecar.broker.session.InflightEntry;
import dev.mqttsidecar.broker.session.Outbound;
import dev.mqttsidecar.broker.session.QueuedMessage;
import dev.mqttsidecar.broker.session.Session;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An outbound that writes nothing and records, one line per packet, what a session sends to it:
 * {@code PUBLISH <id> qos<n> [dup] <topic>} (id {@code -} for QoS 0), {@code PUBREL <id>} or {@code
 * PUBREL <id> not found}, and {@code taken over}.
 */
public final class RecordingOutbound implements Outbound {
  /** One PUBLISH as the session handed it over; the in-flight entry is null for QoS 0. */
  public record Sent(InflightEntry entry, QueuedMessage message, boolean dup) {}

  private final boolean requeueOnDetach;
  private final List<String> sent = new ArrayList<>();
  private final List<Sent> published = new ArrayList<>();
  private final Map<Integer, InflightEntry> entries = new HashMap<>();
  private int room = Integer.MAX_VALUE;

  private RecordingOutbound(boolean requeueOnDetach) {
    this.requeueOnDetach = requeueOnDetach;
  }

  /** Like an MQTT connection: unsettled messages stay in flight at detach. */
  public static RecordingOutbound mqtt() {
    return new RecordingOutbound(false);
  }

  /** Like an in-process subscriber: unsettled messages go back to the queue at detach. */
  public static RecordingOutbound inProcess() {
    return new RecordingOutbound(true);
  }

  /** Everything sent so far, in order. */
  public List<String> sent() {
    return List.copyOf(sent);
  }

  /** What was sent since the last call, in order. */
  public List<String> take() {
    List<String> taken = List.copyOf(sent);
    sent.clear();
    return taken;
  }

  /** Records a line of the test's own among the packets (a CONNACK, say). */
  public void note(String line) {
    sent.add(line);
  }

  /** Every PUBLISH so far, in order, as the session handed it over. */
  public List<Sent> published() {
    return List.copyOf(published);
  }

  /** The topics of every PUBLISH so far, in order. */
  public List<String> topics() {
    return published.stream().map(p -> p.message().delivered().topic()).toList();
  }

  /** The entry last published under {@code packetId}, to settle it with. */
  public InflightEntry entry(int packetId) {
    return entries.get(packetId);
  }

  @Override
  public void publish(Session session, InflightEntry entry, QueuedMessage message, boolean dup) {
    published.add(new Sent(entry, message, dup));
    if (room != Integer.MAX_VALUE && room > 0) {
      room--;
    }
    String id = entry == null ? "-" : String.valueOf(entry.packetId());
    if (entry != null) {
      entries.put(entry.packetId(), entry);
    }
    sent.add(
        "PUBLISH "
            + id
            + " qos"
            + message.qos().value()
            + (dup ? " dup " : " ")
            + message.delivered().topic());
  }

  /** What {@link #hasRoom} answers from now on. */
  public void room(boolean value) {
    room = value ? Integer.MAX_VALUE : 0;
  }

  /** {@link #hasRoom} says yes for the next {@code publishes} PUBLISHes only. */
  public void roomFor(int publishes) {
    room = publishes;
  }

  @Override
  public boolean hasRoom() {
    return room > 0;
  }

  @Override
  public void pubrel(int packetId, boolean found) {
    sent.add("PUBREL " + packetId + (found ? "" : " not found"));
  }

  @Override
  public boolean requeueOnDetach() {
    return requeueOnDetach;
  }

  @Override
  public void takenOver() {
    sent.add("taken over");
  }
}
