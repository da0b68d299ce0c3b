// llhttp 8.1.0, built in bench/ from Debian's node-llhttp sources. Its objects,
// this one included, get every llhttp symbol renamed to llhttp8_* after
// compilation (see bench/CMakeLists.txt), so it links beside llhttp 9.2.1.

#include <llhttp.h>

#if LLHTTP_VERSION_MAJOR != 8
#error "engine_llhttp8.cpp must see llhttp 8's header"
#endif

#define LLHTTP_ENGINE_FACTORY make_llhttp8_engine
#include "llhttp_engine.ipp"
