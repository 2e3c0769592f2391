#include "pipeline/pipeline.hpp"

#include "pipeline/content_hash.hpp"
#include "pipeline/perceptual_hash.hpp"

#include <algorithm>
#include <span>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lbx::engine {

namespace {

// Pixel statistics for tags need little: when no thumbnail is asked for, decode small.
constexpr uint32_t kTagOnlyLongEdge = 512;
// What the analysis stages get at least (sdk_docs/analysis.md): enough for faces of 20-30 pixels.
constexpr uint32_t kAnalysisLongEdge = 1024;

StageFailure engine_failure(std::string stage, std::string code, std::string message) {
    return StageFailure{std::move(stage), "engine", "engine", "", std::move(code), std::move(message)};
}

StageFailure stage_failure(const StageInstance& stage, const Error& error) {
    const LoadedStage& s = stage.stage();
    return StageFailure{stage_kind_name(s.kind), s.id, s.plugin->id, s.plugin->version, error.code, error.message};
}

bool accepts_format(const LoadedStage& stage, const std::string& format) {
    for (uint32_t i = 0; i < stage.desc->format_count; ++i)
        if (format == stage.desc->formats[i].name) return true;
    return false;
}

std::string size_text(uint64_t bytes) {
    char b[32];
    if (bytes >= 1024ull * 1024 * 1024) std::snprintf(b, sizeof b, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    else std::snprintf(b, sizeof b, "%.1f MiB", bytes / (1024.0 * 1024));
    return b;
}

// The EXIF orientation still to apply to a decoded image to show it upright. HEIF decoders apply the
// container's rotation: never turn such an image a second time.
uint32_t orientation_to_apply(const Image& image, const Metadata& metadata) {
    if (image.flags & LBX_IMAGE_UPRIGHT) return 1;
    const double o = metadata.get_number(LBX_FIELD_ORIENTATION).value_or(1);
    return o >= 1 && o <= 8 ? static_cast<uint32_t>(o) : 1;
}

// Tells the context's observer which stage runs, for as long as this object lives.
class StageScope {
public:
    StageScope(const ProcessContext& context, const StageInstance& stage) : context_(context) {
        if (context_.on_stage) context_.on_stage(&stage.stage());
    }
    ~StageScope() {
        if (context_.on_stage) context_.on_stage(nullptr);
    }
    StageScope(const StageScope&) = delete;
    StageScope& operator=(const StageScope&) = delete;

private:
    const ProcessContext& context_;
};

// How much of a large JPEG a headers-only read takes: first 16 KiB (the segments of 79 % of the real
// JPEGs of ../shared/corpus end before: median 7.3 KiB), then 64 KiB (99 %), then up to 256 KiB (an
// Exif block of 64 KiB with XMP and ICC after it), then the whole file. Copying 256 KiB from the page
// cache for every file was a fifth of the time; 64 KiB was still most of the kernel's share.
constexpr uint64_t kJpegHeaderReads[] = {16 * 1024, 64 * 1024, 256 * 1024};

// Whether the JPEG segments in `bytes` reach the start of scan (SOS): everything a metadata reader looks
// at is before it. False when the segments run past the end of `bytes` or the markers make no sense.
bool jpeg_scan_start(std::span<const uint8_t> bytes) {
    if (bytes.size() < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8) return false;
    std::size_t at = 2;
    while (at + 4 <= bytes.size()) {
        if (bytes[at] != 0xFF) return false;
        const uint8_t marker = bytes[at + 1];
        if (marker == 0xFF) {  // fill byte
            ++at;
            continue;
        }
        if (marker == 0xDA) return true;
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {  // markers without a length
            at += 2;
            continue;
        }
        const std::size_t length = (std::size_t{bytes[at + 2]} << 8) | bytes[at + 3];
        if (length < 2) return false;
        at += 2 + length;
    }
    return false;
}

// Reads a whole file with plain POSIX calls: one open, one fstat, sequential reads into one buffer.
// It never blocks on what is not a regular file: open() of a FIFO waits for a writer forever (and a
// service job could then never be cancelled), so the type is checked with stat() first, the open is
// O_NONBLOCK, and fstat() checks the descriptor again (the path may have been replaced in between).
class FileReader {
public:
    FileReader() = default;
    ~FileReader() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileReader(const FileReader&) = delete;
    FileReader& operator=(const FileReader&) = delete;

    // Opens `path` and reads its size and mtime; the failure when it is missing or not a regular file.
    std::optional<StageFailure> open(const std::filesystem::path& path, uint64_t& size, int64_t& mtime_ns) {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) return open_failure(errno);
        if (auto problem = not_regular(st)) return problem;
        fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd_ < 0) return open_failure(errno);
        if (::fstat(fd_, &st) != 0) return engine_failure("read", "io", std::string("cannot read: ") + std::strerror(errno));
        if (auto problem = not_regular(st)) return problem;
        // O_NONBLOCK was only for the open: on a regular file it changes no read (open(2)), so it stays.
        size = static_cast<uint64_t>(st.st_size);
        mtime_ns = int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
        return std::nullopt;
    }

    // Reads up to `count` bytes into `out`, adding to `done`; returns an error text on a read error.
    std::optional<std::string> read_into(uint8_t* out, std::size_t count, std::size_t& done) {
        std::size_t got = 0;
        while (got < count) {
            ssize_t n = ::read(fd_, out + got, count - got);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return std::string(std::strerror(errno));
            if (n == 0) break;  // the file shrank since fstat: keep what is there
            got += static_cast<std::size_t>(n);
        }
        done += got;
        return std::nullopt;
    }

private:
    static StageFailure open_failure(int error) {
        return engine_failure("read", error == ENOENT ? "not_found" : "io", std::string("cannot open: ") + std::strerror(error));
    }

    static std::optional<StageFailure> not_regular(const struct stat& st) {
        if (S_ISREG(st.st_mode)) return std::nullopt;
        if (S_ISDIR(st.st_mode)) return engine_failure("read", "io", "cannot read: is a folder");
        return engine_failure("read", kCodeNotRegularFile,
                              "cannot read: " + file_type_text(st.st_mode) + ", not a regular file (not opened)");
    }

    int fd_ = -1;
};

}  // namespace

Pipeline::Pipeline(Token, const PipelineConfig& config, const PluginRegistry& registry, std::filesystem::path thumbnail_dir)
    : config_(config), sniffer_(registry), store_(std::move(thumbnail_dir)) {}

Expected<std::unique_ptr<Pipeline>> Pipeline::build(const PluginRegistry& registry, const PipelineConfig& config,
                                                    std::filesystem::path thumbnail_dir, const PipelineBuildOptions& options) {
    auto p = std::make_unique<Pipeline>(Token{}, config, registry, std::move(thumbnail_dir));
    p->plan_ = !options.create_stages;
    p->failed_ = options.failed;
    p->failed_files_ = options.failed_plugin_files;
    std::map<std::string, const StageInstance*> defaults;  // stages created with default parameters, by id
    auto failed = [&](const std::string& id) -> const FailedStage* {
        for (const FailedStage& f : options.failed)
            if (f.stage_id == id) return &f;
        return nullptr;
    };
    auto reported_unavailable = [&](const std::string& id) -> const UnavailableStage* {
        for (const UnavailableStage& u : options.unavailable)
            if (u.stage_id == id) return &u;
        return nullptr;
    };

    auto create = [&](const LoadedStage& stage, const std::map<std::string, ParamInput>& params,
                      const std::string& where) -> Expected<const StageInstance*> {
        auto values = resolve_params(*stage.desc, params, config.base_dir);
        if (!values) return unexpected(make_error("config", values.error().code, where + ": " + values.error().message));
        if (options.before_create && !p->plan_) options.before_create(stage);
        auto instance = p->plan_ ? Expected<StageInstance>(StageInstance::plan(stage, std::move(*values)))
                                 : StageInstance::create(stage, std::move(*values));
        if (!instance) return unexpected(make_error("config", instance.error().code, where + ": " + instance.error().message));
        p->instances_.push_back(std::make_unique<StageInstance>(std::move(*instance)));
        return p->instances_.back().get();
    };

    for (const StageConfig& sc : config.stages) {
        Step step;
        step.kind = sc.kind;
        step.analysis = sc.analysis && sc.kind == LBX_STAGE_TAG;
        if (!sc.use.empty()) {
            if (const FailedStage* f = failed(sc.use)) {
                step.failed = f->failure;
                p->steps_.push_back(std::move(step));
                continue;
            }
            if (const UnavailableStage* u = reported_unavailable(sc.use); u != nullptr && sc.optional) {
                p->unavailable_.push_back(*u);
                continue;
            }
            const LoadedStage* stage = registry.find_stage(sc.use);
            if (sc.optional && (stage == nullptr || stage->kind != sc.kind)) {
                p->unavailable_.push_back(UnavailableStage{sc.use, sc.where,
                                                           stage == nullptr ? "no loaded stage '" + sc.use + "'"
                                                                            : "stage '" + sc.use + "' is a " +
                                                                                  stage_kind_name(stage->kind) + " stage"});
                continue;
            }
            if (stage == nullptr || stage->kind != sc.kind) {
                std::string known;
                for (const LoadedStage* s : registry.stages_of_kind(sc.kind)) known += (known.empty() ? "" : ", ") + s->id;
                std::string what = stage == nullptr ? "no loaded stage '" + sc.use + "'"
                                                    : "stage '" + sc.use + "' is a " + stage_kind_name(stage->kind) + " stage";
                return unexpected(make_error("config", "unknown_stage",
                                             sc.where + ": " + what + " (loaded " + stage_kind_name(sc.kind) +
                                                 " stages: " + (known.empty() ? "none" : known) + ")"));
            }
            auto instance = create(*stage, sc.params, sc.where);
            if (!instance && sc.optional) {
                // A model file missing or damaged costs this one stage, said once, not the whole pipeline.
                p->unavailable_.push_back(UnavailableStage{sc.use, sc.where, instance.error().message});
                continue;
            }
            if (!instance) return unexpected(instance.error());
            step.fixed = *instance;
        } else {
            if (!sc.params.empty())
                return unexpected(make_error("config", "invalid_config", sc.where + ": 'params' needs 'use = \"<stage id>\"'"));
            for (const LoadedStage* stage : registry.stages_of_kind(sc.kind)) {  // highest priority first
                if (const FailedStage* f = failed(stage->id)) {  // its formats fall to the next stage by priority
                    for (uint32_t i = 0; i < stage->desc->format_count; ++i)
                        step.failed_by_format.emplace(stage->desc->formats[i].name, f->failure);
                    continue;
                }
                const StageInstance*& instance = defaults[stage->id];
                if (instance == nullptr) {
                    auto created = create(*stage, {}, sc.where);
                    if (!created) return unexpected(created.error());
                    instance = *created;
                }
                for (uint32_t i = 0; i < stage->desc->format_count; ++i)
                    step.by_format.emplace(stage->desc->formats[i].name, instance);
            }
        }
        p->steps_.push_back(std::move(step));
    }
    for (const auto& instance : p->instances_)
        p->invocations_.emplace(instance.get(), std::make_unique<std::atomic<uint64_t>>(0));

    p->sizes_desc_ = config.thumbnail_sizes;
    std::sort(p->sizes_desc_.rbegin(), p->sizes_desc_.rend());
    p->sizes_desc_.erase(std::unique(p->sizes_desc_.begin(), p->sizes_desc_.end()), p->sizes_desc_.end());
    bool tags = false;
    for (const Step& s : p->steps_) {
        tags = tags || s.kind == LBX_STAGE_TAG;
        p->decodes_ = p->decodes_ || s.kind == LBX_STAGE_DECODE;
    }
    p->headers_only_ = !config.content_hash && std::all_of(p->steps_.begin(), p->steps_.end(), [](const Step& s) {
        return s.kind == LBX_STAGE_METADATA;
    });
    if (p->makes_thumbnails() && !p->sizes_desc_.empty()) p->decode_long_edge_ = p->sizes_desc_.front();
    else if (tags) p->decode_long_edge_ = kTagOnlyLongEdge;
    // Detectors see more than the smallest thumbnail: small faces vanish in a 256-pixel image.
    const bool analyses = std::any_of(config.stages.begin(), config.stages.end(),
                                      [](const StageConfig& s) { return s.analysis && s.kind == LBX_STAGE_TAG; });
    if (analyses && p->decode_long_edge_ != 0) p->decode_long_edge_ = std::max(p->decode_long_edge_, kAnalysisLongEdge);
    return p;
}

std::vector<AnalysisMark> Pipeline::analysis_stages() const {
    std::vector<AnalysisMark> out;
    for (const Step& s : steps_) {
        if (!s.analysis || s.fixed == nullptr) continue;
        const LoadedStage& stage = s.fixed->stage();
        out.push_back(AnalysisMark{stage.id, stage.plugin->id, stage.plugin->version, {}});
    }
    return out;
}

bool Pipeline::makes_thumbnails() const {
    return std::any_of(steps_.begin(), steps_.end(), [](const Step& s) { return s.kind == LBX_STAGE_THUMBNAIL; });
}

const StageInstance* Pipeline::stage_for(const Step& step, const std::string& format) const {
    if (step.fixed != nullptr) {
        if (step.kind == LBX_STAGE_DECODE || step.kind == LBX_STAGE_METADATA)
            return accepts_format(step.fixed->stage(), format) ? step.fixed : nullptr;
        return step.fixed;
    }
    auto it = step.by_format.find(format);
    return it == step.by_format.end() ? nullptr : it->second;
}

void Pipeline::count(const StageInstance& stage) const {
    auto it = invocations_.find(&stage);
    if (it != invocations_.end()) it->second->fetch_add(1, std::memory_order_relaxed);
}

std::map<std::string, uint64_t> Pipeline::stage_invocations() const {
    std::map<std::string, uint64_t> out;
    for (const auto& [instance, n] : invocations_) out[instance->stage().id] += n->load();
    return out;
}

PhotoResult Pipeline::process(const InputFile& file, const ProcessContext& context) const {
    const auto start = std::chrono::steady_clock::now();
    PhotoResult r;
    r.path = file.path.string();
    auto finish = [&](std::optional<StageFailure> failure = std::nullopt) {
        r.failure = std::move(failure);
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return std::move(r);
    };
    if (plan_) return finish(engine_failure("engine", "internal", "a supervisor's pipeline plan processes no file"));

    // Read: one open, the head first (to sniff without reading a large non-photo), then the rest.
    // Something found in a folder that is not a photo is skipped: it has no photo extension and either
    // holds no bytes or unknown ones (notes.txt, empty or not). Named by the user, it fails instead.
    const bool skippable = !file.named_explicitly && !sniffer_.has_known_extension(file.path.filename().string());
    switch (file.problem) {
        case WalkProblem::none: break;
        case WalkProblem::unlisted_folder: return finish(engine_failure("read", kCodeUnreadableFolder, file.walk_error));
        case WalkProblem::special_file:
            r.skipped = true;
            r.skip_reason = file.walk_error + ", not a photo";
            return finish();
        case WalkProblem::broken_link:
            if (!skippable) return finish(engine_failure("read", kCodeBrokenLink, file.walk_error));
            r.skipped = true;
            r.skip_reason = file.walk_error;
            return finish();
    }
    FileReader reader;
    if (auto problem = reader.open(file.path, r.file_size, r.mtime_ns)) return finish(std::move(*problem));
    if (r.file_size == 0) {
        if (skippable) {
            r.skipped = true;
            return finish();
        }
        return finish(engine_failure("sniff", "empty", "empty file (0 bytes)"));
    }
    if (r.file_size > config_.max_file_bytes)
        return finish(engine_failure("read", "too_large", "file is " + size_text(r.file_size) + ", over the limit of " +
                                                              size_text(config_.max_file_bytes)));
    // The head first, to sniff without reading (or allocating for) a large file that is not a photo. A
    // headers-only run reads the first of kJpegHeaderReads at once: the head and, for most JPEGs, every
    // segment before the scan, in one read.
    std::array<uint8_t, FormatSniffer::kHeadSize> head{};
    std::unique_ptr<uint8_t[]> bytes;
    std::size_t size = 0;
    uint64_t first_read = std::min<uint64_t>(r.file_size, head.size());
    if (headers_only_) {
        first_read = std::min<uint64_t>(r.file_size, kJpegHeaderReads[0]);
        bytes = std::make_unique_for_overwrite<uint8_t[]>(first_read);
    }
    uint8_t* const first = bytes ? bytes.get() : head.data();
    if (auto problem = reader.read_into(first, first_read, size))
        return finish(engine_failure("read", "io", "cannot read: " + *problem));
    const std::span<const uint8_t> head_bytes(first, std::min<std::size_t>(size, head.size()));
    auto format = sniffer_.sniff(head_bytes);
    if (!format) {
        if (skippable) {
            r.skipped = true;
            return finish();
        }
        return finish(engine_failure("sniff", "unsupported", "unknown format (first bytes " + hex_prefix(head_bytes) + ")"));
    }
    r.format = *format;
    // Metadata alone, without the content hash: a JPEG's metadata is all in the segments before its
    // scan data, which is most of the file, so only the part before the start of scan is read (bounded
    // reads, growing; the whole file when its segments go on past them).
    uint64_t to_read = r.file_size;
    if (headers_only_ && r.format == "jpeg") {
        for (std::size_t next = 1;; ++next) {
            if (jpeg_scan_start(std::span<const uint8_t>(bytes.get(), size))) {
                to_read = size;
                break;
            }
            if (size < first_read || next >= std::size(kJpegHeaderReads) || r.file_size <= kJpegHeaderReads[next]) break;
            const uint64_t step = kJpegHeaderReads[next];
            auto grown = std::make_unique_for_overwrite<uint8_t[]>(step);
            std::copy(bytes.get(), bytes.get() + size, grown.get());
            bytes = std::move(grown);
            if (auto problem = reader.read_into(bytes.get() + size, step - size, size))
                return finish(engine_failure("read", "io", "cannot read: " + *problem));
            first_read = step;
        }
    }
    if (to_read > size) {
        // One buffer for the whole file, not zero-filled first: it is about to be overwritten.
        std::unique_ptr<uint8_t[]> whole;
        try {
            whole = std::make_unique_for_overwrite<uint8_t[]>(r.file_size);
        } catch (const std::bad_alloc&) {
            return finish(engine_failure("read", "no_memory", "out of memory for a " + size_text(r.file_size) + " file"));
        }
        std::copy(bytes ? bytes.get() : head.data(), (bytes ? bytes.get() : head.data()) + size, whole.get());
        bytes = std::move(whole);
        if (auto problem = reader.read_into(bytes.get() + size, r.file_size - size, size))
            return finish(engine_failure("read", "io", "cannot read: " + *problem));
        r.file_size = size;
    }
    if (!bytes) {  // the whole file was the head
        bytes = std::make_unique_for_overwrite<uint8_t[]>(size);
        std::copy(head.begin(), head.begin() + size, bytes.get());
    }
    if (config_.content_hash || !headers_only_) r.hash = content_hash(std::span<const uint8_t>(bytes.get(), size));

    const Source source{std::span<const uint8_t>(bytes.get(), size), r.path, r.format};
    std::optional<Image> image;
    for (const Step& step : steps_) {
        if (step.failed) {
            // Its plugin crashed or hung at start-up in this run. Like a failed stage of its kind: metadata
            // before a decoder and an analysis are warnings (an analysis is retried by the next run).
            if ((step.kind == LBX_STAGE_METADATA && decodes_) || step.analysis) {
                r.warnings.push_back(*step.failed);
                continue;
            }
            return finish(*step.failed);
        }
        const StageInstance* stage = stage_for(step, r.format);
        switch (step.kind) {
            case LBX_STAGE_METADATA: {
                if (stage == nullptr) {  // no metadata reader for this format: not an error, unless it failed
                    if (auto it = step.failed_by_format.find(r.format); it != step.failed_by_format.end()) {
                        if (!decodes_) return finish(it->second);
                        r.warnings.push_back(it->second);
                    }
                    break;
                }
                count(*stage);
                const StageScope running(context, *stage);
                if (auto ok = stage->read_metadata(source, r.metadata, context, config_.metadata_entries); !ok) {
                    // Damaged metadata must not hide a photo whose pixels are fine: when a decode stage
                    // follows, this is a warning and the photo goes on without metadata.
                    if (!decodes_) return finish(stage_failure(*stage, ok.error()));
                    r.metadata = Metadata{};
                    r.warnings.push_back(stage_failure(*stage, ok.error()));
                }
                break;
            }
            case LBX_STAGE_DECODE: {
                if (stage == nullptr) {
                    if (auto it = step.failed_by_format.find(r.format); it != step.failed_by_format.end()) return finish(it->second);
                    return finish(engine_failure("decode", "unsupported", "no decoder for format '" + r.format + "'"));
                }
                count(*stage);
                {
                    const StageScope running(context, *stage);
                    auto decoded = stage->decode(source, decode_long_edge_, DecodeLimits{config_.max_pixels}, context);
                    if (!decoded) return finish(stage_failure(*stage, decoded.error()));
                    image = std::move(*decoded);
                }
                if (image->metadata_blocks.empty()) break;
                // The decoder handed the raw Exif/XMP of its container (API 1.1): read them with the
                // pipeline's metadata stage (the highest-priority one that reads blocks) and keep only what
                // the file's own metadata reader did not give. No metadata step configured: none wanted.
                const StageInstance* block_reader = nullptr;
                auto consider = [&block_reader](const StageInstance* candidate) {
                    if (candidate != nullptr && candidate->reads_metadata_blocks() &&
                        (block_reader == nullptr ||
                         candidate->stage().desc->priority > block_reader->stage().desc->priority))
                        block_reader = candidate;
                };
                for (const Step& metadata_step : steps_) {
                    if (metadata_step.kind != LBX_STAGE_METADATA) continue;
                    consider(metadata_step.fixed);
                    for (const auto& by_format : metadata_step.by_format) consider(by_format.second);
                }
                if (block_reader == nullptr) break;
                Metadata from_blocks;
                for (const MetadataBlock& block : image->metadata_blocks) {
                    count(*block_reader);
                    const StageScope running(context, *block_reader);
                    // A damaged block must not cost the photo: a warning, the other blocks still count.
                    if (auto ok = block_reader->read_metadata_block(source, block, from_blocks, context, config_.metadata_entries); !ok)
                        r.warnings.push_back(stage_failure(*block_reader, ok.error()));
                }
                r.metadata.fill_missing_from(from_blocks);
                break;
            }
            case LBX_STAGE_TAG: {
                count(*stage);
                const StageScope running(context, *stage);
                auto tags = stage->tag(source, image ? &*image : nullptr, r.metadata, context,
                                       image ? orientation_to_apply(*image, r.metadata) : 1, &r.regions);
                const LoadedStage& loaded = stage->stage();
                if (step.analysis) {
                    // A failed analysis must not cost the browsable photo: a warning, recorded in the
                    // ledger so that it is not retried until the plugin changes.
                    r.analysed.push_back(AnalysisMark{loaded.id, loaded.plugin->id, loaded.plugin->version,
                                                      tags ? std::string() : tags.error().code + ": " + tags.error().message});
                    if (!tags) {
                        r.warnings.push_back(stage_failure(*stage, tags.error()));
                        break;
                    }
                }
                if (!tags) return finish(stage_failure(*stage, tags.error()));
                r.tags.insert(r.tags.end(), tags->begin(), tags->end());
                const std::string& plugin_id = loaded.plugin->id;
                if (std::find(r.tag_sources.begin(), r.tag_sources.end(), plugin_id) == r.tag_sources.end())
                    r.tag_sources.push_back(plugin_id);
                break;
            }
            case LBX_STAGE_THUMBNAIL: {
                count(*stage);
                const StageScope running(context, *stage);
                const uint32_t orientation = orientation_to_apply(*image, r.metadata);
                auto thumbs = stage->thumbnail(source, *image, r.metadata, orientation, sizes_desc_, context);
                if (!thumbs) return finish(stage_failure(*stage, thumbs.error()));
                for (const EncodedThumbnail& t : *thumbs) {
                    auto written = store_.write(r.hash, t.size, t.mime_type, t.data);
                    if (!written) {
                        StageFailure f = stage_failure(*stage, written.error());
                        return finish(std::move(f));
                    }
                    r.thumbnails.push_back(StoredThumbnail{t.size, written->string(), t.width, t.height});
                }
                break;
            }
        }
    }
    if (image) {
        r.width = image->source_width;
        r.height = image->source_height;
        // From the small image the decoder made anyway: one pass over it, no second decode.
        r.perceptual_hash = perceptual_hash(image->pixels.data(), image->width, image->height, image->stride,
                                            orientation_to_apply(*image, r.metadata));
    } else {
        r.width = static_cast<uint32_t>(r.metadata.get_number(LBX_FIELD_WIDTH).value_or(0));
        r.height = static_cast<uint32_t>(r.metadata.get_number(LBX_FIELD_HEIGHT).value_or(0));
    }
    return finish();
}

}  // namespace lbx::engine
