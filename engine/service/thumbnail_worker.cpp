#include "service/thumbnail_worker.hpp"

#include "catalog/catalog.hpp"
#include "catalog/thumbnail_cache.hpp"
#include "pipeline/pipeline.hpp"
#include "workers/file_processor.hpp"
#include "workers/plugin_probe.hpp"

#include <algorithm>

namespace lbx::engine::service {
namespace {

// Prune the cache after this many new thumbnails, so on-demand work cannot outgrow the budget for long.
constexpr int kPruneEvery = 64;

ipc::ThumbnailReady failed(const std::string& photo_id, uint32_t size, ipc::Status status, std::string code,
                           std::string message) {
    return ipc::ThumbnailReady{photo_id, size, false,
                               ipc::make_error(status, "thumbnail", std::move(code), std::move(message))};
}

}  // namespace

ThumbnailWorker::ThumbnailWorker(const PluginRegistry& registry, EventInbox& inbox)
    : registry_(registry), inbox_(inbox), thread_([this](std::stop_token stop) { run(stop); }) {}

ThumbnailWorker::~ThumbnailWorker() {
    stopping_.store(true);
    thread_.request_stop();
    wake_.notify_all();
}

void ThumbnailWorker::configure(ThumbnailJobSetup setup) {
    {
        std::lock_guard lock(mutex_);
        setup_ = std::move(setup);
        ++setup_generation_;
    }
    wake_.notify_all();
}

void ThumbnailWorker::request(const std::string& photo_id, uint32_t size) {
    {
        std::lock_guard lock(mutex_);
        std::erase_if(queue_, [&](const Wanted& w) { return w.photo_id == photo_id && w.size == size; });
        queue_.push_back({photo_id, size});
        if (queue_.size() > kMaxQueued) queue_.pop_front();  // the oldest asked: scrolled away long ago
    }
    wake_.notify_all();
}

void ThumbnailWorker::run(std::stop_token stop) {
    uint64_t built_generation = 0;
    ThumbnailJobSetup setup;
    std::unique_ptr<catalog::Catalog> library;
    std::unique_ptr<Pipeline> pipeline;       // the configured thumbnail sizes
    std::unique_ptr<Pipeline> full_pipeline;  // kFullResolutionSize only
    std::unique_ptr<FileProcessor> making_thumbnails;  // made on this thread: its worker dies with it
    std::unique_ptr<FileProcessor> making_full;
    std::string setup_error;
    int made_since_prune = 0;

    while (!stop.stop_requested()) {
        Wanted wanted;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, stop, [&] { return setup_ && !queue_.empty(); });
            if (stop.stop_requested()) return;
            wanted = std::move(queue_.back());
            queue_.pop_back();
            if (setup_generation_ != built_generation) {
                setup = *setup_;
                built_generation = setup_generation_;
                library.reset();
                making_thumbnails.reset();
                making_full.reset();
                pipeline.reset();
                full_pipeline.reset();
                setup_error.clear();
            }
        }
        if (!library && setup_error.empty()) {
            auto opened = catalog::Catalog::open_location(setup.catalog_file.string());
            PipelineConfig config = setup.config;
            auto reduced = restrict_to_kinds(config, {"metadata", "decode", "thumbnail"});
            if (reduced && setup.quarantine != nullptr) (void)skip_quarantined_stages(config, setup.quarantine->active());
            // Plans, each built after its first worker built the real pipeline: no stage is created in the
            // service itself.
            const auto notice = [this](const std::string& message) { inbox_.post(ipc::Log{ipc::LogLevel::warning, "engine", message}); };
            auto supervise = [&](const PipelineConfig& c) {
                auto supervision = make_supervision(setup.isolation, 2, c, setup.thumbnail_dir, setup.plugin_dirs, registry_, setup.quarantine);
                supervision->on_notice = notice;
                return supervision;
            };
            PipelineConfig full_config = config;
            full_config.thumbnail_sizes = {kFullResolutionSize};  // the thumbnail stage never enlarges: the original's size
            auto thumbnail_supervision = supervise(config);
            auto full_supervision = supervise(full_config);
            auto built = reduced ? build_supervised_pipeline(registry_, thumbnail_supervision)
                                 : Expected<SupervisedPipeline>(unexpected(reduced.error()));
            auto built_full = built ? build_supervised_pipeline(registry_, full_supervision) : std::move(built);
            if (!opened) setup_error = opened.error().message;
            else if (!built_full) setup_error = "cannot make thumbnails with pipeline " + setup.config.file.string() + ": " + built_full.error().message;
            else {
                library = std::move(*opened);
                pipeline = std::move(built->pipeline);
                full_pipeline = std::move(built_full->pipeline);
                making_thumbnails = make_processor_factory(*pipeline, thumbnail_supervision, std::move(built->first_worker))();
                making_full = make_processor_factory(*full_pipeline, full_supervision, std::move(built_full->first_worker))();
            }
        }
        if (!setup_error.empty()) {
            inbox_.post(failed(wanted.photo_id, wanted.size, ipc::Status::internal, "setup", setup_error));
            continue;
        }

        auto photo = library->photo(wanted.photo_id);
        if (!photo || !*photo) {
            inbox_.post(failed(wanted.photo_id, wanted.size, ipc::Status::not_found, "no_such_photo",
                               "no photo '" + wanted.photo_id + "' in the library"));
            continue;
        }
        const catalog::PhotoDetails& details = **photo;
        if (details.status != "ok") {
            inbox_.post(failed(wanted.photo_id, wanted.size, ipc::Status::not_found, "file_missing",
                               "the file of photo '" + wanted.photo_id + "' (" + details.path + ") is missing"));
            continue;
        }
        FileProcessor& making = wanted.size == kFullResolutionSize ? *making_full : *making_thumbnails;
        const PhotoResult result = making.process(InputFile{details.path, true, {}}, stopping_);
        if (result.interrupted) return;  // the engine is stopping
        if (!result.ok()) {
            inbox_.post(failed(wanted.photo_id, wanted.size, ipc::Status::bad_request, result.failure->code,
                               details.path + ": " + result.failure->message));
            continue;
        }
        if (result.hash != wanted.photo_id) {
            inbox_.post(failed(wanted.photo_id, wanted.size, ipc::Status::not_found, "file_changed",
                               details.path + " changed since it was scanned: rescan the library"));
            continue;
        }
        if (auto ok = library->record_thumbnails(result.hash, result.thumbnails, catalog::now_us()); !ok) {
            inbox_.post(failed(wanted.photo_id, wanted.size, ipc::Status::internal, "catalog_error", ok.error().message));
            continue;
        }
        inbox_.post(ipc::ThumbnailReady{wanted.photo_id, wanted.size, true, {}});
        if (++made_since_prune >= kPruneEvery && setup.budget_bytes > 0) {
            made_since_prune = 0;
            catalog::ThumbnailCache cache(*library, setup.budget_bytes);
            (void)cache.prune();  // best effort: the next scan prunes again
        }
    }
}

}  // namespace lbx::engine::service
