#pragma once
// The BIO between OpenSSL and a session: reads come from the ciphertext the
// current receive() was given, writes append to the session's output. It is
// memory only (no file descriptor), like a memory BIO, but without a copy of
// the input and without a buffer of its own that stays allocated when idle:
// a partial record waits in OpenSSL's record buffer, which
// SSL_MODE_RELEASE_BUFFERS frees between records, and the output is the
// session's string, which the session frees when drained.

#include <openssl/bio.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace httpcore::tls::detail {

struct transport {
  std::span<const std::byte> input;  // what receive() was given
  std::size_t taken = 0;             // of it, read by OpenSSL
  std::uint64_t total_taken = 0;     // over the session's life
  bool eof = false;                  // the peer's stream has ended
  std::string output;                // ciphertext to write; [output_head, size) pending
  std::size_t output_head = 0;
};

/// A BIO over `t`, which must outlive it.
BIO* make_transport_bio(transport* t);

}  // namespace httpcore::tls::detail
