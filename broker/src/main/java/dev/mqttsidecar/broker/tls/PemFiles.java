package dev.mqttsidecar.broker.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM certificates and private keys. Keys may be PKCS#8 ({@code BEGIN PRIVATE KEY}) or the
 * traditional OpenSSL forms ({@code BEGIN RSA PRIVATE KEY}, PKCS#1; {@code BEGIN EC PRIVATE KEY},
 * SEC1), which the JDK alone cannot read. Keys and certificates convert with the default JCA
 * provider: Bouncy Castle only parses, it is never installed as a provider.
 */
final class PemFiles {
  private PemFiles() {}

  /** The certificates of {@code file} in file order: at least one. */
  static List<X509Certificate> certificates(String setting, Path file) throws TlsFileException {
    List<X509Certificate> certs = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    for (Object o : objects(setting, file)) {
      if (o instanceof X509CertificateHolder holder) {
        try {
          certs.add(converter.getCertificate(holder));
        } catch (CertificateException e) {
          throw new TlsFileException(setting, file, "unreadable certificate: " + e.getMessage(), e);
        }
      }
    }
    if (certs.isEmpty()) {
      throw new TlsFileException(setting, file, "no PEM certificate (BEGIN CERTIFICATE) in it");
    }
    return certs;
  }

  /** The one private key of {@code file}. */
  static PrivateKey privateKey(String setting, Path file) throws TlsFileException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    for (Object o : objects(setting, file)) {
      try {
        if (o instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo()); // PKCS#1, SEC1
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info); // PKCS#8
        }
      } catch (PEMException e) {
        throw new TlsFileException(setting, file, "unsupported private key: " + e.getMessage(), e);
      }
      if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
        throw new TlsFileException(
            setting, file, "the private key is encrypted; a key without passphrase is needed");
      }
    }
    throw new TlsFileException(setting, file, "no PEM private key (BEGIN ... PRIVATE KEY) in it");
  }

  private static List<Object> objects(String setting, Path file) throws TlsFileException {
    List<Object> objects = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
        PEMParser parser = new PEMParser(reader)) {
      // A PEM file holds a handful of objects; the bound only guards against a runaway parser.
      for (int i = 0; i < 1000; i++) {
        Object o = parser.readObject();
        if (o == null) {
          return objects;
        }
        objects.add(o);
      }
      throw new TlsFileException(setting, file, "more than 1000 PEM objects");
    } catch (NoSuchFileException e) {
      throw new TlsFileException(setting, file, "no such file", e);
    } catch (IOException | RuntimeException e) {
      // Bouncy Castle reports malformed base64 or DER as runtime exceptions too.
      throw new TlsFileException(setting, file, "cannot read it as PEM: " + e.getMessage(), e);
    }
  }
}
