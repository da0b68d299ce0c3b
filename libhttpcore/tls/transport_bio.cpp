// A source/sink BIO over a session's transport buffers.

#include "transport_bio.hpp"

#include <algorithm>
#include <cstring>
#include <new>

namespace httpcore::tls::detail {
namespace {

transport* of(BIO* b) {
  return static_cast<transport*>(BIO_get_data(b));
}

int write_ex(BIO* b, const char* data, std::size_t size, std::size_t* written) {
  BIO_clear_retry_flags(b);
  try {
    of(b)->output.append(data, size);
  } catch (const std::bad_alloc&) {
    return 0;  // not retryable: OpenSSL reports an error
  }
  *written = size;
  return 1;
}

// Nothing left: "retry" (WANT_READ) until the stream has ended; after that
// a plain 0 with BIO_eof true, which OpenSSL reports as an unexpected EOF.
int read_ex(BIO* b, char* out, std::size_t size, std::size_t* read) {
  BIO_clear_retry_flags(b);
  transport* t = of(b);
  const std::size_t left = t->input.size() - t->taken;
  if (left == 0) {
    *read = 0;
    if (!t->eof) BIO_set_retry_read(b);
    return 0;
  }
  const std::size_t n = std::min(size, left);
  std::memcpy(out, t->input.data() + t->taken, n);
  t->taken += n;
  t->total_taken += n;
  *read = n;
  return 1;
}

long ctrl(BIO* b, int cmd, long /*num*/, void* /*ptr*/) {
  transport* t = of(b);
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_EOF:
      return t->eof && t->taken == t->input.size() ? 1 : 0;
    case BIO_CTRL_PENDING:
      return static_cast<long>(t->input.size() - t->taken);
    case BIO_CTRL_WPENDING:
      return 0;  // writes are taken at once
    default:
      return 0;
  }
}

int create(BIO* b) {
  BIO_set_init(b, 1);
  return 1;
}

const BIO_METHOD* method() {
  // Made once and kept for the process (OpenSSL keeps no reference to free).
  static BIO_METHOD* const m = [] {
    BIO_METHOD* made = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "httpcore-tls");
    if (made == nullptr) return made;
    BIO_meth_set_write_ex(made, write_ex);
    BIO_meth_set_read_ex(made, read_ex);
    BIO_meth_set_ctrl(made, ctrl);
    BIO_meth_set_create(made, create);
    return made;
  }();
  return m;
}

}  // namespace

BIO* make_transport_bio(transport* t) {
  const BIO_METHOD* m = method();
  if (m == nullptr) return nullptr;
  BIO* b = BIO_new(m);
  if (b != nullptr) BIO_set_data(b, t);
  return b;
}

}  // namespace httpcore::tls::detail
