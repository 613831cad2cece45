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
public final class EndpointTls {
  private static final char[] NO_PASSWORD = new char[0];

  private EndpointTls() {}

  /**
   * @throws IllegalArgumentException naming the file that cannot be used
   */
  static MqttClientSslConfig sslConfig(EndpointSettings.Tls tls) {
    return sslConfig(
        Pem.file(tls.trustedCaFile()), Pem.file(tls.certFile()), Pem.file(tls.keyFile()));
  }

  /**
   * The same from PEM text given inline (as Dapr's {@code pubsub.mqtt3} takes {@code caCert},
   * {@code clientCert} and {@code clientKey}); a null argument is left out.
   *
   * @throws IllegalArgumentException naming the value that cannot be used
   */
  public static MqttClientSslConfig sslConfigFromPem(String caPem, String certPem, String keyPem) {
    return sslConfig(
        Pem.text("caCert", caPem), Pem.text("clientCert", certPem), Pem.text("clientKey", keyPem));
  }

  /** PEM from a file or inline text; {@code name} says which in error messages. */
  private record Pem(String name, Path file, String text) {
    static Pem file(Path file) {
      return file == null ? null : new Pem(file.toString(), file, null);
    }

    static Pem text(String name, String text) {
      return text == null ? null : new Pem(name, null, text);
    }

    Reader open() throws IOException {
      return file != null
          ? Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)
          : new java.io.StringReader(text);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static MqttClientSslConfig sslConfig(Pem ca, Pem cert, Pem key) {
    MqttClientSslConfigBuilder builder = MqttClientSslConfig.builder();
    try {
      if (ca != null) {
        KeyStore trusted = emptyKeyStore();
        int i = 0;
        for (X509Certificate trustedCa : certificates(ca)) {
          trusted.setCertificateEntry("ca" + i++, trustedCa);
        }
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        builder = builder.trustManagerFactory(tmf);
      }
      if (cert != null) {
        KeyStore keys = emptyKeyStore();
        List<X509Certificate> chain = certificates(cert);
        keys.setKeyEntry("client", privateKey(key), NO_PASSWORD, chain.toArray(new Certificate[0]));
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

  private static List<X509Certificate> certificates(Pem file) throws GeneralSecurityException {
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

  private static PrivateKey privateKey(Pem file) throws GeneralSecurityException {
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

  private static List<Object> pemObjects(Pem file) {
    List<Object> objects = new ArrayList<>();
    try (Reader reader = file.open();
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
