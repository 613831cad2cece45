package dev.mqttsidecar.component.socket;

import dev.mqttsidecar.component.fs.OwnedFolder;
import dev.mqttsidecar.component.fs.UnsafePathException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exclusive ownership of a socket path. Binding with epoll silently unlinks an existing socket
 * file, so without a guard a second sidecar would steal the path from a live one. The guard is an
 * OS file lock (released by the kernel even on {@code kill -9}); holding it proves any socket file
 * left at the path is stale.
 */
public final class SocketGuard implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SocketGuard.class);

  /** Only this user reads or writes the locks. */
  private static final OwnedFolder.Rule LOCK_FOLDER =
      new OwnedFolder.Rule(
          "lock folder", PosixFilePermissions.fromString("rwx------"), false, false, "");

  private final SocketPath path;
  private final FileChannel channel;
  private final FileLock lock;

  private SocketGuard(SocketPath path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the socket path or explains why not.
   *
   * @throws SocketInUseException if another live process serves the path
   */
  public static SocketGuard acquire(SocketPath path) throws IOException {
    Path locks = path.lockFile().getParent();
    refuseLink(locks, "lock folder");
    OwnedFolder.prepare(locks, LOCK_FOLDER);
    FileChannel channel = openLockFile(path.lockFile());
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String owner = readOwner(channel);
      channel.close();
      throw new SocketInUseException(
          "another mqtt-sidecar"
              + owner
              + " is serving "
              + path.socket()
              + "; stop it or choose another --name");
    }
    try {
      removeStaleSocket(path.socket());
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)),
          0);
    } catch (IOException | RuntimeException e) {
      lock.release();
      channel.close();
      throw e;
    }
    return new SocketGuard(path, channel, lock);
  }

  /**
   * Opens the lock file without following a link: the guard truncates and writes the file, and a
   * link planted there would make it overwrite whatever the link points at.
   */
  private static FileChannel openLockFile(Path lockFile) throws IOException {
    refuseLink(lockFile, "lock file");
    try {
      return FileChannel.open(
          lockFile,
          Set.of(
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileSystemException e) {
      refuseLink(lockFile, "lock file"); // a link that appeared after the first look (ELOOP)
      throw e;
    }
  }

  private static void refuseLink(Path path, String what) throws UnsafePathException {
    if (Files.isSymbolicLink(path)) {
      throw new UnsafePathException(
          what
              + " "
              + path
              + " is a symbolic link; the sidecar never follows a link there: remove it");
    }
  }

  private static String readOwner(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(32);
      int n = channel.read(buffer, 0);
      String pid = n > 0 ? new String(buffer.array(), 0, n, StandardCharsets.US_ASCII).trim() : "";
      return pid.isEmpty() ? "" : " (pid " + pid + ")";
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * We hold the lock, so no sidecar serves the path. A file still there is left by a dead process -
   * unless some other program listens on it, which we must not break.
   */
  private static void removeStaleSocket(Path socket) throws IOException {
    if (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (isListening(socket)) {
      throw new SocketInUseException(
          "another process is listening on " + socket + "; stop it or choose another --name");
    }
    Files.delete(socket);
    log.info("Removed stale socket {} left by a process that is no longer running", socket);
  }

  private static boolean isListening(Path socket) {
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      return probe.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      return false;
    }
  }

  /** Removes the socket file and releases the lock. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(path.socket());
    } catch (IOException e) {
      log.warn("Could not remove socket {}: {}", path.socket(), e.toString());
    }
    // The lock file stays: deleting it would let two processes lock two different inodes.
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      log.warn("Could not release lock {}: {}", path.lockFile(), e.toString());
    }
  }

  /** The socket path belongs to another live process. */
  public static final class SocketInUseException extends IOException {
    public SocketInUseException(String message) {
      super(message);
    }
  }
}
