package dev.mqttsidecar.component.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile read as Docker reads it: comments dropped, continued lines joined, each instruction
 * in the stage its last {@code FROM} opened.
 */
record DockerfileModel(List<Stage> stages) {

  /** One instruction: its keyword in upper case and the rest of its line. */
  record Instruction(String keyword, String arguments) {}

  /** A build stage: its base image, its name (or null) and its instructions. */
  record Stage(String image, String name, List<Instruction> instructions) {
    List<String> all(String keyword) {
      return instructions.stream()
          .filter(instruction -> instruction.keyword().equals(keyword))
          .map(Instruction::arguments)
          .toList();
    }

    /** The arguments of the last such instruction, or null: the one Docker keeps. */
    String last(String keyword) {
      List<String> all = all(keyword);
      return all.isEmpty() ? null : all.get(all.size() - 1);
    }
  }

  static DockerfileModel read(Path file) throws IOException {
    List<Stage> stages = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String raw : Files.readAllLines(file)) {
      String line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && pending.length() == 0)) {
        continue; // comments may sit between continued lines too
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      pending.append(line);
      String text = pending.toString().strip();
      pending.setLength(0);
      if (text.isEmpty()) {
        continue;
      }
      String[] parts = text.split("\\s+", 2);
      Instruction instruction =
          new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
      if (instruction.keyword().equals("FROM")) {
        String[] from = instruction.arguments().split("\\s+");
        boolean named = from.length == 3 && from[1].equalsIgnoreCase("AS");
        stages.add(new Stage(from[0], named ? from[2] : null, new ArrayList<>()));
      } else if (stages.isEmpty() && instruction.keyword().equals("ARG")) {
        continue; // a global build argument
      } else if (stages.isEmpty()) {
        throw new IOException(file + ": " + instruction.keyword() + " before the first FROM");
      } else {
        stages.get(stages.size() - 1).instructions().add(instruction);
      }
    }
    return new DockerfileModel(List.copyOf(stages));
  }

  Stage last() {
    return stages.get(stages.size() - 1);
  }
}
