#include "catalog/person_centroid.hpp"

#include "catalog/float_blob.hpp"

#include <limits>

namespace lbx::engine::catalog {

double squared_distance(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return std::numeric_limits<double>::infinity();
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double d = double(a[i]) - double(b[i]);
        sum += d * d;
    }
    return sum;
}

void add_to_mean(std::vector<float>& mean, int64_t faces, const std::vector<float>& embedding) {
    if (faces <= 0 || mean.size() != embedding.size()) {
        mean = embedding;  // a person without faces starts again from the face that joins it
        return;
    }
    const double n = static_cast<double>(faces);
    for (std::size_t i = 0; i < mean.size(); ++i) mean[i] = static_cast<float>((mean[i] * n + embedding[i]) / (n + 1));
}

void remove_from_mean(std::vector<float>& mean, int64_t faces, const std::vector<float>& embedding) {
    if (faces <= 1 || mean.size() != embedding.size()) return;
    const double n = static_cast<double>(faces);
    for (std::size_t i = 0; i < mean.size(); ++i) mean[i] = static_cast<float>((mean[i] * n - embedding[i]) / (n - 1));
}

Expected<std::optional<StoredCentroid>> read_centroid(Database& db, int64_t person_id) {
    auto stmt = db.prepare(
        "SELECT centroid, embedding_model, (SELECT count(*) FROM face_persons a WHERE a.person_id = p.id) FROM persons p "
        "WHERE p.id = ?1");
    if (!stmt) return unexpected(stmt.error());
    auto row = stmt->bind({person_id}).step();
    if (!row) return unexpected(row.error());
    if (!*row) return std::optional<StoredCentroid>{};
    return std::optional<StoredCentroid>{StoredCentroid{floats_of(stmt->column_blob(0)), stmt->column_text(1), stmt->column_int(2)}};
}

Expected<void> write_centroid(Database& db, int64_t person_id, const std::vector<float>& mean) {
    auto stmt = db.prepare("UPDATE persons SET centroid = ?2 WHERE id = ?1");
    if (!stmt) return unexpected(stmt.error());
    return stmt->run({person_id, float_blob(mean)});
}

Expected<void> apply_centroid_change(Database& db, int64_t person_id, const CentroidChange& change) {
    auto centroid = read_centroid(db, person_id);
    if (!centroid) return unexpected(centroid.error());
    if (!*centroid) return {};
    StoredCentroid& c = **centroid;
    // The mean still holds the faces that left: it was made of the rows there now and of them.
    int64_t faces = c.faces + static_cast<int64_t>(change.left.size());
    for (const auto& [before, after] : change.changed) {
        if (faces <= 0 || c.mean.size() != before.size() || c.mean.size() != after.size()) continue;
        for (std::size_t i = 0; i < c.mean.size(); ++i)
            c.mean[i] = static_cast<float>(c.mean[i] + (double(after[i]) - before[i]) / static_cast<double>(faces));
    }
    for (const std::vector<float>& embedding : change.left) remove_from_mean(c.mean, faces--, embedding);
    return write_centroid(db, person_id, c.mean);
}

}  // namespace lbx::engine::catalog
