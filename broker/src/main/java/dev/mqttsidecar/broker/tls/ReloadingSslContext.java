package dev.mqttsidecar.broker.tls;

import dev.mqttsidecar.broker.Listener;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener's TLS context that follows its files: {@link #checkForChanges()} rebuilds it when the
 * certificate, key or CA file changed. Connections keep the context they started with; new
 * handshakes get the new one. A file that cannot be used keeps the previous context.
 */
public final class ReloadingSslContext {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingSslContext.class);

  private final String listener;
  private final Listener.Tls tls;
  private volatile SslContext current;

  // Confined to the thread calling checkForChanges.
  private FileStamps attempted; // what the current context, or the last failed attempt, read
  private FileStamps seen; // what the previous check saw

  private ReloadingSslContext(String listener, Listener.Tls tls, SslContext first, FileStamps at) {
    this.listener = listener;
    this.tls = tls;
    this.current = first;
    this.attempted = at;
    this.seen = at;
  }

  /**
   * Reads the files of {@code listener}.
   *
   * @throws TlsFileException naming the first file that cannot be used
   */
  public static ReloadingSslContext load(Listener listener) throws TlsFileException {
    Listener.Tls tls = listener.tls();
    FileStamps stamps = FileStamps.of(tls); // before reading: a change meanwhile is seen later
    return new ReloadingSslContext(listener.name(), tls, ServerSslContexts.build(tls), stamps);
  }

  /** The context for a new connection. */
  public SslContext current() {
    return current;
  }

  /**
   * Rebuilds the context if the files changed and have stayed the same since the previous check:
   * waiting one check lets a certificate and its key, written one after the other, both land before
   * either is read.
   *
   * @return whether the context was replaced
   */
  boolean checkForChanges() {
    FileStamps now = FileStamps.of(tls);
    FileStamps previous = seen;
    seen = now;
    if (now.equals(attempted) || !now.equals(previous)) {
      return false;
    }
    attempted = now;
    try {
      current = ServerSslContexts.build(tls);
      LOG.info("listener {}: TLS files reloaded; new connections use them", listener);
      return true;
    } catch (TlsFileException | RuntimeException e) {
      LOG.error(
          "listener {}: keeping the previous TLS certificate, the changed files cannot be used: {}",
          listener,
          e.getMessage());
      return false;
    }
  }
}
