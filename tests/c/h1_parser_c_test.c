/* The HTTP/1 parser through the C interface (httpcore/httpcore.h), from C11:
 * pipelined and chunked requests fed whole and split at every index, a
 * response to HEAD, a close-delimited body, an upgrade, and errors with their
 * name, offset and status, including the caller's header array overflowing. */
#include <httpcore/httpcore.h>

#include <stdlib.h>

#include "check.h"

/* Appends one event, as a line of text, to `log` (of `cap` bytes). */
static void describe(const httpcore_h1_event *ev, const httpcore_header *h, char *log, size_t cap) {
  size_t n = strlen(log);
  char *p = log + n;
  size_t room = cap - n;
  size_t i;
  switch (ev->type) {
    case HTTPCORE_H1_REQUEST_HEAD:
      n = (size_t)snprintf(p, room, "request %.*s %.*s 1.%d keep_alive=%d framing=%d cl=%llu",
                           (int)ev->method_len, ev->method, (int)ev->target_len, ev->target,
                           ev->version_minor, ev->keep_alive, (int)ev->framing,
                           (unsigned long long)ev->content_length);
      break;
    case HTTPCORE_H1_RESPONSE_HEAD:
      n = (size_t)snprintf(p, room, "response %d %.*s keep_alive=%d framing=%d cl=%llu",
                           ev->status, (int)ev->reason_len, ev->reason, ev->keep_alive,
                           (int)ev->framing, (unsigned long long)ev->content_length);
      break;
    case HTTPCORE_H1_BODY:
      n = (size_t)snprintf(p, room, "body %.*s", (int)ev->body_len, ev->body);
      break;
    case HTTPCORE_H1_MESSAGE_END:
      n = (size_t)snprintf(p, room, "end");
      break;
    case HTTPCORE_H1_UPGRADED:
      n = (size_t)snprintf(p, room, "upgraded %d", (int)ev->upgrade_kind);
      break;
    case HTTPCORE_H1_ERROR:
      n = (size_t)snprintf(p, room, "error %s at %llu status %d", ev->error_name,
                           (unsigned long long)ev->error_offset, ev->error_status);
      break;
    default:
      n = (size_t)snprintf(p, room, "need_more");
      break;
  }
  p += n;
  room -= n;
  if (ev->type == HTTPCORE_H1_REQUEST_HEAD || ev->type == HTTPCORE_H1_RESPONSE_HEAD ||
      ev->type == HTTPCORE_H1_MESSAGE_END) {
    for (i = 0; i < ev->num_headers; ++i) {
      n = (size_t)snprintf(p, room, " [%.*s: %.*s]", (int)h[i].name_len, h[i].name,
                           (int)h[i].value_len, h[i].value);
      p += n;
      room -= n;
    }
  }
  snprintf(p, room, "\n");
}

/* Feeds `input` in pieces of `split` bytes (0: whole) the way a server reads
 * a socket: append, feed until need_more, drop what was consumed. Bodies are
 * joined, so the log does not depend on where a body was split. Stops at an
 * error or after an upgrade; calls finish() at the end of input otherwise. */
static void run(httpcore_h1_role role, const char *input, size_t split, size_t max_headers,
                const char *request_method, char *log, size_t cap) {
  size_t len = strlen(input), fed = 0, have = 0;
  char *buf = malloc(len + 1);
  httpcore_header headers[16];
  httpcore_h1_event ev;
  char body[256] = "";
  int done = 0;
  httpcore_h1_parser *p = httpcore_h1_parser_new(role, NULL, 0);
  CHECK(p != NULL && buf != NULL);
  if (p == NULL || buf == NULL) return;
  if (request_method) httpcore_h1_parser_set_request_method(p, request_method, strlen(request_method));
  log[0] = '\0';
  while (!done) {
    size_t piece = split ? split : len;
    if (fed == len) {
      httpcore_h1_finish(p, &ev);
      if (ev.type == HTTPCORE_H1_MESSAGE_END) CHECK(ev.body_bytes == strlen(body));
      if (ev.type == HTTPCORE_H1_MESSAGE_END && body[0]) {
        strcat(log, "body ");
        strcat(log, body);
        strcat(log, "\n");
      }
      if (ev.type == HTTPCORE_H1_NEED_MORE)
        strcat(log, "closed\n"); /* at a message boundary: a clean close */
      else
        describe(&ev, headers, log, cap);
      break;
    }
    if (piece > len - fed) piece = len - fed;
    memcpy(buf + have, input + fed, piece);
    have += piece;
    fed += piece;
    for (;;) {
      httpcore_h1_feed(p, buf, have, headers, max_headers, &ev);
      if (ev.type == HTTPCORE_H1_BODY) {
        size_t at = strlen(body);
        CHECK(at + ev.body_len < sizeof body);
        if (at + ev.body_len < sizeof body) {
          memcpy(body + at, ev.body, ev.body_len);
          body[at + ev.body_len] = '\0';
        }
      } else if (ev.type != HTTPCORE_H1_NEED_MORE) {
        /* message_end counts the body it ended */
        if (ev.type == HTTPCORE_H1_MESSAGE_END) CHECK(ev.body_bytes == strlen(body));
        if (ev.type == HTTPCORE_H1_MESSAGE_END && body[0]) {
          strcat(log, "body ");
          strcat(log, body);
          strcat(log, "\n");
          body[0] = '\0';
        }
        describe(&ev, headers, log, cap);
      }
      if (ev.type == HTTPCORE_H1_ERROR || ev.type == HTTPCORE_H1_UPGRADED) {
        done = 1;
        break;
      }
      memmove(buf, buf + ev.consumed, have - ev.consumed);
      have -= ev.consumed;
      if (ev.type == HTTPCORE_H1_NEED_MORE) break;
    }
  }
  httpcore_h1_parser_free(p);
  free(buf);
}

/* Every split gives the log of the whole input. */
static void check_all_splits(httpcore_h1_role role, const char *input, size_t max_headers,
                             const char *expected) {
  static char log[4096];
  size_t split, n = strlen(input);
  for (split = 0; split <= n; ++split) {
    run(role, input, split, max_headers, NULL, log, sizeof log);
    if (strcmp(log, expected) != 0) {
      fprintf(stderr, "split %zu:\n", split);
      CHECK_STR(log, expected);
      return;
    }
  }
}

static void pipelined_requests(void) {
  check_all_splits(HTTPCORE_H1_SERVER,
                   "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                   "POST /b?q=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                   "GET /c HTTP/1.0\r\nHost: y\r\nUser-Agent: c11\r\n\r\n",
                   16,
                   "request GET /a 1.1 keep_alive=1 framing=0 cl=0 [Host: x]\n"
                   "end\n"
                   "request POST /b?q=1 1.1 keep_alive=1 framing=1 cl=5 [Host: x] "
                   "[Content-Length: 5]\n"
                   "body hello\n"
                   "end\n"
                   "request GET /c 1.0 keep_alive=0 framing=0 cl=0 [Host: y] [User-Agent: c11]\n"
                   "end\n"
                   "closed\n");
}

static void chunked_request_with_trailers(void) {
  check_all_splits(HTTPCORE_H1_SERVER,
                   "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "5\r\nhello\r\n6;name=\"v\"\r\n world\r\n0\r\nChecksum: 42\r\n\r\n",
                   16,
                   "request POST /up 1.1 keep_alive=1 framing=2 cl=0 [Host: x] "
                   "[Transfer-Encoding: chunked]\n"
                   "body hello world\n"
                   "end [Checksum: 42]\n"
                   "closed\n");
}

static void responses(void) {
  static char log[1024];
  /* A HEAD response announces a length but has no body: the next response
   * starts right after its head. */
  run(HTTPCORE_H1_CLIENT, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n", 0, 16, "HEAD", log,
      sizeof log);
  CHECK_STR(log, "response 200 OK keep_alive=1 framing=0 cl=0 [Content-Length: 3]\nend\nclosed\n");
  {
    /* The length a HEAD response announces is on the head. */
    const char *head = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n";
    httpcore_header h[4];
    httpcore_h1_event ev;
    httpcore_h1_parser *p = httpcore_h1_parser_new(HTTPCORE_H1_CLIENT, NULL, 0);
    httpcore_h1_parser_set_request_method(p, "HEAD", 4);
    CHECK(httpcore_h1_feed(p, head, strlen(head), h, 4, &ev) == HTTPCORE_H1_RESPONSE_HEAD);
    CHECK(ev.framing == HTTPCORE_H1_FRAMING_NONE && ev.has_announced_content_length == 1);
    CHECK(ev.announced_content_length == 3);
    httpcore_h1_parser_free(p);
  }
  {
    /* A gzip-coded chunked response: the head says the body stays coded. */
    const char *head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n";
    httpcore_header h[4];
    httpcore_h1_event ev;
    httpcore_h1_parser *p = httpcore_h1_parser_new(HTTPCORE_H1_CLIENT, NULL, 0);
    CHECK(httpcore_h1_feed(p, head, strlen(head), h, 4, &ev) == HTTPCORE_H1_RESPONSE_HEAD);
    CHECK(ev.framing == HTTPCORE_H1_FRAMING_CHUNKED && ev.transfer_codings == 1);
    CHECK(ev.first_transfer_coding == head + 36 && ev.first_transfer_coding_len == 4);
    CHECK(ev.first_transfer_coding_offset == 36);
    httpcore_h1_parser_free(p);
  }
  /* Without a length, a response body runs until the peer closes. */
  run(HTTPCORE_H1_CLIENT, "HTTP/1.0 200 OK\r\n\r\nall of it", 4, 16, NULL, log, sizeof log);
  CHECK_STR(log, "response 200 OK keep_alive=0 framing=3 cl=0\nbody all of it\nend\n");
}

static void upgrade(void) {
  static char log[1024];
  const char *req =
      "GET /chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x00";
  run(HTTPCORE_H1_SERVER, req, 0, 16, NULL, log, sizeof log);
  CHECK_STR(log,
            "request GET /chat 1.1 keep_alive=1 framing=0 cl=0 [Host: x] [Connection: Upgrade] "
            "[Upgrade: websocket]\n"
            "end\n"
            "upgraded 0\n");
}

static void errors(void) {
  static char log[1024];
  /* Two Content-Length fields: refused at the second one's value (byte 60). */
  run(HTTPCORE_H1_SERVER,
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", 0, 16, NULL,
      log, sizeof log);
  CHECK_STR(log, "error duplicate_content_length at 60 status 400\n");
  /* After a first request, a bad chunk size: the offset counts from the
   * first byte ever fed (the first request is 27 bytes, the head 55). */
  run(HTTPCORE_H1_SERVER,
      "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
      "PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      7, 16, NULL, log, sizeof log);
  CHECK_STR(log,
            "request GET / 1.1 keep_alive=1 framing=0 cl=0 [Host: x]\nend\n"
            "request PUT / 1.1 keep_alive=1 framing=2 cl=0 [Host: x] "
            "[Transfer-Encoding: chunked]\n"
            "error invalid_chunk_size at 82 status 400\n");
  /* An unsupported version is a 505. */
  run(HTTPCORE_H1_SERVER, "GET / HTTP/1.2\r\n\r\n", 0, 16, NULL, log, sizeof log);
  CHECK_STR(log, "error unsupported_version at 6 status 505\n");
  /* The peer closing mid-body: the error is at the end of the stream. */
  run(HTTPCORE_H1_SERVER, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\nabc", 0, 16,
      NULL, log, sizeof log);
  CHECK_STR(log,
            "request POST / 1.1 keep_alive=1 framing=1 cl=9 [Host: x] [Content-Length: 9]\n"
            "error incomplete_message at 50 status 400\n");
}

/* The caller's array is a limit too: the third field of a head given a
 * two-entry array fails as too_many_headers at that field, split or not, and
 * the parser stays failed until reset. */
static void header_array_too_small(void) {
  const char *req = "GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\n\r\n";
  httpcore_header h[2];
  httpcore_h1_event ev;
  httpcore_h1_parser *p = httpcore_h1_parser_new(HTTPCORE_H1_SERVER, NULL, 0);
  check_all_splits(HTTPCORE_H1_SERVER, req, 2, "error too_many_headers at 31 status 431\n");
  check_all_splits(HTTPCORE_H1_SERVER, req, 3,
                   "request GET / 1.1 keep_alive=1 framing=0 cl=0 [Host: x] [A: 1] [B: 2]\n"
                   "end\nclosed\n");
  CHECK(httpcore_h1_feed(p, req, strlen(req), h, 2, &ev) == HTTPCORE_H1_ERROR);
  CHECK(ev.consumed == 0);
  CHECK(httpcore_h1_feed(p, "", 0, h, 2, &ev) == HTTPCORE_H1_ERROR);
  CHECK(ev.error_status == 431 && ev.error_offset == 31);
  httpcore_h1_parser_reset(p);
  CHECK(httpcore_h1_feed(p, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27, h, 2, &ev) ==
        HTTPCORE_H1_REQUEST_HEAD);
  CHECK(ev.num_headers == 1);
  httpcore_h1_parser_free(p);
}

static void limits_and_flags(void) {
  httpcore_h1_limits lim;
  httpcore_header h[4];
  httpcore_h1_event ev;
  httpcore_h1_parser *p;
  httpcore_h1_limits_default(&lim);
  CHECK(lim.max_headers == 100 && lim.max_head_bytes == 16 * 1024);
  lim.max_target_bytes = 4;
  p = httpcore_h1_parser_new(HTTPCORE_H1_SERVER, &lim, 0);
  CHECK(httpcore_h1_feed(p, "GET /long HTTP/1.1\r\n\r\n", 22, h, 4, &ev) == HTTPCORE_H1_ERROR);
  CHECK(strcmp(ev.error_name, "target_too_long") == 0 && ev.error_status == 414);
  httpcore_h1_parser_free(p);
  /* A bare LF is an error unless its lenient flag is set. */
  p = httpcore_h1_parser_new(HTTPCORE_H1_SERVER, NULL, 0);
  CHECK(httpcore_h1_feed(p, "GET / HTTP/1.1\nHost: x\n\n", 24, h, 4, &ev) == HTTPCORE_H1_ERROR);
  CHECK(strcmp(ev.error_name, "lf_without_cr") == 0);
  httpcore_h1_parser_free(p);
  p = httpcore_h1_parser_new(HTTPCORE_H1_SERVER, NULL, HTTPCORE_H1_LENIENT_OPTIONAL_CR_BEFORE_LF);
  CHECK(httpcore_h1_feed(p, "GET / HTTP/1.1\nHost: x\n\n", 24, h, 4, &ev) ==
        HTTPCORE_H1_REQUEST_HEAD);
  httpcore_h1_parser_free(p);
  CHECK(httpcore_h1_parser_new(HTTPCORE_H1_SERVER, NULL, 1u << 11) == NULL);
  CHECK(strcmp(httpcore_h1_error_name(0), "ok") == 0);
  CHECK(strcmp(httpcore_h1_error_name(-1), "unknown") == 0);
  CHECK(httpcore_h1_error_status(ev.error) == 0);
  CHECK(strlen(httpcore_version()) > 0);
}

int main(void) {
  pipelined_requests();
  chunked_request_with_trailers();
  responses();
  upgrade();
  errors();
  header_array_too_small();
  limits_and_flags();
  return check_finish("h1_parser_c_test");
}
