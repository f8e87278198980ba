// jemalloc's options for the programs linked with it (SAMRAD_JEMALLOC,
// cmake/Dependencies.cmake). Compiled into each such executable, not into
// a library: jemalloc reads this symbol from the program at start-up.
//
// Measured with `samrad run` at N=20,000 on 2 cores (#11, bench/README.md):
// jemalloc's defaults ran the pipeline ~20 % faster than glibc's malloc but
// peaked at 538-547 MB (glibc 439 MB): freed pages stay mapped for 10 s, in
// 4 arenas a core. One arena a core and dirty pages returned after 1 s
// peaked at 395-401 MB with the same speed.
//   percpu_arena:percpu  one arena per CPU, used by the thread running on it
//   dirty_decay_ms:1000  freed pages are returned to the system within ~1 s
//   muzzy_decay_ms:0     and not kept lazily freed after that
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "percpu_arena:percpu,dirty_decay_ms:1000,muzzy_decay_ms:0";
}
