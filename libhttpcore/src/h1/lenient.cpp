#include "httpcore/h1/lenient.hpp"

namespace httpcore::h1 {

bool set_lenient_flag(lenient_flags& f, std::string_view name) noexcept {
  bool* const fields[] = {&f.headers,
                          &f.chunked_length,
                          &f.keep_alive,
                          &f.transfer_encoding,
                          &f.version,
                          &f.data_after_close,
                          &f.optional_lf_after_cr,
                          &f.optional_cr_before_lf,
                          &f.optional_crlf_after_chunk,
                          &f.spaces_after_chunk_size,
                          &f.host};
  static_assert(std::size(lenient_flag_names) == std::size(fields));
  for (std::size_t i = 0; i < std::size(fields); ++i) {
    if (lenient_flag_names[i] == name) {
      *fields[i] = true;
      return true;
    }
  }
  return false;
}

}  // namespace httpcore::h1
