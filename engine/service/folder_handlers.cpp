// The library's folders (protocol 8): ListFolders with each folder's live photos, and RemoveFolder,
// which takes one out of the library (catalog_roots.cpp), never off the disk.
#include "service/request_handlers.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <filesystem>

namespace lbx::engine::service {
namespace {

ipc::Unexpected<ipc::Error> failed(const Error& e) {
    return ipc::unexpected(
        ipc::make_error(ipc::Status::internal, e.domain, ipc::codes::kCatalogError, e.message, e.detail));
}

}  // namespace

RequestHandlers::Result<ipc::ListFolders> RequestHandlers::on(const ipc::ListFolders&) {
    auto roots = state_.catalog->root_infos();
    if (!roots) return failed(roots.error());
    ipc::FolderList reply;
    for (catalog::RootInfo& root : *roots) {
        std::error_code ec;
        const bool exists = std::filesystem::exists(root.path, ec);
        reply.folders.push_back(ipc::LibraryFolder{std::move(root.path), static_cast<uint64_t>(root.photos), exists});
    }
    return reply;
}

RequestHandlers::Result<ipc::RemoveFolder> RequestHandlers::on(const ipc::RemoveFolder& request) {
    const std::filesystem::path path(request.path);
    if (request.path.empty() || !path.is_absolute()) {
        return ipc::unexpected(
            ipc::make_error(ipc::Status::bad_request, "catalog", ipc::codes::kBadPath,
                            "folder '" + request.path +
                                "' is not an absolute path: send one of the library's folders (LibraryInfo's roots)"));
    }
    // A scan adds the folders it walks and the photos it finds: one running now could bring back what
    // this takes out.
    if (const unsigned scans = state_.jobs.running(ipc::JobKind::scan); scans > 0) {
        return ipc::unexpected(ipc::make_error(ipc::Status::busy, "catalog", ipc::codes::kJobsRunning,
                                               std::to_string(scans) + (scans == 1 ? " scan is" : " scans are") +
                                                   " running: cancel it or wait before removing a folder"));
    }
    auto removed = state_.catalog->remove_root(path.lexically_normal().string());
    if (!removed) return failed(removed.error());
    if (!*removed) {
        return ipc::unexpected(ipc::make_error(ipc::Status::not_found, "catalog", ipc::codes::kNoSuchFolder,
                                               "'" + request.path + "' is not one of the library's folders"));
    }
    announce(ipc::changes::kFolderRemoved, {}, (*removed)->root);
    return ipc::FolderRemoved{(*removed)->root, static_cast<uint64_t>((*removed)->photos),
                              static_cast<uint64_t>((*removed)->files)};
}

}  // namespace lbx::engine::service
