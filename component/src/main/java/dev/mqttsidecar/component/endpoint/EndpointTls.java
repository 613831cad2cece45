package dev.mqttsidecar.component.endpoint;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The client side of TLS to an endpoint, from PEM files: the CA bundle it trusts and the client
 * certificate it presents. The server's name is verified against its certificate.
 */
final class EndpointTls {
  private static final char[] NO_PASSWORD = new char[0];

  private EndpointTls() {}

  /**
   * @throws IllegalArgumentException naming the file that cannot be used
   */
  static MqttClientSslConfig sslConfig(EndpointSettings.Tls tls) {
    MqttClientSslConfigBuilder builder = MqttClientSslConfig.builder();
    try {
      if (tls.trustedCaFile() != null) {
        KeyStore trusted = emptyKeyStore();
        int i = 0;
        for (X509Certificate ca : certificates(tls.trustedCaFile())) {
          trusted.setCertificateEntry("ca" + i++, ca);
        }
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        builder = builder.trustManagerFactory(tmf);
      }
      if (tls.certFile() != null) {
        KeyStore keys = emptyKeyStore();
        List<X509Certificate> chain = certificates(tls.certFile());
        keys.setKeyEntry(
            "client", privateKey(tls.keyFile()), NO_PASSWORD, chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, NO_PASSWORD);
        builder = builder.keyManagerFactory(kmf);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("TLS: " + e.getMessage(), e);
    }
    return builder.build();
  }

  private static KeyStore emptyKeyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    return store;
  }

  private static List<X509Certificate> certificates(Path file) throws GeneralSecurityException {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    for (Object o : pemObjects(file)) {
      if (o instanceof X509CertificateHolder holder) {
        certificates.add(converter.getCertificate(holder));
      }
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("no PEM certificate in " + file);
    }
    return certificates;
  }

  private static PrivateKey privateKey(Path file) throws GeneralSecurityException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      for (Object o : pemObjects(file)) {
        if (o instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable private key in " + file, e);
    }
    throw new IllegalArgumentException("no unencrypted PEM private key in " + file);
  }

  private static List<Object> pemObjects(Path file) {
    List<Object> objects = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
        PEMParser parser = new PEMParser(reader)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        objects.add(o);
      }
      return objects;
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read " + file + " as PEM: " + e.getMessage(), e);
    }
  }
}
