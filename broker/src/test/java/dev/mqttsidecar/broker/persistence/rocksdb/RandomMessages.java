package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.UserProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random messages covering every field, including edge values. */
final class RandomMessages {
  private final Random random;

  RandomMessages(long seed) {
    this.random = new Random(seed);
  }

  Message next() {
    String topic = text(1 + random.nextInt(40));
    byte[] payload =
        bytes(random.nextInt(8) == 0 ? 0 : random.nextInt(random.nextBoolean() ? 64 : 70_000));
    Qos qos = Qos.of(random.nextInt(3));
    MessageProperties props = random.nextInt(4) == 0 ? MessageProperties.NONE : properties();
    Instant expiresAt =
        switch (random.nextInt(4)) {
          case 0 -> Instant.ofEpochSecond(random.nextLong() >> 30, random.nextInt(1_000_000_000));
          case 1 -> Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(1_000_000));
          default -> null;
        };
    return new Message(topic, payload, qos, random.nextBoolean(), props, expiresAt);
  }

  private MessageProperties properties() {
    List<UserProperty> users = new ArrayList<>();
    int n = random.nextInt(5);
    for (int i = 0; i < n; i++) {
      // Duplicates on purpose: order and repeats are significant.
      String name = random.nextInt(3) == 0 ? "dup" : text(random.nextInt(10));
      users.add(new UserProperty(name, text(random.nextInt(20))));
    }
    return new MessageProperties(
        random.nextBoolean(),
        random.nextBoolean() ? text(random.nextInt(30)) : null,
        random.nextBoolean() ? text(1 + random.nextInt(30)) : null,
        random.nextBoolean() ? bytes(random.nextInt(40)) : null,
        users);
  }

  /** Text with ASCII, multi-byte and supplementary characters, and U+0000. */
  String text(int length) {
    StringBuilder sb = new StringBuilder();
    String[] pieces = {"a", "Z", "/", "+", "é", "漢", "\uD83D\uDE00", "\u0000", " ", "9"};
    for (int i = 0; i < length; i++) {
      sb.append(pieces[random.nextInt(pieces.length)]);
    }
    return sb.toString();
  }

  byte[] bytes(int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }
}
