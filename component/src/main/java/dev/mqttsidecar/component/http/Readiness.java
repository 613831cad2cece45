package dev.mqttsidecar.component.http;

import java.util.List;

/** What is not ready yet, for {@code /readyz}. */
@FunctionalInterface
public interface Readiness {
  /** Short reasons, empty when everything is ready. Called on an event loop: must not block. */
  List<String> notReady();
}
