package dev.mqttsidecar.broker.tls;

import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.ListenerStartException;
import io.netty.handler.ssl.SslContext;
import java.util.function.Supplier;

/**
 * A server TLS context that follows its certificate and key files, as the MQTT listeners' do: for
 * other servers of the process (the HTTP server). New connections get the current context.
 */
public final class ServerTls implements Supplier<SslContext>, AutoCloseable {
  private final ReloadingSslContext context;
  private final TlsReloader reloader;

  private ServerTls(ReloadingSslContext context) {
    this.context = context;
    this.reloader = new TlsReloader(TlsReloader.DEFAULT_PERIOD);
    reloader.watch(context);
  }

  /**
   * Reads the files and watches them from then on.
   *
   * @param name what log lines call this server
   * @throws ListenerStartException naming the file that cannot be used
   */
  public static ServerTls load(String name, Listener.Tls tls) {
    try {
      return new ServerTls(
          ReloadingSslContext.load(
              new Listener(name, "127.0.0.1", 0, Listener.Protocol.MQTT, tls)));
    } catch (TlsFileException e) {
      throw new ListenerStartException(name + ": " + e.getMessage(), e);
    }
  }

  /** The context for a new connection. */
  @Override
  public SslContext get() {
    return context.current();
  }

  /** Stops watching the files. */
  @Override
  public void close() {
    reloader.close();
  }
}
