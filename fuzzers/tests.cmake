# ctest labels for the fuzzers:
#   regress  every input in corpus/<target>/ and repro/*/ replays clean;
#            kept kernel races still give their signature
#   smoke    each target fuzzes 20 s from its seeds and finds nothing
#            (fuzzing engines only)
#   repro    each bug.patch entry of this preset fires on a patched copy
#            (repro.<id>); bench_bugs.trial (fuzz-asan)
#   unit     the tools and scripts: the bindrace command (cli.errors,
#            trace.cli, minimize.cli, stress.abort_names_run), the targets'
#            own crash files and feedback default, the campaign report,
#            entry matching, fuzz.sh's and the bench scripts' CLIs and
#            --help, a failed build's message
# Each test says in a comment above it what it checks.

# A unit test that is a script in fuzzers/tests/: run with bash, label unit.
function(unit_script_test name timeout script)
  add_test(NAME ${name} COMMAND bash ${PROJECT_SOURCE_DIR}/fuzzers/tests/${script} ${ARGN})
  set_tests_properties(${name} PROPERTIES LABELS unit TIMEOUT ${timeout})
endfunction()

set(san_env "BINDRACE_SUPPRESSIONS=${PROJECT_SOURCE_DIR}/fuzzers/known.supp"
            "ASAN_OPTIONS=abort_on_error=1:detect_leaks=1"
            "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1"
            "TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=${PROJECT_SOURCE_DIR}/fuzzers/tsan.supp")

foreach(t ${fuzz_targets})
  set(dirs ${CMAKE_BINARY_DIR}/corpus/${t})
  if(BINDRACE_FUZZ_ENGINE STREQUAL "standalone")
    set(cmd $<TARGET_FILE:${t}> ${dirs})
  elseif(BINDRACE_FUZZ_ENGINE STREQUAL "libfuzzer")
    set(cmd $<TARGET_FILE:${t}> -runs=0 ${dirs})
  else()
    # libAFLDriver replays the files it is given.
    set(cmd ${CMAKE_COMMAND} -DTARGET=$<TARGET_FILE:${t}> -DDIR=${dirs}
        -P ${PROJECT_SOURCE_DIR}/fuzzers/replay_each.cmake)
  endif()
  add_test(NAME regress.${t}.corpus COMMAND ${cmd})
  set_tests_properties(regress.${t}.corpus PROPERTIES LABELS regress TIMEOUT 600
                       ENVIRONMENT "${san_env}")

  if(BINDRACE_FUZZ_ENGINE STREQUAL "libfuzzer")
    set(work ${CMAKE_BINARY_DIR}/smoke/${t})
    add_test(NAME smoke.${t}.setup COMMAND ${CMAKE_COMMAND} -E make_directory ${work} ${work}-artifacts)
    set_tests_properties(smoke.${t}.setup PROPERTIES FIXTURES_SETUP smoke_${t} LABELS smoke)
    add_test(NAME smoke.${t}
             COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/lib/options.sh --exec
                     $<TARGET_FILE:${t}> -max_total_time=20 -seed=1 -print_final_stats=1
                     -artifact_prefix=${work}-artifacts/ ${work} ${dirs})
    set_tests_properties(smoke.${t} PROPERTIES LABELS smoke TIMEOUT 120
                         FIXTURES_REQUIRED smoke_${t} ENVIRONMENT "${san_env}")
  endif()
endforeach()

# A model report leaves its input behind even when libFuzzer's crash
# handler does not run.  The input: the kernel's own WARN, which fires on
# fibers in both builds when known.supp (which lists it) is not used.
if(BINDRACE_FUZZ_ENGINE STREQUAL "libfuzzer")
  add_test(NAME artifact.fuzz_bind
           COMMAND ${CMAKE_COMMAND} -DTARGET=$<TARGET_FILE:fuzz_bind>
                   -DINPUT=${PROJECT_SOURCE_DIR}/repro/links-no-driver-warn-supplier-unbinding/input.bin
                   -DDIR=${CMAKE_BINARY_DIR}/artifact-test
                   -P ${PROJECT_SOURCE_DIR}/fuzzers/expect_artifact.cmake)
  set_tests_properties(artifact.fuzz_bind PROPERTIES LABELS unit TIMEOUT 120
                       ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0;BINDRACE_SUPPRESSIONS=")
  # fuzz.sh's triage reads that report back from the campaign's log.
  add_test(NAME campaign_report.fuzz_bind
           COMMAND bash ${PROJECT_SOURCE_DIR}/fuzzers/tests/campaign_report.sh ${PROJECT_SOURCE_DIR}
                   $<TARGET_FILE:fuzz_bind> $<TARGET_FILE:bindrace>
                   ${PROJECT_SOURCE_DIR}/repro/links-no-driver-warn-supplier-unbinding/input.bin
                   ${CMAKE_BINARY_DIR}/campaign-report-test)
  set_tests_properties(campaign_report.fuzz_bind PROPERTIES LABELS unit TIMEOUT 120
                       ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0;BINDRACE_SUPPRESSIONS=")
  # The interleaving feedback is on by default where libFuzzer reads it.
  add_test(NAME feedback.default
           COMMAND bash ${PROJECT_SOURCE_DIR}/fuzzers/tests/feedback_default.sh $<TARGET_FILE:fuzz_bind>
                   ${CMAKE_BINARY_DIR}/corpus/fuzz_bind ${CMAKE_BINARY_DIR}/feedback-default-test)
  set_tests_properties(feedback.default PROPERTIES LABELS unit TIMEOUT 120
                       ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0")
endif()
# fuzz_bind's ASan quarantine (asan_options.c) is in effect and holds the
# largest run's heap twice over.
if(BINDRACE_FUZZ_ENGINE STREQUAL "libfuzzer" AND BINDRACE_SANITIZER STREQUAL "address")
  unit_script_test(fuzz_asan.quarantine 120 quarantine.sh $<TARGET_FILE:fuzz_bind>
                   ${CMAKE_BINARY_DIR}/corpus/fuzz_bind ${PROJECT_SOURCE_DIR}/repro)
  set_tests_properties(fuzz_asan.quarantine PROPERTIES ENVIRONMENT
                       "BINDRACE_SUPPRESSIONS=${PROJECT_SOURCE_DIR}/fuzzers/known.supp;ASAN_OPTIONS=detect_leaks=0")
endif()
# bench-replay: the median cost of a run on a fixed workload.  ASan only:
# TSan's start-up (about 1 s, varying by a tenth) drowns a test-sized one.
if(BINDRACE_FUZZ_ENGINE STREQUAL "libfuzzer" AND NOT BINDRACE_SANITIZER STREQUAL "thread")
  unit_script_test(bench_replay.cli 120 bench_replay.sh ${PROJECT_SOURCE_DIR}
                   $<TARGET_FILE:fuzz_bind> ${CMAKE_BINARY_DIR}/bench-replay-test)
  # bench-start: the fixed cost of a start from an empty corpus.
  unit_script_test(bench_start.cli 120 bench_start.sh ${PROJECT_SOURCE_DIR} $<TARGET_FILE:fuzz_bind>
                   ${CMAKE_BINARY_DIR}/bench-start-test)
endif()

# Bad uses of the bindrace command: exit 2 and a message, in every build
# (under the sanitizers too: an error path must not crash or leak).
add_test(NAME cli.errors
         COMMAND bash ${PROJECT_SOURCE_DIR}/fuzzers/tests/cli_errors.sh $<TARGET_FILE:bindrace>
                 ${CMAKE_BINARY_DIR}/cli-errors-test)
set_tests_properties(cli.errors PROPERTIES LABELS unit TIMEOUT 60 ENVIRONMENT "${san_env}")

# bench-bugs end to end: a trial of each kind of mode on B6, in the patched
# copies repro-check builds (fuzz-asan, and afl when afl-fuzz is installed).
if(BINDRACE_PRESET STREQUAL "fuzz-asan")
  add_test(NAME bench_bugs.trial
           COMMAND bash ${PROJECT_SOURCE_DIR}/fuzzers/tests/bench_trial.sh ${PROJECT_SOURCE_DIR}
                   ${CMAKE_BINARY_DIR}/bench-trial-test)
  set_tests_properties(bench_bugs.trial PROPERTIES LABELS repro TIMEOUT 900
                       RESOURCE_LOCK "patched-fuzz-asan;patched-afl")
endif()

# bench-bugs reads its CSV back into the table the README quotes (one
# build is enough: no binary involved).
if(BINDRACE_PRESET STREQUAL "dev")
  unit_script_test(bench_bugs.report 60 bench_report.sh ${PROJECT_SOURCE_DIR}
                   ${CMAKE_BINARY_DIR}/bench-report-test)
  # Every script's --help is its whole head comment (scripts/lib/help.sh).
  unit_script_test(scripts.help 60 scripts_help.sh ${PROJECT_SOURCE_DIR})
  # The scripts' table of fuzz targets (scripts/lib/targets.sh) matches
  # the targets the build makes, their presets and their backends.
  unit_script_test(scripts.targets 60 targets_table.sh ${PROJECT_SOURCE_DIR})
  # A failed build says what failed and shows the build's last lines
  # (scripts/lib/build.sh), where the scripts had stopped without a word.
  unit_script_test(scripts.build 120 build_preset.sh ${PROJECT_SOURCE_DIR}
                   ${CMAKE_BINARY_DIR}/build-preset-test)
  # The main job refuses a bad flag or --out with status 2 and a message,
  # before it builds anything.
  unit_script_test(fuzz_sh.cli 120 fuzz_sh_cli.sh ${PROJECT_SOURCE_DIR}
                   ${CMAKE_BINARY_DIR}/fuzz-sh-cli-test)
  # fuzz.sh's triage: known, again (a clean-replaying entry's signature) or new.
  unit_script_test(triage.class 60 triage_class.sh ${PROJECT_SOURCE_DIR}
                   ${CMAKE_BINARY_DIR}/triage-class-test)
  # A known finding suppresses what its run reports after it (core/kernel/bug.c).
  unit_script_test(report.taint 60 report_taint.sh $<TARGET_FILE:fuzz_bind> ${PROJECT_SOURCE_DIR}
                   ${CMAKE_BINARY_DIR}/report-taint-test)
  # bench-fuzz: a bad flag is refused before anything is built or run; its
  # summary's median and range.
  unit_script_test(bench_fuzz.cli 60 bench_fuzz_cli.sh ${PROJECT_SOURCE_DIR})
  # bindrace_bench_core --xcpu: the machine's cross-CPU round trip, which
  # bench-fuzz and bench-replay print beside their runs (its form, not a speed).
  unit_script_test(bench_core.cli 60 bench_core_cli.sh $<TARGET_FILE:bindrace_bench_core>
                   ${PROJECT_SOURCE_DIR})
  # bench-corpus: one replay per input, points summed (its figures in the README).
  unit_script_test(bench_corpus.summary 60 bench_corpus.sh ${PROJECT_SOURCE_DIR}
                   $<TARGET_FILE:bindrace> ${CMAKE_BINARY_DIR}/bench-corpus-test)
  # bindrace run --trace and --trace-json: the timeline and its Chrome events.
  unit_script_test(trace.cli 60 trace_cli.sh $<TARGET_FILE:bindrace>
                   ${PROJECT_SOURCE_DIR}/fuzzers/tests/json_events.cmake
                   ${CMAKE_BINARY_DIR}/trace-test)
  # bindrace stress ends on a finding's SIGABRT naming its run (bench-bugs'
  # runs column) and keeping the program.
  unit_script_test(stress.abort_names_run 60 stress_abort.sh $<TARGET_FILE:bindrace>
                   ${CMAKE_BINARY_DIR}/stress-abort-test)
  # The minimizer's CLI, on a kept race that fires on fibers in this build.
  unit_script_test(minimize.cli 120 minimize_cli.sh $<TARGET_FILE:bindrace>
                   ${PROJECT_SOURCE_DIR}/repro/links-no-driver-warn-supplier-unbinding/input.bin
                   "WARNING: WARN in __device_links_no_driver*" ${CMAKE_BINARY_DIR}/minimize-test)
  # Each entry's signature is a finding of its own by bench-bugs' globs.
  unit_script_test(entry_match.signatures 60 entry_match.sh ${PROJECT_SOURCE_DIR})
  # bench-bugs' mode s: a seed corpus holding the entry's repro is caught.
  unit_script_test(entry.seed_showing 120 seed_showing.sh ${PROJECT_SOURCE_DIR}
                   $<TARGET_FILE:bindrace> ${CMAKE_BINARY_DIR}/corpus/fuzz_bind
                   ${CMAKE_BINARY_DIR}/seed-showing-test)
  # tsan.supp's blocks, one per kept race, and what hunt drops of them.
  unit_script_test(tsan_supp.blocks 60 tsan_supp.sh ${PROJECT_SOURCE_DIR}
                   ${CMAKE_BINARY_DIR}/tsan-supp-test)
endif()

# Every triaged repro entry replays clean on the model as it is (the bug it
# records is either fixed here or, for kernel races, suppressed and
# documented; such an entry's status says "kept", and its replay without
# the suppressions must give its signature).  An entry marked open (a file "status" saying so) is a finding
# not triaged yet: its replay must still report it (WILL_FAIL), so that a
# change that makes it vanish gets noticed.
file(GLOB repro_dirs CONFIGURE_DEPENDS LIST_DIRECTORIES true ${PROJECT_SOURCE_DIR}/repro/*)
foreach(dir ${repro_dirs})
  if(NOT IS_DIRECTORY ${dir})
    continue()
  endif()
  get_filename_component(id ${dir} NAME)
  if(EXISTS ${dir}/input.bin)
    set(input ${dir}/input.bin)
  elseif(EXISTS ${dir}/program.txt)
    set(input ${dir}/program.txt)
  else()
    continue()
  endif()
  if(EXISTS ${dir}/input.bin AND EXISTS ${dir}/program.txt)
    add_test(NAME regress.text.${id}
             COMMAND ${CMAKE_COMMAND} -DBINDRACE=$<TARGET_FILE:bindrace> -DDIR=${dir}
                     -DNAME=${id} -P ${PROJECT_SOURCE_DIR}/fuzzers/repro_text.cmake)
    set_tests_properties(regress.text.${id} PROPERTIES LABELS regress TIMEOUT 60
                         ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0")
  endif()
  set(status "")
  if(EXISTS ${dir}/status)
    file(READ ${dir}/status status)
  endif()
  # The tests below depend on these files: a change reconfigures.
  foreach(f status preset)
    if(EXISTS ${dir}/${f})
      set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${dir}/${f})
    endif()
  endforeach()
  if(status MATCHES "^open")
    # known.supp lists open findings too; this replay must see them, and
    # a crash counts as seeing them.  Emptied, not just left out: ctest
    # passes on the caller's environment.
    set(open_env ${san_env})
    list(REMOVE_AT open_env 0)
    list(APPEND open_env "BINDRACE_SUPPRESSIONS=")
    add_test(NAME regress.repro.${id}
             COMMAND ${CMAKE_COMMAND} "-DCMD=$<TARGET_FILE:bindrace>;run;${input}"
                     -P ${PROJECT_SOURCE_DIR}/fuzzers/expect_finding.cmake)
    set_tests_properties(regress.repro.${id} PROPERTIES LABELS regress TIMEOUT 120
                         ENVIRONMENT "${open_env}")
  else()
    add_test(NAME regress.repro.${id} COMMAND bindrace run ${input})
    set_tests_properties(regress.repro.${id} PROPERTIES LABELS "regress;repro" TIMEOUT 120
                         ENVIRONMENT "${san_env}")
  endif()

  # A kept kernel race (status "kept"; known.supp or tsan.supp lists it)
  # must still fire without the suppressions, in the preset it was found
  # with: the clean replay above alone would pass if the model lost it.
  if(status MATCHES "^kept" AND EXISTS ${dir}/signature AND EXISTS ${dir}/preset)
    file(STRINGS ${dir}/preset entry_preset LIMIT_COUNT 1)
    if(entry_preset STREQUAL "${BINDRACE_PRESET}")
      set(kept_env ${san_env})
      list(FILTER kept_env EXCLUDE REGEX "^(BINDRACE_SUPPRESSIONS|TSAN_OPTIONS)=")
      list(APPEND kept_env "BINDRACE_SUPPRESSIONS=" "TSAN_OPTIONS=halt_on_error=1")
      add_test(NAME regress.kept.${id}
               COMMAND ${CMAKE_COMMAND} -DBINDRACE=$<TARGET_FILE:bindrace> -DINPUT=${input}
                       -DSIGFILE=${dir}/signature -DLOG=${CMAKE_BINARY_DIR}/kept-${id}.log
                       -P ${PROJECT_SOURCE_DIR}/fuzzers/expect_signature.cmake)
      set_tests_properties(regress.kept.${id} PROPERTIES LABELS regress TIMEOUT 120
                           ENVIRONMENT "${kept_env}")
    endif()
  endif()

  # An entry with a bug.patch also fires on the tree with the patch
  # applied, in the preset it was found with (scripts/repro-check): the
  # clean half is the replay above.
  if(EXISTS ${dir}/bug.patch AND EXISTS ${dir}/preset)
    file(STRINGS ${dir}/preset entry_preset LIMIT_COUNT 1)
    if(entry_preset STREQUAL "${BINDRACE_PRESET}")
      add_test(NAME repro.${id}
               COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/repro-check ${id})
      # One patched copy of the tree per preset: one entry at a time.
      set_tests_properties(repro.${id} PROPERTIES LABELS repro TIMEOUT 900
                           RESOURCE_LOCK patched-${BINDRACE_PRESET})
    endif()
  endif()
endforeach()
