// llhttp 9.2.1: Debian's shared library (libllhttp-dev).

#include <llhttp.h>

#define LLHTTP_ENGINE_FACTORY make_llhttp9_engine
#include "llhttp_engine.ipp"
