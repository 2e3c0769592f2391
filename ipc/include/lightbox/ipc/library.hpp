// What the library commands (Query, Facets, ListFailures, LibraryInfo, settings) carry: one photo's
// summary row, facet counts, a failures-ledger entry, the library's description and an engine setting.
#pragma once

#include "lightbox/ipc/wire_enum.hpp"

#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lbx::ipc {

// The most photos one Query reply carries (a page of ~20 MB at worst), and ListFailures entries.
inline constexpr uint32_t kMaxQueryPage = 10'000;

// Wire values: append only.
enum class QuerySort : uint8_t { taken, path, added };
inline constexpr std::array kAllQuerySorts{QuerySort::taken, QuerySort::path, QuerySort::added};
std::string_view to_string(QuerySort sort);

// One photo in a query's results: enough to lay out a grid cell and a caption.
struct PhotoSummary {
    std::string id;  // content hash; empty for a file that failed before it was hashed (failed: queries)
    std::string path;
    std::string format;
    uint32_t width = 0;
    uint32_t height = 0;
    std::string taken_at;  // "2019-05-04T10:11:12" or empty
    std::string camera;    // "make model" or empty
    std::string status;    // "ok" or "failed"
    std::string matched;   // protocol 6: where the query's plain words matched it, "camera: Apple iPhone 8; path: /p/a.jpg"
    uint32_t rotation = 0; // protocol 8: the user's, clockwise quarter turns (PhotoInfo::rotation)

    template <class Archive>
    void serialize(Archive& ar) { ar(id, path, format, width, height, taken_at, camera, status, matched, rotation); }
    friend bool operator==(const PhotoSummary&, const PhotoSummary&) = default;
};

struct FacetCount {
    std::string value;
    uint64_t count = 0;

    template <class Archive>
    void serialize(Archive& ar) { ar(value, count); }
    friend bool operator==(const FacetCount&, const FacetCount&) = default;
};

// A file that could not be processed (the failures ledger). Times are microseconds since the epoch.
struct FailureEntry {
    std::string path;
    std::string stage;
    std::string plugin_id;
    std::string plugin_version;
    std::string code;
    std::string message;
    int64_t first_seen_us = 0;
    int64_t last_seen_us = 0;

    template <class Archive>
    void serialize(Archive& ar) {
        ar(path, stage, plugin_id, plugin_version, code, message, first_seen_us, last_seen_us);
    }
    friend bool operator==(const FailureEntry&, const FailureEntry&) = default;
};

// `key = value` as text; the keys are listed in protocol.md ("Settings").
struct Setting {
    std::string key;
    std::string value;

    template <class Archive>
    void serialize(Archive& ar) { ar(key, value); }
    friend bool operator==(const Setting&, const Setting&) = default;
};

// One folder of the library (ListFolders, protocol 8): what a rescan walks, with how many live photos
// have a file below it (a photo with files below two folders counts in both).
struct LibraryFolder {
    std::string path;
    uint64_t photos = 0;
    bool exists = false;  // the folder is there now (false: a drive unplugged, a folder deleted)

    template <class Archive>
    void serialize(Archive& ar) { ar(path, photos, exists); }
    friend bool operator==(const LibraryFolder&, const LibraryFolder&) = default;
};

}  // namespace lbx::ipc
