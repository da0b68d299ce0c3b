// The ticket callback: seal with the current key, open with any key kept.

#include "ticket_keys.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstring>
#include <new>

namespace httpcore::tls {
namespace {

// Where each SSL_CTX keeps its ring (one index for the process).
int ring_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

bool set_hmac_key(EVP_MAC_CTX* mac, unsigned char* key, std::size_t size) {
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, key, size),
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end(),
  };
  return EVP_MAC_CTX_set_params(mac, params) == 1;
}

}  // namespace

ticket_keys::ticket_keys(int kept) : kept_(static_cast<std::size_t>(std::max(kept, 1))) {
  keys_.push_front(fresh_key());
}

ticket_keys::~ticket_keys() {
  for (auto& k : keys_) OPENSSL_cleanse(&k, sizeof k);
}

ticket_keys::key ticket_keys::fresh_key() {
  key k;
  if (RAND_bytes(k.name.data(), static_cast<int>(k.name.size())) != 1 ||
      RAND_priv_bytes(k.aes.data(), static_cast<int>(k.aes.size())) != 1 ||
      RAND_priv_bytes(k.hmac.data(), static_cast<int>(k.hmac.size())) != 1) {
    throw std::bad_alloc();  // the random generator cannot fail short of resources
  }
  return k;
}

void ticket_keys::rotate() {
  key k = fresh_key();
  std::lock_guard lock(mutex_);
  keys_.push_front(k);
  while (keys_.size() > kept_) {
    OPENSSL_cleanse(&keys_.back(), sizeof(key));
    keys_.pop_back();
  }
  OPENSSL_cleanse(&k, sizeof k);
}

void ticket_keys::install(SSL_CTX* ctx) {
  SSL_CTX_set_ex_data(ctx, ring_index(), this);
  SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, &ticket_keys::callback);
}

// OpenSSL's contract: sealing returns 1 (or -1 on error); opening returns 0
// for an unknown key (a full handshake follows), 1 for the current key and 2
// for an older one (accepted, and a new ticket is issued).
int ticket_keys::callback(SSL* ssl, unsigned char* name, unsigned char* iv, EVP_CIPHER_CTX* cipher,
                          EVP_MAC_CTX* mac, int encrypt) {
  auto* ring = static_cast<ticket_keys*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), ring_index()));
  if (ring == nullptr) return -1;
  return encrypt ? ring->seal(name, iv, cipher, mac) : ring->open(name, iv, cipher, mac);
}

int ticket_keys::seal(unsigned char* name, unsigned char* iv, EVP_CIPHER_CTX* cipher,
                      EVP_MAC_CTX* mac) {
  const EVP_CIPHER* aes = EVP_aes_256_cbc();
  if (RAND_bytes(iv, EVP_CIPHER_get_iv_length(aes)) != 1) return -1;
  std::lock_guard lock(mutex_);
  key& k = keys_.front();
  std::memcpy(name, k.name.data(), k.name.size());
  if (EVP_EncryptInit_ex(cipher, aes, nullptr, k.aes.data(), iv) != 1) return -1;
  return set_hmac_key(mac, k.hmac.data(), k.hmac.size()) ? 1 : -1;
}

int ticket_keys::open(const unsigned char* name, const unsigned char* iv, EVP_CIPHER_CTX* cipher,
                      EVP_MAC_CTX* mac) {
  std::lock_guard lock(mutex_);
  auto it = std::find_if(keys_.begin(), keys_.end(), [&](const key& k) {
    return std::memcmp(k.name.data(), name, k.name.size()) == 0;
  });
  if (it == keys_.end()) return 0;
  if (!set_hmac_key(mac, it->hmac.data(), it->hmac.size())) return -1;
  if (EVP_DecryptInit_ex(cipher, EVP_aes_256_cbc(), nullptr, it->aes.data(), iv) != 1) return -1;
  return it == keys_.begin() ? 1 : 2;
}

}  // namespace httpcore::tls
