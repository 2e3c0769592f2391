// FindSimilar: duplicates and similar photos in groups (catalog/similar_groups.hpp), a page at a time.
// The grouping is made from the catalog as it is and kept while the catalog is unchanged (its change
// stamp: a commit by any connection makes a new one), so a page never shows a photo removed since the
// previous one, and the pages after the first cost no grouping.
#include "catalog/similar_groups.hpp"
#include "pipeline/perceptual_hash.hpp"
#include "service/request_handlers.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <algorithm>

namespace lbx::engine::service {

RequestHandlers::Result<ipc::FindSimilar> RequestHandlers::on(const ipc::FindSimilar& request) {
    if (request.distance > ipc::kMaxSimilarDistance) {
        return ipc::unexpected(ipc::make_error(ipc::Status::bad_request, "catalog", ipc::codes::kBadDistance,
                                               "distance " + std::to_string(request.distance) + " is over the limit of " +
                                                   std::to_string(ipc::kMaxSimilarDistance) + " bits"));
    }
    auto failed = [](const Error& e) {
        return ipc::unexpected(ipc::make_error(ipc::Status::internal, e.domain, ipc::codes::kCatalogError, e.message, e.detail));
    };
    if (auto ok = state_.catalog->flush(); !ok) return failed(ok.error());
    catalog::Database& db = state_.catalog->database();
    auto stamp = catalog::change_stamp(db);
    if (!stamp) return failed(stamp.error());
    const bool cached = similar_cache_ && similar_cache_->catalog_file == state_.catalog_file && similar_cache_->stamp == *stamp &&
                        similar_cache_->distance == request.distance;
    if (!cached) {
        similar_cache_.reset();
        auto grouped = catalog::group_similar(db, static_cast<int>(request.distance));
        if (!grouped) return failed(grouped.error());
        similar_cache_ = SimilarCache{state_.catalog_file, *stamp, request.distance, std::move(*grouped)};
    }
    const catalog::GroupIndex* index = &similar_cache_->index;
    const uint32_t limit = request.limit == 0 || request.limit > ipc::kMaxSimilarPage ? ipc::kMaxSimilarPage : request.limit;
    auto groups = catalog::similar_groups_page(db, *index,
                                               static_cast<int64_t>(std::min<uint64_t>(request.offset, INT64_MAX)), limit);
    if (!groups) return failed(groups.error());

    ipc::SimilarGroups reply;
    reply.total = index->groups.size();
    reply.distance = request.distance;
    for (catalog::SimilarGroup& g : *groups) {
        ipc::SimilarGroup group;
        for (catalog::SimilarPhoto& p : g.photos) {
            group.photos.push_back(ipc::SimilarPhoto{std::move(p.hash), std::move(p.paths),
                                                     p.perceptual_hash ? perceptual_hash_text(*p.perceptual_hash) : "",
                                                     static_cast<uint32_t>(p.distance), std::move(p.format), p.width, p.height,
                                                     p.file_size, std::move(p.taken_at), p.rotation});
        }
        reply.groups.push_back(std::move(group));
    }
    return reply;
}

}  // namespace lbx::engine::service
