package dev.mqttsidecar.broker.session;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A shared group that records, one line per call, what its member does with its messages. */
final class RecordingGroup implements GroupLink {
  private final List<String> calls = new ArrayList<>();

  List<String> take() {
    List<String> taken = List.copyOf(calls);
    calls.clear();
    return taken;
  }

  @Override
  public void release(Session member, int count) {
    calls.add("release " + member.key() + " " + count);
  }

  @Override
  public void requeueFront(List<QueuedMessage> messages) {
    calls.add(
        "requeue "
            + messages.stream().map(m -> m.delivered().topic()).collect(Collectors.joining(",")));
  }

  @Override
  public void memberOnline(Session member) {
    calls.add("online " + member.key());
  }

  @Override
  public void memberOffline(Session member) {
    calls.add("offline " + member.key());
  }
}
