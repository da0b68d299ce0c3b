/* httpcore's C interface: the HTTP/1 parser and serializer, the request-target
 * splitter, the WebSocket frame parser and the multipart/form-data parser,
 * for C11 programs and for other
 * languages through their C FFI (Python's ctypes, Rust's extern "C", ...).
 *
 * Link with the shared library: `pkg-config --cflags --libs httpcore`
 * (libhttpcore.so.0; it exports these functions and nothing else). The same
 * functions are in the static C++ library too, for C++ programs that want them.
 *
 * Rules that hold for every function here:
 * - No function throws, aborts on bad input, or keeps a pointer to what it
 *   was given past the call. Out of memory is reported as a NULL parser or
 *   an error value.
 * - Text is passed as pointer and length; nothing needs to be NUL-terminated.
 *   Pointers in events and results point into the caller's bytes (or, for a
 *   WebSocket control frame that arrived in pieces, into the parser) and stay
 *   valid until the next call on that parser, or until the caller changes or
 *   frees those bytes. Names (error names) are static NUL-terminated strings.
 * - A parser is used by one thread at a time; distinct parsers are independent.
 *
 * The parsers are pull-style: each feed call returns one event and the number
 * of bytes it consumed. Bytes not consumed must be given again, unchanged, at
 * the start of the next call, followed by any new bytes. They follow the C++
 * API's contract (docs/design.md): split-invariant, zero copy, strict by
 * default, errors with a stable name, the stream offset of the offending byte
 * and the status (or close code) to answer with.
 */
#ifndef HTTPCORE_HTTPCORE_H
#define HTTPCORE_HTTPCORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version, e.g. "0.1.0". */
const char* httpcore_version(void);

/* ------------------------------------------------------------ HTTP/1 ---- */

/* One header or trailer field, as picohttpparser lays it out. The caller
 * supplies an array of these to httpcore_h1_feed(); the parser fills it. */
typedef struct httpcore_header {
  const char* name;
  size_t name_len;
  const char* value;
  size_t value_len;
} httpcore_header;

/* A server parses requests, a client parses responses. */
typedef enum httpcore_h1_role { HTTPCORE_H1_SERVER = 0, HTTPCORE_H1_CLIENT = 1 } httpcore_h1_role;

/* Size limits; httpcore_h1_limits_default() fills in the C++ defaults.
 * Exceeding one is an error with the status in brackets. */
typedef struct httpcore_h1_limits {
  uint32_t max_head_bytes;            /* start line + fields + blank line (431) */
  uint32_t max_headers;               /* fields in a head or trailer section (431) */
  uint32_t max_target_bytes;          /* request-target (414) */
  uint64_t max_body_bytes;            /* one body after de-chunking (413) */
  uint32_t max_chunk_extension_bytes; /* extensions of one chunk-size line (400) */
  uint32_t max_trailer_bytes;         /* trailer section (431) */
} httpcore_h1_limits;

void httpcore_h1_limits_default(httpcore_h1_limits* limits);

/* Lenient flags (all off: strict RFC 9112). Each accepts one deviation, named
 * after llhttp's flag of the same meaning (HOST: a check llhttp never makes);
 * combine with |. */
enum {
  HTTPCORE_H1_LENIENT_HEADERS = 1u << 0,               /* control bytes in field values */
  HTTPCORE_H1_LENIENT_CHUNKED_LENGTH = 1u << 1,        /* Content-Length with Transfer-Encoding */
  HTTPCORE_H1_LENIENT_KEEP_ALIVE = 1u << 2,            /* more messages after a closing one */
  HTTPCORE_H1_LENIENT_TRANSFER_ENCODING = 1u << 3,     /* request TE not ending in chunked */
  HTTPCORE_H1_LENIENT_VERSION = 1u << 4,               /* any HTTP/DIGIT.DIGIT */
  HTTPCORE_H1_LENIENT_DATA_AFTER_CLOSE = 1u << 5,      /* bytes after a closing message ignored */
  HTTPCORE_H1_LENIENT_OPTIONAL_LF_AFTER_CR = 1u << 6,  /* a bare CR ends a line */
  HTTPCORE_H1_LENIENT_OPTIONAL_CR_BEFORE_LF = 1u << 7, /* a bare LF ends a line */
  HTTPCORE_H1_LENIENT_OPTIONAL_CRLF_AFTER_CHUNK = 1u << 8, /* chunk data without CRLF */
  HTTPCORE_H1_LENIENT_SPACES_AFTER_CHUNK_SIZE = 1u << 9,   /* SP/HTAB after a chunk size */
  HTTPCORE_H1_LENIENT_HOST = 1u << 10 /* HTTP/1.1 request without Host, several, or invalid */
};

typedef struct httpcore_h1_parser httpcore_h1_parser; /* opaque */

/* A new parser. `limits` may be NULL (defaults). Returns NULL when out of
 * memory or when `lenient` has a bit not listed above. */
httpcore_h1_parser* httpcore_h1_parser_new(httpcore_h1_role role, const httpcore_h1_limits* limits,
                                           unsigned lenient);
/* Frees the parser; NULL is ignored. */
void httpcore_h1_parser_free(httpcore_h1_parser* parser);
/* Forgets everything and expects a new message (also how a server declines an
 * upgrade: reset, then go on feeding the bytes after the request). */
void httpcore_h1_parser_reset(httpcore_h1_parser* parser);

/* Client role: the method of the request the next response answers (so a
 * response to HEAD has no body, a 2xx to CONNECT opens a tunnel). Applies to
 * one response; call it again before each. */
void httpcore_h1_parser_set_request_method(httpcore_h1_parser* parser, const char* method,
                                           size_t method_len);

typedef enum httpcore_h1_event_type {
  HTTPCORE_H1_NEED_MORE = 0, /* every byte was consumed or must be given again with more */
  HTTPCORE_H1_REQUEST_HEAD,  /* method, target, version, headers, framing fields */
  HTTPCORE_H1_RESPONSE_HEAD, /* status, reason, version, headers, framing fields */
  HTTPCORE_H1_BODY,          /* body, body_len: a piece of the body, de-chunked */
  HTTPCORE_H1_MESSAGE_END,   /* the message is complete; headers holds the trailers */
  HTTPCORE_H1_UPGRADED,      /* HTTP/1 is over; unconsumed bytes are the next protocol's */
  HTTPCORE_H1_ERROR          /* error_*; terminal until httpcore_h1_parser_reset() */
} httpcore_h1_event_type;

/* How a body is delimited (RFC 9112 §6.3). */
typedef enum httpcore_h1_framing {
  HTTPCORE_H1_FRAMING_NONE = 0,
  HTTPCORE_H1_FRAMING_CONTENT_LENGTH,
  HTTPCORE_H1_FRAMING_CHUNKED,
  HTTPCORE_H1_FRAMING_UNTIL_CLOSE
} httpcore_h1_framing;

/* Why HTTP/1 ended (HTTPCORE_H1_UPGRADED). */
typedef enum httpcore_h1_upgrade_kind {
  HTTPCORE_H1_UPGRADE = 0, /* Upgrade request (after its body) or a 101 response */
  HTTPCORE_H1_CONNECT,     /* CONNECT, or a 2xx answer to it: a tunnel */
  HTTPCORE_H1_H2_PREFACE   /* the HTTP/2 preface (it is among the unconsumed bytes) */
} httpcore_h1_upgrade_kind;

/* What one feed or finish call produced. Only the fields of `type` are set;
 * the others are zero. */
typedef struct httpcore_h1_event {
  httpcore_h1_event_type type;
  size_t consumed; /* bytes of the input that are done with */

  /* HTTPCORE_H1_REQUEST_HEAD */
  const char* method;
  size_t method_len;
  const char* target; /* not decoded; see httpcore_parse_request_target() */
  size_t target_len;
  /* HTTPCORE_H1_RESPONSE_HEAD */
  int status;
  const char* reason;
  size_t reason_len;
  /* both heads */
  int version_major;
  int version_minor;
  int keep_alive;      /* 1 when the connection stays open after this message */
  int expect_continue; /* request: "Expect: 100-continue" */
  int upgrade;         /* request: asks to upgrade (Upgrade + Connection: upgrade) */
  httpcore_h1_framing framing;
  uint64_t content_length; /* framing == CONTENT_LENGTH */
  /* heads: header fields; MESSAGE_END: trailer fields. They are the first
   * num_headers entries of the array given to the feed call. */
  size_t num_headers;
  /* HTTPCORE_H1_BODY */
  const char* body;
  size_t body_len;
  /* HTTPCORE_H1_UPGRADED */
  httpcore_h1_upgrade_kind upgrade_kind;
  /* HTTPCORE_H1_ERROR */
  int error;              /* a code, 1..; its name says what it is */
  const char* error_name; /* stable identifier, e.g. "invalid_chunk_size" */
  uint64_t error_offset;  /* offending byte, counted from the first byte fed */
  int error_status;       /* what a server answers: 400, 413, 414, 431, 501, 505 */
  /* both heads: the Content-Length field's value, also where no body follows
   * (a response to HEAD or a 304 announces the representation's size) */
  int has_announced_content_length;
  uint64_t announced_content_length;
  /* HTTPCORE_H1_MESSAGE_END: body bytes delivered for the message (de-chunked) */
  uint64_t body_bytes;
  /* both heads: the transfer codings still on the body, which the parser does
   * not undo (it undoes a final chunked only): their number, 0 for none; the
   * first one's token (e.g. "gzip" for "gzip, chunked") and its stream offset.
   * With any, BODY events carry coded bytes. */
  uint32_t transfer_codings;
  const char* first_transfer_coding;
  size_t first_transfer_coding_len;
  uint64_t first_transfer_coding_offset;
} httpcore_h1_event;

/* Parses from the start of data[0..len) until one event is ready or the input
 * is used up, fills *event and returns event->type. A head's fields are
 * written to headers[0..max_headers); a head with more fields than that is
 * the error "too_many_headers" (431) at the first field that did not fit. */
httpcore_h1_event_type httpcore_h1_feed(httpcore_h1_parser* parser, const char* data, size_t len,
                                        httpcore_header* headers, size_t max_headers,
                                        httpcore_h1_event* event);

/* The peer closed the connection: ends a close-delimited body with
 * MESSAGE_END; in the middle of a message it is the error
 * "incomplete_message". */
httpcore_h1_event_type httpcore_h1_finish(httpcore_h1_parser* parser, httpcore_h1_event* event);

/* The name and status of an HTTP/1 error code: "ok" and 0 for 0, "unknown"
 * and 400 for a code the library does not define. */
const char* httpcore_h1_error_name(int error);
int httpcore_h1_error_status(int error);

/* ---------------------------------------------------- HTTP/1 serializer ---- */
/* Each writer appends to out[0..cap) at offset *len and advances *len. When the
 * result does not fit it writes nothing, sets *len to the size the buffer
 * would need (so the caller can grow it and call again) and returns
 * HTTPCORE_SERIALIZE_BUFFER_TOO_SMALL. A refused field leaves *len as it was:
 * the serializer never writes what would not parse back to what it was given. */
typedef enum httpcore_serialize_result {
  HTTPCORE_SERIALIZE_OK = 0,
  HTTPCORE_SERIALIZE_INVALID_METHOD,
  HTTPCORE_SERIALIZE_INVALID_TARGET,
  HTTPCORE_SERIALIZE_INVALID_VERSION,
  HTTPCORE_SERIALIZE_INVALID_STATUS,
  HTTPCORE_SERIALIZE_INVALID_REASON,
  HTTPCORE_SERIALIZE_INVALID_HEADER_NAME,
  HTTPCORE_SERIALIZE_INVALID_HEADER_VALUE,
  HTTPCORE_SERIALIZE_BUFFER_TOO_SMALL,
  HTTPCORE_SERIALIZE_OUT_OF_MEMORY
} httpcore_serialize_result;

/* A stable name for a result, e.g. "invalid_header_value". */
const char* httpcore_serialize_result_name(httpcore_serialize_result result);

/* `method target HTTP/1.<version_minor>`, the fields, the blank line. */
httpcore_serialize_result httpcore_h1_write_request_head(char* out, size_t cap, size_t* len,
                                                         const char* method, size_t method_len,
                                                         const char* target, size_t target_len,
                                                         const httpcore_header* headers,
                                                         size_t num_headers, int version_minor);
/* `HTTP/1.<version_minor> status reason`, the fields, the blank line. An empty
 * reason means the standard phrase for the status. */
httpcore_serialize_result httpcore_h1_write_response_head(char* out, size_t cap, size_t* len,
                                                          int status, const char* reason,
                                                          size_t reason_len,
                                                          const httpcore_header* headers,
                                                          size_t num_headers, int version_minor);
/* One chunk of a chunked body (nothing for an empty piece, which would read as
 * the last chunk). */
httpcore_serialize_result httpcore_h1_write_chunk(char* out, size_t cap, size_t* len,
                                                  const void* data, size_t data_len);
/* The last chunk, the trailers (may be NULL with num_trailers 0), the blank line. */
httpcore_serialize_result httpcore_h1_write_last_chunk(char* out, size_t cap, size_t* len,
                                                       const httpcore_header* trailers,
                                                       size_t num_trailers);

/* ------------------------------------------------------ request-target ---- */

typedef enum httpcore_target_form {
  HTTPCORE_TARGET_ORIGIN = 0, /* /path?query */
  HTTPCORE_TARGET_ABSOLUTE,   /* http://host/path (to proxies) */
  HTTPCORE_TARGET_AUTHORITY,  /* host:port (CONNECT) */
  HTTPCORE_TARGET_ASTERISK    /* * (OPTIONS) */
} httpcore_target_form;

/* A request-target split into its RFC 3986 components: pointers into the
 * target given. An absent component has a NULL pointer and length 0; an
 * empty one ("/p?") a non-NULL pointer and length 0. */
typedef struct httpcore_target {
  httpcore_target_form form;
  const char* scheme;
  size_t scheme_len;
  const char* userinfo;
  size_t userinfo_len;
  const char* host; /* an IP literal keeps its brackets: "[::1]" */
  size_t host_len;
  const char* port;
  size_t port_len;
  uint16_t port_number; /* 0 when there is no port */
  const char* path;     /* as sent: not decoded, dot segments intact */
  size_t path_len;
  const char* query; /* without the '?' */
  size_t query_len;
  const char* fragment; /* without the '#' */
  size_t fragment_len;
} httpcore_target;

/* Splits the target of a request with `method` (RFC 9112 §3.2: CONNECT takes
 * authority-form, OPTIONS also "*", others origin- or absolute-form). Returns
 * 0 on success, else an error code (see httpcore_target_error_name()) with
 * *error_offset (may be NULL) at the offending byte. Every target error is a
 * 400 for a server. */
int httpcore_parse_request_target(const char* method, size_t method_len, const char* target,
                                  size_t target_len, httpcore_target* out, size_t* error_offset);
/* e.g. "invalid_port"; "ok" for 0, "unknown" for a code the library does not
 * define. */
const char* httpcore_target_error_name(int error);

/* ----------------------------------------------------- WebSocket frames ---- */

typedef enum httpcore_ws_role { HTTPCORE_WS_SERVER = 0, HTTPCORE_WS_CLIENT = 1 } httpcore_ws_role;

typedef struct httpcore_ws_parser httpcore_ws_parser; /* opaque */

/* A frame parser for the bytes after the opening handshake. 0 for a limit
 * means its default (16 MiB); allow_rsv1 when permessage-deflate was agreed.
 * Returns NULL when out of memory. */
httpcore_ws_parser* httpcore_ws_parser_new(httpcore_ws_role role, uint64_t max_frame_bytes,
                                           uint64_t max_message_bytes, int allow_rsv1);
void httpcore_ws_parser_free(httpcore_ws_parser* parser);
void httpcore_ws_parser_reset(httpcore_ws_parser* parser);

typedef enum httpcore_ws_event_type {
  HTTPCORE_WS_NEED_MORE = 0,
  HTTPCORE_WS_FRAME_BEGIN, /* a data frame's header: opcode, first_fragment, fin, compressed, length
                            */
  HTTPCORE_WS_PAYLOAD,     /* payload, payload_len: unmasked in place, in the caller's buffer */
  HTTPCORE_WS_FRAME_END,   /* message_end: 1 when this frame completed its message */
  HTTPCORE_WS_CONTROL,     /* a whole close/ping/pong: opcode, payload, close_code, close_reason */
  HTTPCORE_WS_ERROR        /* error_*; terminal until httpcore_ws_parser_reset() */
} httpcore_ws_event_type;

typedef struct httpcore_ws_event {
  httpcore_ws_event_type type;
  size_t consumed;
  int opcode;         /* FRAME_BEGIN: 1 text or 2 binary (also on continuations); CONTROL: 8-10 */
  int first_fragment; /* FRAME_BEGIN */
  int fin;            /* FRAME_BEGIN */
  int compressed;     /* FRAME_BEGIN: RSV1 was set on the message */
  uint64_t length;    /* FRAME_BEGIN: payload bytes of this frame */
  const unsigned char* payload; /* PAYLOAD, CONTROL */
  size_t payload_len;
  int message_end;          /* FRAME_END */
  int close_code;           /* CONTROL close: the code, or 1005 when the payload was empty */
  const char* close_reason; /* CONTROL close: UTF-8 reason */
  size_t close_reason_len;
  int error;              /* ERROR: a code, 1.. */
  const char* error_name; /* e.g. "unmasked_client_frame" */
  uint64_t error_offset;
  int error_close_code; /* 1002, 1007 or 1009 */
} httpcore_ws_event;

/* Like httpcore_h1_feed(); `data` is written to (payloads are unmasked in
 * place). */
httpcore_ws_event_type httpcore_ws_feed(httpcore_ws_parser* parser, unsigned char* data, size_t len,
                                        httpcore_ws_event* event);

/* ------------------------------------------------ multipart/form-data ---- */

typedef struct httpcore_multipart_parser httpcore_multipart_parser; /* opaque */

/* A parser for request bodies delimited by `boundary` (without the leading
 * "--"; see httpcore_multipart_boundary()). 0 for a limit means its default
 * (8 KiB of head per part, 256 parts). A boundary RFC 2046 does not allow
 * makes a parser whose every feed is the error "invalid_boundary" at offset
 * 0. Returns NULL when out of memory. */
httpcore_multipart_parser* httpcore_multipart_parser_new(const char* boundary, size_t boundary_len,
                                                         uint32_t max_part_head_bytes,
                                                         uint32_t max_parts);
void httpcore_multipart_parser_free(httpcore_multipart_parser* parser);
/* Forgets everything but the boundary and the limits; expects a new body. */
void httpcore_multipart_parser_reset(httpcore_multipart_parser* parser);

typedef enum httpcore_multipart_event_type {
  HTTPCORE_MULTIPART_NEED_MORE = 0, /* consumed, or to be given again with more */
  HTTPCORE_MULTIPART_PART_BEGIN,    /* index, name, filename, content_type, head, escaped */
  HTTPCORE_MULTIPART_PART_DATA,     /* data, data_len: a piece of the part, never empty */
  HTTPCORE_MULTIPART_PART_END,      /* index, data_bytes */
  HTTPCORE_MULTIPART_BODY_END,      /* parts; the epilogue is ignored */
  HTTPCORE_MULTIPART_ERROR          /* error_*; terminal until reset */
} httpcore_multipart_event_type;

typedef struct httpcore_multipart_event {
  httpcore_multipart_event_type type;
  size_t consumed;
  uint32_t index;   /* PART_BEGIN, PART_END: 0 for the first part */
  const char* name; /* PART_BEGIN: Content-Disposition's name, as sent */
  size_t name_len;
  int has_filename; /* PART_BEGIN: 1 when a filename parameter is there (maybe empty) */
  const char* filename;
  size_t filename_len;
  const char* content_type; /* PART_BEGIN: empty when the part has none */
  size_t content_type_len;
  const char* head; /* PART_BEGIN: the part's field lines as received */
  size_t head_len;
  int escaped;      /* PART_BEGIN: name or filename holds a quoted-pair, kept as sent */
  const char* data; /* PART_DATA */
  size_t data_len;
  uint64_t data_bytes;    /* PART_END: the part's data bytes */
  uint32_t parts;         /* BODY_END */
  int error;              /* ERROR: a code, 1.. */
  const char* error_name; /* e.g. "invalid_delimiter" */
  uint64_t error_offset;  /* offending byte, counted from the first byte fed */
  int error_status;       /* what a server answers: 400, 413 or 415 */
} httpcore_multipart_event;

/* Like httpcore_h1_feed(): parses from the start of data[0..len) until one
 * event is ready or the input is used up. A part's head stays unconsumed
 * until its blank line, and up to 73 bytes that may begin a delimiter at the
 * end of the input: give them again with more. */
httpcore_multipart_event_type httpcore_multipart_feed(httpcore_multipart_parser* parser,
                                                      const char* data, size_t len,
                                                      httpcore_multipart_event* event);
/* The body ended: BODY_END right after the close delimiter, NEED_MORE in the
 * epilogue, else the error "boundary_not_found" or "incomplete_body". */
httpcore_multipart_event_type httpcore_multipart_finish(httpcore_multipart_parser* parser,
                                                        httpcore_multipart_event* event);

/* The boundary of a Content-Type value ("multipart/form-data; boundary=..."):
 * returns 0 and points *boundary (into the value) and *boundary_len at it,
 * or an error code with *error_offset (may be NULL) at the offending byte in
 * the value. */
int httpcore_multipart_boundary(const char* content_type, size_t content_type_len,
                                const char** boundary, size_t* boundary_len,
                                uint64_t* error_offset);

/* The name and status of a multipart error code: "ok" and 0 for 0,
 * "unknown" and 400 for a code the library does not define. */
const char* httpcore_multipart_error_name(int error);
int httpcore_multipart_error_status(int error);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* HTTPCORE_HTTPCORE_H */
