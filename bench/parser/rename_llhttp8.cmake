# cmake -DOBJECTS=a.o|b.o -DOUTPUT=lib.a -DNM=nm -DOBJCOPY=objcopy -DAR=ar -P rename_llhttp8.cmake
cmake_minimum_required(VERSION 3.25)
#
# Archives llhttp 8.1.0's objects (and the engine that calls them) with every
# global symbol the C objects define renamed: llhttp_x -> llhttp8_x, anything
# else -> llhttp8_<name>. Fails if an original name is still defined or
# referenced afterwards, since such a reference would bind to llhttp 9.2.1.
string(REPLACE "|" ";" objects "${OBJECTS}")
set(c_objects "")
foreach(o IN LISTS objects)
  if(o MATCHES "\\.c\\.o(bj)?$")
    list(APPEND c_objects "${o}")
  endif()
endforeach()
if(NOT c_objects)
  message(FATAL_ERROR "rename_llhttp8: no C objects among ${OBJECTS}")
endif()

execute_process(COMMAND ${NM} --defined-only --extern-only --format=posix ${c_objects}
                OUTPUT_VARIABLE nm_out COMMAND_ERROR_IS_FATAL ANY)
string(REGEX MATCHALL "(^|\n)[A-Za-z_][A-Za-z0-9_]* [A-Za-z]" lines "${nm_out}")
set(map "")
set(names "")
foreach(line IN LISTS lines)
  string(STRIP "${line}" line)
  string(REGEX REPLACE " .*" "" sym "${line}")
  if(sym IN_LIST names)
    continue()
  endif()
  list(APPEND names "${sym}")
  if(sym MATCHES "^llhttp(_.*)$")
    string(APPEND map "${sym} llhttp8${CMAKE_MATCH_1}\n")
  else()
    string(APPEND map "${sym} llhttp8_${sym}\n")
  endif()
endforeach()
list(LENGTH names count)
if(count LESS 10)
  message(FATAL_ERROR "rename_llhttp8: found only ${count} symbols in ${c_objects}")
endif()

set(map_file "${OUTPUT}.map")
set(tmp "${OUTPUT}.tmp.a")
file(WRITE "${map_file}" "${map}")
file(REMOVE "${tmp}" "${OUTPUT}")
execute_process(COMMAND ${AR} qc ${tmp} ${objects} COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${OBJCOPY} --redefine-syms=${map_file} ${tmp} ${OUTPUT}
                COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${AR} s ${OUTPUT} COMMAND_ERROR_IS_FATAL ANY)
file(REMOVE "${tmp}")

# Check: no original name survives, defined or undefined.
execute_process(COMMAND ${NM} --format=posix ${OUTPUT} OUTPUT_VARIABLE after
                COMMAND_ERROR_IS_FATAL ANY)
foreach(sym IN LISTS names)
  if(after MATCHES "(^|\n)${sym} [A-Z]")
    file(REMOVE "${OUTPUT}")
    message(FATAL_ERROR "rename_llhttp8: ${sym} is still in the archive")
  endif()
endforeach()
if(after MATCHES "(^|\n)(llhttp_[A-Za-z0-9_]*) [A-Z]")  # global or undefined
  file(REMOVE "${OUTPUT}")
  message(FATAL_ERROR "rename_llhttp8: ${CMAKE_MATCH_2} (unrenamed) is still referenced")
endif()
