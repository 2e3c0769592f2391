#include "workers/worker_protocol.hpp"

#include <lightbox/ipc/bounded_input_archive.hpp>

#include <cereal/archives/portable_binary.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/optional.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/utility.hpp>
#include <cereal/types/variant.hpp>
#include <cereal/types/vector.hpp>

#include <cerrno>
#include <poll.h>
#include <sstream>
#include <unistd.h>

namespace lbx::engine {

// The engine's own types, serialized here only: they are not part of the public protocol (ipc/).
template <class Archive>
void serialize(Archive& ar, StageConfig& s) {
    auto kind = static_cast<int32_t>(s.kind);  // as a number: cereal's enum support needs archive pairing
    ar(kind, s.use, s.params, s.where, s.optional, s.analysis);
    s.kind = static_cast<lbx_stage_kind>(kind);
}

// One function both ways (the bounded reader has no save/load pairing): paths travel as strings.
template <class Archive>
void serialize(Archive& ar, PipelineConfig& c) {
    std::string file = c.file.string(), base = c.base_dir.string();
    std::optional<std::string> dir;
    if (c.thumbnail_dir) dir = c.thumbnail_dir->string();
    ar(file, base, c.stages, c.thumbnail_sizes, dir, c.thumbnail_budget_bytes, c.max_pixels, c.max_file_bytes, c.content_hash,
       c.metadata_entries);
    c.file = file;
    c.base_dir = base;
    c.thumbnail_dir = dir ? std::optional<std::filesystem::path>(*dir) : std::nullopt;
}

template <class Archive>
void serialize(Archive& ar, StageFailure& f) {
    ar(f.stage, f.stage_id, f.plugin, f.plugin_version, f.code, f.message);
}

template <class Archive>
void serialize(Archive& ar, StoredThumbnail& t) {
    ar(t.size, t.path, t.width, t.height);
}

template <class Archive>
void serialize(Archive& ar, Metadata& m) {
    ar(m.entries, m.printed, m.text, m.numbers);
}

template <class Archive>
void serialize(Archive& ar, Tag& t) {
    ar(t.name, t.category, t.confidence, t.source);
}

template <class Archive>
void serialize(Archive& ar, Region& g) {
    ar(g.kind, g.label, g.confidence, g.x, g.y, g.width, g.height, g.points, g.quality, g.embedding, g.embedding_model,
       g.source);
}

template <class Archive>
void serialize(Archive& ar, AnalysisMark& m) {
    ar(m.stage_id, m.plugin, m.plugin_version, m.error);
}

template <class Archive>
void serialize(Archive& ar, PhotoResult& r) {
    ar(r.path, r.skipped, r.skip_reason, r.unchanged, r.mtime_ns, r.failure, r.warnings, r.format, r.file_size, r.width, r.height, r.hash,
       r.perceptual_hash, r.metadata, r.tags, r.regions, r.tag_sources, r.analysed, r.analysis_only, r.thumbnails, r.seconds);
}

template <class Archive>
void serialize(Archive& ar, FailedStage& f) {
    ar(f.stage_id, f.failure);
}
template <class Archive>
void serialize(Archive& ar, UnavailableStage& u) {
    ar(u.stage_id, u.where, u.message);
}

template <class Archive>
void serialize(Archive& ar, WorkerSetup& m) {
    ar(m.config, m.thumbnail_dir, m.plugin_dirs, m.quarantine_file, m.unneeded_plugin_files, m.sniff_only_plugins,
       m.failed_plugin_files, m.failed_stages, m.probe_only);
}
template <class Archive>
void serialize(Archive& ar, FormatDescription& f) {
    ar(f.name, f.mime_type, f.extensions, f.magic_offset, f.magic);
}
template <class Archive>
void serialize(Archive& ar, ParamDescription& p) {
    ar(p.name, p.type, p.default_value, p.min, p.max, p.description);
}
template <class Archive>
void serialize(Archive& ar, ModelDescription& m) {
    ar(m.name, m.file, m.source, m.license, m.sha256);
}
template <class Archive>
void serialize(Archive& ar, StageDescription& s) {
    ar(s.id, s.kind, s.description, s.priority, s.reads_metadata_blocks, s.formats, s.params, s.models);
}
template <class Archive>
void serialize(Archive& ar, PluginDescription& p) {
    ar(p.file, p.api_major, p.api_minor, p.id, p.name, p.version, p.license, p.description, p.stages);
}
template <class Archive>
void serialize(Archive& ar, RefusedLibrary& r) {
    ar(r.file, r.reason);
}

template <class Archive>
void serialize(Archive& ar, WorkerReady& m) {
    ar(m.ok, m.code, m.message, m.unavailable, m.plugins, m.refused);
}
template <class Archive>
void serialize(Archive& ar, WorkerTask& m) {
    ar(m.path, m.named_explicitly, m.walk_error, m.problem);
}
template <class Archive>
void serialize(Archive& ar, WorkerOutcome& m) {
    ar(m.result);
}

namespace {

template <class T>
std::vector<uint8_t> encode_any(T message) {  // a copy: cereal's serialize functions take non-const
    std::ostringstream out;
    {
        cereal::PortableBinaryOutputArchive ar(out);
        ar(message);
    }
    const std::string bytes = std::move(out).str();
    return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

template <class T>
Expected<T> decode_any(std::span<const uint8_t> frame, const char* what) {
    T message;
    try {
        ipc::detail::BoundedInputArchive ar(frame);
        ar(message);
    } catch (const std::exception& e) {
        return unexpected(make_error("worker", "bad_frame", std::string("malformed ") + what + " frame: " + e.what()));
    }
    return message;
}

bool write_all(int fd, const uint8_t* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool read_all(int fd, uint8_t* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::read(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

uint32_t frame_length(const uint8_t* p) {
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

}  // namespace

std::vector<uint8_t> encode(const WorkerSetup& m) { return encode_any(m); }
std::vector<uint8_t> encode(const WorkerReady& m) { return encode_any(m); }
std::vector<uint8_t> encode(const WorkerTask& m) { return encode_any(m); }
std::vector<uint8_t> encode(const WorkerOutcome& m) { return encode_any(m); }
Expected<WorkerSetup> decode_setup(std::span<const uint8_t> f) { return decode_any<WorkerSetup>(f, "setup"); }
Expected<WorkerReady> decode_ready(std::span<const uint8_t> f) { return decode_any<WorkerReady>(f, "ready"); }
Expected<WorkerTask> decode_task(std::span<const uint8_t> f) { return decode_any<WorkerTask>(f, "task"); }
Expected<WorkerOutcome> decode_outcome(std::span<const uint8_t> f) { return decode_any<WorkerOutcome>(f, "outcome"); }

bool write_frame(int fd, const std::vector<uint8_t>& body) {
    if (body.size() > kMaxWorkerFrame) return false;
    const auto n = static_cast<uint32_t>(body.size());
    const uint8_t head[4] = {uint8_t(n), uint8_t(n >> 8), uint8_t(n >> 16), uint8_t(n >> 24)};
    return write_all(fd, head, 4) && write_all(fd, body.data(), body.size());
}

std::optional<std::vector<uint8_t>> read_frame(int fd) {
    uint8_t head[4];
    if (!read_all(fd, head, 4)) return std::nullopt;
    const uint32_t n = frame_length(head);
    if (n > kMaxWorkerFrame) return std::nullopt;
    std::vector<uint8_t> body(n);
    if (!read_all(fd, body.data(), n)) return std::nullopt;
    return body;
}

FrameReader::Result FrameReader::read_available(int fd) {
    for (;;) {
        if (buffer_.size() >= 4) {
            const uint32_t n = frame_length(buffer_.data());
            if (n > kMaxWorkerFrame) return Result::bad;
            if (buffer_.size() >= 4 + std::size_t(n)) return Result::frame;
        }
        uint8_t chunk[65536];
        const ssize_t got = ::read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Result::pending;
        if (got <= 0) return Result::closed;
        buffer_.insert(buffer_.end(), chunk, chunk + got);
    }
}

std::vector<uint8_t> FrameReader::take() {
    const uint32_t n = frame_length(buffer_.data());
    std::vector<uint8_t> body(buffer_.begin() + 4, buffer_.begin() + 4 + n);
    buffer_.erase(buffer_.begin(), buffer_.begin() + 4 + n);
    return body;
}

}  // namespace lbx::engine
