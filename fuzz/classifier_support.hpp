// What the divergence rules (divergences.cpp) share: questions about the
// first message on which the two engines part, and about the input bytes
// around it. Everything works on the normalised event strings of
// conformance/llhttp/normal.hpp, read back by differential.hpp.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "divergences.hpp"

namespace httpcore::fuzz {

// One rule per register entry (or reported bug): its id, and whether it
// recognises the difference. The tables, in the order classify() asks them:
struct rule {
  const char* id;
  bool (*explains)(const difference&);
};
std::span<const rule> start_line_rules();   // divergences.cpp: D01, D03-D08, D10, D13-D17, D33
std::span<const rule> message_rules();      // divergences_messages.cpp: D18-D31
std::span<const rule> line_end_rules();     // divergences_messages.cpp: D02, D09, D32 (broad)
std::span<const rule> bug_rules();          // divergences_messages.cpp: none at present
std::span<const rule> http_parser_rules();  // divergences_messages.cpp: H01

// ------------------------------------------------------- the digests ----

// Complete message `i` of a digest, taken apart.
std::optional<head_fields> message_at(const digest& d, std::size_t i);
// Message `at` of a digest, complete or not (then partial, or cut short by a
// rejection); empty when the engine never started it.
std::string any_message(const digest& g, std::size_t at);
// The engine refused message `at`: it has no such message and failed.
bool refused_here(const digest& d, std::size_t at);
// The engine got past message `at` (completed it, or did not fail).
bool passed(const digest& d, std::size_t at);
// httpcore refused message `at` with `error`, and llhttp did not.
bool we_refused(const difference& d, std::string_view error);
// llhttp refused message `at` with `error`, and httpcore completed it.
bool they_refused(const difference& d, std::string_view error);

bool lenient(const difference& d, std::string_view flag);
bool iequals(std::string_view a, std::string_view b);
bool has_field(const head_fields& h, std::string_view name);
bool has_trailer(const head_fields& h, std::string_view name);

// A digest message without its head line's keep-alive (and upgrade). The bare
// values follow the quoted ones on that line, so the last occurrence on the
// first line is the real one (a reason phrase may contain the text too).
std::string without_keep_alive(std::string m);
std::string without_connection_bits(std::string m);
// The head (start line and fields) of a digest message, without them.
std::string head_without_connection_bits(const std::string& m);
// Messages `at` of both engines are complete and the same but for keep-alive,
// which is `ours_keep_alive` for httpcore.
bool only_keep_alive_differs(const difference& d, bool ours_keep_alive);
// Whether keep-alive of message `at` is the same for both engines, or differs
// for a reason a keep-alive rule names (D10, D26, D28-D31); for rules that
// look at another part of the same message. `theirs` is llhttp's message.
bool keep_alive_explained(const difference& d, const std::string& theirs);
// D29's condition: lenient version, and a version of 2.0 or later.
bool later_version_persists(const difference& d, const head_fields& ours);
// D28's condition: both Content-Length and Transfer-Encoding fields.
bool length_beside_transfer_encoding(const head_fields& h);
// D30's condition: the Connection fields list both `close` and `keep-alive`.
bool close_beside_keep_alive(const head_fields& h);
// D31's condition: an HTTP/1.0 message with a Transfer-Encoding field.
bool http10_transfer_encoding(const head_fields& h);

// ------------------------------------- what a rule leaves to compare ----
// A rule names the construct its entry describes and excuses only the part of
// the difference that construct causes; these say that the rest agrees.

// The start lines of two digest messages agree (method, target, status,
// reason, version); false when either is not a message.
bool same_start_line(const std::string& a, const std::string& b);
// httpcore's message `at` was read until the connection closed: it is
// httpcore's last message, and its body is the input from the end of a line
// (the head's empty line; under lenient optional_lf_after_cr it may end in a
// bare CR) to the input's end.
bool body_runs_to_close(const difference& d);
// `raw` decoded as a chunked body (RFC 9112 §7.1: sizes, extensions, data,
// the last chunk, trailer lines), written here rather than taken from the
// parser, for the same reason as close_beside_keep_alive. nullopt when `raw`
// is not one whole chunked body. With `bare_cr_ends_lines` (lenient
// optional_lf_after_cr) a CR that no LF follows ends a chunk-size line or the
// empty line that ends the body, as both engines read it then.
std::optional<std::string> dechunk(std::string_view raw, bool bare_cr_ends_lines);
// Each engine's message `at` is complete, the heads are the same but for
// keep-alive and upgrade, and one engine read the body until the connection
// closed where the other decoded chunks: `raw_side` is that engine's message
// and `decoded_side` the other's. The decoded body must be what the raw one
// holds.
bool raw_body_is_chunked(const std::string& raw_side, const std::string& decoded_side,
                         bool bare_cr_ends_lines);
// Whether httpcore, by its own head, closes the connection after the message
// (Connection: close; HTTP/1.0 without keep-alive; D28, D30, D31's reasons).
bool we_would_close(const head_fields& h);
// llhttp missed `chunked` in message `at`'s Transfer-Encoding and read the
// body until the connection closed (keep-alive 0), where httpcore decoded
// chunks: the heads are the same but for keep-alive, httpcore's keep-alive is
// what its head says, and llhttp's raw body holds httpcore's (or httpcore
// refused the chunks, at a byte of llhttp's raw body).
bool they_read_chunks_raw(const difference& d);
// With lenient transfer_encoding httpcore read message `at` until the
// connection closed (keep-alive 0), where llhttp decoded chunks or took the
// body of an Upgrade request for empty and upgraded: the heads are the same
// but for keep-alive, and httpcore's body is the rest of the input, holding
// llhttp's chunks or starting where llhttp upgraded (with an empty rest, the
// messages are the same and only the endings differ).
bool we_read_until_close(const difference& d);
// Messages `at` are complete and the same but for upgrade, 0 for httpcore.
bool only_upgrade_differs(const difference& d);
// Input offset `at` is on a chunk-size line of message `at`'s chunked body,
// found by walking the chunks from the end of the head.
bool on_chunk_size_line(const difference& d, std::size_t at);
// For the broad line-end rules (D09, D32): the engines read the start line of
// message `at` alike, and where both complete it with the same head, nothing
// but its trailers differs (with `trailers_may_differ`). An engine without a
// message `at` refused it or was still in it when the input ended.
bool line_ends_leave_the_rest(const difference& d, bool trailers_may_differ);
// What httpcore's message `at` implies for what follows it: a message that
// closed the connection (keep-alive 0, without lenient keep_alive) or upgraded
// is httpcore's last. classify() asks this of every difference a rule explains.
bool nothing_after_last(const difference& d);

// The tokens of a message's `name` fields, split by the classifier's own list
// reader (HTAB and SP are whitespace, empty elements are skipped), lowercased.
std::vector<std::string> list_tokens(const head_fields& h, std::string_view name);
bool lists(const head_fields& h, std::string_view name, std::string_view token);

// ---------------------------------------------------------- the input ----

std::string_view input(const difference& d);
// The input byte at httpcore's error offset plus `delta`, or -1.
int our_byte(const difference& d, std::size_t delta = 0);
// The start of the line holding input offset `at`.
std::size_t line_start(std::string_view in, std::size_t at);
// Where message `k` starts in the input: after message k-1 as httpcore
// consumed it, past the empty lines a server skips before a request line.
std::size_t message_start(const difference& d, std::size_t k);

// The first line of message `k`, split at spaces as a request line.
struct start_line {
  std::string_view method, target;
  std::size_t target_at = 0;  // input offset of the target
  bool ok = false;            // a method, a space, then a target were found
};
start_line start_line_of(const difference& d, std::size_t k);

// Whether input offset `at` is on a field line named `name`.
bool in_field(const difference& d, std::size_t at, std::string_view name);
// Whether the field line starting at `begin` is `name` and its value, read as a
// list (RFC 9110 §5.6.1), has an HTAB or an empty element.
bool odd_list_line(std::string_view in, std::size_t begin, std::string_view name);
// Whether the head of message `at` has such a `name` line (empty `name`:
// Connection or Transfer-Encoding).
bool odd_list_head(const difference& d, std::string_view name);

}  // namespace httpcore::fuzz
