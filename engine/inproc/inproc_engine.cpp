#include "inproc/inproc_engine.h"

#include "plugins/plugin_registry.hpp"
#include "pipeline/pipeline_config.hpp"
#include "service/engine_service.hpp"
#include "workers/file_processor.hpp"

#include <dlfcn.h>
#include <stdlib.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

namespace {

using lbx::engine::service::EngineService;

// The folder of this library: plugins and configs are found from it as the executable finds them
// from bin/ (the library sits beside the executables).
std::filesystem::path library_dir() {
    Dl_info info{};
    if (::dladdr(reinterpret_cast<void*>(&lbx_engine_inproc_start), &info) == 0 || info.dli_fname == nullptr) {
        return std::filesystem::current_path();
    }
    return std::filesystem::absolute(info.dli_fname).parent_path();
}

struct InprocEngine {
    std::filesystem::path runtime_dir;  // private: the endpoints file must not replace a real engine's
    std::unique_ptr<EngineService> service;
    std::atomic<bool> stop{false};
    std::jthread thread;

    ~InprocEngine() {
        stop.store(true);
        if (thread.joinable()) thread.join();
        service.reset();
        std::error_code ec;
        std::filesystem::remove_all(runtime_dir, ec);
    }
};

void copy_error(const std::string& message, char* out, size_t size) {
    if (out == nullptr || size == 0) return;
    const size_t n = std::min(size - 1, message.size());
    std::memcpy(out, message.data(), n);
    out[n] = '\0';
}

}  // namespace

extern "C" void* lbx_engine_inproc_start(void* zmq_context, const char* command_endpoint, const char* catalog_file,
                                         const char* thumbnail_dir, char* error_out, size_t error_size) {
    try {
        if (zmq_context == nullptr || command_endpoint == nullptr || std::strncmp(command_endpoint, "inproc://", 9) != 0) {
            copy_error("lbx_engine_inproc_start needs a ZeroMQ context and an inproc:// endpoint", error_out, error_size);
            return nullptr;
        }
        auto engine = std::make_unique<InprocEngine>();
        char pattern[] = "/tmp/lightbox-inproc-XXXXXX";
        if (::mkdtemp(pattern) == nullptr) {
            copy_error(std::string("cannot make a runtime folder: ") + std::strerror(errno), error_out, error_size);
            return nullptr;
        }
        engine->runtime_dir = pattern;

        const std::filesystem::path dir = library_dir();
        lbx::engine::service::ServiceOptions options;
        options.endpoint = command_endpoint;
        options.runtime_dir = engine->runtime_dir;
        options.plugin_dirs = lbx::engine::plugin_search_path(dir);
        options.config_dir = (dir / ".." / "share" / "lightbox" / "config").lexically_normal();
        options.isolation.worker_executable = lbx::engine::worker_program_in(dir);  // workers are processes here too
        options.analysis = lbx::engine::analysis_default().value_or(true);
        if (catalog_file != nullptr && *catalog_file != '\0') options.catalog_file = catalog_file;
        if (thumbnail_dir != nullptr && *thumbnail_dir != '\0') options.thumbnail_dir = thumbnail_dir;

        auto service = EngineService::create(*static_cast<zmq::context_t*>(zmq_context), std::move(options));
        if (!service) {
            copy_error(service.error().message, error_out, error_size);
            return nullptr;
        }
        engine->service = std::move(*service);
        InprocEngine* raw = engine.get();
        raw->thread = std::jthread([raw] { raw->service->run(raw->stop, {}); });
        return engine.release();  // owned by the caller until lbx_engine_inproc_stop
    } catch (const std::exception& e) {
        copy_error(std::string("cannot start the engine: ") + e.what(), error_out, error_size);
        return nullptr;
    }
}

extern "C" void lbx_engine_inproc_stop(void* engine) {
    try {
        std::unique_ptr<InprocEngine> owned(static_cast<InprocEngine*>(engine));
    } catch (...) {
        // Nothing may leave through a C interface; the process is stopping its debug engine anyway.
    }
}
