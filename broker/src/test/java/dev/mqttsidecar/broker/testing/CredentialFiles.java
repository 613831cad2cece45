package dev.mqttsidecar.broker.testing;

import dev.mqttsidecar.broker.testing.TestPki.Credential;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/** Writes a certificate and its key as the PEM files a {@link Credential} names. */
final class CredentialFiles {
  private CredentialFiles() {}

  static Credential write(
      Path dir,
      String fileName,
      X509Certificate cert,
      List<X509Certificate> issuers,
      PrivateKey key)
      throws IOException {
    List<Object> chain = new ArrayList<>();
    chain.add(cert);
    chain.addAll(issuers);
    Path certFile = dir.resolve(fileName + ".pem");
    Path keyFile = dir.resolve(fileName + ".key");
    Path traditionalFile = dir.resolve(fileName + ".traditional.key");
    Files.writeString(certFile, pem(chain.toArray()), StandardCharsets.US_ASCII);
    Files.writeString(keyFile, pem(new JcaPKCS8Generator(key, null)), StandardCharsets.US_ASCII);
    Files.writeString(traditionalFile, traditionalPem(key), StandardCharsets.US_ASCII);
    return new Credential(fileName, certFile, keyFile, traditionalFile, cert, key);
  }

  /**
   * {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY} (SEC1, with the curve named inside
   * as OpenSSL writes it; the JDK's PKCS#8 encoding keeps the curve only outside the key).
   */
  private static String traditionalPem(PrivateKey key) throws IOException {
    if (!(key instanceof ECPrivateKey ec)) {
      return pem(key);
    }
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
    org.bouncycastle.asn1.sec.ECPrivateKey sec1 =
        new org.bouncycastle.asn1.sec.ECPrivateKey(
            ec.getParams().getOrder().bitLength(),
            ec.getS(),
            info.getPrivateKeyAlgorithm().getParameters());
    return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
  }

  private static String pem(Object... objects) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        if (o instanceof PemObjectGenerator generator) {
          writer.writeObject(generator); // PKCS#8, SEC1: already PEM objects
        } else {
          writer.writeObject(o); // certificates; private keys in the traditional form
        }
      }
    }
    return out.toString();
  }
}
