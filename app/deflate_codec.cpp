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

deflate_codec_factory::deflate_codec_factory(std::uint64_t max_message_bytes, int level,
                                             std::uint64_t budget_bytes)
    : impl_(std::make_unique<server::deflate_codec_factory>(max_message_bytes, level,
                                                            budget_bytes)) {}

std::unique_ptr<server::message_codec> deflate_codec_factory::make(
    const ws::deflate_params& agreed) {
  return impl_->make(agreed);
}

#else

bool deflate_available() noexcept {
  return false;
}

deflate_codec_factory::deflate_codec_factory(std::uint64_t, int, std::uint64_t) {}

std::unique_ptr<server::message_codec> deflate_codec_factory::make(const ws::deflate_params&) {
  throw std::logic_error("permessage-deflate is not built in (no zlib)");
}

#endif

deflate_codec_factory::~deflate_codec_factory() = default;

}  // namespace httpcore::app
