package dev.mqttsidecar.component.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Signs JWTs (ES256) with a key of its own, as a Kubernetes API server signs service-account
 * tokens, and starts brokers that verify them with its JWK set ({@code authentication.jwt.jwks}).
 */
public final class JwtIssuer {
  private final ECKey key;

  private JwtIssuer(ECKey key) {
    this.key = key;
  }

  public static JwtIssuer create(String keyId) throws JOSEException {
    return new JwtIssuer(new ECKeyGenerator(Curve.P_256).keyID(keyId).generate());
  }

  /**
   * Starts a broker tier (memory store) in {@code folder} whose listener takes no anonymous client,
   * only tokens this issuer signed, and those only until their {@code exp}.
   */
  public SidecarProcess startTokenOnlyBroker(Path folder, String name) throws IOException {
    Files.writeString(
        folder.resolve(name + "-jwks.json"), new JWKSet(key.toPublicJWK()).toString());
    Path config =
        Files.writeString(
            folder.resolve(name + ".yaml"),
            """
            socket: { folder: sockets, name: %1$s }
            storage: { durability: memory }
            listeners: [{ name: clients, host: 127.0.0.1, port: 0 }]
            authentication: { anonymous: false, jwt: { jwks: %1$s-jwks.json } }
            """
                .formatted(name));
    return SidecarProcess.launch(List.of("--config", config.toString()));
  }

  /** A token for {@code subject} that expires at {@code expires}. */
  public String sign(String subject, Instant expires) throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
            new JWTClaimsSet.Builder().subject(subject).expirationTime(Date.from(expires)).build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }
}
