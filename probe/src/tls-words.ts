import type { StepError } from './report.js';

/** OpenSSL verification codes and Node's TLS errors in the words a user needs to fix them. */
const TLS_WORDS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed: browsers reject it unless it was added to their trust store',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed root that is not trusted (a private CA or an intercepting proxy)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate cannot be traced to a trusted root: the server probably does not send its intermediate certificate',
  UNABLE_TO_GET_ISSUER_CERT: 'the issuer of a certificate in the chain is unknown: an intermediate certificate is missing',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer is not a trusted root here: an intermediate certificate is missing or the CA is private',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet (its start date is in the future, or this clock is wrong)',
  CERT_REVOKED: 'the certificate has been revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is not valid for this host name (no matching subjectAltName)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server did not answer with TLS: the port speaks plain HTTP (try ws:// instead of wss://)',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'the server did not answer with TLS: the port speaks plain HTTP (try ws:// instead of wss://)',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'the server and the probe share no TLS version',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'the TLS handshake failed: no common cipher, or the server requires a client certificate',
  ERR_SSL_TLSV1_ALERT_UNRECOGNIZED_NAME: 'the server does not know this host name (SNI): wrong host or missing virtual host',
};

export function describeTlsError(code: string, fallback: string): StepError {
  return { code, message: TLS_WORDS[code] ?? fallback };
}
