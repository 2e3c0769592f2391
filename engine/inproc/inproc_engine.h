/* The engine in the caller's process, for `lightbox --engine=inproc` (debugging): a shared library the
 * shell loads at run time (Boost.DLL), so the shell itself never links engine code. The engine serves on
 * an inproc:// endpoint of the caller's ZeroMQ context, on threads of its own, exactly as
 * `lightbox-engine serve` does on ipc://. A plain C interface: no exception and no C++ type crosses it.
 */
#ifndef LIGHTBOX_INPROC_ENGINE_H
#define LIGHTBOX_INPROC_ENGINE_H

#include <stddef.h>

#define LBX_INPROC_API __attribute__((visibility("default")))

#ifdef __cplusplus
extern "C" {
#endif

/* Starts an engine serving `command_endpoint` ("inproc://..."; events on "<endpoint>.events").
 * `zmq_context` is the address of the caller's zmq::context_t (cppzmq; both sides compile Debian's
 * header, so they agree on the object). `catalog_file` and `thumbnail_dir` may be empty (defaults).
 * Returns once the sockets are bound (plugins then load on a thread; Hello says when ready), or null
 * with a message in `error_out` (at most `error_size` bytes, always terminated). */
LBX_INPROC_API void* lbx_engine_inproc_start(void* zmq_context, const char* command_endpoint, const char* catalog_file,
                                             const char* thumbnail_dir, char* error_out, size_t error_size);

/* Stops it like Shutdown (jobs cancelled, in-flight files finished) and frees it. Null is ignored. */
LBX_INPROC_API void lbx_engine_inproc_stop(void* engine);

#ifdef __cplusplus
}
#endif

#endif
