// What the engine tells clients about its plugins: in HelloReply's capabilities and in PluginList.
#pragma once

#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include <string>
#include <vector>

namespace lbx::ipc {

struct StageInfo {
    std::string id;    // "jpegdec.decode"
    std::string kind;  // "decode", "metadata", "tag", "thumbnail"

    template <class Archive>
    void serialize(Archive& ar) { ar(id, kind); }
    friend bool operator==(const StageInfo&, const StageInfo&) = default;
};

struct PluginInfo {
    std::string id;  // "org.lightbox.jpegdec"
    std::string name;
    std::string version;
    std::string license;
    std::string path;                  // the shared library it was loaded from
    std::vector<StageInfo> stages;
    std::vector<std::string> formats;  // "jpeg", "heif", ...

    template <class Archive>
    void serialize(Archive& ar) { ar(id, name, version, license, path, stages, formats); }
    friend bool operator==(const PluginInfo&, const PluginInfo&) = default;
};

struct RejectedPlugin {
    std::string path;
    std::string error;

    template <class Archive>
    void serialize(Archive& ar) { ar(path, error); }
    friend bool operator==(const RejectedPlugin&, const RejectedPlugin&) = default;
};

struct Capabilities {
    std::vector<PluginInfo> plugins;
    std::vector<std::string> formats;  // every format some decoder reads

    template <class Archive>
    void serialize(Archive& ar) { ar(plugins, formats); }
    friend bool operator==(const Capabilities&, const Capabilities&) = default;
};

}  // namespace lbx::ipc
