package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.persistence.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** Checks on the data directory made before the storage engine touches it. */
final class StoreDirectory {
  /** Files RocksDB writes while creating a database, before it holds any data. */
  private static final Pattern BOOTSTRAP =
      Pattern.compile(
          "LOCK|IDENTITY|LOG(\\.old\\..*)?|MANIFEST-\\d+|OPTIONS-\\d+(\\.dbtmp)?|\\d+\\.dbtmp");

  private StoreDirectory() {}

  /**
   * Creates the directory if needed and says whether it holds a store. A directory holding other
   * files is refused, so a mistyped path never becomes a second, empty store beside real data.
   */
  static boolean prepare(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StorageException("cannot create data directory " + dir + " (" + e + ")", e);
    }
    if (!Files.isWritable(dir)) {
      throw new StorageException("data directory " + dir + " is not writable");
    }
    if (Files.exists(dir.resolve("CURRENT"))) {
      return true;
    }
    List<String> foreign = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files
          .map(p -> p.getFileName().toString())
          .filter(name -> !BOOTSTRAP.matcher(name).matches())
          .sorted()
          .limit(5)
          .forEach(foreign::add);
    } catch (IOException e) {
      throw new StorageException("cannot list data directory " + dir + " (" + e + ")", e);
    }
    if (!foreign.isEmpty()) {
      throw new StorageException(
          "data directory "
              + dir
              + " is not empty but holds no store (no CURRENT file; found "
              + foreign
              + "); refusing to start over it. Restore the store or choose an empty directory.");
    }
    return false;
  }

  /**
   * Our column families absent from an existing store, except those added after the store format
   * (created empty at open); refuses families we do not know.
   */
  static List<String> missingFamilies(Path dir) throws RocksDBException {
    List<String> present = new ArrayList<>();
    try (Options options = new Options()) {
      for (byte[] name : RocksDB.listColumnFamilies(options, dir.toString())) {
        present.add(new String(name, StandardCharsets.UTF_8));
      }
    }
    List<String> unknown = new ArrayList<>(present);
    unknown.remove("default");
    List<String> missing = new ArrayList<>();
    for (Column c : Column.values()) {
      if (!unknown.remove(c.toString()) && !c.addedLater()) {
        missing.add(c.toString());
      }
    }
    if (!unknown.isEmpty()) {
      throw new StorageException(
          "store in "
              + dir
              + " has column families "
              + unknown
              + " this broker does not know (a newer"
              + " format?); refusing to start.");
    }
    return missing;
  }
}
