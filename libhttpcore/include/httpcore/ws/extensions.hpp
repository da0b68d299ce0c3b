#pragma once
/// \file
/// The Sec-WebSocket-Extensions field (RFC 6455 §9.1), parsed into offers:
///
///     extension-list = 1#extension
///     extension      = extension-token *( ";" extension-param )
///     extension-param = token [ "=" ( token / quoted-string ) ]
///
/// with optional whitespace around the separators. A quoted value must still
/// be a token once unescaped (§9.1), so `a="10"` and `a=10` mean the same.
/// The field may be sent more than once; its values then form one list, so
/// a caller parses each field line in order into the same vector.

#include <string>
#include <string_view>
#include <vector>

#include "httpcore/ascii.hpp"

namespace httpcore::ws {

/// One parameter of an extension offer or response.
struct extension_param {
  std::string name;   ///< as received (names are compared case-insensitively)
  std::string value;  ///< unquoted; empty when has_value is false
  bool has_value = false;
};

/// One element of the list: an extension name and its parameters, in order.
/// The same name may appear several times (several alternative offers).
struct extension {
  std::string name;
  std::vector<extension_param> params;
};

/// Appends the extensions of one Sec-WebSocket-Extensions field value to
/// `out`. Returns false when the value does not follow the grammar (nothing
/// is appended then). Empty list elements (", ,") are skipped, as RFC 9110
/// §5.6.1 lets a recipient do; a value with no element at all is an error.
bool parse_extensions(std::string_view field_value, std::vector<extension>& out);

/// ASCII case-insensitive equality (httpcore/ascii.hpp), under its old name here.
using httpcore::ascii_iequals;

}  // namespace httpcore::ws
