#include "service/engine_settings.hpp"

#include <charconv>

namespace lbx::engine::service {
namespace {

std::optional<uint64_t> parse_unsigned(const std::string& text) {
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

std::optional<std::vector<uint32_t>> parse_sizes(const std::string& text) {
    std::vector<uint32_t> sizes;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        auto size = parse_unsigned(text.substr(start, comma - start));
        if (!size || *size < ipc::settings::kMinThumbnailSize || *size > ipc::settings::kMaxThumbnailSize) return std::nullopt;
        sizes.push_back(static_cast<uint32_t>(*size));
        start = comma + 1;
    }
    if (sizes.empty() || sizes.size() > ipc::settings::kMaxThumbnailSizes) return std::nullopt;
    return sizes;
}

}  // namespace

std::string sizes_text(const std::vector<uint32_t>& sizes) { return ipc::settings::sizes_text(sizes); }

ipc::Expected<EngineSettings> EngineSettings::with(const std::vector<ipc::Setting>& changes) const {
    EngineSettings next = *this;
    for (const ipc::Setting& s : changes) {
        auto bad = [&](const std::string& why) {
            return ipc::unexpected(ipc::make_error(ipc::Status::bad_request, "config", "bad_setting",
                                                   "setting '" + s.key + "=" + s.value + "': " + why));
        };
        namespace keys = ipc::settings;
        if (s.key == keys::kWorkers) {
            auto n = parse_unsigned(s.value);
            if (!n || *n < keys::kMinWorkers || *n > keys::kMaxWorkers) {
                return bad("expected a number of threads, " + std::to_string(keys::kMinWorkers) + ".." + std::to_string(keys::kMaxWorkers));
            }
            next.workers = static_cast<unsigned>(*n);
        } else if (s.key == keys::kPipeline) {
            if (s.value.empty()) return bad("expected a pipeline name or an absolute config path");
            if (s.value.find('/') != std::string::npos && s.value.front() != '/') return bad("a config path must be absolute");
            next.pipeline = s.value;
        } else if (s.key == keys::kThumbnailSizes) {
            auto sizes = parse_sizes(s.value);
            if (!sizes) {
                return bad("expected 1 to " + std::to_string(keys::kMaxThumbnailSizes) + " long edges like 256,1024, each " +
                           keys::thumbnail_size_range());
            }
            next.thumbnail_sizes = std::move(*sizes);
        } else if (s.key == keys::kCacheBudgetMb) {
            auto mb = parse_unsigned(s.value);
            if (!mb || *mb < keys::kMinCacheBudgetMb || *mb > (uint64_t{1} << 30)) {
                return bad("expected a budget in MiB, at least " + std::to_string(keys::kMinCacheBudgetMb));
            }
            next.cache_budget_mb = *mb;
        } else {
            return bad(std::string("unknown setting (known: ") + keys::kWorkers + ", " + keys::kPipeline + ", " +
                       keys::kThumbnailSizes + ", " + keys::kCacheBudgetMb + ")");
        }
    }
    return next;
}

std::vector<ipc::Setting> EngineSettings::list(const std::vector<uint32_t>& pipeline_sizes,
                                               uint64_t pipeline_budget_bytes) const {
    return {
        {ipc::settings::kWorkers, std::to_string(workers)},
        {ipc::settings::kPipeline, pipeline},
        {ipc::settings::kThumbnailSizes, sizes_text(thumbnail_sizes ? *thumbnail_sizes : pipeline_sizes)},
        {ipc::settings::kCacheBudgetMb,
         std::to_string(cache_budget_mb ? *cache_budget_mb : pipeline_budget_bytes / ipc::settings::kMebibyte)},
    };
}

}  // namespace lbx::engine::service
