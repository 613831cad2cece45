package dev.mqttsidecar.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes machine-readable results: CSV rows appended under one header, JSON one object per file.
 */
public final class ResultFiles {
  private ResultFiles() {}

  /**
   * Appends {@code row} to {@code csv}, writing {@code header} first if the file is new or empty.
   */
  public static void appendCsv(Path csv, String header, String row) throws IOException {
    createParent(csv);
    boolean fresh = !Files.exists(csv) || Files.size(csv) == 0;
    List<String> lines = fresh ? List.of(header, row) : List.of(row);
    Files.write(
        csv, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Writes {@code json} (one object) to {@code file}, replacing it. */
  public static void writeJson(Path file, String json) throws IOException {
    createParent(file);
    Files.writeString(file, json + System.lineSeparator(), StandardCharsets.UTF_8);
  }

  private static void createParent(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }
}
