package dev.mqttsidecar.broker.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code kill -9} would leave on disk, for a broker in this JVM (which cannot be killed): a
 * copy of its data directory taken while it runs. In fsync mode every write a client saw
 * acknowledged is in the synced write-ahead log before the acknowledgement, so a broker started on
 * the copy sees what one restarted after a crash at that instant would see, and nothing the running
 * broker does afterwards (closing connections, publishing wills, stopping) reaches the copy. A
 * write caught half-copied is a torn log tail, which recovery drops, as after a real crash.
 */
public final class CrashImage {
  private CrashImage() {}

  /** Copies the files of {@code dataDirectory} into {@code target} (created) and returns it. */
  public static Path of(Path dataDirectory, Path target) throws IOException {
    Files.createDirectories(target);
    List<Path> files;
    try (Stream<Path> list = Files.list(dataDirectory)) {
      files = list.toList();
    }
    for (Path file : files) {
      try {
        Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      } catch (NoSuchFileException e) {
        // Deleted by the store meanwhile (an obsolete log or options file): not part of the image.
      }
    }
    return target;
  }
}
