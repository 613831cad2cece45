package dev.mqttsidecar.security.jwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.mqttsidecar.security.file.ReloadingFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The public keys tokens are signed with: a JSON Web Key Set file (RFC 7517), read again when it
 * changes, so keys can be rotated without a restart: add the new key, let the old tokens expire,
 * remove the old key.
 */
final class JwksFile implements JWKSource<SecurityContext> {
  private final ReloadingFile<JWKSet> file;

  /**
   * @throws IllegalArgumentException naming the setting and the file when it is missing,
   *     unreadable, not a key set or holds no key
   */
  JwksFile(String setting, Path path) {
    this.file = new ReloadingFile<>(setting, path, JwksFile::parse);
  }

  private static JWKSet parse(byte[] content) throws java.text.ParseException {
    // Only the public halves: a file that also holds private keys must not make them usable here.
    JWKSet keys = JWKSet.parse(new String(content, StandardCharsets.UTF_8)).toPublicJWKSet();
    if (keys.getKeys().isEmpty()) {
      throw new IllegalArgumentException("the key set holds no public key");
    }
    return keys;
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context) {
    return selector.select(file.get());
  }
}
