package dev.mqttsidecar.broker.codec;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.netty.util.DefaultAttributeMap;
import io.netty.util.concurrent.EventExecutor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The context a decoder that is not in any pipeline runs in: everything goes to the real context of
 * the connection whose bytes it decodes ({@link #delegate}), except what the decoder passes on,
 * which is kept here for the caller ({@link #captured}). So the caller sees exactly what one frame
 * decoded to.
 *
 * <p>The decoder's one piece of per-connection state, the protocol version, is a channel attribute
 * to Netty's decoder; as one on the real channel it would cost each connection an attribute entry
 * (48 bytes) for its whole life. The decoder sees the connection's channel through a view whose
 * version attribute is this context's own, set by the caller for each frame ({@link #delegate}).
 */
final class CapturingContext implements ChannelHandlerContext {
  /** Netty's MqttCodecUtil key: attribute keys are unique by name. */
  private static final AttributeKey<MqttVersion> MQTT_VERSION =
      AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

  private final List<Object> captured = new ArrayList<>(2);
  private final Attribute<MqttVersion> version = new DefaultAttributeMap().attr(MQTT_VERSION);
  private final Channel channelView =
      (Channel)
          Proxy.newProxyInstance(
              Channel.class.getClassLoader(), new Class<?>[] {Channel.class}, this::onChannel);
  private ChannelHandlerContext delegate;

  /**
   * Sets the connection the next calls are for, and the protocol version it spoke in its CONNECT
   * (any before it: Netty's decoder learns it from the CONNECT itself); null once done.
   */
  void delegate(ChannelHandlerContext ctx, MqttVersion connected) {
    delegate = ctx;
    version.set(connected);
  }

  private Object onChannel(Object proxy, Method method, Object[] args) throws Throwable {
    if (args != null && args.length == 1 && args[0] == MQTT_VERSION) {
      return "attr".equals(method.getName()) ? version : version.get() != null;
    }
    try {
      return method.invoke(delegate.channel(), args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** What was passed on, in order; the caller takes it out (and owns it). */
  List<Object> captured() {
    return captured;
  }

  @Override
  public ChannelHandlerContext fireChannelRead(Object msg) {
    captured.add(msg);
    return this;
  }

  @Override
  public ChannelHandlerContext fireChannelReadComplete() {
    return this; // the frame decoder's own pipeline stage reports read completion
  }

  @Override
  public Channel channel() {
    return channelView;
  }

  @Override
  public EventExecutor executor() {
    return delegate.executor();
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public ChannelHandler handler() {
    return delegate.handler();
  }

  @Override
  public boolean isRemoved() {
    return delegate.isRemoved();
  }

  @Override
  public ChannelHandlerContext fireChannelRegistered() {
    delegate.fireChannelRegistered();
    return this;
  }

  @Override
  public ChannelHandlerContext fireChannelUnregistered() {
    delegate.fireChannelUnregistered();
    return this;
  }

  @Override
  public ChannelHandlerContext fireChannelActive() {
    delegate.fireChannelActive();
    return this;
  }

  @Override
  public ChannelHandlerContext fireChannelInactive() {
    delegate.fireChannelInactive();
    return this;
  }

  @Override
  public ChannelHandlerContext fireExceptionCaught(Throwable cause) {
    delegate.fireExceptionCaught(cause);
    return this;
  }

  @Override
  public ChannelHandlerContext fireUserEventTriggered(Object evt) {
    delegate.fireUserEventTriggered(evt);
    return this;
  }

  @Override
  public ChannelHandlerContext fireChannelWritabilityChanged() {
    delegate.fireChannelWritabilityChanged();
    return this;
  }

  @Override
  public ChannelHandlerContext read() {
    delegate.read();
    return this;
  }

  @Override
  public ChannelHandlerContext flush() {
    delegate.flush();
    return this;
  }

  @Override
  public ChannelPipeline pipeline() {
    return delegate.pipeline();
  }

  @Override
  public ByteBufAllocator alloc() {
    return delegate.alloc();
  }

  @Override
  @SuppressWarnings("deprecation")
  public <T> Attribute<T> attr(AttributeKey<T> key) {
    return channelView.attr(key);
  }

  @Override
  @SuppressWarnings("deprecation")
  public <T> boolean hasAttr(AttributeKey<T> key) {
    return channelView.hasAttr(key);
  }

  @Override
  public ChannelFuture bind(SocketAddress localAddress, ChannelPromise promise) {
    return delegate.bind(localAddress, promise);
  }

  @Override
  public ChannelFuture connect(SocketAddress remoteAddress, ChannelPromise promise) {
    return delegate.connect(remoteAddress, promise);
  }

  @Override
  public ChannelFuture connect(
      SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
    return delegate.connect(remoteAddress, localAddress, promise);
  }

  @Override
  public ChannelFuture disconnect(ChannelPromise promise) {
    return delegate.disconnect(promise);
  }

  @Override
  public ChannelFuture close(ChannelPromise promise) {
    return delegate.close(promise);
  }

  @Override
  public ChannelFuture deregister(ChannelPromise promise) {
    return delegate.deregister(promise);
  }

  @Override
  public ChannelFuture write(Object msg, ChannelPromise promise) {
    return delegate.write(msg, promise);
  }

  @Override
  public ChannelFuture writeAndFlush(Object msg, ChannelPromise promise) {
    return delegate.writeAndFlush(msg, promise);
  }

  @Override
  public ChannelPromise newPromise() {
    return delegate.newPromise();
  }

  @Override
  public ChannelProgressivePromise newProgressivePromise() {
    return delegate.newProgressivePromise();
  }

  @Override
  public ChannelFuture newSucceededFuture() {
    return delegate.newSucceededFuture();
  }

  @Override
  public ChannelFuture newFailedFuture(Throwable cause) {
    return delegate.newFailedFuture(cause);
  }

  @Override
  public ChannelPromise voidPromise() {
    return delegate.voidPromise();
  }
}
