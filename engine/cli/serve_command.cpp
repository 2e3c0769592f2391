// `lightbox-engine serve`: runs the engine service until Shutdown, SIGTERM or Ctrl-C. Prints its
// endpoints on stdout once ready ("command E" and "events E" lines, the format of the endpoints file);
// exits 2 when it cannot start (endpoint in use, unsafe runtime directory, bad endpoint), 0 after a
// clean stop.
#include "catalog/catalog.hpp"
#include "cli/commands.hpp"
#include "cli/engine_paths.hpp"
#include "cli/interrupt_guard.hpp"
#include "service/engine_service.hpp"

#include <cstdio>

namespace lbx::engine::cli {

int serve_command(const ServeOptions& options) {
    std::atomic<bool> stop{false};
    InterruptGuard interrupt(stop, [] { std::fputs("lightbox-engine: stopping (signal)\n", stderr); });

    service::ServiceOptions service_options;
    service_options.endpoint = options.endpoint;
    service_options.runtime_dir = options.runtime_dir;
    service_options.plugin_dirs = plugin_search_path(executable_dir());
    service_options.config_dir = default_config_file().parent_path();
    service_options.thumbnail_dir = options.thumbs.empty() ? std::filesystem::path()
                                                           : std::filesystem::absolute(options.thumbs).lexically_normal();
    if (!options.catalog.empty()) {  // a file is made absolute; a postgresql:// URI is not a path
        service_options.catalog_file = catalog::is_postgres_location(options.catalog)
                                           ? std::filesystem::path(options.catalog)
                                           : std::filesystem::absolute(options.catalog).lexically_normal();
    }
    service_options.workers = options.jobs;
    service_options.max_jobs = options.max_jobs;
    service_options.worker_nice = options.nice;
    service_options.isolation = isolation_options(options.isolation);
    const std::optional<bool> analysis = analysis_enabled(options.analysis);
    if (!analysis) return kExitUsage;
    service_options.analysis = *analysis;
    if (const char* delay = std::getenv("LIGHTBOX_TEST_PLUGIN_LOAD_DELAY_MS")) {
        service_options.plugin_load_delay = std::chrono::milliseconds(std::atoi(delay));
    }

    zmq::context_t context;
    {
        auto service = service::EngineService::create(context, std::move(service_options));
        if (!service) {
            std::fprintf(stderr, "lightbox-engine: cannot serve: %s\n", service.error().message.c_str());
            return kExitUsage;
        }
        (*service)->run(stop, [&](const service::ServiceState& state) {
            for (const RejectedPlugin& r : state.registry.rejected())
                std::fprintf(stderr, "lightbox-engine: skipped plugin %s: %s\n", r.file.c_str(), r.reason.c_str());
            std::printf("command %s\nevents %s\n", (*service)->endpoints().commands.c_str(),
                        (*service)->endpoints().events.c_str());
            if (!(*service)->token_path().empty()) std::printf("token-file %s\n", (*service)->token_path().c_str());
            std::fflush(stdout);
        });
    }
    std::fputs("lightbox-engine: stopped\n", stderr);
    return kExitOk;
}

}  // namespace lbx::engine::cli
