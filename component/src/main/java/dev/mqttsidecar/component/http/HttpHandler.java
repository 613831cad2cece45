package dev.mqttsidecar.component.http;

import java.util.concurrent.CompletionStage;

/** Answers the requests of one route. */
@FunctionalInterface
public interface HttpHandler {
  /**
   * Called on the connection's event loop: must not block. The stage may complete later on any
   * thread; the reply is written then. A thrown exception or an exceptionally completed stage is
   * logged and answered 500. A handler that streams (Server-Sent Events) writes to {@link
   * HttpExchange#context()} itself and completes with {@link HttpReply#TAKEN_OVER}.
   */
  CompletionStage<HttpReply> handle(HttpExchange exchange) throws Exception;
}
