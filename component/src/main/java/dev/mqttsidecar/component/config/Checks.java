package dev.mqttsidecar.component.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The value checks the binders share. Each failure is a {@link ConfigException} naming the file and
 * the key. Paths written in the file resolve against the file's folder, so a configuration and the
 * certificates beside it can move together.
 */
final class Checks {
  private final String source;
  private final Path baseDir;

  Checks(String source, Path baseDir) {
    this.source = source;
    this.baseDir = baseDir;
  }

  ConfigException error(String key, String problem) {
    return new ConfigException(source, key, problem);
  }

  /** {@code value} within [min, max], or {@code absent} when not written. */
  int range(String key, Integer value, int min, int max, int absent) throws ConfigException {
    if (value == null) {
      return absent;
    }
    return range(key, value, min, max);
  }

  int range(String key, int value, int min, int max) throws ConfigException {
    if (value < min || value > max) {
      throw error(key, "must be in [" + min + ", " + max + "], was " + value);
    }
    return value;
  }

  long range(String key, long value, long min, long max) throws ConfigException {
    if (value < min || value > max) {
      throw error(key, "must be in [" + min + ", " + max + "], was " + value);
    }
    return value;
  }

  /** A value that must be written. */
  <T> T required(String key, T value) throws ConfigException {
    if (value == null) {
      throw error(key, "missing; this key is required");
    }
    return value;
  }

  /** A string that is not blank, or null when not written. */
  String text(String key, String value) throws ConfigException {
    if (value != null && value.isBlank()) {
      throw error(key, "must not be empty");
    }
    return value;
  }

  /** A path as written, resolved against the file's folder; null when not written. */
  Path path(String key, String written) throws ConfigException {
    if (text(key, written) == null) {
      return null;
    }
    try {
      return baseDir.resolve(written).normalize();
    } catch (InvalidPathException e) {
      throw error(key, "invalid path '" + written + "': " + e.getReason());
    }
  }

  /** As {@link #path}, for a file that must exist now. */
  Path existingFile(String key, String written) throws ConfigException {
    Path file = path(key, written);
    if (file == null) {
      return null;
    }
    String shown = Path.of(written).isAbsolute() ? written : written + " (" + file + ")";
    if (!Files.exists(file)) {
      throw error(key, "file not found: " + shown);
    }
    if (!Files.isRegularFile(file)) {
      throw error(key, "not a regular file: " + shown);
    }
    if (!Files.isReadable(file)) {
      throw error(key, "file not readable: " + shown);
    }
    return file;
  }
}
