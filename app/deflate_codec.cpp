// The app's codec factory: httpcore::ws_deflate's server::deflate_codec_factory
// when built with zlib, otherwise a factory that says there is none.

#include "deflate_codec.hpp"

#include <stdexcept>

#ifdef HTTPCORE_APP_HAVE_DEFLATE
#include "httpcore/server/deflate_codec.hpp"
#endif

namespace httpcore::app {

#ifdef HTTPCORE_APP_HAVE_DEFLATE

bool deflate_available() noexcept {
  return true;
}

std::unique_ptr<server::message_codec> deflate_codec_factory::make(
    const ws::deflate_params& agreed) {
  return server::deflate_codec_factory(max_message_bytes_, level_).make(agreed);
}

#else

bool deflate_available() noexcept {
  return false;
}

std::unique_ptr<server::message_codec> deflate_codec_factory::make(const ws::deflate_params&) {
  throw std::logic_error("permessage-deflate is not built in (no zlib)");
}

#endif

}  // namespace httpcore::app
