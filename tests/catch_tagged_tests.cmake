# Run after each test executable is built (cmake -P), beside Catch's own discovery: lists the test cases
# carrying the Catch tags that change how ctest runs them, and writes a file of set_tests_properties()
# calls that ctest reads after the labels (tests/CMakeLists.txt, lightbox_discover_tests):
#   [postgres] adds the `postgres` label (the case starts a PostgreSQL server: tests/support/postgres_server.hpp)
#   [slow]    adds the `slow` label (over ~30 s on a 2-core machine; `ctest -LE slow` leaves them out)
#   [timing]  RUN_SERIAL: the case checks a duration with a margin that a loaded machine can eat
# It also refuses a test case name with a ';' (see below).
# Inputs: EXE, PREFIX (the ctest name prefix), LABELS (the executable's labels, comma-separated), OUT.
string(REPLACE "," ";" LABELS "${LABELS}")
# Catch's discovery reads the test names as a CMake list: a ';' in a name splits it into names that match
# no case, and the case never runs. Refuse such a name at build time.
execute_process(COMMAND "${EXE}" --list-test-names-only OUTPUT_VARIABLE all_names RESULT_VARIABLE result)
if(all_names MATCHES "[^\n]*;[^\n]*")
  message(FATAL_ERROR "${EXE}: a test case name contains ';', which ctest's discovery splits: '${CMAKE_MATCH_0}'")
endif()
set(script "")
foreach(tag slow timing postgres)
  execute_process(COMMAND "${EXE}" "[${tag}]" --list-test-names-only
                  OUTPUT_VARIABLE output RESULT_VARIABLE result)
  # Catch exits with the number of tests listed; only a failure to run is an error.
  if(NOT result MATCHES "^[0-9]+$")
    message(FATAL_ERROR "cannot list the [${tag}] tests of ${EXE}: ${result}")
  endif()
  string(REPLACE "\n" ";" names "${output}")
  foreach(name IN LISTS names)
    if(name STREQUAL "")
      continue()
    endif()
    if(tag STREQUAL "slow" OR tag STREQUAL "postgres")
      string(APPEND script "set_tests_properties([==[${PREFIX}${name}]==] PROPERTIES LABELS \"${LABELS};${tag}\")\n")
    else()
      string(APPEND script "set_tests_properties([==[${PREFIX}${name}]==] PROPERTIES RUN_SERIAL TRUE)\n")
    endif()
  endforeach()
endforeach()
file(WRITE "${OUT}" "${script}")
