// `--engine=inproc`: the engine on threads of this process, over inproc:// with the session's ZeroMQ
// context, for debugging both sides in one debugger. The engine library (lightbox_engine_inproc) is
// loaded at run time with Boost.DLL, so the shell never links engine code.
#pragma once

#include <lightbox/ipc/expected.hpp>

#include <zmq.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace lbx::shell {

class InprocEngine {
public:
    ~InprocEngine();
    InprocEngine(const InprocEngine&) = delete;
    InprocEngine& operator=(const InprocEngine&) = delete;

    // Loads `library` and starts an engine on `command_endpoint` sharing `zmq_context` (inproc:// works
    // only within one context), which must outlive the engine.
    static ipc::Expected<std::unique_ptr<InprocEngine>> start(const std::filesystem::path& library, zmq::context_t& zmq_context,
                                                               const std::string& command_endpoint,
                                                               const std::string& catalog,
                                                               const std::filesystem::path& thumbnail_dir);

    struct Impl;
    explicit InprocEngine(std::unique_ptr<Impl> impl);  // only start() can make an Impl

private:
    std::unique_ptr<Impl> impl_;
};

// The engine library next to `self_exe` (or in ../lib), unless LIGHTBOX_ENGINE_INPROC_LIB names one.
std::filesystem::path find_inproc_library(const std::filesystem::path& self_exe);

}  // namespace lbx::shell
