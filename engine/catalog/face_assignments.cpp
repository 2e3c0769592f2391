#include "catalog/face_assignments.hpp"

#include "catalog/float_blob.hpp"
#include "catalog/person_centroid.hpp"

#include <algorithm>
#include <map>

namespace lbx::engine::catalog {

double box_overlap(double ax, double ay, double aw, double ah, double bx, double by, double bw, double bh) {
    const double iw = std::min(ax + aw, bx + bw) - std::max(ax, bx);
    const double ih = std::min(ay + ah, by + bh) - std::max(ay, by);
    if (iw <= 0 || ih <= 0) return 0;
    const double intersection = iw * ih;
    const double united = aw * ah + bw * bh - intersection;
    return united > 0 ? intersection / united : 0;
}

Expected<std::unique_ptr<FaceCarryOver>> FaceCarryOver::prepare(Database& db) {
    // The old region's box and embedding come from its row, still there when hold() runs.
    auto select = db.prepare(
        "SELECT a.person_id, r.x, r.y, r.w, r.h, r.embedding, coalesce(r.embedding_model, '') FROM face_persons a "
        "JOIN regions r ON r.hash = a.hash AND r.source = a.source AND r.idx = a.idx WHERE a.hash = ?1 AND a.source = ?2 "
        "ORDER BY a.idx");
    if (!select) return unexpected(select.error());
    auto clear = db.prepare("DELETE FROM face_persons WHERE hash = ?1 AND source = ?2");
    if (!clear) return unexpected(clear.error());
    auto insert = db.prepare("INSERT OR IGNORE INTO face_persons(hash, source, idx, person_id) VALUES (?1, ?2, ?3, ?4)");
    if (!insert) return unexpected(insert.error());
    return std::make_unique<FaceCarryOver>(db, std::move(*select), std::move(*clear), std::move(*insert));
}

Expected<void> FaceCarryOver::hold(const std::string& hash, const std::string& source) {
    if (hash != held_hash_) {  // what a write that failed half-way held is not this photo's
        held_.clear();
        held_hash_ = hash;
    }
    select_.bind({hash, source});
    bool any = false;
    for (;;) {
        auto row = select_.step();
        if (!row) return unexpected(row.error());
        if (!*row) break;
        any = true;
        Held h;
        h.source = source;
        if (!select_.column_is_null(0)) h.person_id = select_.column_int(0);
        h.x = select_.column_double(1);
        h.y = select_.column_double(2);
        h.w = select_.column_double(3);
        h.h = select_.column_double(4);
        h.embedding = floats_of(select_.column_blob(5));
        h.embedding_model = select_.column_text(6);
        held_.push_back(std::move(h));
    }
    if (!any) return {};
    return clear_.run({hash, source});
}

Expected<void> FaceCarryOver::carry(const std::string& hash, const std::vector<Region>& regions) {
    std::vector<Held> held = std::move(held_);
    held_.clear();
    if (held.empty() || hash != held_hash_) return {};
    // The new faces with their indexes, numbered per source as Catalog::write numbers them.
    struct NewFace {
        const Region* region;
        int64_t index;
        bool taken = false;
    };
    std::vector<NewFace> faces;
    std::map<std::string, int64_t> next_index;
    for (const Region& g : regions) {
        const int64_t index = next_index[g.source]++;
        if (g.kind == LBX_REGION_FACE) faces.push_back({&g, index});
    }
    std::map<int64_t, CentroidChange> changes;  // by person
    for (const Held& h : held) {
        NewFace* best = nullptr;
        double best_overlap = kSameFaceOverlap;
        for (NewFace& f : faces) {
            if (f.taken || f.region->source != h.source) continue;
            const Region& g = *f.region;
            const double overlap = box_overlap(h.x, h.y, h.w, h.h, g.x, g.y, g.width, g.height);
            if (overlap >= best_overlap) {
                best_overlap = overlap;
                best = &f;
            }
        }
        if (!h.person_id) {
            if (best == nullptr) continue;  // the face the user removed is not found any more
            best->taken = true;
            if (auto ok = insert_.run({hash, h.source, best->index, SqlValue{}}); !ok) return ok;
            continue;
        }
        // A face keeps its person only while the embeddings stay comparable (one model): a person's
        // centroid never mixes two models.
        if (best == nullptr || best->region->embedding.empty() || best->region->embedding_model != h.embedding_model) {
            changes[*h.person_id].left.push_back(h.embedding);
            continue;
        }
        best->taken = true;
        if (auto ok = insert_.run({hash, h.source, best->index, *h.person_id}); !ok) return ok;
        changes[*h.person_id].changed.emplace_back(h.embedding, best->region->embedding);
    }
    for (const auto& [person, change] : changes)
        if (auto ok = apply_centroid_change(db_, person, change); !ok) return ok;
    return {};
}

Expected<void> forget_photo_faces(Database& db, const std::string& hash) {
    std::map<int64_t, CentroidChange> changes;  // by person
    {
        auto stmt = db.prepare(
            "SELECT a.person_id, r.embedding FROM face_persons a JOIN regions r ON r.hash = a.hash AND r.source = a.source "
            "AND r.idx = a.idx WHERE a.hash = ?1 AND a.person_id IS NOT NULL");
        if (!stmt) return unexpected(stmt.error());
        stmt->bind({hash});
        for (;;) {
            auto row = stmt->step();
            if (!row) return unexpected(row.error());
            if (!*row) break;
            changes[stmt->column_int(0)].left.push_back(floats_of(stmt->column_blob(1)));
        }
    }
    auto clear = db.prepare("DELETE FROM face_persons WHERE hash = ?1");
    if (!clear) return unexpected(clear.error());
    if (auto ok = clear->run({hash}); !ok) return ok;
    for (const auto& [person, change] : changes)
        if (auto ok = apply_centroid_change(db, person, change); !ok) return ok;
    return {};
}

Expected<void> drop_unnamed_empty_persons(Database& db) {
    return db.exec("DELETE FROM persons WHERE name = '' AND NOT EXISTS (SELECT 1 FROM face_persons a WHERE a.person_id = persons.id)");
}

}  // namespace lbx::engine::catalog
