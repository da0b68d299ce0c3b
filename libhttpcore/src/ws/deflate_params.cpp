// permessage-deflate negotiation, RFC 7692 §7.1. Offers and responses share
// one parameter reader; the rules that differ (which parameters need a
// value, what may appear in a response) are applied by each side.
#include "httpcore/ws/deflate_params.hpp"

#include <algorithm>

namespace httpcore::ws {
namespace {

constexpr std::string_view extension_name = "permessage-deflate";

// The parameters of one offer or response, as given. A window of 0 means the
// parameter was present without a value.
struct raw_params {
  bool server_no_context_takeover = false;
  bool client_no_context_takeover = false;
  std::optional<int> server_max_window_bits;
  std::optional<int> client_max_window_bits;
};

// RFC 7692 §7.1.2: 1*DIGIT without leading zero, 8..15.
std::optional<int> parse_window_bits(std::string_view v) {
  if (v.size() == 1 && (v[0] == '8' || v[0] == '9')) return v[0] - '0';
  if (v.size() == 2 && v[0] == '1' && v[1] >= '0' && v[1] <= '5') return 10 + (v[1] - '0');
  return std::nullopt;
}

// Every parameter known, none twice, values well-formed. Which windows may
// lack a value is the caller's rule, so those come back as 0.
std::optional<raw_params> read_params(const extension& ext) {
  raw_params out;
  bool seen[4] = {false, false, false, false};
  for (const extension_param& p : ext.params) {
    int which;
    if (ascii_iequals(p.name, "server_no_context_takeover")) {
      which = 0;
    } else if (ascii_iequals(p.name, "client_no_context_takeover")) {
      which = 1;
    } else if (ascii_iequals(p.name, "server_max_window_bits")) {
      which = 2;
    } else if (ascii_iequals(p.name, "client_max_window_bits")) {
      which = 3;
    } else {
      return std::nullopt;  // not defined by RFC 7692
    }
    if (seen[which]) return std::nullopt;  // §7.1: the same parameter twice
    seen[which] = true;
    if (which < 2) {
      if (p.has_value) return std::nullopt;  // these take no value
      (which == 0 ? out.server_no_context_takeover : out.client_no_context_takeover) = true;
      continue;
    }
    int bits = 0;
    if (p.has_value) {
      auto parsed = parse_window_bits(p.value);
      if (!parsed) return std::nullopt;
      bits = *parsed;
    }
    (which == 2 ? out.server_max_window_bits : out.client_max_window_bits) = bits;
  }
  return out;
}

int clamp_bits(int bits) {
  return std::clamp(bits, 8, 15);
}

void append_param(std::string& out, std::string_view name) {
  out += "; ";
  out += name;
}

void append_param(std::string& out, std::string_view name, int bits) {
  append_param(out, name);
  out += '=';
  out += std::to_string(bits);
}

std::optional<deflate_agreement> accept_offer(const raw_params& offer,
                                              const deflate_options& options) {
  // §7.1.2.1: an offer's server_max_window_bits must carry a value.
  if (offer.server_max_window_bits == 0) return std::nullopt;
  deflate_agreement agreed;
  deflate_params& p = agreed.params;
  std::string& r = agreed.response;
  r = extension_name;

  // §7.1.1.1: the client asks us not to keep context; we always can.
  p.server_no_context_takeover =
      offer.server_no_context_takeover || options.server_no_context_takeover;
  if (p.server_no_context_takeover) append_param(r, "server_no_context_takeover");

  // §7.1.1.2: a server may always impose client_no_context_takeover; when the
  // client offered it, saying so keeps both sides' view of it explicit.
  p.client_no_context_takeover =
      offer.client_no_context_takeover || options.client_no_context_takeover;
  if (p.client_no_context_takeover) append_param(r, "client_no_context_takeover");

  // §7.1.2.1: answer with a window no larger than offered; when not offered
  // the response must not mention it, and a smaller window is ours to use.
  p.server_max_window_bits = clamp_bits(options.server_max_window_bits);
  if (offer.server_max_window_bits) {
    p.server_max_window_bits = std::min(*offer.server_max_window_bits, p.server_max_window_bits);
    append_param(r, "server_max_window_bits", p.server_max_window_bits);
  }

  // §7.1.2.2: we may limit the client only when it said it can be limited;
  // the offer's value, if any, is the most it will use anyway.
  p.client_max_window_bits = 15;
  if (offer.client_max_window_bits) {
    int bits = clamp_bits(options.client_max_window_bits);
    if (*offer.client_max_window_bits != 0) bits = std::min(bits, *offer.client_max_window_bits);
    p.client_max_window_bits = bits;
    if (bits < 15) append_param(r, "client_max_window_bits", bits);
  }
  return agreed;
}

}  // namespace

std::optional<deflate_agreement> negotiate_deflate(std::span<const extension> offers,
                                                   const deflate_options& options) {
  for (const extension& offer : offers) {
    if (!ascii_iequals(offer.name, extension_name)) continue;
    auto params = read_params(offer);
    if (!params) continue;  // §7.1: decline this offer, try the next
    if (auto agreed = accept_offer(*params, options)) return agreed;
  }
  return std::nullopt;
}

std::string format_deflate_offer(const deflate_options& options) {
  std::string out(extension_name);
  if (options.server_no_context_takeover) append_param(out, "server_no_context_takeover");
  if (options.client_no_context_takeover) append_param(out, "client_no_context_takeover");
  const int server_bits = clamp_bits(options.server_max_window_bits);
  if (server_bits < 15) append_param(out, "server_max_window_bits", server_bits);
  const int client_bits = clamp_bits(options.client_max_window_bits);
  if (client_bits < 15) {
    append_param(out, "client_max_window_bits", client_bits);
  } else {
    append_param(out, "client_max_window_bits");
  }
  return out;
}

std::optional<deflate_params> check_deflate_response(const extension& response,
                                                     const deflate_options& options) {
  if (!ascii_iequals(response.name, extension_name)) return std::nullopt;
  auto raw = read_params(response);
  if (!raw) return std::nullopt;
  deflate_params p;

  // §7.1.1.1: asked for it, the server accepts our offer only by echoing it.
  p.server_no_context_takeover = raw->server_no_context_takeover;
  if (options.server_no_context_takeover && !p.server_no_context_takeover) return std::nullopt;

  // §7.1.1.2: the server may impose it; our own wish stands regardless.
  p.client_no_context_takeover =
      raw->client_no_context_takeover || options.client_no_context_takeover;

  // §7.1.2.1: only in answer to our server_max_window_bits, never larger,
  // and required then (its absence would mean the server declined it).
  const int offered_server_bits = clamp_bits(options.server_max_window_bits);
  if (raw->server_max_window_bits) {
    if (offered_server_bits == 15) return std::nullopt;  // we did not offer it
    if (*raw->server_max_window_bits == 0 || *raw->server_max_window_bits > offered_server_bits)
      return std::nullopt;
    p.server_max_window_bits = *raw->server_max_window_bits;
  } else if (offered_server_bits < 15) {
    return std::nullopt;
  }

  // §7.1.2.2: a response's client_max_window_bits needs a value; we use the
  // smaller of it and our own limit.
  p.client_max_window_bits = clamp_bits(options.client_max_window_bits);
  if (raw->client_max_window_bits) {
    if (*raw->client_max_window_bits == 0) return std::nullopt;
    p.client_max_window_bits = std::min(p.client_max_window_bits, *raw->client_max_window_bits);
  }
  return p;
}

std::string format_deflate_params(const deflate_params& params) {
  std::string out(extension_name);
  if (params.server_no_context_takeover) append_param(out, "server_no_context_takeover");
  if (params.client_no_context_takeover) append_param(out, "client_no_context_takeover");
  if (params.server_max_window_bits < 15)
    append_param(out, "server_max_window_bits", params.server_max_window_bits);
  if (params.client_max_window_bits < 15)
    append_param(out, "client_max_window_bits", params.client_max_window_bits);
  return out;
}

}  // namespace httpcore::ws
