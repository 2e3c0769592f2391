// A person's centroid: the mean of the identity embeddings of its faces (persons.centroid). The grouping
// compares new faces with it, and it follows the faces as they join and leave, as a running mean, so no
// change ever reads every face of a person. How many faces a person has is counted from face_persons
// (index face_persons_person), never stored twice.
#pragma once

#include "catalog/database.hpp"

#include <cstdint>
#include <optional>
#include <utility>
#include <string>
#include <vector>

namespace lbx::engine::catalog {

struct StoredCentroid {
    std::vector<float> mean;
    std::string embedding_model;
    int64_t faces = 0;  // rows of face_persons that name the person now
};

// Squared Euclidean distance; vectors of different lengths (another model) are infinitely far apart.
double squared_distance(const std::vector<float>& a, const std::vector<float>& b);

// `mean` of `faces` vectors, with `embedding` added: the mean of faces + 1.
void add_to_mean(std::vector<float>& mean, int64_t faces, const std::vector<float>& embedding);
// `mean` of `faces` vectors, one of which is `embedding`, without it. With one face or none the mean
// stays as it is: a person without faces keeps its last centroid, so its faces can find it again.
void remove_from_mean(std::vector<float>& mean, int64_t faces, const std::vector<float>& embedding);

Expected<std::optional<StoredCentroid>> read_centroid(Database& db, int64_t person_id);
Expected<void> write_centroid(Database& db, int64_t person_id, const std::vector<float>& mean);

// Faces of one person that changed together (a photo removed or analysed again, a face taken out):
// the centroid follows in one write. Call it once the rows are as they will stay: those of `left` gone
// (deleted, or turned into the user's removal), those of `changed` in place.
struct CentroidChange {
    std::vector<std::vector<float>> left;                                   // embeddings of faces that left
    std::vector<std::pair<std::vector<float>, std::vector<float>>> changed;  // (old, new) of faces analysed again
};
Expected<void> apply_centroid_change(Database& db, int64_t person_id, const CentroidChange& change);

}  // namespace lbx::engine::catalog
