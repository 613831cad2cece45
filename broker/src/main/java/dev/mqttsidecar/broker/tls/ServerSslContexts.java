package dev.mqttsidecar.broker.tls;

import dev.mqttsidecar.broker.Listener;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/** Builds a listener's server {@link SslContext} from its PEM files. */
final class ServerSslContexts {
  /** TLS 1.0 and 1.1 are deprecated (RFC 8996): clients offering only those are refused. */
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private ServerSslContexts() {}

  /** A context with the provider this process uses ({@link TlsProvider}). */
  static SslContext build(Listener.Tls tls) throws TlsFileException {
    return build(tls, TlsProvider.PROVIDER);
  }

  static SslContext build(Listener.Tls tls, SslProvider provider) throws TlsFileException {
    List<X509Certificate> chain = PemFiles.certificates("tls.cert", tls.cert());
    PrivateKey key = PemFiles.privateKey("tls.key", tls.key());
    requireMatch(key, chain.get(0), tls);
    SslContextBuilder builder =
        SslContextBuilder.forServer(key, chain).sslProvider(provider).protocols(PROTOCOLS);
    if (tls.clientCa() != null) {
      List<X509Certificate> cas = PemFiles.certificates("tls.clientCa", tls.clientCa());
      builder
          .trustManager(cas)
          // OPTIONAL still refuses a certificate that does not verify; it only lets a client
          // without one connect (and authenticate otherwise).
          .clientAuth(tls.requireClientCert() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
    }
    try {
      return builder.build();
    } catch (SSLException | RuntimeException e) {
      throw new TlsFileException(
          "tls.cert", tls.cert(), "cannot be used with its key: " + e.getMessage(), e);
    }
  }

  /**
   * Fails at start, naming the files, when the key is not the certificate's: otherwise every
   * handshake would fail later with an obscure alert.
   */
  private static void requireMatch(PrivateKey key, X509Certificate cert, Listener.Tls tls)
      throws TlsFileException {
    PublicKey publicKey = cert.getPublicKey();
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return; // an unusual key type: the handshake will tell
    }
    byte[] probe = {'m', 'q', 't', 't'};
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new TlsFileException(
          "tls.key", tls.key(), "is not the private key of the first certificate in " + tls.cert());
    }
  }
}
