package dev.mqttsidecar.broker.codec;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.ChannelPromise;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The context a decoder that is not in any pipeline runs in: everything goes to the real context of
 * the connection whose bytes it decodes ({@link #delegate}), except what the decoder passes on,
 * which is kept here for the caller ({@link #captured}). So the caller sees exactly what one frame
 * decoded to, and the decoder's per-connection state (the protocol version, a channel attribute)
 * stays with the connection.
 */
final class CapturingContext implements ChannelHandlerContext {
  private final List<Object> captured = new ArrayList<>(2);
  private ChannelHandlerContext delegate;

  /** Sets the connection the next calls are for; null once done. */
  void delegate(ChannelHandlerContext ctx) {
    delegate = ctx;
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
    return delegate.channel();
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
    return delegate.channel().attr(key);
  }

  @Override
  @SuppressWarnings("deprecation")
  public <T> boolean hasAttr(AttributeKey<T> key) {
    return delegate.channel().hasAttr(key);
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
