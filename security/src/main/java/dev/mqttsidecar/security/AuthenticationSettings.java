package dev.mqttsidecar.security;

import java.nio.file.Path;

/**
 * The configuration file's {@code authentication} section.
 *
 * @param anonymous whether a client that presents no credentials may connect
 * @param passwordFile lines {@code username:hash}, or null
 * @param jwt JSON Web Tokens in the CONNECT password, or null
 */
public record AuthenticationSettings(boolean anonymous, Path passwordFile, JwtSettings jwt) {

  /**
   * The {@code jwt} subsection.
   *
   * @param jwks the JSON Web Key Set file the tokens' signatures are checked against
   * @param issuer the required {@code iss} claim, or null
   * @param audience the required {@code aud} claim, or null
   */
  public record JwtSettings(Path jwks, String issuer, String audience) {}
}
