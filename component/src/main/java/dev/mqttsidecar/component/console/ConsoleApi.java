package dev.mqttsidecar.component.console;

import dev.mqttsidecar.broker.BrokerInspector;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.RetainedWrite;
import dev.mqttsidecar.broker.SessionInfo;
import dev.mqttsidecar.component.http.PublishRoute;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The console's JSON API below {@code /console/api/}, independent of the HTTP server: each route
 * answers a {@link ConsoleRequest} with a {@link ConsoleResponse}. Refusals are values: 400 for a
 * malformed request, 409 for a conflicting edit, and the publish path's own statuses.
 */
public final class ConsoleApi {
  /**
   * Statistics and other clients' sessions are for operators: those who may read the broker's own
   * $SYS topics.
   */
  static final String OPERATOR_FILTER = "$SYS/#";

  private final BrokerInspector inspector;
  private final RetainedBrowser retained;
  private final StateBrowser state;
  private final Function<Message, CompletableFuture<PublishResult>> publisher;
  private final Clock clock;

  /**
   * @param publisher the path a form's message takes (the same as HTTP publish)
   */
  public ConsoleApi(
      BrokerInspector inspector,
      RetainedBrowser retained,
      StateBrowser state,
      Function<Message, CompletableFuture<PublishResult>> publisher,
      Clock clock) {
    this.inspector = inspector;
    this.retained = retained;
    this.state = state;
    this.publisher = publisher;
    this.clock = clock;
  }

  /** Answers {@code request}; never fails (errors are responses). */
  public CompletableFuture<ConsoleResponse> handle(ConsoleRequest request) {
    try {
      return route(request).exceptionally(ConsoleErrors::response);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(ConsoleErrors.response(e));
    }
  }

  private CompletableFuture<ConsoleResponse> route(ConsoleRequest r) {
    String key = r.method() + " " + r.route();
    ConsoleAccess access = r.access();
    return switch (key) {
      case "GET stats" -> {
        access.checkRead(OPERATOR_FILTER);
        yield done(inspector.statistics());
      }
      case "GET sessions" -> {
        access.checkRead(OPERATOR_FILTER);
        yield done(sessions(PageRequest.of(r.query())));
      }
      case "GET retained" -> {
        String prefix = r.optional("prefix", "");
        access.checkRead(prefix + "#");
        yield done(retained.page(prefix, PageRequest.of(r.query())));
      }
      case "PUT retained" -> {
        Message message = retainedMessage(r);
        access.checkWrite(message.topic());
        yield retained.set(message, version(r)).thenApply(this::json);
      }
      case "DELETE retained" -> {
        String topic = r.required("topic");
        access.checkWrite(topic);
        yield retained.delete(topic, version(r)).thenApply(this::json);
      }
      case "GET state" -> {
        String store = r.required("store");
        String prefix = r.optional("prefix", "");
        access.checkRead(state.topicOf(store, prefix) + "#");
        yield done(state.page(store, prefix, PageRequest.of(r.query())));
      }
      case "PUT state" -> setState(r);
      case "DELETE state" -> {
        String store = r.required("store");
        String stateKey = r.required("key");
        access.checkWrite(state.topicOf(store, stateKey));
        yield state.delete(store, stateKey, r.optional("etag", "")).thenApply(this::json);
      }
      case "POST publish" -> publish(ConsoleJson.read(r.body(), PublishForm.class), access);
      default -> done(404, "no console route " + key);
    };
  }

  private PageRequest.Page<SessionInfo> sessions(PageRequest page) {
    List<SessionInfo> items = inspector.sessions(page.after(), page.limit());
    String next = items.size() < page.limit() ? null : items.get(items.size() - 1).key();
    return new PageRequest.Page<>(items, next);
  }

  private Message retainedMessage(ConsoleRequest r) {
    PublishForm form = ConsoleJson.read(r.body(), PublishForm.class);
    String topic = r.required("topic");
    if (form.topic() != null && !form.topic().equals(topic)) {
      throw new BadRequest("the body's topic differs from the query's");
    }
    PublishForm withTopic =
        new PublishForm(
            topic,
            form.payload(),
            form.payloadBase64(),
            form.qos(),
            true,
            form.contentType(),
            form.messageExpiry(),
            form.responseTopic(),
            form.correlationData(),
            form.userProperties());
    return withTopic.toMessage(clock.instant());
  }

  /** The {@code version} condition of a retained edit: absent means last write wins. */
  private static long version(ConsoleRequest r) {
    long v = r.number("version", RetainedWrite.ANY_VERSION);
    if (v < RetainedWrite.ANY_VERSION) {
      throw new BadRequest("version must be a retained message's version (or 0 for absent)");
    }
    return v;
  }

  private CompletableFuture<ConsoleResponse> setState(ConsoleRequest r) {
    String store = r.required("store");
    String key = r.required("key");
    r.access().checkWrite(state.topicOf(store, key));
    StateForm form = ConsoleJson.read(r.body(), StateForm.class);
    return state
        .set(store, key, form.valueBytes(), form.contentType(), form.ttl(), r.optional("etag", ""))
        .thenApply(this::json);
  }

  /** The rules of HTTP publish: no reserved topic, and the identity's publish permission. */
  private CompletableFuture<ConsoleResponse> publish(PublishForm form, ConsoleAccess access) {
    Message message = form.toMessage(clock.instant());
    String problem = PublishRoute.topicProblem(message.topic());
    if (problem != null) {
      throw new BadRequest(problem);
    }
    access.checkWrite(message.topic());
    return publisher
        .apply(message)
        .thenApply(
            result ->
                result.isAccepted()
                    ? json(Map.of("matchedSubscribers", result.matchedSubscribers()))
                    : ConsoleErrors.publishRefused(result));
  }

  private ConsoleResponse json(Object value) {
    return ConsoleResponse.json(value);
  }

  private static CompletableFuture<ConsoleResponse> done(Object value) {
    return CompletableFuture.completedFuture(ConsoleResponse.json(value));
  }

  private static CompletableFuture<ConsoleResponse> done(int status, String message) {
    return CompletableFuture.completedFuture(ConsoleResponse.error(status, message));
  }

  /** Unwraps the cause of a failed stage. */
  static Throwable cause(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
