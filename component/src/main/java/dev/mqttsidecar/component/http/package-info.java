/**
 * The sidecar's HTTP server: health probes, metrics and HTTP publish, on a port of its own. Routes
 * are registered in {@link dev.mqttsidecar.component.http.HttpRoutes}; a route answers with an
 * {@link dev.mqttsidecar.component.http.HttpReply}, may take the connection over for a stream
 * (Server-Sent Events), or upgrade it to a WebSocket.
 */
package dev.mqttsidecar.component.http;
