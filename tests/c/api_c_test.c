/* The rest of the C interface (httpcore/httpcore.h), from C11: the serializer
 * (checked by parsing its output back with the C parser), the request-target
 * splitter, the WebSocket frame parser and the multipart/form-data parser. */
#include <httpcore/httpcore.h>

#include "check.h"

static void serializer_round_trip(void) {
  char out[256];
  size_t len = 0, before;
  httpcore_header fields[] = {{"Content-Type", 12, "text/plain", 10},
                              {"Transfer-Encoding", 17, "chunked", 7}};
  httpcore_header trailer = {"Checksum", 8, "42", 2};
  httpcore_header bad = {"X", 1, "a\r\nInjected: 1", 15};
  httpcore_header parsed[4];
  httpcore_h1_event ev;
  httpcore_h1_parser *p;
  size_t at = 0;
  char body[32] = "";
  size_t body_len = 0;

  CHECK(httpcore_h1_write_response_head(out, sizeof out, &len, 200, "", 0, fields, 2, 1) ==
        HTTPCORE_SERIALIZE_OK);
  CHECK_TEXT(out, len,
             "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
  CHECK(httpcore_h1_write_chunk(out, sizeof out, &len, "hello ", 6) == HTTPCORE_SERIALIZE_OK);
  CHECK(httpcore_h1_write_chunk(out, sizeof out, &len, "", 0) == HTTPCORE_SERIALIZE_OK);
  CHECK(httpcore_h1_write_chunk(out, sizeof out, &len, "world", 5) == HTTPCORE_SERIALIZE_OK);
  CHECK(httpcore_h1_write_last_chunk(out, sizeof out, &len, &trailer, 1) ==
        HTTPCORE_SERIALIZE_OK);
  /* A field that would inject a line is refused and nothing is written. */
  before = len;
  CHECK(httpcore_h1_write_last_chunk(out, sizeof out, &len, &bad, 1) ==
        HTTPCORE_SERIALIZE_INVALID_HEADER_VALUE);
  CHECK(len == before);
  CHECK(strcmp(httpcore_serialize_result_name(HTTPCORE_SERIALIZE_INVALID_HEADER_VALUE),
               "invalid_header_value") == 0);

  /* What was written parses back to what was given. */
  p = httpcore_h1_parser_new(HTTPCORE_H1_CLIENT, NULL, 0);
  CHECK(httpcore_h1_feed(p, out, len, parsed, 4, &ev) == HTTPCORE_H1_RESPONSE_HEAD);
  CHECK(ev.status == 200 && ev.num_headers == 2 && ev.framing == HTTPCORE_H1_FRAMING_CHUNKED);
  CHECK_TEXT(parsed[0].value, parsed[0].value_len, "text/plain");
  for (at = ev.consumed; httpcore_h1_feed(p, out + at, len - at, parsed, 4, &ev) ==
                         HTTPCORE_H1_BODY;
       at += ev.consumed) {
    memcpy(body + body_len, ev.body, ev.body_len);
    body_len += ev.body_len;
  }
  CHECK_TEXT(body, body_len, "hello world");
  CHECK(ev.type == HTTPCORE_H1_MESSAGE_END && ev.num_headers == 1);
  CHECK_TEXT(parsed[0].name, parsed[0].name_len, "Checksum");
  CHECK(at + ev.consumed == len);
  httpcore_h1_parser_free(p);

  /* Too small: nothing written, *len says how much the buffer must hold. */
  len = 0;
  CHECK(httpcore_h1_write_request_head(out, 10, &len, "GET", 3, "/index.html", 11, NULL, 0, 1) ==
        HTTPCORE_SERIALIZE_BUFFER_TOO_SMALL);
  CHECK(len == strlen("GET /index.html HTTP/1.1\r\n\r\n"));
  len = 0;
  CHECK(httpcore_h1_write_request_head(out, sizeof out, &len, "GET", 3, "/index.html", 11, NULL,
                                       0, 1) == HTTPCORE_SERIALIZE_OK);
  CHECK_TEXT(out, len, "GET /index.html HTTP/1.1\r\n\r\n");
  len = 0;
  CHECK(httpcore_h1_write_request_head(out, sizeof out, &len, "G T", 3, "/", 1, NULL, 0, 1) ==
        HTTPCORE_SERIALIZE_INVALID_METHOD);
  CHECK(len == 0);
}

static void request_targets(void) {
  httpcore_target t;
  size_t at = 99;
  const char *abs = "http://user@[::1]:8080/a/../b?q=1#frag";
  CHECK(httpcore_parse_request_target("GET", 3, abs, strlen(abs), &t, &at) == 0);
  CHECK(t.form == HTTPCORE_TARGET_ABSOLUTE && at == 0);
  CHECK_TEXT(t.scheme, t.scheme_len, "http");
  CHECK_TEXT(t.userinfo, t.userinfo_len, "user");
  CHECK_TEXT(t.host, t.host_len, "[::1]");
  CHECK_TEXT(t.port, t.port_len, "8080");
  CHECK(t.port_number == 8080);
  CHECK_TEXT(t.path, t.path_len, "/a/../b");
  CHECK_TEXT(t.query, t.query_len, "q=1");
  CHECK_TEXT(t.fragment, t.fragment_len, "frag");

  /* Absent components are NULL; an empty present one is not. */
  CHECK(httpcore_parse_request_target("GET", 3, "/p?", 3, &t, NULL) == 0);
  CHECK(t.form == HTTPCORE_TARGET_ORIGIN && t.host == NULL && t.scheme == NULL);
  CHECK(t.query != NULL && t.query_len == 0 && t.fragment == NULL);

  CHECK(httpcore_parse_request_target("CONNECT", 7, "example.com:443", 15, &t, NULL) == 0);
  CHECK(t.form == HTTPCORE_TARGET_AUTHORITY && t.port_number == 443 && t.path == NULL);
  CHECK_TEXT(t.host, t.host_len, "example.com");

  /* "*" is for OPTIONS only; a bad port is found at its offset. */
  CHECK(strcmp(httpcore_target_error_name(
                   httpcore_parse_request_target("GET", 3, "*", 1, &t, &at)),
               "wrong_form") == 0);
  CHECK(httpcore_parse_request_target("OPTIONS", 7, "*", 1, &t, NULL) == 0);
  CHECK(strcmp(httpcore_target_error_name(httpcore_parse_request_target(
                   "GET", 3, "http://h:99999/", 15, &t, &at)),
               "invalid_port") == 0);
  CHECK(at == 9);
  CHECK(strcmp(httpcore_target_error_name(0), "ok") == 0);
}

static void websocket_frames(void) {
  /* RFC 6455 §5.7: a masked "Hello" from a client, then a close with 1000 "bye"
   * (masked with a zero key), split after 3 bytes. */
  unsigned char wire[] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58,
                          0x88, 0x85, 0,    0,    0,    0,    0x03, 0xe8, 'b',  'y',  'e'};
  unsigned char unmasked[] = {0x81, 0x00};
  httpcore_ws_event ev;
  httpcore_ws_parser *p = httpcore_ws_parser_new(HTTPCORE_WS_SERVER, 0, 0, 0);
  size_t at = 0;
  CHECK(p != NULL);
  CHECK(httpcore_ws_feed(p, wire, 3, &ev) == HTTPCORE_WS_NEED_MORE);
  at += ev.consumed;
  CHECK(httpcore_ws_feed(p, wire + at, sizeof wire - at, &ev) == HTTPCORE_WS_FRAME_BEGIN);
  CHECK(ev.opcode == 1 && ev.fin == 1 && ev.first_fragment == 1 && ev.length == 5);
  at += ev.consumed;
  CHECK(httpcore_ws_feed(p, wire + at, sizeof wire - at, &ev) == HTTPCORE_WS_PAYLOAD);
  CHECK_TEXT(ev.payload, ev.payload_len, "Hello"); /* unmasked in place */
  at += ev.consumed;
  CHECK(httpcore_ws_feed(p, wire + at, sizeof wire - at, &ev) == HTTPCORE_WS_FRAME_END);
  CHECK(ev.message_end == 1);
  at += ev.consumed;
  CHECK(httpcore_ws_feed(p, wire + at, sizeof wire - at, &ev) == HTTPCORE_WS_CONTROL);
  CHECK(ev.opcode == 8 && ev.close_code == 1000);
  CHECK_TEXT(ev.close_reason, ev.close_reason_len, "bye");
  at += ev.consumed;
  CHECK(at == sizeof wire);

  /* A server refuses an unmasked frame: 1002 at the second byte (the mask bit). */
  httpcore_ws_parser_reset(p);
  CHECK(httpcore_ws_feed(p, unmasked, sizeof unmasked, &ev) == HTTPCORE_WS_ERROR);
  CHECK(strcmp(ev.error_name, "unmasked_client_frame") == 0);
  CHECK(ev.error_close_code == 1002 && ev.error_offset == 1);
  httpcore_ws_parser_free(p);

  /* A client accepts it; the frame limit applies. */
  p = httpcore_ws_parser_new(HTTPCORE_WS_CLIENT, 4, 0, 0);
  CHECK(httpcore_ws_feed(p, unmasked, sizeof unmasked, &ev) == HTTPCORE_WS_FRAME_BEGIN);
  httpcore_ws_parser_reset(p);
  {
    unsigned char big[] = {0x82, 0x05, 1, 2, 3, 4, 5};
    CHECK(httpcore_ws_feed(p, big, sizeof big, &ev) == HTTPCORE_WS_ERROR);
    CHECK(strcmp(ev.error_name, "frame_too_big") == 0 && ev.error_close_code == 1009);
  }
  httpcore_ws_parser_free(p);
}

static void multipart_form(void) {
  static const char type[] = "multipart/form-data; boundary=\"AaB03x\"";
  static const char body[] =
      "--AaB03x\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\nJoe\r\n"
      "--AaB03x\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n"
      "Content-Type: text/plain\r\n\r\nline\r\nline\r\n--AaB03x--\r\n";
  const char* boundary = NULL;
  size_t boundary_len = 0, at = 0, given = 0, data_len = 0;
  uint64_t offset = 99;
  char data[64];
  int begins = 0, ends = 0, done = 0;
  httpcore_multipart_event ev;
  httpcore_multipart_parser* p;

  CHECK(httpcore_multipart_boundary(type, strlen(type), &boundary, &boundary_len, &offset) == 0);
  CHECK_TEXT(boundary, boundary_len, "AaB03x");
  p = httpcore_multipart_parser_new(boundary, boundary_len, 0, 0);
  CHECK(p != NULL);
  /* Fed in 7-byte reads: unconsumed bytes are given again with the next ones. */
  while (!done) {
    httpcore_multipart_event_type t;
    given = given + 7 < sizeof body - 1 ? given + 7 : sizeof body - 1;
    if (given < at) given = at;
    t = httpcore_multipart_feed(p, body + at, given - at, &ev);
    at += ev.consumed;
    switch (t) {
      case HTTPCORE_MULTIPART_PART_BEGIN:
        ++begins;
        if (ev.index == 0) {
          CHECK_TEXT(ev.name, ev.name_len, "field");
          CHECK(ev.has_filename == 0 && ev.content_type_len == 0);
        } else {
          CHECK_TEXT(ev.name, ev.name_len, "f");
          CHECK(ev.has_filename == 1);
          CHECK_TEXT(ev.filename, ev.filename_len, "a.txt");
          CHECK_TEXT(ev.content_type, ev.content_type_len, "text/plain");
        }
        data_len = 0;
        break;
      case HTTPCORE_MULTIPART_PART_DATA:
        CHECK(data_len + ev.data_len <= sizeof data);
        memcpy(data + data_len, ev.data, ev.data_len);
        data_len += ev.data_len;
        break;
      case HTTPCORE_MULTIPART_PART_END:
        ++ends;
        CHECK(ev.data_bytes == data_len);
        CHECK_TEXT(data, data_len, ev.index == 0 ? "Joe" : "line\r\nline");
        break;
      case HTTPCORE_MULTIPART_BODY_END:
        CHECK(ev.parts == 2);
        done = 1;
        break;
      case HTTPCORE_MULTIPART_NEED_MORE:
        CHECK(given < sizeof body - 1);
        if (given == sizeof body - 1) done = 1;
        break;
      case HTTPCORE_MULTIPART_ERROR:
        CHECK(!"no error expected");
        done = 1;
        break;
    }
  }
  CHECK(begins == 2 && ends == 2 && at == sizeof body - 1);
  CHECK(httpcore_multipart_finish(p, &ev) == HTTPCORE_MULTIPART_NEED_MORE);

  /* Errors: name, offset, status; and the end of the input too early. */
  httpcore_multipart_parser_reset(p);
  CHECK(httpcore_multipart_feed(p, "--AaB03xZ", 9, &ev) == HTTPCORE_MULTIPART_ERROR);
  CHECK(strcmp(ev.error_name, "invalid_delimiter") == 0);
  CHECK(ev.error_offset == 8 && ev.error_status == 400);
  CHECK(strcmp(httpcore_multipart_error_name(ev.error), "invalid_delimiter") == 0);
  httpcore_multipart_parser_reset(p);
  CHECK(httpcore_multipart_feed(p, "preamble", 8, &ev) == HTTPCORE_MULTIPART_NEED_MORE);
  CHECK(httpcore_multipart_finish(p, &ev) == HTTPCORE_MULTIPART_ERROR);
  CHECK(strcmp(ev.error_name, "boundary_not_found") == 0 && ev.error_offset == 8);
  httpcore_multipart_parser_free(p);

  p = httpcore_multipart_parser_new("bad\"boundary", 12, 0, 0);
  CHECK(httpcore_multipart_feed(p, "", 0, &ev) == HTTPCORE_MULTIPART_ERROR);
  CHECK(strcmp(ev.error_name, "invalid_boundary") == 0);
  httpcore_multipart_parser_free(p);
  CHECK(httpcore_multipart_boundary("text/plain", 10, &boundary, &boundary_len, &offset) != 0);
  CHECK(boundary == NULL && offset == 0);
  CHECK(httpcore_multipart_error_status(httpcore_multipart_boundary("text/plain", 10, NULL, NULL,
                                                                    NULL)) == 415);
  CHECK(strcmp(httpcore_multipart_error_name(0), "ok") == 0);
  CHECK(strcmp(httpcore_multipart_error_name(250), "unknown") == 0);
}

int main(void) {
  serializer_round_trip();
  request_targets();
  websocket_frames();
  multipart_form();
  return check_finish("api_c_test");
}
