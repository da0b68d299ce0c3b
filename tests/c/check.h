/* A minimal check harness for the C tests: CHECK counts failures and prints
 * where; main returns check_finish(), non-zero when anything failed. */
#ifndef HTTPCORE_TESTS_C_CHECK_H
#define HTTPCORE_TESTS_C_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++check_failures;                                                        \
    }                                                                          \
  } while (0)

/* Compares a pointer-and-length text with a C string. */
#define CHECK_TEXT(ptr, len, expected)                                                             \
  do {                                                                                             \
    const char* check_e_ = (expected);                                                             \
    size_t check_n_ = (len);                                                                       \
    if (check_n_ != strlen(check_e_) || (check_n_ && memcmp((ptr), check_e_, check_n_))) {         \
      fprintf(stderr, "%s:%d: got \"%.*s\", expected \"%s\"\n", __FILE__, __LINE__, (int)check_n_, \
              (const char*)(ptr), check_e_);                                                       \
      ++check_failures;                                                                            \
    }                                                                                              \
  } while (0)

#define CHECK_STR(got, expected)                                                                 \
  do {                                                                                           \
    const char *check_g_ = (got), *check_x_ = (expected);                                        \
    if (strcmp(check_g_, check_x_) != 0) {                                                       \
      fprintf(stderr, "%s:%d: got\n%s\nexpected\n%s\n", __FILE__, __LINE__, check_g_, check_x_); \
      ++check_failures;                                                                          \
    }                                                                                            \
  } while (0)

static int check_finish(const char* name) {
  if (check_failures) {
    fprintf(stderr, "%s: %d check(s) failed\n", name, check_failures);
    return 1;
  }
  printf("%s: all checks passed\n", name);
  return 0;
}

#endif
