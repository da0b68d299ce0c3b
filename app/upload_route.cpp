// POST /api/upload: the route at the request's head picks a reader by media
// type; the body then flows to it piece by piece (upload_route.hpp).

#include "upload_route.hpp"

#include <memory>
#include <nlohmann/json.hpp>

#include "httpcore/ascii.hpp"
#include "multipart_upload.hpp"
#include "sha256.hpp"

namespace httpcore::app {
namespace {

void send_json(reply& r, int status, const nlohmann::json& j) {
  r.add_header("Content-Type", "application/json");
  r.add_header("Cache-Control", "no-store");
  // Client bytes that are not UTF-8 (a filename) are replaced, not thrown on.
  r.send(status, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void send_error(reply& r, const upload_error& e, bool with_offset) {
  nlohmann::json j{{"error", e.name}};
  if (with_offset) j["offset"] = e.offset;
  if (!e.detail.empty()) j["detail"] = e.detail;
  send_json(r, e.status, j);
}

nlohmann::json part_json(const upload_part& p) {
  nlohmann::json j{{"field", p.field},
                   {"filename", p.filename ? nlohmann::json(*p.filename) : nlohmann::json()},
                   {"size", p.size},
                   {"sha256", p.sha256}};
  if (!p.stored.empty()) j["stored"] = p.stored;
  return j;
}

bool is_media_type(std::string_view content_type, std::string_view type) {
  std::string_view head = trim_ows(content_type.substr(0, content_type.find(';')));
  return ascii_iequals(head, type);
}

body_reader multipart_reader(std::string_view boundary, const upload_route_options& o) {
  auto upload = std::make_shared<multipart_upload>(boundary, o.dir, o.limits);
  auto refuse = [](reply& r, const multipart_upload& u) {
    send_error(r, u.error(), u.error().name != "storage_failed");
  };
  return {[upload, refuse](std::string_view piece, reply& r) {
            if (!upload->feed(piece)) refuse(r, *upload);
          },
          [upload, refuse](reply& r) {
            if (!upload->finish() || !upload->commit()) return refuse(r, *upload);
            nlohmann::json parts = nlohmann::json::array();
            for (const upload_part& p : upload->parts()) parts.push_back(part_json(p));
            send_json(r, 200, parts);
          }};
}

// A urlencoded form is small by nature: gathered up to its limit, then decoded.
body_reader form_reader(const form_limits& limits) {
  auto body = std::make_shared<std::string>();
  return {[body, limits](std::string_view piece, reply& r) {
            if (body->size() + piece.size() > limits.max_bytes) {
              std::string().swap(*body);
              return send_error(r, {413, "too_large", limits.max_bytes, {}}, true);
            }
            body->append(piece);
          },
          [body, limits](reply& r) {
            form_result form = parse_urlencoded(*body, limits);
            if (form.err)
              return send_error(
                  r, {form.err.status(), std::string(form.err.name()), form.err.offset, {}}, true);
            nlohmann::json parts = nlohmann::json::array();
            for (const form_field& f : form.fields) {
              sha256 digest;
              digest.update(f.value);
              parts.push_back(
                  part_json({f.name, std::nullopt, f.value.size(), digest.hex_digest(), {}}));
            }
            send_json(r, 200, parts);
          }};
}

}  // namespace

void add_upload_route(router& r, std::string_view pattern, upload_route_options options) {
  auto o = std::make_shared<const upload_route_options>(std::move(options));
  r.post(pattern,
         [o](context& c) {
           std::string_view type = c.header("Content-Type");
           if (is_media_type(type, "application/x-www-form-urlencoded")) {
             c.read_body(form_reader(o->form));
             return;
           }
           multipart::boundary_result b = multipart::boundary_from_content_type(type);
           if (b.err) {
             // The offset is into the Content-Type field, not the body: a 415 has none.
             bool offset = b.err.code != multipart::errc::not_form_data;
             return send_error(c.res, {b.err.status(), std::string(b.err.name()), b.err.offset, {}},
                               offset);
           }
           c.read_body(multipart_reader(b.boundary, *o));
         },
         {.max_body_bytes = o->max_body_bytes, .stream_body = true});
}

}  // namespace httpcore::app
