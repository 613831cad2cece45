package dev.mqttsidecar.component.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;

/**
 * One request as a route sees it: method, decoded path, query parameters, headers, body, and the
 * part of the path after a prefix route's prefix.
 */
public final class HttpExchange {
  private final ChannelHandlerContext context;
  private final FullHttpRequest request;
  private final QueryStringDecoder uri;
  private final String remainder;

  HttpExchange(
      ChannelHandlerContext context,
      FullHttpRequest request,
      QueryStringDecoder uri,
      String remainder) {
    this.context = context;
    this.request = request;
    this.uri = uri;
    this.remainder = remainder;
  }

  public HttpMethod method() {
    return request.method();
  }

  /** The URL-decoded path, without the query. */
  public String path() {
    return uri.path();
  }

  /**
   * For a prefix route ({@code /topics/*}): the URL-decoded rest of the path after the prefix (may
   * contain {@code /}); for an exact route: empty.
   */
  public String remainder() {
    return remainder;
  }

  /** Every query parameter, decoded; a parameter given twice has two values. */
  public Map<String, List<String>> query() {
    return uri.parameters();
  }

  /** The first value of query parameter {@code name}, or null. */
  public String queryParameter(String name) {
    List<String> values = uri.parameters().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public HttpHeaders headers() {
    return request.headers();
  }

  /**
   * A copy of the body. Read it before the handler returns: the request is released then, even when
   * the reply comes later.
   */
  public byte[] body() {
    return ByteBufUtil.getBytes(request.content());
  }

  /** The peer's address. */
  public SocketAddress remoteAddress() {
    return context.channel().remoteAddress();
  }

  /** The peer's IP address as text, for rate limits and logs. */
  public String remoteHost() {
    SocketAddress address = remoteAddress();
    return address instanceof InetSocketAddress inet
        ? inet.getAddress().getHostAddress()
        : String.valueOf(address);
  }

  /**
   * The connection, for a handler that streams its response itself (then it answers {@link
   * HttpReply#TAKEN_OVER}).
   */
  public ChannelHandlerContext context() {
    return context;
  }

  /** The request as received, released by the server after the handler returned. */
  public FullHttpRequest request() {
    return request;
  }
}
