#include "desktop/desktop_apps.hpp"

#include <gio/gdesktopappinfo.h>
#include <gio/gio.h>

#include <algorithm>
#include <memory>

namespace lbx::shell {
namespace {

struct GObjectUnref {
    void operator()(gpointer object) const { g_object_unref(object); }
};
template <class T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
    void operator()(gpointer memory) const { g_free(memory); }
};
using GString = std::unique_ptr<gchar, GFree>;

struct GErrorFree {
    void operator()(GError* error) const { g_error_free(error); }
};

// A GList of GAppInfo references, freed with them.
struct AppListFree {
    void operator()(GList* list) const { g_list_free_full(list, g_object_unref); }
};

}  // namespace

std::string desktop_mime_type(const std::string& path, const std::string& fallback) {
    gboolean uncertain = FALSE;
    const GString guessed(g_content_type_guess(path.c_str(), nullptr, 0, &uncertain));
    if (!guessed || uncertain) return fallback;
    const GString mime(g_content_type_get_mime_type(guessed.get()));
    if (!mime || std::string(mime.get()) == "application/octet-stream") return fallback;
    return mime.get();
}

std::vector<DesktopApp> apps_for_type(const std::string& mime_type) {
    std::vector<DesktopApp> apps;
    if (mime_type.empty()) return apps;
    const GString content_type(g_content_type_from_mime_type(mime_type.c_str()));
    if (!content_type) return apps;
    const GObjectPtr<GAppInfo> fallback_default(g_app_info_get_default_for_type(content_type.get(), FALSE));
    const std::string default_id = fallback_default && g_app_info_get_id(fallback_default.get())
                                       ? g_app_info_get_id(fallback_default.get())
                                       : std::string();
    const std::unique_ptr<GList, AppListFree> all(g_app_info_get_all_for_type(content_type.get()));
    for (GList* item = all.get(); item; item = item->next) {
        auto* info = static_cast<GAppInfo*>(item->data);
        const char* id = g_app_info_get_id(info);
        if (!id) continue;  // not from a desktop file: it cannot be started again by id
        const char* name = g_app_info_get_display_name(info);
        apps.push_back({id, name ? name : id, default_id == id});
    }
    std::stable_sort(apps.begin(), apps.end(), [](const DesktopApp& a, const DesktopApp& b) {
        if (a.is_default != b.is_default) return a.is_default;
        return a.name < b.name;
    });
    return apps;
}

ipc::Expected<void> open_with(const std::string& app_id, const std::string& path) {
    const GObjectPtr<GDesktopAppInfo> app(g_desktop_app_info_new(app_id.c_str()));
    if (!app) {
        return ipc::unexpected(ipc::make_error(ipc::Status::not_found, "desktop", "no_application",
                                               "no application '" + app_id + "' is installed"));
    }
    const GObjectPtr<GFile> file(g_file_new_for_path(path.c_str()));
    GList files{file.get(), nullptr, nullptr};
    GError* raw_error = nullptr;
    if (!g_app_info_launch(G_APP_INFO(app.get()), &files, nullptr, &raw_error)) {
        const std::unique_ptr<GError, GErrorFree> error(raw_error);
        return ipc::unexpected(ipc::make_error(ipc::Status::internal, "desktop", "launch_failed",
                                               "cannot start '" + app_id + "' on " + path + ": " +
                                                   (error ? error->message : "unknown error")));
    }
    return {};
}

}  // namespace lbx::shell
