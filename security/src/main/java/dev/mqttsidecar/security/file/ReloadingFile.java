package dev.mqttsidecar.security.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configuration file read at start and read again whenever it changes. {@link #get()} costs one
 * {@code stat} while the file stays as it is, so callers may ask on every use. A change that does
 * not parse (or a file that disappeared) keeps the last good content and is logged once.
 *
 * @param <T> what the file's bytes parse into
 */
public final class ReloadingFile<T> {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingFile.class);

  /** Turns the file's bytes into a value; throws with a message saying what is wrong. */
  @FunctionalInterface
  public interface Parser<T> {
    T parse(byte[] content) throws Exception;
  }

  /**
   * What identifies one version of the file: an edit in place changes the time or the size, an
   * atomic replace (write and rename) changes the file key (the inode).
   */
  private record Version(FileTime modified, long size, Object fileKey) {}

  private record Loaded<T>(Version version, T value) {}

  private final String setting;
  private final Path path;
  private final Parser<T> parser;
  private volatile Loaded<T> current;
  private Version rejected; // guarded by this: the last version that failed, warned about once

  /**
   * Reads {@code path} now.
   *
   * @param setting the configuration key naming the file, for messages
   * @throws IllegalArgumentException naming {@code setting} and the file when it is missing,
   *     unreadable or does not parse
   */
  public ReloadingFile(String setting, Path path, Parser<T> parser) {
    this.setting = Objects.requireNonNull(setting, "setting");
    this.path = Objects.requireNonNull(path, setting);
    this.parser = Objects.requireNonNull(parser, "parser");
    try {
      current = load(version());
    } catch (Exception e) {
      throw new IllegalArgumentException(describe(e), e);
    }
  }

  /** The file's content, read again first if the file changed since the last read. */
  public T get() {
    Loaded<T> loaded = current;
    Version now;
    try {
      now = version();
    } catch (IOException e) {
      warnOnce(null, e);
      return loaded.value();
    }
    if (now.equals(loaded.version())) {
      return loaded.value();
    }
    synchronized (this) {
      if (!now.equals(current.version()) && !now.equals(rejected)) {
        try {
          current = load(now);
          rejected = null;
          LOG.info("{}: read {} again", setting, path);
        } catch (Exception e) {
          warnOnce(now, e);
        }
      }
      return current.value();
    }
  }

  public Path path() {
    return path;
  }

  private Version version() throws IOException {
    BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
    return new Version(a.lastModifiedTime(), a.size(), a.fileKey());
  }

  private Loaded<T> load(Version version) throws Exception {
    return new Loaded<>(version, parser.parse(Files.readAllBytes(path)));
  }

  private synchronized void warnOnce(Version version, Exception e) {
    Version key = version == null ? new Version(null, -1, null) : version;
    if (!key.equals(rejected)) {
      rejected = key;
      LOG.warn("{} (keeping its previous content)", describe(e));
    }
  }

  private String describe(Exception e) {
    String why =
        e instanceof java.nio.file.NoSuchFileException
            ? "no such file"
            : e instanceof java.nio.file.AccessDeniedException
                ? "permission denied"
                : e.getMessage() == null ? e.toString() : e.getMessage();
    return setting + ": " + path + ": " + why;
  }
}
