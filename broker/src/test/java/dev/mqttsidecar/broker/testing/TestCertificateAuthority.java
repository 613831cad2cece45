package dev.mqttsidecar.broker.testing;

import static dev.mqttsidecar.broker.testing.TestPki.RANDOM;
import static dev.mqttsidecar.broker.testing.TestPki.VALIDITY;

import dev.mqttsidecar.broker.testing.TestPki.Credential;
import dev.mqttsidecar.broker.testing.TestPki.KeyType;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A CA of the {@link TestPki}: its own credential, and the certificates it signs. */
record TestCertificateAuthority(Credential credential, X500Name subject) {

  static TestCertificateAuthority selfSigned(Path dir, String fileName, String commonName) {
    try {
      KeyPair keys = generate(KeyType.EC);
      X500Name subject = new X500Name("CN=" + commonName);
      Instant now = Instant.now();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(VALIDITY)),
              subject,
              keys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              ext.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate cert = sign(builder, keys.getPrivate());
      Credential credential =
          CredentialFiles.write(dir, fileName, cert, List.of(), keys.getPrivate());
      return new TestCertificateAuthority(credential, subject);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A certificate valid from just before {@code notAfter - VALIDITY} to {@code notAfter}. */
  Credential issue(
      Path dir,
      String fileName,
      X500Name subject,
      ExtendedKeyUsage usage,
      GeneralNames sans,
      KeyType keyType,
      Instant notAfter) {
    Instant notBefore = notAfter.minus(VALIDITY).minus(Duration.ofHours(1));
    try {
      KeyPair keys = generate(keyType);
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              this.subject,
              serial(),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              keys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(
              Extension.keyUsage,
              true,
              new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false, usage)
          .addExtension(
              Extension.authorityKeyIdentifier,
              false,
              ext.createAuthorityKeyIdentifier(credential.certificate()));
      if (sans != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, sans);
      }
      X509Certificate cert = sign(builder, credential.privateKey());
      return CredentialFiles.write(
          dir, fileName, cert, List.of(credential.certificate()), keys.getPrivate());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair generate(KeyType type) throws GeneralSecurityException {
    if (type == KeyType.RSA) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048, RANDOM);
      return g.generateKeyPair();
    }
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(63, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
      throws GeneralSecurityException {
    String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
