package dev.mqttsidecar.security;

import dev.mqttsidecar.broker.ClientIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A rule's {@code match}, compiled: every field given must fit the client; a field left out fits
 * every client; a given field never fits a client that lacks the value (no user name, no
 * certificate).
 */
final class ClientMatch {
  private final Field[] fields;

  private record Field(Glob glob, Function<ClientIdentity, String> value) {
    boolean fits(ClientIdentity client) {
      String v = value.apply(client);
      return v != null && glob.matches(v);
    }
  }

  ClientMatch(AuthorizationRule.Match match) {
    if (match == null) {
      this.fields = new Field[0];
      return;
    }
    List<Field> given = new ArrayList<>(4);
    add(given, match.clientId(), ClientIdentity::clientId);
    add(given, match.username(), ClientIdentity::username);
    add(given, match.certCommonName(), ClientIdentity::certCommonName);
    add(given, match.listener(), ClientIdentity::listener);
    this.fields = given.toArray(new Field[0]);
  }

  private static void add(
      List<Field> given, String pattern, Function<ClientIdentity, String> value) {
    if (pattern != null) {
      given.add(new Field(new Glob(pattern), value));
    }
  }

  boolean fits(ClientIdentity client) {
    for (Field f : fields) {
      if (!f.fits(client)) {
        return false;
      }
    }
    return true;
  }
}
