package dev.mqttsidecar.component.config;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files a configuration names, written so the sidecar's start-up checks accept them. */
final class ReferencedFiles {
  private ReferencedFiles() {}

  /**
   * Writes each named file into {@code dir}: a key set with one public key for {@code jwks.json}
   * (it is parsed at start), empty files otherwise (they only have to exist).
   */
  static void write(Path dir, String... names) throws IOException {
    for (String name : names) {
      Files.writeString(dir.resolve(name), name.equals("jwks.json") ? keySet() : "");
    }
  }

  private static String keySet() {
    try {
      return new JWKSet(new ECKeyGenerator(Curve.P_256).generate().toPublicJWK()).toString();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
