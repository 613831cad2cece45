package dev.mqttsidecar.broker.tls;

import dev.mqttsidecar.broker.Listener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * What a listener's TLS files look like on disk, to notice that one changed. The file key (inode)
 * is part of it because a file replaced by a rename may carry an older modification time; paths are
 * followed through symbolic links, as Kubernetes swaps a link to update a mounted secret.
 */
record FileStamps(List<Stamp> stamps) {

  /** One file: its identity, modification time and size; all null when it cannot be read. */
  record Stamp(Path file, Object fileKey, Object modified, Long size) {}

  static FileStamps of(Listener.Tls tls) {
    List<Stamp> stamps = new ArrayList<>(3);
    stamps.add(stamp(tls.cert()));
    stamps.add(stamp(tls.key()));
    if (tls.clientCa() != null) {
      stamps.add(stamp(tls.clientCa()));
    }
    return new FileStamps(List.copyOf(stamps));
  }

  private static Stamp stamp(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stamp(file, a.fileKey(), a.lastModifiedTime(), a.size());
    } catch (IOException e) {
      return new Stamp(file, null, null, null); // missing: a change, and the reload will say why
    }
  }
}
