package dev.mqttsidecar.samples.state;

import io.dapr.client.DaprClient;
import io.dapr.client.DaprClientBuilder;
import io.dapr.client.DaprPreviewClient;
import io.dapr.client.domain.QueryStateItem;
import io.dapr.client.domain.QueryStateResponse;
import io.dapr.client.domain.State;
import io.dapr.client.domain.StateOptions;
import io.dapr.client.domain.TransactionalStateOperation;
import io.dapr.client.domain.TransactionalStateOperation.OperationType;
import java.util.List;
import java.util.Map;

/**
 * A Dapr app using the mqtt-sidecar state store through the ordinary Dapr state API: save, get with
 * ETag, optimistic concurrency, a transaction, a TTL and a query. Every key it writes is a retained
 * MQTT message, so a device subscribed to {@code $dapr/state/mqtt-state/myapp||devices/#} sees each
 * change (see watch-devices.sh).
 */
public final class StateApp {
  private static final String STORE = System.getenv().getOrDefault("STATE_STORE", "mqtt-state");

  /** The value stored under each key; Dapr serialises it as JSON. */
  public record Lamp(String room, boolean on, int brightness) {}

  public static void main(String[] args) throws Exception {
    try (DaprClient dapr = new DaprClientBuilder().build();
        DaprPreviewClient preview = new DaprClientBuilder().buildPreviewClient()) {
      dapr.waitForSidecar(10_000).block();

      // Save: each key becomes the retained topic $dapr/state/mqtt-state/myapp||<key>.
      dapr.saveState(STORE, "devices/lamp-1", new Lamp("kitchen", false, 40)).block();
      dapr.saveState(STORE, "devices/lamp-2", new Lamp("hall", true, 80)).block();
      dapr.saveState(STORE, "devices/lamp-3", new Lamp("study", true, 20)).block();

      // Get with ETag, then a compare-and-set update.
      State<Lamp> lamp = dapr.getState(STORE, "devices/lamp-1", Lamp.class).block();
      System.out.printf("lamp-1 = %s (etag %s)%n", lamp.getValue(), lamp.getEtag());
      StateOptions strong =
          new StateOptions(StateOptions.Consistency.STRONG, StateOptions.Concurrency.FIRST_WRITE);
      dapr.saveState(STORE, "devices/lamp-1", lamp.getEtag(), new Lamp("kitchen", true, 60), strong)
          .block();
      System.out.println("lamp-1 switched on with its etag");
      try {
        dapr.saveState(
                STORE, "devices/lamp-1", lamp.getEtag(), new Lamp("kitchen", false, 0), strong)
            .block();
        System.out.println("unexpected: a stale etag was accepted");
      } catch (RuntimeException expected) {
        System.out.println("stale etag rejected: " + expected.getMessage());
      }

      // A transaction: all or nothing, in order.
      dapr.executeStateTransaction(
              STORE,
              List.of(
                  new TransactionalStateOperation<>(
                      OperationType.UPSERT,
                      new State<>("devices/fan-1", new Lamp("hall", true, 100), "")),
                  new TransactionalStateOperation<>(
                      OperationType.DELETE, new State<>("devices/lamp-3"))))
          .block();
      System.out.println("transaction: fan-1 added, lamp-3 removed");

      // A TTL: the retained message expires, for Dapr and for MQTT subscribers alike.
      dapr.saveState(
              STORE,
              "devices/visitor-light",
              null,
              new Lamp("porch", true, 100),
              Map.of("ttlInSeconds", "30"),
              new StateOptions(
                  StateOptions.Consistency.EVENTUAL, StateOptions.Concurrency.LAST_WRITE))
          .block();
      State<Lamp> visitor = dapr.getState(STORE, "devices/visitor-light", Lamp.class).block();
      System.out.println("visitor-light expires at " + visitor.getMetadata().get("ttlExpireTime"));

      // Query (alpha API): lamps that are on, brightest first.
      String query =
          "{\"filter\":{\"EQ\":{\"on\":true}},"
              + "\"sort\":[{\"key\":\"brightness\",\"order\":\"DESC\"}],"
              + "\"page\":{\"limit\":10}}";
      QueryStateResponse<Lamp> on = preview.queryState(STORE, query, Lamp.class).block();
      for (QueryStateItem<Lamp> item : on.getResults()) {
        System.out.printf("on: %s = %s%n", item.getKey(), item.getValue());
      }

      // Dim lamp-2 step by step; a device watching its topic sees every step.
      for (int brightness = 80; brightness >= 0; brightness -= 20) {
        State<Lamp> current = dapr.getState(STORE, "devices/lamp-2", Lamp.class).block();
        dapr.saveState(
                STORE,
                "devices/lamp-2",
                current.getEtag(),
                new Lamp("hall", brightness > 0, brightness),
                strong)
            .block();
        System.out.println("lamp-2 brightness " + brightness);
        Thread.sleep(1000);
      }
    }
  }
}
