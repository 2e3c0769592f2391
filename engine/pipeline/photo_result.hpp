// What processing one photo file produced: the record printed by `run --json` (sdk_docs/run-json.md)
// and, later, stored in the catalog.
#pragma once

#include "plugins/stage_io.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lbx::engine {

// Codes of the engine's own failures that other parts act on or tests look for: named once here.
inline constexpr const char* kCodeNotRegularFile = "not_regular_file";  // a FIFO, socket or device: never read
inline constexpr const char* kCodeBrokenLink = "broken_link";            // a dangling or looping symlink
// A folder that could not be listed: the catalog keeps the files it knew below it as they were.
inline constexpr const char* kCodeUnreadableFolder = "unreadable_folder";

struct StageFailure {
    std::string stage;           // stage kind, or "read" / "sniff" for the engine's own steps
    std::string stage_id;        // "jpegdec"; "engine" for the engine's own steps
    std::string plugin;          // "org.lightbox.jpegdec"; "engine"
    std::string plugin_version;
    std::string code;            // "truncated", "corrupt", "too_large", "unsupported", "not_found", ...
    std::string message;
};

// The size key of a photo's image at its own resolution (ipc::kFullResolution): asked for one photo at a
// time (zoom to 100 %), never made by scans, and never served in place of a thumbnail.
inline constexpr uint32_t kFullResolutionSize = UINT32_MAX;

struct StoredThumbnail {
    uint32_t size = 0;  // the long edge asked for (the image is never larger), or kFullResolutionSize
    std::string path;
    uint32_t width = 0;
    uint32_t height = 0;
};

// One analysis-phase stage that ran on a photo (the analysis ledger): the photo is analysed again only
// when its content or that stage's plugin version changes. `error` is empty when the stage succeeded,
// else "code: message" (a failed analysis is not retried until the plugin changes).
struct AnalysisMark {
    std::string stage_id;
    std::string plugin;
    std::string plugin_version;
    std::string error;
};

struct PhotoResult {
    std::string path;
    bool skipped = false;  // found in a folder and not a photo (unknown content and extension): not reported
    // Why a skipped entry deserves a line of its own (a FIFO, a socket, a broken symlink not named like
    // a photo); empty for the ordinary skip of a file that is simply not a photo (notes.txt).
    std::string skip_reason;
    // Not read: the catalog has this path with the same size and mtime (see BatchCallbacks::precheck).
    bool unchanged = false;
    // Stopped before it finished (a stop request, then the grace period ran out): neither stored nor
    // reported, so the next scan does it again.
    bool interrupted = false;
    int64_t mtime_ns = 0;  // the file's modification time, as read
    std::optional<StageFailure> failure;
    // Problems that did not stop the photo: a metadata reader that failed on damaged EXIF while the
    // pixels decoded fine (the photo is still shown, without its metadata).
    std::vector<StageFailure> warnings;
    std::string format;
    uint64_t file_size = 0;
    uint32_t width = 0;   // stored pixels, before orientation
    uint32_t height = 0;
    std::string hash;
    // The perceptual hash of the decoded picture (perceptual_hash.hpp): none when nothing was decoded
    // (a metadata-only scan). Near-identical photos have hashes a few bits apart.
    std::optional<uint64_t> perceptual_hash;
    Metadata metadata;
    // False when the result does not carry the raw entries (a `run --json` record imported without its
    // "metadata" field): the catalog keeps the entries it has instead of clearing them.
    bool metadata_entries_known = true;
    std::vector<Tag> tags;
    std::vector<Region> regions;  // objects, faces: in the order the stages found them
    // Plugin ids of the tag stages that ran on this photo: the catalog replaces their tags and regions and
    // keeps those of stages that did not run this time.
    std::vector<std::string> tag_sources;
    std::vector<AnalysisMark> analysed;  // the analysis-phase stages that ran (their failures are warnings)
    // A result of the analysis phase alone (a photo already in the catalog): only its tags, regions and
    // ledger marks are stored; the file's row, metadata and thumbnails stay as the first phase left them.
    bool analysis_only = false;
    std::vector<StoredThumbnail> thumbnails;
    double seconds = 0;   // wall time spent on this file

    bool ok() const { return !failure.has_value(); }
    // A stage returned `cancelled`: the photo's failure, or an analysis stage's warning (an analysis
    // stage that fails costs only its own labels). After a stop the user asked for (Ctrl-C, cancel,
    // pausing the analysis) the photo was interrupted, not failed: neither stored nor marked analysed in
    // the ledger, so the next run does it again.
    bool stage_cancelled() const {
        const auto cancelled = [](const StageFailure& f) { return f.code == ipc::codes::kCancelled; };
        return (failure && cancelled(*failure)) || std::any_of(warnings.begin(), warnings.end(), cancelled);
    }
};

}  // namespace lbx::engine
