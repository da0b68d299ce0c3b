#pragma once
// Session-ticket keys (RFC 5077 §4's recommended construction, as OpenSSL's
// own default uses: AES-256-CBC plus HMAC-SHA256, named by 16 random bytes).
// A ring of the current key, which seals new tickets, and a few previous ones
// still accepted; shared by every context of a server across reloads, and
// used from whichever thread runs a handshake.

#include <openssl/ssl.h>

#include <array>
#include <cstddef>
#include <deque>
#include <mutex>

namespace httpcore::tls {

class ticket_keys {
 public:
  /// At most `kept` keys (at least 1); starts with one fresh random key.
  explicit ticket_keys(int kept);
  ~ticket_keys();
  ticket_keys(const ticket_keys&) = delete;
  ticket_keys& operator=(const ticket_keys&) = delete;

  /// A fresh current key; the oldest beyond `kept` is forgotten.
  void rotate();

  /// Installs the ticket callback on `ctx`; the ring must outlive it.
  void install(SSL_CTX* ctx);

 private:
  struct key {
    std::array<unsigned char, 16> name;
    std::array<unsigned char, 32> aes;
    std::array<unsigned char, 32> hmac;
  };
  static key fresh_key();
  static int callback(SSL* ssl, unsigned char* name, unsigned char* iv, EVP_CIPHER_CTX* cipher,
                      EVP_MAC_CTX* mac, int encrypt);
  int seal(unsigned char* name, unsigned char* iv, EVP_CIPHER_CTX* cipher, EVP_MAC_CTX* mac);
  int open(const unsigned char* name, const unsigned char* iv, EVP_CIPHER_CTX* cipher,
           EVP_MAC_CTX* mac);

  std::mutex mutex_;
  std::deque<key> keys_;  // front: current
  std::size_t kept_;
};

}  // namespace httpcore::tls
