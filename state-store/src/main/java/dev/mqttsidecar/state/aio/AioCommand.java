package dev.mqttsidecar.state.aio;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** One state store request of the Azure IoT Operations protocol, parsed from its RESP3 array. */
public sealed interface AioCommand {

  /** When a SET applies. */
  enum Condition {
    /** Always: last write wins. */
    ALWAYS,
    /** NX: only if the key does not exist. */
    ABSENT,
    /** NEX: only if the key does not exist or already holds the value being set. */
    ABSENT_OR_SAME_VALUE,
    /** VEQ value: only if the key holds the given value. */
    VALUE_EQUALS
  }

  byte[] key();

  record Set(byte[] key, byte[] value, Condition condition, byte[] expected, Optional<Duration> ttl)
      implements AioCommand {}

  record Get(byte[] key) implements AioCommand {}

  record Del(byte[] key) implements AioCommand {}

  record VDel(byte[] key, byte[] value) implements AioCommand {}

  record KeyNotify(byte[] key, boolean stop) implements AioCommand {}

  /** A request that is well-formed RESP3 but not a command: answered {@code -ERR <message>}. */
  final class Refused extends Exception {
    public Refused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Parses a request's elements. Verbs and options are matched without regard to case: the
   * protocol's own examples send them in lower case.
   *
   * @throws Refused with the protocol's error texts: "unknown command", "wrong number of
   *     arguments", "syntax error", "the key length is zero"
   */
  static AioCommand parse(List<byte[]> args) throws Refused {
    String verb = word(args.get(0));
    AioCommand command =
        switch (verb) {
          case "SET" -> parseSet(args);
          case "GET" -> new Get(exactly(args, 2).get(1));
          case "DEL" -> new Del(exactly(args, 2).get(1));
          case "VDEL" -> new VDel(exactly(args, 3).get(1), args.get(2));
          case "KEYNOTIFY" -> parseKeyNotify(args);
          default -> throw new Refused("unknown command");
        };
    if (command.key().length == 0) {
      throw new Refused("the key length is zero");
    }
    return command;
  }

  private static Set parseSet(List<byte[]> args) throws Refused {
    if (args.size() < 3) {
      throw new Refused("wrong number of arguments");
    }
    Condition condition = Condition.ALWAYS;
    byte[] expected = null;
    Optional<Duration> ttl = Optional.empty();
    for (int i = 3; i < args.size(); i++) {
      String option = word(args.get(i));
      switch (option) {
        case "NX", "NEX", "VEQ" -> {
          if (condition != Condition.ALWAYS) {
            throw new Refused("syntax error");
          }
          condition =
              switch (option) {
                case "NX" -> Condition.ABSENT;
                case "NEX" -> Condition.ABSENT_OR_SAME_VALUE;
                default -> Condition.VALUE_EQUALS;
              };
          if (condition == Condition.VALUE_EQUALS) {
            expected = next(args, ++i);
          }
        }
        case "PX" -> {
          if (ttl.isPresent()) {
            throw new Refused("syntax error");
          }
          ttl = Optional.of(Duration.ofMillis(positiveMillis(next(args, ++i))));
        }
        default -> throw new Refused("syntax error");
      }
    }
    return new Set(args.get(1), args.get(2), condition, expected, ttl);
  }

  private static KeyNotify parseKeyNotify(List<byte[]> args) throws Refused {
    if (args.size() == 2) {
      return new KeyNotify(args.get(1), false);
    }
    if (args.size() == 3 && word(args.get(2)).equals("STOP")) {
      return new KeyNotify(args.get(1), true);
    }
    throw new Refused(args.size() == 3 ? "syntax error" : "wrong number of arguments");
  }

  private static List<byte[]> exactly(List<byte[]> args, int size) throws Refused {
    if (args.size() != size) {
      throw new Refused("wrong number of arguments");
    }
    return args;
  }

  private static byte[] next(List<byte[]> args, int index) throws Refused {
    if (index >= args.size()) {
      throw new Refused("syntax error");
    }
    return args.get(index);
  }

  private static long positiveMillis(byte[] text) throws Refused {
    String digits = new String(text, StandardCharsets.US_ASCII);
    // At most 18 digits: parses without overflow, and ten million years is long enough.
    if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
      throw new Refused("syntax error");
    }
    long millis = Long.parseLong(digits);
    if (millis == 0) {
      throw new Refused("syntax error");
    }
    return millis;
  }

  private static String word(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
  }
}
