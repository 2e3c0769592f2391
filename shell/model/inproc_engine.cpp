#include "model/inproc_engine.hpp"

#include <boost/dll/shared_library.hpp>

#include <array>
#include <cstdlib>

namespace lbx::shell {
namespace {

// The C ABI of engine/inproc/inproc_engine.h: the context goes as the address of the zmq::context_t.
using StartFn = void*(void* zmq_context, const char* command_endpoint, const char* catalog_file,
                      const char* thumbnail_dir, char* error_out, size_t error_size);
using StopFn = void(void* handle);

}  // namespace

struct InprocEngine::Impl {
    // Declared first so it is destroyed last: the functions live in it. Loaded libraries are never
    // unloaded while anything they made is alive (Boost.DLL's missuses page).
    boost::dll::shared_library library;
    StopFn* stop = nullptr;
    void* handle = nullptr;
};

InprocEngine::InprocEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

InprocEngine::~InprocEngine() {
    if (impl_ && impl_->handle) impl_->stop(impl_->handle);
}

ipc::Expected<std::unique_ptr<InprocEngine>> InprocEngine::start(const std::filesystem::path& library, zmq::context_t& zmq_context,
                                                                 const std::string& command_endpoint,
                                                                 const std::string& catalog,
                                                                 const std::filesystem::path& thumbnail_dir) {
    const auto fail = [&](const std::string& code, const std::string& message) {
        return ipc::unexpected(ipc::make_error(ipc::Status::unavailable, "engine", code, message));
    };
    auto impl = std::make_unique<Impl>();
    boost::dll::fs::error_code ec;
    impl->library.load(boost::dll::fs::path(library.string()), boost::dll::load_mode::default_mode, ec);
    if (ec) return fail("inproc_library", "cannot load the in-process engine '" + library.string() + "': " + ec.message() +
                                              " (build the lightbox_engine_inproc target or set LIGHTBOX_ENGINE_INPROC_LIB)");
    if (!impl->library.has("lbx_engine_inproc_start") || !impl->library.has("lbx_engine_inproc_stop")) {
        return fail("inproc_symbols", "'" + library.string() + "' does not export lbx_engine_inproc_start/stop");
    }
    auto& start_fn = impl->library.get<StartFn>("lbx_engine_inproc_start");
    impl->stop = &impl->library.get<StopFn>("lbx_engine_inproc_stop");
    std::array<char, 1024> error{};
    impl->handle = start_fn(&zmq_context, command_endpoint.c_str(), catalog.c_str(), thumbnail_dir.c_str(), error.data(), error.size());
    if (!impl->handle) return fail("inproc_start", "the in-process engine did not start: " + std::string(error.data()));
    return std::make_unique<InprocEngine>(std::move(impl));
}

std::filesystem::path find_inproc_library(const std::filesystem::path& self_exe) {
    if (const char* env = std::getenv("LIGHTBOX_ENGINE_INPROC_LIB"); env && *env) return env;
    const std::filesystem::path dir = self_exe.parent_path();
    for (const auto& candidate : {dir / "liblightbox_engine_inproc.so", dir / "../lib/liblightbox_engine_inproc.so"}) {
        if (std::filesystem::exists(candidate)) return candidate.lexically_normal();
    }
    return dir / "liblightbox_engine_inproc.so";
}

}  // namespace lbx::shell
