#pragma once
// Accept-Encoding (RFC 9110 §12.5.3): how much a client wants each content
// coding the app layer can send. The one reading of the field, for the
// compression() middleware and for static files' precompressed siblings.

#include <string_view>

namespace httpcore::app::detail {

/// The q-value (0 to 1) of br and of gzip ("x-gzip" counts as gzip); "*"
/// stands for a coding the field does not name. 0: not acceptable (refused
/// with q=0, or not named at all).
struct encoding_weights {
  double br = 0, gzip = 0;
};
encoding_weights accept_encoding_weights(std::string_view field) noexcept;

}  // namespace httpcore::app::detail
