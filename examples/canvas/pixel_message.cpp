#include "pixel_message.hpp"

#include <nlohmann/json.hpp>

namespace canvas {
namespace {

using json = nlohmann::json;

// One member as an integer in [0, limit), or why not.
std::variant<std::uint8_t, std::string> member(const json& object, const char* name, int limit) {
  auto it = object.find(name);
  if (it == object.end()) return std::string("missing ") + name;
  if (!it->is_number_integer()) return std::string(name) + " must be an integer";
  if (it->is_number_unsigned()
          ? it->get<std::uint64_t>() >= std::uint64_t(limit)
          : (it->get<std::int64_t>() < 0 || it->get<std::int64_t>() >= limit)) {
    return std::string(name) + " out of range (0-" + std::to_string(limit - 1) + ")";
  }
  return static_cast<std::uint8_t>(it->get<std::int64_t>());
}

}  // namespace

std::variant<pixel, std::string> parse_pixel(std::string_view message) {
  if (message.size() > max_message_bytes) {
    return "message too long (over " + std::to_string(max_message_bytes) + " bytes)";
  }
  json j;
  try {
    j = json::parse(message);
  } catch (const json::parse_error& e) {
    return "malformed JSON at byte " + std::to_string(e.byte);
  }
  if (!j.is_object()) return std::string("expected an object with x, y and c");
  for (const auto& item : j.items()) {
    if (item.key() != "x" && item.key() != "y" && item.key() != "c") {
      return std::string("unknown member (only x, y and c)");
    }
  }
  pixel p;
  std::uint8_t* fields[] = {&p.x, &p.y, &p.c};
  const char* names[] = {"x", "y", "c"};
  const int limits[] = {width, height, colours};
  for (int i = 0; i < 3; ++i) {
    auto v = member(j, names[i], limits[i]);
    if (auto* error = std::get_if<std::string>(&v)) return std::move(*error);
    *fields[i] = std::get<std::uint8_t>(v);
  }
  return p;
}

std::string format_pixel(const pixel& p) {
  return "{\"x\":" + std::to_string(p.x) + ",\"y\":" + std::to_string(p.y) +
         ",\"c\":" + std::to_string(p.c) + "}";
}

std::string format_error(std::string_view reason) {
  return "{\"error\":\"" + std::string(reason) + "\"}";
}

std::string format_cooldown(std::int64_t retry_ms) {
  return "{\"error\":\"cooldown\",\"retry_ms\":" + std::to_string(retry_ms) + "}";
}

}  // namespace canvas
