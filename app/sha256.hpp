#pragma once
// SHA-256 over bytes given piece by piece (OpenSSL's EVP interface), for the
// digests /api/upload reports. Internal to the app layer: no OpenSSL type in
// the header.

#include <memory>
#include <string>
#include <string_view>

namespace httpcore::app {

class sha256 {
 public:
  /// Throws std::bad_alloc when OpenSSL cannot make a digest context.
  sha256();
  ~sha256();
  sha256(sha256&&) noexcept;
  sha256& operator=(sha256&&) noexcept;

  void update(std::string_view bytes);
  /// The digest of everything given, as 64 lowercase hex digits. Call once:
  /// the object is spent afterwards.
  std::string hex_digest();

 private:
  struct ctx_free {
    void operator()(void* ctx) const noexcept;
  };
  std::unique_ptr<void, ctx_free> ctx_;
};

}  // namespace httpcore::app
