// The closed set of commands a client sends (sdk_docs/protocol.md, "Commands"). The message type on the
// wire is the index in `Request`: append new requests at the end, never reorder.
#pragma once

#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lbx::ipc {

struct Hello {
    static constexpr std::string_view name = "Hello";
    uint32_t client_protocol_version = 0;
    std::string client_name;  // "lightbox-ctl 0.1.0"

    template <class Archive>
    void serialize(Archive& ar) { ar(client_protocol_version, client_name); }
    friend bool operator==(const Hello&, const Hello&) = default;
};

struct ListPlugins {
    static constexpr std::string_view name = "ListPlugins";
    template <class Archive>
    void serialize(Archive&) {}
    friend bool operator==(const ListPlugins&, const ListPlugins&) = default;
};

// `stage.param = value`, as on the command line; the engine checks it against the stage's parameters.
struct ParamOverride {
    std::string key;
    std::string value;

    template <class Archive>
    void serialize(Archive& ar) { ar(key, value); }
    friend bool operator==(const ParamOverride&, const ParamOverride&) = default;
};

struct StartScan {
    static constexpr std::string_view name = "StartScan";
    std::vector<std::string> paths;
    std::string pipeline;  // a config name or path; empty: the default pipeline
    std::vector<ParamOverride> overrides;
    std::string catalog;   // empty: the default catalog

    template <class Archive>
    void serialize(Archive& ar) { ar(paths, pipeline, overrides, catalog); }
    friend bool operator==(const StartScan&, const StartScan&) = default;
};

struct CancelJob {
    static constexpr std::string_view name = "CancelJob";
    uint64_t job_id = 0;

    template <class Archive>
    void serialize(Archive& ar) { ar(job_id); }
    friend bool operator==(const CancelJob&, const CancelJob&) = default;
};

struct JobStatus {
    static constexpr std::string_view name = "JobStatus";
    uint64_t job_id = 0;

    template <class Archive>
    void serialize(Archive& ar) { ar(job_id); }
    friend bool operator==(const JobStatus&, const JobStatus&) = default;
};

struct ListJobs {
    static constexpr std::string_view name = "ListJobs";
    template <class Archive>
    void serialize(Archive&) {}
    friend bool operator==(const ListJobs&, const ListJobs&) = default;
};

struct GetPhoto {
    static constexpr std::string_view name = "GetPhoto";
    std::string photo_id;  // content hash

    template <class Archive>
    void serialize(Archive& ar) { ar(photo_id); }
    friend bool operator==(const GetPhoto&, const GetPhoto&) = default;
};

struct GetThumbnail {
    static constexpr std::string_view name = "GetThumbnail";
    std::string photo_id;
    uint32_t size = 0;  // wanted longer side; 0: the largest there is

    template <class Archive>
    void serialize(Archive& ar) { ar(photo_id, size); }
    friend bool operator==(const GetThumbnail&, const GetThumbnail&) = default;
};

struct Shutdown {
    static constexpr std::string_view name = "Shutdown";
    template <class Archive>
    void serialize(Archive&) {}
    friend bool operator==(const Shutdown&, const Shutdown&) = default;
};

using Request = std::variant<Hello, ListPlugins, StartScan, CancelJob, JobStatus, ListJobs, GetPhoto,
                             GetThumbnail, Shutdown>;

inline std::string_view name_of(const Request& request) {
    return std::visit([](const auto& r) -> std::string_view { return r.name; }, request);
}

}  // namespace lbx::ipc
